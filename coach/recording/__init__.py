"""Attempts on disk: the versioned pose.npz, attempt.json and the attempt folder."""
