"""Body pose: landmark layout, the MediaPipe adapter, PoseSequence and its filters."""
