"""The instructor's review: a local web app over the attempt index, the self-contained report
and the exports (score card CSV/JSON, measures CSV, fault subtitles)."""
