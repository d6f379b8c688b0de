"""Drawing: overlays, stick figures, reports and plots."""
