"""The body model and camera that turn a technique's keyframes into a reference (production).

Used by scoring, the live session and the CLI. The evaluation's synthetic attempts, faults,
reports and rendered people are in ``coach.synth``.
"""
