"""One checking layer for everything the coach reads from a file the user could have touched.

Technique files, ``scene.json``, ``attempt.json``, ``pose.npz``, built references and the live
partial's header all come through here: sizes capped before reading, text decoded as UTF-8,
JSON without NaN or Infinity and without nesting deep enough to exhaust the stack, and numbers
that must be finite and within a stated range. Every failure is a ``CoachError`` naming the
file, the field and what was expected, so the CLI prints one line and no traceback.
"""

from __future__ import annotations

import errno
import json
import math
import os
from pathlib import Path
from typing import Any, Final

import numpy as np

from coach.errors import CoachError

MAX_JSON_BYTES: Final = 8 * 1024 * 1024
"""attempt.json, scene.json and the partial header are a few kilobytes; score cards less."""
MAX_NESTING: Final = 64
"""Deeper than any file we write; deeper input would exhaust Python's stack while parsed."""


def os_error_text(error: OSError) -> str:
    """``"permission denied"``-style text for an OSError (no errno name, no traceback)."""
    if error.errno == errno.ENAMETOOLONG:
        return "name too long for the file system"
    text = error.strerror or (os.strerror(error.errno) if error.errno else str(error))
    return text[:1].lower() + text[1:]


def read_text(path: Path, max_bytes: int, what: str = "file") -> str:
    """The file's text; refuses a missing file, a folder, a file past ``max_bytes``, non-UTF-8."""
    try:
        if path.is_dir():
            raise CoachError(path, f"is a folder, expected a {what}")
        size = path.stat().st_size
        if size > max_bytes:
            raise CoachError(path, f"is {size} bytes; a {what} is at most {max_bytes}")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CoachError(path, f"no such {what}") from None
    except OSError as error:
        raise CoachError(path, os_error_text(error)) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CoachError(path, f"not UTF-8 text (byte {error.start})") from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number a file of ours may hold")


def nesting_depth(text: str) -> int:
    """The deepest bracket nesting in JSON or TOML text (brackets inside strings count too,
    which only errs on the cautious side)."""
    depth = deepest = 0
    for char in text:
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def check_nesting(path: Path, text: str) -> None:
    if nesting_depth(text) > MAX_NESTING:
        raise CoachError(path, f"nested more than {MAX_NESTING} levels deep")


def parse_json(path: Path, text: str) -> Any:
    """JSON text -> value; NaN, Infinity and deep nesting refused with the file named."""
    check_nesting(path, text)
    try:
        return json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise CoachError(path, f"not valid JSON ({error})") from None
    except ValueError as error:
        raise CoachError(path, f"not valid JSON ({error})") from None
    except RecursionError:
        raise CoachError(path, "nested too deeply") from None


def read_json(path: Path, max_bytes: int = MAX_JSON_BYTES) -> Any:
    return parse_json(path, read_text(path, max_bytes, "JSON file"))


def read_json_object(path: Path, max_bytes: int = MAX_JSON_BYTES) -> dict[str, Any]:
    body = read_json(path, max_bytes)
    if not isinstance(body, dict):
        raise CoachError(path, "expected a JSON object")
    return body


def is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def number(
    path: Path, field: str, value: object, low: float, high: float, unit: str = ""
) -> float:
    """A finite number in [low, high]; else ``<file>: <field>: expected ..., got ...``."""
    what = f"a number{' in ' + unit if unit else ''} from {low:g} to {high:g}"
    if not is_number(value) or not math.isfinite(float(value)):  # type: ignore[arg-type]
        raise CoachError(path, f"{field}: expected {what}, got {_shown(value)}")
    if not low <= float(value) <= high:  # type: ignore[arg-type]
        raise CoachError(path, f"{field}: expected {what}, got {value!r}")
    return float(value)  # type: ignore[arg-type]


def whole_number(path: Path, field: str, value: object, low: int, high: int) -> int:
    """An int (not a bool, not a float) in [low, high]."""
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise CoachError(
            path, f"{field}: expected a whole number from {low} to {high}, got {_shown(value)}"
        )
    return value


def optional_text(path: Path, field: str, value: object, max_chars: int = 1000) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > max_chars:
        raise CoachError(
            path, f"{field}: expected a text of at most {max_chars} characters or null, "
            f"got {_shown(value)}"
        )
    return value


def table(path: Path, field: str, value: object, optional: bool = False) -> dict[str, Any]:
    """A JSON object (``None`` allowed only when ``optional``; it then reads as {})."""
    if value is None and optional:
        return {}
    if not isinstance(value, dict):
        raise CoachError(path, f"{field}: expected an object, got {_shown(value)}")
    return value


def finite_array(
    path: Path, field: str, array: np.ndarray, limit: float, allow_nan: bool = True
) -> None:
    """Every value finite (NaN allowed where it means "no person") and within +-limit."""
    if array.dtype.kind not in "fiu":
        raise CoachError(path, f"{field}: expected numbers, got {array.dtype} values")
    values = np.asarray(array, dtype=np.float64)
    nan = np.isnan(values)
    if nan.any() and not allow_nan:
        raise CoachError(path, f"{field}: expected finite numbers, found NaN")
    bad = ~nan & ~(np.abs(values) <= limit)
    if bad.any():
        raise CoachError(
            path,
            f"{field}: expected finite values within +-{limit:g}, "
            f"found {values[bad].flat[0]!r} ({int(bad.sum())} values)",
        )


def _shown(value: object) -> str:
    if isinstance(value, str):
        return f'"{value[:40]}"'
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "null"
    return repr(value)
