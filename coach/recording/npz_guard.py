"""Reading an ``.npz`` archive we wrote without trusting it: sizes checked before any array is.

``numpy.load`` allocates whatever an array's header claims, so a damaged or hostile header
("1e12 frames") would take the machine's memory before anything could be checked. Here every
member's header is read first and its claimed size compared with the bytes it really holds
and with a cap for the whole archive; only then are the arrays loaded (never pickles).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np

from coach.errors import CoachError
from coach.validation import os_error_text

MAX_UNPACKED_BYTES = 1 << 30
"""1 GiB unpacked: an hour-long video's landmarks at 60 fps are about 200 MB."""


def _claimed_bytes(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path) -> int:
    with archive.open(info) as member:
        version = np.lib.format.read_magic(member)
        if version == (1, 0):
            shape, _, dtype = np.lib.format.read_array_header_1_0(member)
        elif version == (2, 0):
            shape, _, dtype = np.lib.format.read_array_header_2_0(member)
        else:
            raise CoachError(path, f"{info.filename}: unknown .npy version {version}")
    if dtype.hasobject:
        raise CoachError(path, f"{info.filename}: holds Python objects, expected numbers")
    return int(np.prod(shape, dtype=np.float64) * dtype.itemsize)


def load_npz(
    path: Path, what: str, max_bytes: int = MAX_UNPACKED_BYTES
) -> dict[str, np.ndarray]:
    """Every array of the archive, after its header passed the size checks; ``what`` names
    the kind of file in errors ("pose file")."""
    if not path.is_file():
        raise CoachError(path, "no such file" if not path.exists() else "expected a file")
    try:
        if not zipfile.is_zipfile(path):
            raise CoachError(path, f"not a readable {what} (not an .npz archive)")
        with zipfile.ZipFile(path) as archive:
            total = 0
            for info in archive.infolist():
                claimed = _claimed_bytes(archive, info, path)
                if claimed > info.file_size:
                    raise CoachError(
                        path, f"{info.filename}: its header claims {claimed} bytes but it "
                        f"holds {info.file_size} (damaged)"
                    )
                total += claimed
                if total > max_bytes:
                    raise CoachError(path, f"unpacks to more than {max_bytes} bytes")
        with np.load(path, allow_pickle=False) as data:
            return {name: data[name] for name in data.files}
    except CoachError:
        raise
    except OSError as error:
        raise CoachError(path, os_error_text(error)) from None
    except Exception as error:  # numpy and zipfile parsing damaged bytes raise many kinds
        raise CoachError(
            path, f"not a readable {what} ({error.__class__.__name__}: {error})"
        ) from None


def scalar(path: Path, data: dict[str, np.ndarray], key: str, kind: str) -> np.ndarray:
    """A 0-d array of ``kind`` (numpy dtype kinds, e.g. "iu", "f", "U")."""
    value = data[key]
    if value.shape != () or value.dtype.kind not in kind:
        raise CoachError(
            path, f"{key}: expected a single value, got shape {value.shape} {value.dtype}"
        )
    return value
