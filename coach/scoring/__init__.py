"""Scoring an attempt against a technique: references, phases and events, score card, cues."""
