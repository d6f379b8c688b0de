"""Alignment of a trainee's movement to a reference: offline DTW, live SPRING, DBA references.

numpy only. Feature matrices are (frames, features); NaN marks an unassessable feature.
"""

from coach.analysis.alignment.barycenter import Barycenter, dba, medoid_index
from coach.analysis.alignment.cost import DISTANCES, ReferenceCost, cost_matrix, get_distance
from coach.analysis.alignment.dtw import DtwResult, dtw, dtw_cost, dtw_loop, effective_band
from coach.analysis.alignment.streaming import AlignmentState, StreamingAligner

__all__ = [
    "DISTANCES",
    "AlignmentState",
    "Barycenter",
    "DtwResult",
    "ReferenceCost",
    "StreamingAligner",
    "cost_matrix",
    "dba",
    "dtw",
    "dtw_cost",
    "dtw_loop",
    "effective_band",
    "get_distance",
    "medoid_index",
]
