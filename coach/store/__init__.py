"""The SQLite index of recorded attempts (the folders stay the source of truth)."""
