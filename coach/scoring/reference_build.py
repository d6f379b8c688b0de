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

import zipfile
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
from coach.scoring.offline import sakoe_chiba_band
from coach.scoring.phase_mapping import mapping_from_path
from coach.scoring.reference_model import ReferenceModel, keyframed_reference
from coach.technique.model import Technique

REFERENCE_FORMAT_VERSION = 1
MIN_DEMONSTRATIONS = 2


def reference_path(techniques_dir: Path, technique: Technique) -> Path:
    return techniques_dir / f"{technique.id}.{technique.side}.reference.npz"


def build_reference(demonstrations: Sequence[PoseSequence], technique: Technique) -> ReferenceModel:
    """Average demonstrations of ``technique`` (on its side) into a reference with a band."""
    if len(demonstrations) < MIN_DEMONSTRATIONS:
        raise CoachError(None, f"need at least {MIN_DEMONSTRATIONS} demonstrations to average")
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
    """Read a built reference; errors name the file and what is wrong."""
    try:
        with np.load(path, allow_pickle=False) as data:
            version = int(data["format_version"])
            if version != REFERENCE_FORMAT_VERSION:
                raise CoachError(path, f"reference format version {version} is not supported")
            if str(data["technique_id"]) != technique.id or str(data["side"]) != technique.side:
                raise CoachError(
                    path,
                    f"is a reference for {data['technique_id']} "
                    f"({data['side']}), not {technique.id} ({technique.side})",
                )
            n_phases = int(data["phase_of_frame"].max()) + 1
            if n_phases > len(technique.phases):
                raise CoachError(path, "has more phases than the technique file")
            tolerance = data["tolerance"]
            return ReferenceModel(
                technique=technique,
                t=data["t"],
                features=data["features"],
                phase_of_frame=data["phase_of_frame"],
                scene=keyframed_reference(technique).scene,
                moving=data["moving"],
                body=data["body"],
                pixels=data["pixels"],
                tolerance=tolerance if tolerance.size else None,
                source=str(data["source"]),
            )
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as error:
        raise CoachError(path, f"not a readable reference file ({error})") from None


def reference_for(techniques_dir: Path | None, technique: Technique) -> ReferenceModel:
    """The built reference of ``technique`` on its side if there is one, else the keyframed."""
    if techniques_dir is not None:
        path = reference_path(techniques_dir, technique)
        if path.is_file():
            return load_reference(path, technique)
    return keyframed_reference(technique)
