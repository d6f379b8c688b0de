"""The live session: capture, pose worker, state machine, recorder."""
