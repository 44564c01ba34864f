// Case maps: the pin on a case page, and the command centre's open cases coloured by the
// state of their deadline over the grids (click a marker to open the case).
(function () {
  function base(el, lat, lng, zoom) {
    const map = L.map(el).setView([lat, lng], zoom);
    if (el.dataset.tileUrl) {
      L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution, maxZoom: 19 }).addTo(map);
    }
    return map;
  }
  // Grid names stay on the small case map; on the command map they show on hover so that
  // they do not cover the case markers.
  function grids(map, url, fit, labels) {
    return fetch(url, { credentials: "same-origin" }).then((r) => r.json()).then((data) => {
      const layer = L.geoJSON(data, {
        style: () => ({ color: "#37474f", weight: 1, fillColor: "#cfd8dc", fillOpacity: 0.3 }),
        onEachFeature: (f, lyr) => lyr.bindTooltip(f.properties.name, labels
          ? { permanent: true, direction: "center", className: "grid-label" }
          : { sticky: true }),
      }).addTo(map);
      if (fit && data.features.length) map.fitBounds(layer.getBounds(), { padding: [10, 10] });
      return layer;
    });
  }

  const pin = document.getElementById("case-map");
  if (pin) {
    const lat = Number(pin.dataset.lat), lng = Number(pin.dataset.lng);
    const map = base(pin, lat, lng, 16);
    if (pin.dataset.gridsUrl) grids(map, pin.dataset.gridsUrl, false, true);
    L.marker([lat, lng]).addTo(map);
  }

  const all = document.getElementById("cases-map");
  if (all) {
    const [lat, lng] = all.dataset.center.split(",").map(Number);
    const map = base(all, lat, lng, 13);
    grids(map, all.dataset.gridsUrl, true, false).then(() =>
      fetch(all.dataset.url, { credentials: "same-origin" }).then((r) => r.json()).then((data) => {
        const layer = L.geoJSON(data, {
          pointToLayer: (f, ll) => L.circleMarker(ll, {
            radius: 7, color: "#fff", weight: 1.5, fillColor: f.properties.colour, fillOpacity: 0.95,
          }),
          onEachFeature: (f, lyr) => {
            const p = f.properties;
            lyr.bindTooltip(p.number + " " + p.category + " · " + p.status + (p.deadline ? " · " + p.deadline : ""));
            lyr.on("click", () => { window.location = all.dataset.detailUrl.replace("/0/", "/" + p.id + "/"); });
          },
        }).addTo(map);
        all.dataset.loaded = String(data.features.length);
      })
    );
  }
})();
