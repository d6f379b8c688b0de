"""The math core: features, alignment, criteria, scoring. Imports numpy and scipy only."""
