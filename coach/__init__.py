"""Breakaway Coach: coaching breakaway techniques from a camera."""

__version__ = "0.1.0"
