"""The technique library: techniques as data (TOML), loaded into frozen dataclasses."""
