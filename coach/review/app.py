"""The review web app: thin handlers over the index, the attempt page data and review.json.

``create_app(workspace)`` builds it (nothing happens at import), so tests start it on a free
port. It is meant for 127.0.0.1 only: requests naming another Host are refused (DNS
rebinding), and writes must come from the page itself (same Origin, JSON body).
"""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any

from flask import Flask, Response, abort, jsonify, render_template, request, send_file
from werkzeug.exceptions import HTTPException

from coach.errors import CoachError
from coach.review import exports
from coach.review.attempt_data import attempt_page
from coach.review.blind_page import blind_page
from coach.review.marking import BadMarksError, assessor_name, checked_marks
from coach.review.marks_file import marks_path, write_marks
from coach.review.review_file import Review, add_note, delete_note, read_review, set_override
from coach.review.safe_paths import attempt_folder
from coach.review.trainee_page import trainee_page
from coach.store.index import OUTCOME_FILTERS, AttemptFilter, AttemptIndex
from coach.workspace import Workspace

PACKAGE = Path(__file__).parent
LOCAL_HOSTS = ("127.0.0.1", "localhost")


def create_app(workspace: Workspace) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(PACKAGE / "templates"),
        static_folder=str(PACKAGE / "static"),
    )
    app.config["WORKSPACE"] = workspace
    write_lock = threading.Lock()
    recordings = workspace.recordings

    def index() -> AttemptIndex:
        return AttemptIndex(recordings)

    @app.before_request
    def local_only() -> None:
        host = (request.host or "").rsplit(":", 1)[0].strip("[]")
        if host not in LOCAL_HOSTS:
            abort(403, "this review server answers on 127.0.0.1 only")
        if request.method != "GET":
            origin = request.headers.get("Origin")
            if origin is None or origin.rstrip("/") != request.host_url.rstrip("/"):
                abort(403, "writes are accepted from this review page only (Origin mismatch)")
            if not request.is_json:
                abort(415, "writes must be JSON")

    @app.errorhandler(CoachError)
    def coach_error(error: CoachError) -> tuple[Any, int]:
        if request.method != "GET" or request.path.startswith("/api/"):
            return jsonify(error=str(error)), 409
        return render_template("error.html", message=str(error)), 404

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> tuple[Any, int]:
        if isinstance(error, HTTPException):
            return error  # type: ignore[return-value]
        app.logger.exception("review: unexpected error on %s", request.path)
        message = f"could not show this: {error.__class__.__name__}: {error} (see the server log)"
        if request.method != "GET" or request.path.startswith("/api/"):
            return jsonify(error=message), 500
        return render_template("error.html", message=message), 500

    @app.get("/")
    def home() -> str:
        where = AttemptFilter(
            trainee=request.args.get("trainee") or None,
            technique=request.args.get("technique") or None,
            date_from=request.args.get("from") or None,
            date_to=request.args.get("to") or None,
            outcome=_known(request.args.get("outcome"), OUTCOME_FILTERS),
            failed=request.args.get("failed") or None,
        )
        with index() as db:
            db.sync()
            return render_template(
                "home.html",
                where=where,
                attempts=db.attempts(where, limit=300),
                total=db.count(where),
                trainees=db.trainees(),
                techniques=db.techniques(),
                failed_labels=db.failed_labels(),
                outcomes=list(OUTCOME_FILTERS),
            )

    @app.get("/attempt/<path:relative>")
    def attempt(relative: str) -> str:
        folder = attempt_folder(recordings, relative)
        problem = None
        try:
            review = read_review(folder)
        except CoachError as error:  # a newer or damaged review.json: shown read-only
            review, problem = Review(), str(error)
        page = attempt_page(workspace, folder, review)
        return render_template(
            "attempt.html",
            relative=relative,
            page=page,
            meta=page.attempt.meta,
            review=review,
            review_problem=problem,
            report=False,
        )

    @app.get("/attempt/<path:relative>/video")
    def video(relative: str) -> Response:
        folder = attempt_folder(recordings, relative)
        name = exports.video_file(folder)
        if name is None:
            abort(404, "this attempt has no video (keypoints only)")
        return send_file(folder / name, conditional=True)

    @app.get("/attempt/<path:relative>/export/<kind>")
    def export(relative: str, kind: str) -> Response:
        folder = attempt_folder(recordings, relative)
        if kind not in exports.KINDS:
            abort(404, f"no export {kind!r}; valid: {', '.join(exports.KINDS)}")
        body, mimetype, filename = exports.export(workspace, folder, kind)
        return Response(
            body,
            mimetype=mimetype,
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )

    @app.post("/api/attempt/<path:relative>/notes")
    def post_note(relative: str) -> Response:
        folder = attempt_folder(recordings, relative)
        body = request.get_json(silent=True) or {}
        with write_lock:
            review = add_note(folder, _number(body.get("t")), str(body.get("text", "")))
        return jsonify(notes=len(review.notes))

    @app.post("/api/attempt/<path:relative>/notes/<int:number>/delete")
    def remove_note(relative: str, number: int) -> Response:
        folder = attempt_folder(recordings, relative)
        with write_lock:
            review = delete_note(folder, number)
        return jsonify(notes=len(review.notes))

    @app.post("/api/attempt/<path:relative>/override")
    def post_override(relative: str) -> Response:
        folder = attempt_folder(recordings, relative)
        body = request.get_json(silent=True) or {}
        status = body.get("status") or None
        with write_lock:
            review = set_override(
                folder, str(body.get("criterion", "")), status, str(body.get("reason", ""))
            )
        with index() as db:
            db.refresh(relative)
        return jsonify(overrides=len(review.overrides))

    def place_of(relative: str) -> int:
        """The attempt's place (1, 2, ...) by date among its trainee's at its technique."""
        with index() as db:
            db.sync()
            this = db.attempt(relative)
            if this is None:
                return 1
            where = AttemptFilter(trainee=this.trainee, technique=this.technique)
            older = [a.folder for a in reversed(db.attempts(where, limit=1_000_000))]
        return older.index(relative) + 1 if relative in older else len(older) + 1

    @app.get("/mark/")
    def mark_list() -> str:
        """The scored attempts to mark, with nothing of their verdicts (home shows them)."""
        with index() as db:
            db.sync()
            rows = [a for a in db.attempts(limit=100_000) if a.status == "scored"]
        return render_template("mark_list.html", attempts=rows)

    @app.get("/mark/<path:relative>")
    def mark(relative: str) -> str:
        folder = attempt_folder(recordings, relative)
        page = blind_page(folder, lambda: place_of(relative))
        return render_template("mark.html", relative=relative, page=page)

    @app.post("/api/mark/<path:relative>")
    def post_marks(relative: str) -> tuple[Response, int]:
        """Write the assessor's marks, then (only then) answer with the coach's beside them."""
        folder = attempt_folder(recordings, relative)
        page = blind_page(folder, lambda: place_of(relative))
        body = request.get_json(silent=True)
        try:
            if not isinstance(body, dict):
                raise BadMarksError("expected a JSON object {assessor, marks}")
            assessor = assessor_name(body.get("assessor"))
            marks = checked_marks(body.get("marks"), page.items)
        except BadMarksError as error:
            return jsonify(error=str(error)), 400
        path = marks_path(workspace.root, assessor)
        with write_lock:
            replaced = write_marks(path, assessor, page.unit, marks)
        yours = {m.item: m for m in marks}
        rows = [
            {
                "item": i.item,
                "label": i.label,
                "phase": i.phase,
                "assessor": yours[i.item].mark,
                "notes": yours[i.item].notes,
                "coach": i.coach,
            }
            for i in page.items
        ]
        written = path.relative_to(workspace.root).as_posix()
        return jsonify(written=written, replaced=replaced, assessor=assessor, rows=rows), 200

    @app.get("/trainee/<path:name>")
    def trainee(name: str) -> str:
        return render_template("trainee.html", page=trainee_page(workspace, name, dt.date.today()))

    return app


def _known(value: str | None, names: dict[str, str]) -> str | None:
    return value if value in names else None


def _number(value: object) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    raise CoachError(None, "t: expected a time in seconds")
