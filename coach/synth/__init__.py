"""Synthetic movement: a kinematic body model, a camera, references and trainee attempts."""
