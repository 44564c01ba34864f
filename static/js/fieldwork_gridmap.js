// The small map of the patrol and 拍照上报 pages: the worker's own grid outline, read from
// my-grid.geojson, which the service worker keeps for offline use and refreshes on every
// online load (fieldwork_sw.js), so the grid shows in a basement too; on the patrol page the
// fixes of the running patrol are drawn over it as the phone records them. Names go into the
// DOM as text only (docs/architecture.md, rule 7).
(function () {
  const el = document.getElementById("grid-map");
  if (!el || typeof L === "undefined" || typeof CivicBasemap === "undefined") return;
  const [lat, lng] = (el.dataset.center || "26.58,106.71").split(",").map(Number);
  const map = CivicBasemap.addTo(L.map(el, CivicBasemap.options()).setView([lat, lng], 15));
  const caption = document.getElementById("grid-map-caption");
  const say = (text) => {
    if (caption) caption.textContent = text || "";
  };

  fetch(el.dataset.gridUrl, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
    .then((r) => r.json().then((body) => ({ ok: r.ok, body: body })))
    .then(({ body }) => {
      const features = (body && body.features) || [];
      if (!features.length) {
        el.dataset.gridDrawn = "0";
        say(el.dataset.labelNoGrid);
        return;
      }
      const shape = L.geoJSON(body, {
        style: { color: "#c0392b", weight: 3, fillOpacity: 0.06, className: "fw-grid-outline" },
        interactive: false,
      }).addTo(map);
      map.fitBounds(shape.getBounds(), { padding: [12, 12], animate: false });
      say(features.map((f) => (f.properties && f.properties.name) || "").filter(Boolean).join("、"));
      el.dataset.gridDrawn = String(features.length);
    })
    .catch(() => {
      el.dataset.gridDrawn = "0";
      say(el.dataset.labelFailed);
    });

  // The patrol page's fixes (fieldwork_patrol.js announces each one it keeps).
  let line = null;
  document.addEventListener("civicgrid:fix", (event) => {
    const p = event.detail;
    if (!p || typeof p.lat !== "number" || typeof p.lng !== "number") return;
    if (!line) line = L.polyline([], { color: "#1565c0", weight: 4, interactive: false }).addTo(map);
    line.addLatLng([p.lat, p.lng]);
    el.dataset.fixes = String(line.getLatLngs().length);
  });
})();
