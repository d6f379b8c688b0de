// The blinded marking form: the attempt as seen (video with the skeleton over it, or the
// skeleton alone on its own clock) and the assessor's marks. The page holds nothing of the
// coach's verdict; the server sends it back only once the marks are written.
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("blind-data").textContent);
  const T = data.t, N = T.length, T0 = T[0], VFPS = data.video_fps;
  const video = document.getElementById("video");
  const canvas = document.getElementById("trainee-canvas");
  const showSkeleton = document.getElementById("show-skeleton");
  const playButton = document.getElementById("play");
  const scrubber = document.getElementById("scrubber");
  const clockText = document.getElementById("clock");
  const speed = document.getElementById("speed");
  const LABELS = { met: "Met", not_met: "Not met", not_assessable: "Not assessable", "": "not marked" };

  // ---- the player: frame k of the video is pose row k ----------------------------------------
  let k = 0, clockT = T0, playing = false, last = null, rate = 1.0; // clockT: own clock (no video)
  function frame() {
    if (!video) return k;
    return Math.min(N - 1, Math.floor(video.currentTime * VFPS + 1e-4));
  }
  function seekFrame(i) {
    k = Math.min(Math.max(i, 0), N - 1);
    clockT = T[k];
    if (video) video.currentTime = k / VFPS + 0.001;
    draw();
  }
  function size() {
    const frameBox = document.getElementById("trainee-frame");
    canvas.width = frameBox.clientWidth;
    canvas.height = Math.round(canvas.width * data.size[1] / data.size[0]);
    frameBox.style.height = canvas.height + "px";
  }
  function draw() {
    const i = frame();
    const ctx = canvas.getContext("2d");
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    scrubber.value = String(i);
    clockText.textContent = `${(T[i] - T0).toFixed(3)} s · frame ${i + 1}/${N}`;
    if (!showSkeleton.checked && video) return;
    const points = data.keypoints[i];
    ctx.strokeStyle = "#38bdf8";
    ctx.lineWidth = 3;
    ctx.lineCap = "round";
    for (const [a, b] of data.edges) {
      const p = points[a], q = points[b];
      if (p[0] === null || q[0] === null || p[2] < 0.5 || q[2] < 0.5) continue;
      ctx.beginPath();
      ctx.moveTo(p[0] * canvas.width, p[1] * canvas.height);
      ctx.lineTo(q[0] * canvas.width, q[1] * canvas.height);
      ctx.stroke();
    }
  }
  function tick(now) {
    if (playing && !video) {
      if (last !== null) {
        clockT += (now - last) / 1000 * rate;
        while (k < N - 1 && T[k + 1] <= clockT) k++;
        if (k >= N - 1) pause();
      }
      last = now;
    }
    if (playing && video && video.ended) pause();
    draw();
    requestAnimationFrame(tick);
  }
  function play() {
    playing = true; last = null;
    if (video) { video.playbackRate = rate; video.play(); } else if (k >= N - 1) seekFrame(0);
    playButton.textContent = "❚❚ pause";
  }
  function pause() {
    playing = false;
    if (video) video.pause();
    playButton.textContent = "▶ play";
  }
  playButton.addEventListener("click", () => (playing ? pause() : play()));
  document.getElementById("prev").addEventListener("click", () => { pause(); seekFrame(frame() - 1); });
  document.getElementById("next").addEventListener("click", () => { pause(); seekFrame(frame() + 1); });
  speed.addEventListener("change", () => { rate = Number(speed.value); if (video) video.playbackRate = rate; });
  scrubber.addEventListener("input", () => { pause(); seekFrame(Number(scrubber.value)); });
  showSkeleton.addEventListener("change", draw);
  document.addEventListener("keydown", (e) => {
    if (e.target instanceof HTMLInputElement && e.target.type !== "range" && e.target.type !== "radio") return;
    if (e.key === " " || e.key === "k") { e.preventDefault(); playing ? pause() : play(); }
    else if (e.key === "," || e.key === "ArrowLeft") { e.preventDefault(); pause(); seekFrame(frame() - 1); }
    else if (e.key === "." || e.key === "ArrowRight") { e.preventDefault(); pause(); seekFrame(frame() + 1); }
  });
  window.addEventListener("resize", () => { size(); draw(); });
  if (video) video.addEventListener("seeked", draw);

  // ---- the marks ------------------------------------------------------------------------------
  const assessor = document.getElementById("assessor");
  const form = document.getElementById("mark-form");
  const error = document.getElementById("mark-error");
  assessor.value = localStorage.getItem("coach.assessor") || "";
  assessor.addEventListener("change", () => localStorage.setItem("coach.assessor", assessor.value.trim()));

  function cell(row, text, cls) {
    const td = row.insertCell();
    td.textContent = text;
    if (cls) td.className = cls;
  }
  function reveal(answer) {
    const body = document.querySelector("#reveal-table tbody");
    for (const r of answer.rows) {
      const row = body.insertRow();
      if (r.assessor && r.assessor !== r.coach) row.className = "differs";
      cell(row, r.phase, "dim");
      cell(row, r.label);
      cell(row, LABELS[r.assessor], "status " + r.assessor.replace(/_/g, "-"));
      cell(row, LABELS[r.coach], "status " + r.coach.replace(/_/g, "-"));
    }
    const replaced = answer.replaced ? ` (in place of ${answer.replaced} earlier rows)` : "";
    document.getElementById("written").textContent =
      `Marks by ${answer.assessor} written to ${answer.written}${replaced}. The coach's verdict beside yours:`;
    document.getElementById("mark-hint").textContent = "submitted";
    form.hidden = true;
    document.getElementById("reveal").hidden = false;
  }
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    error.textContent = "";
    if (!assessor.value.trim()) { // the server says so too; no need to ask it
      error.textContent = "missing assessor: type your name before submitting";
      assessor.focus();
      return;
    }
    localStorage.setItem("coach.assessor", assessor.value.trim());
    const marks = [...document.querySelectorAll("#mark-table tbody tr")].map((tr) => {
      const chosen = tr.querySelector("input[type=radio]:checked");
      return { item: tr.dataset.item, mark: chosen ? chosen.value : "", notes: tr.querySelector(".mark-notes").value };
    });
    const response = await fetch(window.MARK_API, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ assessor: assessor.value, marks }),
    });
    const answer = await response.json();
    if (response.ok) reveal(answer); else error.textContent = answer.error || `error ${response.status}`;
  });

  size();
  seekFrame(0);
  requestAnimationFrame(tick);
  document.body.dataset.ready = "1";
})();
