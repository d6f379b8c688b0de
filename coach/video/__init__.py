"""Frame sources (camera, video file, recording replay) and video sinks."""
