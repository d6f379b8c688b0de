"""The review app on a free port of 127.0.0.1, in a thread, for the HTTP and browser tests."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from werkzeug.serving import make_server

from coach.review.app import create_app
from coach.workspace import Workspace


@contextmanager
def running_review(root: Path) -> Iterator[str]:
    """Serve the workspace at ``root``; yields the base URL (``http://127.0.0.1:PORT``)."""
    server = make_server("127.0.0.1", 0, create_app(Workspace(root)), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
