"""A renderer of human figures from the body model's postures, for the rendered-quality bench."""
