// Grid map: grids coloured by community with labels; a card on click; a layer of coverage
// problems with a legend. Also the small map on a grid's page, where a split line is drawn.
(function () {
  const palette = ["#e57373", "#64b5f6", "#81c784", "#ffb74d", "#ba68c8", "#4db6ac",
    "#f06292", "#7986cb", "#aed581", "#ffd54f", "#90a4ae", "#a1887f"];
  const colourOf = (code) => {
    let h = 0;
    for (const ch of code) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
    return palette[h % palette.length];
  };
  const MANY_GRIDS = 400;
  const MIN_LABEL_PX = 75;
  const problemColours = { gap: "#d32f2f", overlap: "#6a1b9a", invalid: "#ef6c00" };
  // User text (grid names, problem messages) goes into the map as text nodes: Leaflet puts a
  // string given to bindTooltip/bindPopup/addOverlay in as HTML (docs/architecture.md, rule 7).
  const make = (tag, content) => {
    const node = document.createElement(tag);
    if (content !== undefined && content !== null) node.textContent = String(content);
    return node;
  };
  const text = (value) => make("span", value);

  function baseMap(el, options) {
    return CivicBasemap.addTo(L.map(el, CivicBasemap.options(options)));
  }

  function gridMap(el) {
    const [lat, lng] = el.dataset.center.split(",").map(Number);
    const map = baseMap(el).setView([lat, lng], 13);
    const community = el.dataset.community;
    const gridsUrl = el.dataset.gridsUrl + (community ? "?community=" + encodeURIComponent(community) : "");
    // On a phone the layer switcher folds away so that it does not cover the grids.
    const control = L.control.layers(null, {}, { collapsed: window.innerWidth < 760 }).addTo(map);

    const gridsLoaded = fetch(gridsUrl, { credentials: "same-origin" }).then((r) => r.json()).then((data) => {
      // A whole district's grids are too many for SVG paths and permanent labels: draw them
      // on a canvas and label on hover instead.
      const many = data.features.length > MANY_GRIDS;
      const layer = L.geoJSON(data, {
        renderer: many ? L.canvas() : undefined,
        style: (f) => ({ color: "#37474f", weight: 1, fillColor: colourOf(f.properties.community_code), fillOpacity: 0.45 }),
        onEachFeature: (f, lyr) => {
          lyr.bindTooltip(text(f.properties.name), { permanent: !many, direction: "center", className: "grid-label" });
          // Department members of a grid's team see its outline only: no card, no problems.
          if (el.dataset.cardUrl) {
            lyr.on("click", () => {
              const url = el.dataset.cardUrl.replace("/0/", "/" + f.properties.id + "/");
              htmx.ajax("GET", url, { target: "#grid-card", swap: "innerHTML" });
            });
          }
        },
      }).addTo(map);
      control.addOverlay(layer, text(el.dataset.labelGrids).outerHTML);
      if (data.features.length) {
        // Labels wider than their grids only pile up: hide them until zoomed in far enough.
        const sample = layer.getLayers()[0].getBounds();
        const fitLabels = () => {
          const width = map.latLngToLayerPoint(sample.getNorthEast()).x - map.latLngToLayerPoint(sample.getSouthWest()).x;
          el.classList.toggle("labels-off", width < MIN_LABEL_PX);
        };
        map.on("zoomend", fitLabels);
        map.fitBounds(layer.getBounds(), { padding: [10, 10], animate: false });
        fitLabels();
      }
      el.dataset.loaded = String(data.features.length);
      return layer;
    });

    const url = el.dataset.coverageUrl + (community ? "?code=" + encodeURIComponent(community) : "");
    const problemsLoaded = (el.dataset.coverageUrl ? fetch(url, { credentials: "same-origin" }) : Promise.resolve({ ok: false })).then((r) => (r.ok ? r.json() : { features: [] })).then((data) => {
      const problems = L.geoJSON(data, {
        style: (f) => ({ color: problemColours[f.properties.kind], weight: 3, dashArray: "5", fillOpacity: 0.55,
          fillColor: problemColours[f.properties.kind] }),
        pointToLayer: (f, ll) => L.circleMarker(ll, { radius: 9, color: problemColours[f.properties.kind], weight: 3 }),
        onEachFeature: (f, lyr) => {
          const p = f.properties;
          const body = make("div");
          body.append(make("strong", p.label), document.createElement("br"), p.message || "");
          lyr.bindPopup(body, { maxWidth: 260 });
        },
      }).addTo(map);
      problems.eachLayer((l) => l.bringToFront && l.bringToFront());
      // Those who read outlines only (a department member of a team) get no problems layer.
      if (!el.dataset.coverageUrl) return problems;
      control.addOverlay(problems, text(`${el.dataset.labelProblems} (${data.features.length})`).outerHTML);
      el.dataset.problems = String(data.features.length);
      const legend = L.control({ position: "bottomleft" });
      legend.onAdd = () => {
        const div = L.DomUtil.create("div", "map-legend");
        const counts = { gap: 0, overlap: 0, invalid: 0 };
        data.features.forEach((f) => { counts[f.properties.kind] += 1; });
        div.append(make("strong", el.dataset.labelProblems));
        ["gap", "overlap", "invalid"].forEach((k) => {
          const row = make("div");
          // A style property set from script is allowed by the CSP; a style="" attribute is not.
          const swatch = make("i");
          swatch.style.background = problemColours[k];
          row.append(swatch, `${el.dataset["label" + k[0].toUpperCase() + k.slice(1)]} ${counts[k]}`);
          div.append(row);
        });
        return div;
      };
      legend.addTo(map);
      return problems;
    });
    // A gap can lie outside every grid: once both layers are in, make sure it is on screen.
    Promise.all([gridsLoaded, problemsLoaded]).then(([grids, problems]) => {
      // Whichever answer came last was drawn on top: keep the problems clickable above grids.
      problems.eachLayer((l) => l.bringToFront && l.bringToFront());
      if (!problems.getLayers().length) return;
      const bounds = problems.getBounds();
      if (grids.getLayers().length) bounds.extend(grids.getBounds());
      map.fitBounds(bounds, { padding: [10, 10], animate: false });
      el.dataset.fitted = "1";
    });
  }

  // A grid's own page: its shape among its neighbours; clicks draw a split line.
  function shapeMap(el) {
    const geometry = JSON.parse(document.getElementById("grid-geometry").textContent);
    const map = baseMap(el);
    const own = L.geoJSON(geometry, { style: { color: "#c0392b", weight: 3, fillOpacity: 0.25 } }).addTo(map);
    map.fitBounds(own.getBounds(), { padding: [30, 30] });
    // The two-column layout can settle after the map is created; refit once it has.
    setTimeout(() => { map.invalidateSize(); map.fitBounds(own.getBounds(), { padding: [30, 30] }); }, 50);
    fetch(el.dataset.neighboursUrl, { credentials: "same-origin" }).then((r) => r.json()).then((data) => {
      L.geoJSON(data, {
        filter: (f) => f.properties.code !== el.dataset.gridCode,
        style: { color: "#607d8b", weight: 1, fillOpacity: 0.08, interactive: false },
        onEachFeature: (f, lyr) => lyr.bindTooltip(text(f.properties.name), { permanent: true, direction: "center", className: "grid-label" }),
      }).addTo(map);
      own.bringToFront();
    });
    const target = el.dataset.drawTarget && document.getElementById(el.dataset.drawTarget);
    if (!target) return;
    const points = [];
    const line = L.polyline([], { color: "#1565c0", weight: 3 }).addTo(map);
    const write = () => {
      line.setLatLngs(points);
      target.value = points.length > 1
        ? JSON.stringify({ type: "LineString", coordinates: points.map((p) => [+p.lng.toFixed(7), +p.lat.toFixed(7)]) })
        : "";
    };
    map.on("click", (e) => { points.push(e.latlng); write(); });
    const clear = document.getElementById("split-clear");
    if (clear) clear.addEventListener("click", () => { points.length = 0; write(); });
  }

  const mapEl = document.getElementById("map");
  if (mapEl) gridMap(mapEl);
  const shapeEl = document.getElementById("grid-shape");
  if (shapeEl) shapeMap(shapeEl);
})();
