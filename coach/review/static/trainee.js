// The trainee page's plot: reaction and release times (seconds from GO) against the date.
"use strict";
(function () {
  const rows = JSON.parse(document.getElementById("history-data").textContent);
  const canvas = document.getElementById("times-plot");
  const ctx = canvas.getContext("2d");
  const w = canvas.width, h = canvas.height, left = 40, right = 110, top = 10, bottom = 24;
  const day = (d) => Date.parse(d) / 86400000;
  const days = rows.map((r) => day(r.date));
  const values = rows.flatMap((r) => [r.reaction_s, r.release_s]).filter((v) => v !== null);
  ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, w, h);
  ctx.font = "11px sans-serif";
  if (!values.length) { ctx.fillStyle = "#666"; ctx.fillText("no timings recorded yet", left, h / 2); return; }
  const d0 = Math.min(...days) - 1, d1 = Math.max(...days) + 1;
  const vmax = Math.max(...values) * 1.15 || 1;
  const X = (d) => left + (w - left - right) * (d - d0) / (d1 - d0);
  const Y = (v) => top + (h - top - bottom) * (1 - v / vmax);
  ctx.strokeStyle = "#e5e7eb"; ctx.fillStyle = "#555";
  for (let k = 0; k <= 4; k++) {
    const v = vmax * k / 4;
    ctx.beginPath(); ctx.moveTo(left, Y(v)); ctx.lineTo(w - right, Y(v)); ctx.stroke();
    ctx.fillText(v.toFixed(vmax < 4 ? 2 : 1) + " s", 2, Y(v) + 3);
  }
  const labels = [...new Set(rows.map((r) => r.date))];
  const every = Math.max(1, Math.ceil(labels.length / 6));
  labels.forEach((d, k) => { if (k % every === 0) ctx.fillText(d, X(day(d)) - 28, h - 6); });
  const series = [["reaction_s", "#1f6feb", "reaction"], ["release_s", "#dc2626", "release"]];
  series.forEach(([key, colour, name], s) => {
    ctx.strokeStyle = colour; ctx.fillStyle = colour; ctx.beginPath();
    let pen = false;
    rows.forEach((r, k) => {
      if (r[key] === null) { pen = false; return; }
      const x = X(days[k]), y = Y(r[key]);
      if (pen) ctx.lineTo(x, y); else ctx.moveTo(x, y);
      pen = true;
    });
    ctx.stroke();
    rows.forEach((r, k) => { if (r[key] !== null) { ctx.beginPath(); ctx.arc(X(days[k]), Y(r[key]), 3.5, 0, 7); ctx.fill(); } });
    ctx.fillText("● " + name, w - right + 10, top + 14 + 16 * s);
  });
})();
