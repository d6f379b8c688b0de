// The attempt page: one clock (the video's, or our own when there is only keypoints), the
// skeleton over the picture, the reference matched frame by frame, the fault timeline, the
// measure plots with a cursor, the escape path from above. No framework, no network.
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("attempt-data").textContent);
  const T = data.t;
  const N = T.length;
  const T0 = T[0];
  const END = T[N - 1] + 1 / data.fps;
  const video = document.getElementById("video");
  const VFPS = data.video_fps;
  const SEEK_OFFSET = 0.001; // land inside a frame, never on the previous frame's edge
  const STATUS_CLASS = { "Met": "met", "Not met": "not-met", "Not assessable": "not-assessable" };

  // ---- the clock: attempt time t (the pose file's clock) -------------------------------------
  const clock = {
    playing: false, rate: 1.0, t: T0, last: null,
    // The recorder writes one video frame per pose row at the nominal rate, so video frame k
    // is pose row k (camera timestamps need not be even): map through the frame index.
    now() {
      if (!video) return this.t;
      const k = Math.min(N - 1, Math.floor(video.currentTime * VFPS + 1e-4));
      return T[k] + Math.min(video.currentTime - k / VFPS, 0.999 / VFPS);
    },
    seek(t) {
      t = Math.min(Math.max(t, T0), T[N - 1]);
      if (video) {
        const k = frameAt(t);
        video.currentTime = k / VFPS + Math.min(t - T[k], 0.9 / VFPS) + SEEK_OFFSET;
      } else this.t = t + SEEK_OFFSET;
      draw();
    },
    play() {
      this.playing = true;
      if (video) { video.playbackRate = this.rate; video.play(); } else this.last = null;
      playButton.textContent = "❚❚ pause";
    },
    pause() {
      this.playing = false;
      if (video) video.pause();
      playButton.textContent = "▶ play";
    },
    setRate(r) { this.rate = r; if (video) video.playbackRate = r; speedSelect.value = String(r); },
  };
  window.reviewClock = clock; // for the browser tests and the console

  function frameAt(t) { // last frame whose time is <= t
    let lo = 0, hi = N - 1;
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (T[mid] <= t + 1e-6) lo = mid; else hi = mid - 1; }
    return lo;
  }

  // ---- skeleton drawing ----------------------------------------------------------------------
  const traineeCanvas = document.getElementById("trainee-canvas");
  const refCanvas = document.getElementById("reference-canvas");
  const showSkeleton = document.getElementById("show-skeleton");
  const superimpose = document.getElementById("superimpose");
  const aspect = data.size[0] / data.size[1];

  function sizeCanvases() {
    const frame = document.getElementById("trainee-frame");
    const w = frame.clientWidth;
    const h = Math.round(w / aspect);
    for (const c of [traineeCanvas, refCanvas]) { c.width = w; c.height = h; }
    frame.style.height = h + "px";
    document.getElementById("reference-frame").style.height = h + "px";
  }

  function drawPose(ctx, points, w, h, colour, width, alpha) {
    if (!points) return;
    ctx.save();
    ctx.globalAlpha = alpha;
    ctx.strokeStyle = colour;
    ctx.lineWidth = width;
    ctx.lineCap = "round";
    for (const [a, b] of data.edges) {
      const p = points[a], q = points[b];
      if (!p || !q || p[0] === null || q[0] === null) continue;
      if (p.length > 2 && (p[2] < 0.5 || q[2] < 0.5)) continue;
      ctx.beginPath(); ctx.moveTo(p[0] * w, p[1] * h); ctx.lineTo(q[0] * w, q[1] * h); ctx.stroke();
    }
    ctx.restore();
  }

  function drawFigures(i) {
    const w = traineeCanvas.width, h = traineeCanvas.height;
    const ctx = traineeCanvas.getContext("2d");
    ctx.clearRect(0, 0, w, h);
    if (!video) { ctx.fillStyle = "#1d2330"; ctx.fillRect(0, 0, w, h); }
    if (superimpose.checked) drawPose(ctx, data.reference_over[i], w, h, "#f472b6", 7, 0.55);
    if (showSkeleton.checked || !video) drawPose(ctx, data.keypoints[i], w, h, "#38bdf8", 3, 1.0);
    const rctx = refCanvas.getContext("2d");
    rctx.fillStyle = "#1d2330"; rctx.fillRect(0, 0, refCanvas.width, refCanvas.height);
    const side = Math.min(refCanvas.width, refCanvas.height);
    rctx.save();
    rctx.translate((refCanvas.width - side) / 2, (refCanvas.height - side) / 2);
    drawPose(rctx, data.reference_alone[i], side, side, "#f5f5f5", 3, 1.0);
    rctx.restore();
  }

  // ---- timeline -------------------------------------------------------------------------------
  const timeline = document.getElementById("timeline");
  const toX = (t) => (100 * (t - T0) / (END - T0)) + "%";
  const widthPct = (a, b) => (100 * Math.max(b - a, 0.5 / data.fps) / (END - T0)) + "%";

  function row(label, cls) {
    const r = document.createElement("div"); r.className = "tl-row " + (cls || "");
    const name = document.createElement("div"); name.className = "tl-label"; name.textContent = label;
    const track = document.createElement("div"); track.className = "tl-track";
    r.append(name, track); timeline.append(r);
    return track;
  }

  function buildTimeline() {
    const phases = row("phases", "phases");
    for (const p of data.phases) {
      const s = document.createElement("div");
      s.className = "tl-phase"; s.style.left = toX(p.t0); s.style.width = widthPct(p.t0, p.t1);
      s.textContent = p.name.replace(/_/g, " "); s.title = `${p.name} ${p.t0.toFixed(2)}–${p.t1.toFixed(2)} s`;
      phases.append(s);
    }
    const markers = row("events", "markers");
    for (const m of data.markers) {
      const s = document.createElement("div");
      s.className = "tl-marker"; s.style.left = toX(m.t); s.textContent = m.name;
      s.title = `${m.name} at ${m.t.toFixed(2)} s`;
      markers.append(s);
    }
    for (const c of data.criteria) {
      const shown = c.override ? c.override.status : c.status;
      const track = row(c.label, "criterion");
      const s = document.createElement("div");
      s.className = "tl-seg " + STATUS_CLASS[shown] + (c.override ? " overridden" : "");
      s.dataset.t0 = c.t0; s.dataset.t1 = c.t1; s.dataset.status = shown;
      s.style.left = toX(c.t0); s.style.width = widthPct(c.t0, c.t1);
      s.title = `${c.label}: ${c.status}` + (c.override ? ` (instructor: ${c.override.status})` : "") +
        ` ${c.t0.toFixed(2)}–${c.t1.toFixed(2)} s`;
      track.append(s);
    }
    const cursor = document.createElement("div"); cursor.id = "tl-cursor"; cursor.className = "tl-cursor";
    timeline.append(cursor);
    let dragging = false;
    const seekFromEvent = (ev) => {
      const track = timeline.querySelector(".tl-track");
      const box = track.getBoundingClientRect();
      const f = (ev.clientX - box.left) / box.width;
      if (f < 0 || f > 1) return;
      let t = T0 + f * (END - T0);
      const seg = ev.target.closest && ev.target.closest(".tl-seg");
      if (seg) t = Math.min(Math.max(t, +seg.dataset.t0), +seg.dataset.t1); // stay inside the range
      clock.pause(); clock.seek(t);
    };
    timeline.addEventListener("mousedown", (ev) => { dragging = true; seekFromEvent(ev); });
    window.addEventListener("mousemove", (ev) => { if (dragging) seekFromEvent(ev); });
    window.addEventListener("mouseup", () => { dragging = false; });
  }

  function placeCursor(t) {
    const track = timeline.querySelector(".tl-track");
    const cursor = document.getElementById("tl-cursor");
    const left = track.offsetLeft + track.offsetWidth * (t - T0) / (END - T0);
    cursor.style.left = left + "px";
  }

  // ---- plots: drawn once, the cursor moves ------------------------------------------------------
  const plots = [];
  function buildPlots() {
    const box = document.getElementById("plots");
    for (const m of data.measures) {
      const wrap = document.createElement("div"); wrap.className = "plot";
      const title = document.createElement("div"); title.className = "plot-title";
      title.textContent = `${m.title} (${m.unit})`;
      const canvas = document.createElement("canvas"); canvas.width = 420; canvas.height = 150;
      wrap.append(title, canvas); box.append(wrap);
      const values = [...m.trainee, ...(m.reference || [])].filter((v) => v !== null);
      for (const b of m.bands) { if (b.lo !== null) values.push(b.lo); if (b.hi !== null) values.push(b.hi); }
      let lo = Math.min(...values), hi = Math.max(...values);
      if (!isFinite(lo)) { lo = 0; hi = 1; }
      const pad = (hi - lo) * 0.08 || 1; lo -= pad; hi += pad;
      const plot = { canvas, m, lo, hi, left: 44, right: 8, top: 6, bottom: 18 };
      plot.x = (t) => plot.left + (canvas.width - plot.left - plot.right) * (t - T0) / (END - T0);
      plot.y = (v) => plot.top + (canvas.height - plot.top - plot.bottom) * (hi - v) / (hi - lo);
      plot.background = renderPlot(plot);
      canvas.addEventListener("click", (ev) => {
        const box2 = canvas.getBoundingClientRect();
        const f = (ev.clientX - box2.left) / box2.width * canvas.width;
        clock.pause(); clock.seek(T0 + (f - plot.left) / (canvas.width - plot.left - plot.right) * (END - T0));
      });
      plots.push(plot);
    }
  }

  function renderPlot(p) {
    const c = document.createElement("canvas"); c.width = p.canvas.width; c.height = p.canvas.height;
    const ctx = c.getContext("2d");
    ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, c.width, c.height);
    for (const b of p.m.bands) {
      const y0 = p.y(b.hi === null ? p.hi : b.hi), y1 = p.y(b.lo === null ? p.lo : b.lo);
      ctx.fillStyle = "rgba(34,160,80,0.18)";
      ctx.fillRect(p.x(b.t0), y0, Math.max(2, p.x(b.t1) - p.x(b.t0)), y1 - y0);
    }
    ctx.strokeStyle = "#ccc"; ctx.lineWidth = 1; ctx.fillStyle = "#555"; ctx.font = "10px sans-serif";
    for (let k = 0; k <= 3; k++) {
      const v = p.lo + (p.hi - p.lo) * k / 3, y = p.y(v);
      ctx.beginPath(); ctx.moveTo(p.left, y); ctx.lineTo(c.width - p.right, y); ctx.stroke();
      ctx.fillText(v.toFixed(Math.abs(p.hi - p.lo) < 5 ? 2 : 0), 2, y + 3);
    }
    for (let s = Math.ceil(T0); s <= END; s += Math.max(1, Math.round((END - T0) / 8))) {
      ctx.fillText(s + " s", p.x(s) - 6, c.height - 4);
    }
    const line = (series, colour, dash) => {
      if (!series) return;
      ctx.strokeStyle = colour; ctx.lineWidth = 1.6; ctx.setLineDash(dash); ctx.beginPath();
      let pen = false;
      for (let i = 0; i < N; i++) {
        const v = series[i];
        if (v === null) { pen = false; continue; }
        if (pen) ctx.lineTo(p.x(T[i]), p.y(v)); else ctx.moveTo(p.x(T[i]), p.y(v));
        pen = true;
      }
      ctx.stroke(); ctx.setLineDash([]);
    };
    line(p.m.reference, "#888", [5, 3]);
    line(p.m.trainee, "#1f6feb", []);
    return c;
  }

  function drawPlots(t) {
    for (const p of plots) {
      const ctx = p.canvas.getContext("2d");
      ctx.drawImage(p.background, 0, 0);
      ctx.strokeStyle = "#d00"; ctx.lineWidth = 1.5;
      ctx.beginPath(); ctx.moveTo(p.x(t), p.top); ctx.lineTo(p.x(t), p.canvas.height - p.bottom); ctx.stroke();
    }
  }

  // ---- escape path from above -------------------------------------------------------------------
  const pathCanvas = document.getElementById("path-canvas");
  function drawPath(t) {
    const ctx = pathCanvas.getContext("2d"), w = pathCanvas.width, h = pathCanvas.height;
    const pts = data.path.points;
    ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, w, h);
    const xs = [0, ...pts.map((p) => p[0])], zs = [0, ...pts.map((p) => p[1]), data.path.threat[1]];
    const span = Math.max(4, Math.max(...xs.map(Math.abs)) * 2.4, (Math.max(...zs) - Math.min(...zs)) * 1.4);
    const scale = Math.min(w, h) / span;
    const zMid = (Math.max(...zs) + Math.min(...zs)) / 2;
    const X = (x) => w / 2 + x * scale, Y = (z) => h / 2 - (z - zMid) * scale; // camera at the bottom
    ctx.strokeStyle = "#eee";
    for (let g = -10; g <= 10; g++) {
      ctx.beginPath(); ctx.moveTo(X(g), 0); ctx.lineTo(X(g), h); ctx.stroke();
      ctx.beginPath(); ctx.moveTo(0, Y(g)); ctx.lineTo(w, Y(g)); ctx.stroke();
    }
    ctx.font = "12px sans-serif"; ctx.fillStyle = "#444";
    ctx.fillText("camera ↓ (1 grid square = 1 torso length)", 6, h - 6);
    if (data.path.exit) {
      const ex = data.path.exit[0] > 0 ? w - 14 : 14;
      ctx.fillStyle = "#15803d"; ctx.fillRect(data.path.exit[0] > 0 ? w - 10 : 0, h / 2 - 40, 10, 80);
      ctx.save(); ctx.translate(ex + (data.path.exit[0] > 0 ? -8 : 8), h / 2);
      ctx.fillText("EXIT", data.path.exit[0] > 0 ? -30 : 0, -46); ctx.restore();
    }
    ctx.fillStyle = "#b91c1c";
    ctx.beginPath(); ctx.arc(X(data.path.threat[0]), Y(data.path.threat[1]), 8, 0, 2 * Math.PI); ctx.fill();
    ctx.fillText("threat", X(data.path.threat[0]) + 10, Y(data.path.threat[1]) + 4);
    ctx.strokeStyle = "#1f6feb"; ctx.lineWidth = 2; ctx.beginPath();
    pts.forEach((p, k) => (k ? ctx.lineTo(X(p[0]), Y(p[1])) : ctx.moveTo(X(p[0]), Y(p[1]))));
    ctx.stroke();
    ctx.fillStyle = "#111"; ctx.beginPath(); ctx.arc(X(0), Y(0), 4, 0, 2 * Math.PI); ctx.fill();
    ctx.fillText("hold", X(0) - 34, Y(0) + 4);
    let here = null;
    for (const p of pts) if (p[2] <= t) here = p;
    if (here) {
      ctx.fillStyle = "#f59e0b"; ctx.beginPath(); ctx.arc(X(here[0]), Y(here[1]), 6, 0, 2 * Math.PI); ctx.fill();
    }
  }

  // ---- the frame loop ---------------------------------------------------------------------------
  const clockLabel = document.getElementById("clock");
  const scrubber = document.getElementById("scrubber");
  const cardRows = document.querySelectorAll("#scorecard tbody tr");
  function draw() {
    const t = clock.now();
    const i = frameAt(t);
    drawFigures(i);
    placeCursor(t);
    drawPlots(t);
    drawPath(t);
    clockLabel.textContent = `${t.toFixed(3)} s · frame ${i + 1}/${N} · ${clock.rate}x`;
    scrubber.value = String(i);
    for (const tr of cardRows) tr.classList.toggle("now", +tr.dataset.t0 <= t && t <= +tr.dataset.t1);
    if (location.protocol !== "file:") history.replaceState(null, "", "#t=" + t.toFixed(3));
  }

  function tick(now) {
    if (clock.playing && !video) {
      if (clock.last !== null) clock.t += (now - clock.last) / 1000 * clock.rate;
      clock.last = now;
      if (clock.t >= T[N - 1]) { clock.t = T[N - 1]; clock.pause(); }
    }
    if (clock.playing || (video && !video.paused)) draw();
    requestAnimationFrame(tick);
  }

  // ---- controls ---------------------------------------------------------------------------------
  const playButton = document.getElementById("play");
  const speedSelect = document.getElementById("speed");
  const SPEEDS = [0.1, 0.25, 0.5, 1.0, 1.5, 2.0];
  const step = (k) => { clock.pause(); clock.seek(T[Math.min(Math.max(frameAt(clock.now()) + k, 0), N - 1)]); };
  const toggle = () => (clock.playing ? clock.pause() : clock.play());
  const faster = (k) => {
    const at = SPEEDS.indexOf(clock.rate);
    clock.setRate(SPEEDS[Math.min(Math.max((at < 0 ? 3 : at) + k, 0), SPEEDS.length - 1)]);
    draw();
  };
  playButton.addEventListener("click", toggle);
  document.getElementById("prev").addEventListener("click", () => step(-1));
  document.getElementById("next").addEventListener("click", () => step(1));
  speedSelect.addEventListener("change", () => { clock.setRate(parseFloat(speedSelect.value)); draw(); });
  showSkeleton.addEventListener("change", draw);
  superimpose.addEventListener("change", draw);
  scrubber.addEventListener("input", () => { clock.pause(); clock.seek(T[+scrubber.value]); });
  document.addEventListener("keydown", (ev) => {
    if (ev.target.closest && ev.target.closest("input, select, textarea")) return;
    const keys = { ",": () => step(-1), "ArrowLeft": () => step(-1), ".": () => step(1),
      "ArrowRight": () => step(1), " ": toggle, "k": toggle, "K": toggle,
      "j": () => faster(-1), "J": () => faster(-1), "l": () => faster(1), "L": () => faster(1) };
    if (keys[ev.key]) { ev.preventDefault(); keys[ev.key](); }
  });
  for (const a of document.querySelectorAll("a.seek")) {
    a.addEventListener("click", (ev) => { ev.preventDefault(); clock.pause(); clock.seek(parseFloat(a.dataset.t)); });
  }
  if (video) {
    video.addEventListener("seeked", draw);
    video.addEventListener("loadedmetadata", draw);
    video.addEventListener("ended", () => clock.pause());
  }

  // ---- writes: notes and overrides (the server page only) --------------------------------------
  async function post(path, body) {
    const response = await fetch(window.REVIEW_API + path, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    });
    const answer = await response.json().catch(() => ({ error: response.statusText }));
    if (!response.ok) { alert(answer.error || "not saved"); return false; }
    location.reload();
    return true;
  }
  const noteForm = document.getElementById("note-form");
  if (noteForm) {
    noteForm.addEventListener("submit", (ev) => {
      ev.preventDefault();
      post("notes", { t: clock.now(), text: document.getElementById("note-text").value });
    });
    for (const b of document.querySelectorAll(".delete-note")) {
      b.addEventListener("click", () => post(`notes/${b.dataset.index}/delete`, {}));
    }
    document.getElementById("override-form").addEventListener("submit", (ev) => {
      ev.preventDefault();
      post("override", {
        criterion: document.getElementById("override-criterion").value,
        status: document.getElementById("override-status").value,
        reason: document.getElementById("override-reason").value,
      });
    });
  }

  // ---- start -------------------------------------------------------------------------------------
  sizeCanvases();
  buildTimeline();
  buildPlots();
  window.addEventListener("resize", () => { sizeCanvases(); draw(); });
  const fromHash = /#t=([\d.]+)/.exec(location.hash);
  clock.seek(fromHash ? parseFloat(fromHash[1]) : T0);
  requestAnimationFrame(tick);
  document.body.dataset.ready = "1";
})();
