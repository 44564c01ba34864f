// Grid map: grids coloured by community with labels; a card on click; coverage problems layer.
(function () {
  const el = document.getElementById("map");
  if (!el) return;
  const [lat, lng] = el.dataset.center.split(",").map(Number);
  const map = L.map(el, { preferCanvas: false }).setView([lat, lng], 13);
  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution, maxZoom: 19 }).addTo(map);
  }
  const palette = ["#e57373", "#64b5f6", "#81c784", "#ffb74d", "#ba68c8", "#4db6ac",
    "#f06292", "#7986cb", "#aed581", "#ffd54f", "#90a4ae", "#a1887f"];
  const colourOf = (code) => {
    let h = 0;
    for (const ch of code) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
    return palette[h % palette.length];
  };
  const community = el.dataset.community;
  const gridsUrl = el.dataset.gridsUrl + (community ? "?community=" + encodeURIComponent(community) : "");
  const overlays = {};
  const control = L.control.layers(null, overlays, { collapsed: false }).addTo(map);

  fetch(gridsUrl, { credentials: "same-origin" }).then((r) => r.json()).then((data) => {
    const layer = L.geoJSON(data, {
      style: (f) => ({ color: "#37474f", weight: 1, fillColor: colourOf(f.properties.community_code), fillOpacity: 0.45 }),
      onEachFeature: (f, lyr) => {
        lyr.bindTooltip(f.properties.name, { permanent: true, direction: "center", className: "grid-label" });
        lyr.on("click", () => {
          const url = el.dataset.cardUrl.replace("/0/", "/" + f.properties.id + "/");
          htmx.ajax("GET", url, { target: "#grid-card", swap: "innerHTML" });
        });
      },
    }).addTo(map);
    control.addOverlay(layer, el.dataset.labelGrids);
    if (data.features.length) map.fitBounds(layer.getBounds(), { padding: [10, 10] });
    el.dataset.loaded = String(data.features.length);
  });

  if (el.dataset.coverageUrl) {
    const url = el.dataset.coverageUrl + (community ? "?code=" + encodeURIComponent(community) : "");
    fetch(url, { credentials: "same-origin" }).then((r) => (r.ok ? r.json() : null)).then((data) => {
      if (!data) return;
      const problems = L.geoJSON(data, {
        style: (f) => ({ color: f.properties.kind === "gap" ? "#d32f2f" : "#6a1b9a", weight: 2, dashArray: "4", fillOpacity: 0.6 }),
        pointToLayer: (f, ll) => L.circleMarker(ll, { radius: 7, color: "#d32f2f" }),
        onEachFeature: (f, lyr) => lyr.bindPopup(f.properties.message),
      }).addTo(map);
      control.addOverlay(problems, el.dataset.labelProblems + " (" + data.features.length + ")");
    });
  }
})();
