// Case maps: the pin on a case page, and the command centre's open cases coloured by the
// state of their deadline over the grids (click a marker to open the case).
(function () {
  // Names and case fields go into tooltips as text nodes: Leaflet puts a string given to
  // bindTooltip in as HTML (docs/architecture.md, rule 7).
  const text = (value) => {
    const span = document.createElement("span");
    span.textContent = String(value);
    return span;
  };
  // Fractional zoom lets a fit fill the map instead of dropping to the next whole level,
  // which can leave a street in a quarter of a wide map.
  function base(el, lat, lng, zoom) {
    const map = L.map(el, CivicBasemap.options({ zoomSnap: 0.1, zoomDelta: 0.5 })).setView([lat, lng], zoom);
    return CivicBasemap.addTo(map);
  }
  function grids(map, url) {
    // Roles that read no map (a department handler) are refused the grids: draw none.
    const none = { type: "FeatureCollection", features: [] };
    const loaded = url ? fetch(url, { credentials: "same-origin" }) : Promise.resolve({ ok: false });
    return loaded.then((r) => (r.ok ? r.json() : none)).then((data) => L.geoJSON(data, {
      style: () => ({ color: "#37474f", weight: 1, fillColor: "#cfd8dc", fillOpacity: 0.3 }),
      onEachFeature: (f, lyr) => lyr.bindTooltip(text(f.properties.name), { permanent: true, direction: "center", className: "grid-label" }),
    }).addTo(map));
  }
  // As on the grid map: names wider than their grid would pile up, so they show only once
  // the map is zoomed in far enough for the narrowest grid to hold one.
  const MIN_LABEL_PX = 75;
  function labelsWhenTheyFit(el, map, layer) {
    const layers = layer.getLayers();
    if (!layers.length) return;
    const width = (b) => map.latLngToLayerPoint(b.getNorthEast()).x - map.latLngToLayerPoint(b.getSouthWest()).x;
    const narrowest = layers.map((l) => l.getBounds()).reduce((a, b) => (width(b) < width(a) ? b : a));
    const toggle = () => el.classList.toggle("labels-off", width(narrowest) < MIN_LABEL_PX);
    map.on("zoomend", toggle);
    toggle();
  }

  const pin = document.getElementById("case-map");
  if (pin) {
    const lat = Number(pin.dataset.lat), lng = Number(pin.dataset.lng);
    const map = base(pin, lat, lng, 16);
    if (pin.dataset.gridsUrl) grids(map, pin.dataset.gridsUrl);
    L.marker([lat, lng]).addTo(map);
  }

  // Legend dots take their colour from data-colour: the CSP refuses style="" attributes, a
  // style property set from script is allowed.
  document.querySelectorAll("#cases-map-legend .dot[data-colour]").forEach((dot) => {
    dot.style.background = dot.dataset.colour;
  });

  const all = document.getElementById("cases-map");
  if (all) {
    const [lat, lng] = all.dataset.center.split(",").map(Number);
    const map = base(all, lat, lng, 13);
    const cases = fetch(all.dataset.url, { credentials: "same-origin" }).then((r) => r.json());
    Promise.all([grids(map, all.dataset.gridsUrl), cases]).then(([gridLayer, data]) => {
      const layer = L.geoJSON(data, {
        pointToLayer: (f, ll) => L.circleMarker(ll, {
          radius: 7, color: "#fff", weight: 1.5, fillColor: f.properties.colour, fillOpacity: 0.95,
        }),
        onEachFeature: (f, lyr) => {
          const p = f.properties;
          lyr.bindTooltip(text(p.number + " " + p.category + " · " + p.status + (p.deadline ? " · " + p.deadline : "")));
          lyr.on("click", () => { window.location = all.dataset.detailUrl.replace("/0/", "/" + p.id + "/"); });
        },
      }).addTo(map);
      // The user's grids and every case on the map, cases outside the grids included.
      const bounds = L.latLngBounds([]);
      [gridLayer, layer].forEach((l) => { if (l.getLayers().length) bounds.extend(l.getBounds()); });
      if (bounds.isValid()) map.fitBounds(bounds, { padding: [12, 12], animate: false, maxZoom: 17 });
      labelsWhenTheyFit(all, map, gridLayer);
      all.dataset.loaded = String(data.features.length);
    });
  }
})();
