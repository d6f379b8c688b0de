"""``coach review [ATTEMPT|TRAINEE] [--port N] [--no-browser]``: the instructor's review app."""

from __future__ import annotations

import argparse
import urllib.parse
import webbrowser
from pathlib import Path

from werkzeug.serving import make_server

from coach.errors import CoachError
from coach.review.app import create_app
from coach.review.safe_paths import attempt_folder, relative_name
from coach.store.index import AttemptFilter, AttemptIndex
from coach.workspace import Workspace, find_workspace

HOST = "127.0.0.1"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "review",
        help="the instructor's review app in the browser (local only)",
        description="Start the review web app on 127.0.0.1 and open it: every recorded attempt "
        "beside the reference, its faults on a timeline, notes, overrides, trainee history.",
    )
    parser.add_argument(
        "target",
        nargs="?",
        metavar="ATTEMPT|TRAINEE",
        help="open this attempt folder or this trainee's page (default: the list of attempts)",
    )
    parser.add_argument("--port", type=int, default=8765, help="port (default 8765; 0: any)")
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser")
    parser.set_defaults(run=run)


def start_path(workspace: Workspace, target: str | None) -> str:
    """The URL path to open for ``target``: an attempt folder, a trainee's name, or home."""
    if not target:
        return "/"
    path = Path(target)
    if path.is_dir():
        try:
            relative = relative_name(workspace.recordings, path)
        except ValueError:
            raise CoachError(path, "not inside this workspace's recordings folder") from None
        attempt_folder(workspace.recordings, relative)
        return "/attempt/" + urllib.parse.quote(relative)
    with AttemptIndex(workspace.recordings) as index:
        index.sync()
        if index.count(AttemptFilter(trainee=target)):
            return "/trainee/" + urllib.parse.quote(target, safe="")
    raise CoachError(target, "neither an attempt folder nor a trainee with recorded attempts")


def run(args: argparse.Namespace) -> int:
    workspace = find_workspace(args.workspace)
    path = start_path(workspace, args.target)
    try:
        server = make_server(HOST, args.port, create_app(workspace), threaded=True)
    except OSError as error:
        raise CoachError(None, f"cannot listen on {HOST}:{args.port} ({error.strerror})") from None
    url = f"http://{HOST}:{server.server_port}{path}"
    print(f"review app: {url}  (Ctrl-C to stop; local to this computer only)", flush=True)
    if not args.no_browser:
        webbrowser.open(url)
    try:
        server.serve_forever()
    finally:
        server.server_close()
    return 0
