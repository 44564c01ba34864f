// Analysis pages (分析研判): the hotspot map and the charts. Data come from
// <script type="application/json"> blocks written by the server; user text goes into tooltips
// as text nodes and into ECharts as plain strings (never as HTML: docs/architecture.md rule 7).
(function () {
  const read = (id) => {
    const el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  };
  const text = (value, className) => {
    const span = document.createElement("span");
    if (className) span.className = className;
    span.textContent = String(value);
    return span;
  };

  const mapEl = document.getElementById("hotspot-map");
  if (mapEl && window.L) {
    const spots = read("hotspot-data") || [];
    const [lat, lng] = mapEl.dataset.center.split(",").map(Number);
    const map = CivicBasemap.addTo(L.map(mapEl, CivicBasemap.options({ zoomSnap: 0.1, zoomDelta: 0.5 })).setView([lat, lng], 13));
    const none = { type: "FeatureCollection", features: [] };
    const grids = mapEl.dataset.gridsUrl
      ? fetch(mapEl.dataset.gridsUrl, { credentials: "same-origin" }).then((r) => (r.ok ? r.json() : none)).catch(() => none)
      : Promise.resolve(none);
    grids.then((data) => {
      const gridLayer = L.geoJSON(data, {
        style: () => ({ color: "#37474f", weight: 1, fillColor: "#cfd8dc", fillOpacity: 0.25 }),
        onEachFeature: (f, lyr) => lyr.bindTooltip(text(f.properties.name), { permanent: true, direction: "center", className: "grid-label" }),
      }).addTo(map);
      const circles = L.featureGroup(spots.map((s) => {
        // A circle never smaller than a marker, so a tight cluster stays visible.
        const c = L.circle([s.lat, s.lng], { radius: Math.max(s.radius, 25), color: "#c62828", weight: 2, fillColor: "#ef5350", fillOpacity: 0.35 });
        c.bindTooltip(text(s.label, "hotspot-tip"));
        return c;
      })).addTo(map);
      const bounds = L.latLngBounds([]);
      if (circles.getLayers().length) bounds.extend(circles.getBounds());
      else if (gridLayer.getLayers().length) bounds.extend(gridLayer.getBounds());
      if (bounds.isValid()) map.fitBounds(bounds, { padding: [24, 24], animate: false, maxZoom: 17 });
      mapEl.dataset.loaded = String(spots.length);
    });
  }

  function chart(id, option) {
    const el = document.getElementById(id);
    if (!el || !window.echarts) return;
    const c = echarts.init(el, null, { renderer: "canvas" });
    c.setOption(Object.assign({ tooltip: { trigger: "axis", renderMode: "richText" }, legend: { type: "scroll" }, grid: { left: 60, right: 20, bottom: 90, top: 40 } }, option));
    window.addEventListener("resize", () => c.resize());
    el.dataset.loaded = "1";
  }
  const rotated = { type: "category", axisLabel: { rotate: 30, interval: 0, width: 140, overflow: "truncate" } };

  const recurring = read("recurring-data");
  if (recurring) {
    chart("recurring-chart", {
      xAxis: Object.assign({ data: recurring.labels }, rotated),
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: recurring.recent_label, type: "bar", data: recurring.recent, itemStyle: { color: "#c62828" } },
        { name: recurring.before_label, type: "bar", data: recurring.before, itemStyle: { color: "#90a4ae" } },
      ],
    });
  }
  const season = read("seasonality-data");
  if (season) {
    chart("seasonality-chart", {
      xAxis: { type: "category", data: season.labels },
      yAxis: { type: "value", minInterval: 1 },
      series: season.series.map((s) => ({ name: s.name, type: "line", data: s.data, smooth: true })),
    });
  }
  const depts = read("departments-data");
  if (depts) {
    chart("departments-chart", {
      xAxis: Object.assign({ data: depts.labels }, rotated),
      yAxis: { type: "value", name: depts.unit },
      series: depts.series.map((s, i) => ({ name: s.name, type: "bar", data: s.data, itemStyle: { color: i ? "#ef6c00" : "#1565c0" } })),
    });
  }
  const falling = read("falling-data");
  if (falling) {
    chart("falling-chart", {
      xAxis: { type: "category", data: falling.labels },
      yAxis: { type: "value", name: "%", max: 100 },
      series: falling.series.map((s) => ({ name: s.name, type: "line", data: s.data })),
    });
  }
})();
