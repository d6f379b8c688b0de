"""References from recorded demonstrations: DTW barycenter averaging, stored per side.

An instructor records a few clean demonstrations and runs ``coach reference build``. Their
feature tracks are averaged (DBA: each demonstration aligned to the mean, the mean updated,
repeated) into one reference with a per-frame tolerance band (the standard deviation between
demonstrations). Phases come from aligning the mean with the technique's keyframed reference;
the ghost and the joint deviations use the medoid demonstration, the one most like the rest.
Saved as ``techniques/<id>.<side>.reference.npz``; scoring and live sessions use it instead of
the keyframed reference when it is there.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from coach.analysis.alignment import dba, dtw, medoid_index
from coach.analysis.alignment_features import alignment_features
from coach.analysis.checks.timing import reference_moving
from coach.analysis.features import Features, body_frame
from coach.errors import CoachError
from coach.pose.filters import repair_and_smooth
from coach.pose.sequence import PoseSequence
from coach.recording.npz_guard import load_npz, scalar
from coach.scoring.offline import NotScorableError, check_scorable, sakoe_chiba_band
from coach.scoring.phase_mapping import mapping_from_path
from coach.scoring.reference_model import ReferenceModel, keyframed_reference
from coach.technique.model import Technique
from coach.validation import finite_array

REFERENCE_FORMAT_VERSION = 1
MAX_REFERENCE_FRAMES = 100_000
MAX_REFERENCE_VALUE = 1e6
"""Features are torso lengths and degrees, pixels are pixels: a million is a damaged file."""
_KEYS = ("format_version", "technique_id", "side", "source", "t", "features", "tolerance",
         "phase_of_frame", "moving", "body", "pixels")
MIN_DEMONSTRATIONS = 2
MIN_DETECTED_FRACTION = 0.8


def reference_path(techniques_dir: Path, technique: Technique) -> Path:
    return techniques_dir / f"{technique.id}.{technique.side}.reference.npz"


def build_reference(demonstrations: Sequence[PoseSequence], technique: Technique) -> ReferenceModel:
    """Average demonstrations of ``technique`` (on its side) into a reference with a band."""
    if len(demonstrations) < MIN_DEMONSTRATIONS:
        raise CoachError(None, f"need at least {MIN_DEMONSTRATIONS} demonstrations to average")
    for demo in demonstrations:
        check_demonstration(demo)
    filtered = [Features.from_sequence(repair_and_smooth(d)[0]) for d in demonstrations]
    tracks = [alignment_features(f) for f in filtered]
    longest = max(len(x) for x in tracks)
    band = sakoe_chiba_band(longest, min(len(x) for x in tracks))
    medoid = medoid_index(tracks, band=band)
    barycenter = dba(tracks, init=medoid, band=band)
    keyed = keyframed_reference(technique)
    path = dtw(
        barycenter.mean, keyed.features, band=sakoe_chiba_band(len(barycenter.mean), len(keyed))
    ).path
    mapping = mapping_from_path(path, len(barycenter.mean), keyed)
    f = filtered[medoid]
    return ReferenceModel(
        technique=technique,
        t=f.t - f.t[0],
        features=barycenter.mean,
        phase_of_frame=keyed.phase_of_frame[mapping.ref_index],
        scene=keyed.scene,
        moving=reference_moving(f),
        body=body_frame(f),
        pixels=f.pixels,
        tolerance=barycenter.std,
        source=f"{len(demonstrations)} demonstrations",
    )


def check_demonstration(demo: PoseSequence) -> None:
    """A demonstration must show a person through most of it: a reference averaged from an
    empty room or a few frames would silently misjudge every later attempt."""
    check_scorable(demo)
    if demo.detected_fraction < MIN_DETECTED_FRACTION:
        raise NotScorableError(
            f"a person is visible in only {100 * demo.detected_fraction:.0f} % of its frames; "
            f"a demonstration needs {100 * MIN_DETECTED_FRACTION:.0f} %"
        )


def save_reference(path: Path, model: ReferenceModel) -> None:
    """Write atomically (a hidden partial file renamed into place)."""
    partial = path.with_name(f".{path.name}.partial")
    with partial.open("wb") as handle:
        np.savez_compressed(
            handle,
            format_version=np.int64(REFERENCE_FORMAT_VERSION),
            technique_id=np.str_(model.technique.id),
            side=np.str_(model.technique.side),
            source=np.str_(model.source),
            t=model.t,
            features=model.features,
            tolerance=model.tolerance if model.tolerance is not None else np.zeros(0),
            phase_of_frame=model.phase_of_frame,
            moving=model.moving,
            body=model.body,
            pixels=model.pixels,
        )
    partial.replace(path)


def load_reference(path: Path, technique: Technique) -> ReferenceModel:
    """Read a built reference; every array's shape and values checked, errors naming the
    file and what is wrong."""
    data = load_npz(path, "reference file")
    missing = [k for k in _KEYS if k not in data]
    if missing:
        raise CoachError(path, f"reference file is missing {', '.join(missing)}")
    version = int(scalar(path, data, "format_version", "iu"))
    if version != REFERENCE_FORMAT_VERSION:
        raise CoachError(path, f"reference format version {version} is not supported")
    tid, side = (str(scalar(path, data, k, "U")) for k in ("technique_id", "side"))
    if tid != technique.id or side != technique.side:
        raise CoachError(
            path, f"is a reference for {tid} ({side}), not {technique.id} ({technique.side})"
        )
    t = data["t"]
    n = len(t) if t.ndim == 1 else -1
    if not 2 <= n <= MAX_REFERENCE_FRAMES:
        raise CoachError(path, f"t: expected 2 to {MAX_REFERENCE_FRAMES} frame times, "
                         f"got shape {t.shape}")
    shapes = {"features": (n, None), "phase_of_frame": (n,), "moving": (n,),
              "body": (n, 33, 3), "pixels": (n, 33, 2)}
    for key, shape in shapes.items():
        got = data[key].shape
        same_rank = len(got) == len(shape)
        if not same_rank or any(w not in (None, g) for w, g in zip(shape, got, strict=True)):
            raise CoachError(path, f"{key}: expected {n} frames, got shape {got}")
    tolerance = data["tolerance"]
    if tolerance.size and tolerance.shape != data["features"].shape:
        raise CoachError(path, f"tolerance: expected shape {data['features'].shape}, "
                         f"got {tolerance.shape}")
    for key in ("t", "features", "tolerance", "body", "pixels"):
        finite_array(path, key, data[key], MAX_REFERENCE_VALUE, allow_nan=key != "t")
    phases = data["phase_of_frame"]
    if phases.dtype.kind not in "iu" or phases.min() < 0 or phases.max() >= len(technique.phases):
        raise CoachError(path, f"phase_of_frame: expected phase numbers 0 to "
                         f"{len(technique.phases) - 1}")
    return ReferenceModel(
        technique=technique,
        t=t,
        features=data["features"],
        phase_of_frame=phases,
        scene=keyframed_reference(technique).scene,
        moving=data["moving"].astype(bool),
        body=data["body"],
        pixels=data["pixels"],
        tolerance=tolerance if tolerance.size else None,
        source=str(data["source"]),
    )


def reference_for(techniques_dir: Path | None, technique: Technique) -> ReferenceModel:
    """The built reference of ``technique`` on its side if there is one, else the keyframed."""
    if techniques_dir is not None:
        path = reference_path(techniques_dir, technique)
        if path.is_file():
            return load_reference(path, technique)
    return keyframed_reference(technique)
