// The issuer's task page: the completion table follows the workers' ticks without a reload.
// Every `data-live` seconds it asks the task API for the figures (counted from the items on
// each request) and writes them into the rows as text; a page in a background tab does not ask.
(function () {
  const box = document.getElementById("task-completion");
  if (!box || !box.dataset.live) return;
  const every = Math.max(10, Number(box.dataset.live) || 30) * 1000;

  const fill = (row, tally) => {
    if (!row) return;
    const count = row.querySelector(".fw-tally-count");
    const pct = row.querySelector(".fw-tally-pct");
    const bar = row.querySelector("progress");
    if (count) count.textContent = tally.finished + " / " + tally.total;
    if (pct) pct.textContent = tally.percent + "%";
    if (bar) {
      bar.max = Math.max(tally.total, 1);
      bar.value = tally.finished;
    }
    row.classList.toggle("overdue", Boolean(tally.overdue));
  };

  const refresh = async () => {
    if (document.hidden) return;
    try {
      const response = await fetch(box.dataset.api, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const data = await response.json();
      document.getElementById("total-percent").textContent = data.total.percent + "%";
      document.getElementById("total-count").textContent = data.total.finished + " / " + data.total.total;
      data.grids.forEach((g) => fill(box.querySelector('tr[data-grid="' + CSS.escape(g.code) + '"]'), g));
      data.communities.forEach((c) => fill(box.querySelector('tr[data-community="' + CSS.escape(c.code) + '"]'), c));
    } catch (e) {
      // Offline for a moment: the next round tries again.
    }
  };
  window.setInterval(refresh, every);
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) refresh();
  });
})();
