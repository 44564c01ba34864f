// Command-centre screen: draws each panel from /screen/data.json and refreshes every minute
// without reloading. A panel whose data fails shows 数据暂不可用 on its own; the others carry on.
// Every name from the server (grids, categories, departments) goes into the page as text:
// DOM nodes with textContent, ECharts on its canvas, tooltips in ECharts' rich-text mode
// (docs/architecture.md rule 7: no user text as HTML).
(function () {
  const root = document.getElementById("screen");
  if (!root) return;
  const label = (name) => root.dataset["label" + name] || "";
  const wall = root.dataset.mode === "wall";
  const numberFmt = new Intl.NumberFormat("zh-CN");
  const fmt = (n) => (n === null || n === undefined ? "—" : numberFmt.format(n));
  const compact = new Intl.NumberFormat(document.documentElement.lang || "zh-CN", { notation: "compact", maximumFractionDigits: 1 });
  // Rates and scores arrive rounded to one decimal; JSON drops a trailing ".0", so without
  // a fixed format 63 stood beside 68.9 in one list.
  const tenthsFmt = new Intl.NumberFormat("zh-CN", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const tenths = (n) => (n === null || n === undefined ? "—" : tenthsFmt.format(n));
  // Times are read in the city's zone (settings.TIME_ZONE), whatever the display's own clock says.
  const timeZone = root.dataset.timeZone || undefined;
  const timeFmt = new Intl.DateTimeFormat("zh-CN", { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false, timeZone });
  const dateFmt = new Intl.DateTimeFormat("zh-CN", { year: "numeric", month: "long", day: "numeric", weekday: "long", timeZone });
  const make = (tag, text, cls) => {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  };

  const theme = wall
    ? { ink: "#e6f0ff", muted: "#8fa6c8", line: "#1d3457", font: 16, colours: ["#38bdf8", "#4ade80", "#fbbf24", "#f472b6", "#a78bfa", "#fb923c", "#2dd4bf", "#f87171", "#93c5fd", "#facc15", "#64748b"] }
    : { ink: "#1f2933", muted: "#6b7785", line: "#e3e7ec", font: 12, colours: ["#1565c0", "#2e7d32", "#e08e0b", "#ad1457", "#6a1b9a", "#ef6c00", "#00897b", "#c62828", "#5c6bc0", "#9e9d24", "#78909c"] };
  const base = () => ({
    backgroundColor: "transparent",
    color: theme.colours,
    textStyle: { color: theme.ink, fontSize: theme.font, fontFamily: "PingFang SC, Microsoft YaHei, WenQuanYi Micro Hei, Noto Sans CJK SC, sans-serif" },
    // Rich-text tooltips are drawn by ECharts itself: no HTML is built from the names.
    tooltip: { renderMode: "richText", textStyle: { fontSize: theme.font } },
    animation: false,
  });
  const axisStyle = {
    axisLabel: { color: theme.muted, fontSize: theme.font },
    axisLine: { lineStyle: { color: theme.line } },
    splitLine: { lineStyle: { color: theme.line } },
  };

  const charts = {};
  function chart(id) {
    if (!charts[id]) {
      const el = document.getElementById(id);
      charts[id] = echarts.init(el, null, { renderer: "canvas" });
    }
    return charts[id];
  }
  window.addEventListener("resize", () => Object.values(charts).forEach((c) => c.resize()));

  function panel(name) {
    return root.querySelector(`[data-panel="${name}"]`);
  }
  // A panel read from the nightly counts (a city's population) names the night, not a time.
  const nightFmt = new Intl.DateTimeFormat("zh-CN", { month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit", hour12: false, timeZone });
  function setAsOf(name, iso, night) {
    const el = panel(name).querySelector(".as-of");
    if (!el || !iso) return;
    el.textContent = night
      ? `${label("AsOfNight")} ${nightFmt.format(new Date(iso))}`
      : `${label("AsOf")} ${timeFmt.format(new Date(iso))}`;
  }
  function fail(name) {
    const section = panel(name);
    if (!section) return;
    section.classList.add("failed");
    let note = section.querySelector(".panel-error");
    if (!note) {
      note = make("p", root.dataset.unavailable, "panel-error");
      section.append(note);
    }
  }
  function recover(name) {
    const section = panel(name);
    section.classList.remove("failed");
    const note = section.querySelector(".panel-error");
    if (note) note.remove();
  }

  // --- big numbers --------------------------------------------------------------------------
  function drawIntake(data) {
    const body = document.getElementById("intake-body");
    body.replaceChildren(...data.items.map((item) => {
      const box = make("div", null, "bignum");
      box.append(make("div", fmt(item.today), "n"), make("div", item.label, "l"));
      const sign = item.delta > 0 ? "▲" : item.delta < 0 ? "▼" : "＝";
      box.append(make("div", `${label("VsYesterday")} ${sign}${fmt(Math.abs(item.delta))}(${label("Yesterday")} ${fmt(item.yesterday)})`,
        "d " + (item.delta > 0 ? "up" : item.delta < 0 ? "down" : "")));
      return box;
    }));
  }
  function drawField(data) {
    root.querySelectorAll("#field-body [data-field]").forEach((el) => {
      const key = el.dataset.field;
      const value = data[key];
      el.textContent = key === "compliance_rate" ? (value === null ? "—" : `${tenths(value)}%`) : fmt(value);
    });
  }

  // --- charts -------------------------------------------------------------------------------
  function drawTrend(data) {
    chart("chart-trend").setOption({
      ...base(),
      legend: { top: 0, textStyle: { color: theme.ink, fontSize: theme.font } },
      grid: { left: 8, right: 16, top: 34, bottom: 4, containLabel: true },
      tooltip: { ...base().tooltip, trigger: "axis" },
      xAxis: { type: "category", data: data.days.map((d) => d.slice(5)), boundaryGap: false, ...axisStyle, splitLine: { show: false } },
      yAxis: { type: "value", minInterval: 1, ...axisStyle },
      series: data.series.map((s) => ({ name: s.label, type: "line", smooth: true, symbol: "none", data: s.values,
        lineStyle: { width: wall ? 3 : 2 }, areaStyle: { opacity: 0.12 } })),
    }, true);
  }
  function drawCategories(data) {
    const rows = data.rows.slice().reverse();
    chart("chart-categories").setOption({
      ...base(),
      grid: { left: 8, right: 48, top: 4, bottom: 4, containLabel: true },
      xAxis: { type: "value", minInterval: 1, ...axisStyle, axisLabel: { show: false } },
      yAxis: { type: "category", data: rows.map((r) => r.label), ...axisStyle,
        axisLabel: { color: theme.ink, fontSize: theme.font, width: wall ? 150 : 120, overflow: "truncate" } },
      series: [{ type: "bar", data: rows.map((r) => r.value), barMaxWidth: 18,
        itemStyle: { color: theme.colours[0], borderRadius: [0, 4, 4, 0] },
        label: { show: true, position: "right", color: theme.ink, fontSize: theme.font, formatter: (p) => fmt(p.value) } }],
    }, true);
  }
  function drawDepartments(data) {
    const rows = data.rows.slice().reverse();
    chart("chart-departments").setOption({
      ...base(),
      grid: { left: 8, right: 56, top: 4, bottom: 4, containLabel: true },
      xAxis: { type: "value", max: 100, ...axisStyle, axisLabel: { show: false } },
      yAxis: { type: "category", data: rows.map((r) => r.label), ...axisStyle,
        axisLabel: { color: theme.ink, fontSize: theme.font, width: wall ? 170 : 130, overflow: "truncate" } },
      series: [{ name: label("Rate"), type: "bar", barMaxWidth: 18,
        data: rows.map((r) => ({ value: r.rate, itemStyle: { color: r.rate >= 90 ? theme.colours[1] : r.rate >= 70 ? theme.colours[2] : theme.colours[7] } })),
        itemStyle: { borderRadius: [0, 4, 4, 0] },
        label: { show: true, position: "right", color: theme.ink, fontSize: theme.font, formatter: (p) => `${tenths(p.value)}%` } }],
    }, true);
  }
  function drawRanking(data) {
    document.getElementById("ranking-basis").textContent = `${data.level_label} · ${data.basis}`;
    const fill = (id, rows) => {
      const list = document.getElementById(id);
      list.replaceChildren(...rows.map((r) => {
        const li = make("li");
        li.append(make("span", r.label), make("span", `${tenths(r.value)}${data.unit === "%" ? "%" : ""}`));
        return li;
      }));
      if (!rows.length) list.replaceChildren(make("li", label("NoData")));
    };
    fill("rank-top", data.top);
    fill("rank-bottom", data.bottom);
  }
  function drawPopulation(data) {
    document.getElementById("pop-total").textContent = `${label("PopulationTotal")} ${data.total.display}${label("People")}`;
    // A withheld small cell draws no bar and carries no label (the server never sent its
    // number); its tooltip reads "<5". Labels sit on real bars only, so none pile up at the axis.
    const side = (cells, sign) => cells.map((c) => ({ value: c.value === null ? 0 : sign * c.value, shown: c.display }));
    const male = side(data.male, -1);
    const female = side(data.female, 1);
    // A city's bands hold hundreds of thousands: "43.1万" keeps the label off the age axis
    // (the tooltip still gives the exact figure).
    const labelOf = (p) => {
      if (!p.data.value) return "";
      return Math.abs(p.data.value) >= 10000 ? compact.format(Math.abs(p.data.value)) : p.data.shown;
    };
    chart("chart-pyramid").setOption({
      ...base(),
      tooltip: { ...base().tooltip, trigger: "item", formatter: (p) => `${p.seriesName} ${p.name}:${p.data.shown}` },
      legend: { top: 0, textStyle: { color: theme.ink, fontSize: theme.font } },
      grid: { left: 8, right: 8, top: 30, bottom: 4, containLabel: true },
      // Symmetric, with room to spare each side: the longest bar's label stays clear of
      // the age labels, and both sexes are read on one scale.
      xAxis: { type: "value", ...axisStyle, axisLabel: { show: false },
        min: (v) => -1.6 * Math.max(-v.min, v.max), max: (v) => 1.6 * Math.max(-v.min, v.max) },
      yAxis: { type: "category", data: data.bands, ...axisStyle, axisTick: { show: false },
        axisLabel: { color: theme.muted, fontSize: wall ? 13 : 11 } },
      series: [
        { name: label("Male"), type: "bar", stack: "p", data: male, barCategoryGap: "18%", itemStyle: { color: theme.colours[0] },
          label: { show: wall, position: "left", color: theme.muted, fontSize: 12, formatter: labelOf } },
        { name: label("Female"), type: "bar", stack: "p", data: female, itemStyle: { color: theme.colours[3] },
          label: { show: wall, position: "right", color: theme.muted, fontSize: 12, formatter: labelOf } },
      ],
    }, true);
    residency = data.residency;
    drawResidency();
    const groups = document.getElementById("pop-groups");
    groups.replaceChildren(...data.groups.map((g) => {
      const li = make("li");
      const label = make("span", g.label);
      label.title = g.label;  // a narrow panel cuts long names short with an ellipsis
      li.append(label, make("b", g.display));
      return li;
    }));
  }

  // Small slices would pile their labels up: the figures are read from the legend instead.
  // The legend's width depends on the figures and the panel's on the layout (≈150 px beside
  // the pyramid on a 1366 wall, ≈190 px on a 1920 one): a donut placed by percentages sat
  // under a legend wider than the space left to it. So the legend is measured and the donut
  // gets the box beside it, or, when that box is too small, the one above it.
  let residency = null;
  const LEGEND = { font: wall ? 14 : 12, gap: 6, icon: 25, iconGap: 5, pad: 5 };
  const measure = document.createElement("canvas").getContext("2d");
  function drawResidency() {
    if (!residency) return;
    const el = document.getElementById("chart-residency");
    const shown = Object.fromEntries(residency.map((r) => [r.label, r.display]));
    const text = (name) => `${name} ${shown[name]}`;
    measure.font = `${LEGEND.font}px ${base().textStyle.fontFamily}`;
    const widest = Math.max(0, ...residency.map((r) => measure.measureText(text(r.label)).width));
    const legendWidth = Math.ceil(LEGEND.icon + LEGEND.iconGap + widest + 2 * LEGEND.pad);
    const legendHeight = residency.length * (LEGEND.font + LEGEND.gap) + 2 * LEGEND.pad;
    const minDonut = 96;
    const beside = el.clientWidth - legendWidth - 8 >= minDonut;
    // Stacked, the chart grows by the legend's height; the groups list below takes the rest.
    el.style.flexBasis = beside ? "" : `${minDonut + 8 + legendHeight}px`;
    const c = chart("chart-residency");
    c.resize();
    c.setOption({
      ...base(),
      legend: { orient: "vertical", itemGap: LEGEND.gap, padding: LEGEND.pad, textStyle: { color: theme.ink, fontSize: LEGEND.font },
        formatter: text, ...(beside ? { right: 0, top: "middle" } : { left: "center", bottom: 0 }) },
      series: [{ type: "pie", radius: ["45%", "75%"], label: { show: false },
        ...(beside ? { left: 0, top: 0, bottom: 0, right: legendWidth + 8 } : { left: 0, right: 0, top: 0, height: minDonut }),
        data: residency.map((r) => ({ name: r.label, value: r.value === null ? 0 : r.value })) }],
    }, true);
  }
  window.addEventListener("resize", drawResidency);

  // --- map ----------------------------------------------------------------------------------
  // A wide jurisdiction (a city of 25,000 grids) is drawn by community; a click on one opens
  // its grids, and 返回全部社区 goes back (dashboard/screen_views.py COMMUNITY_MAP_ABOVE).
  const byCommunity = Boolean(root.dataset.communitiesUrl);
  // openCode: the community whose grids are drawn; only its grid figures are asked for.
  // fitTo: the outlines the view was last fitted to, until the viewer pans or zooms it.
  const map = { leaflet: null, grids: null, areas: null, back: null, heat: null, figures: {}, areaFigures: {},
    level: byCommunity ? "community" : "grid", caseListUrl: "", measure: "open", openCode: "", fitTo: null, fitting: false };
  const drawn = () => (map.level === "community" ? map.areas : map.grids);
  function fit(layer) {
    map.fitTo = layer && layer.getLayers().length ? layer : null;
    if (!map.fitTo) return;
    map.fitting = true;
    map.leaflet.fitBounds(layer.getBounds(), { padding: [12, 12], animate: false });
    map.fitting = false;
  }
  const shown = () => (map.level === "community" ? map.areaFigures : map.figures);
  const ramps = {
    open: ["#1e3a5f", "#2563eb", "#38bdf8", "#fbbf24", "#f97316", "#dc2626"],
    overdue: ["#1e3a5f", "#a16207", "#f59e0b", "#f97316", "#dc2626", "#991b1b"],
    satisfaction: ["#dc2626", "#f97316", "#fbbf24", "#a3e635", "#22c55e", "#15803d"],
  };
  const NO_DATA = wall ? "#233553" : "#cfd8dc";
  function breaks(measure) {
    if (measure === "satisfaction") return [0, 60, 70, 80, 90, 95];
    const values = Object.values(shown()).map((f) => f[measure] || 0);
    const top = Math.max(1, ...values);
    const step = Math.max(1, Math.ceil(top / 5));
    return [1, step + 1, 2 * step + 1, 3 * step + 1, 4 * step + 1].map((b, i) => (i === 0 ? 1 : b)).filter((b, i, a) => a.indexOf(b) === i);
  }
  function colourFor(code) {
    const f = shown()[code];
    const m = map.measure;
    const value = f ? f[m] : null;
    if (m === "satisfaction") {
      if (value === null || value === undefined) return NO_DATA;
      const b = breaks(m);
      let i = 0;
      while (i + 1 < b.length && value >= b[i + 1]) i += 1;
      return ramps[m][i];
    }
    if (!value) return ramps[m][0];
    const b = breaks(m);
    let i = 0;
    while (i < b.length && value >= b[i]) i += 1;
    return ramps[m][Math.min(i, ramps[m].length - 1)];
  }
  function legend() {
    const box = document.getElementById("map-legend");
    const m = map.measure;
    const b = breaks(m);
    const title = { open: label("Open"), overdue: label("Overdue"), satisfaction: label("Satisfaction") }[m];
    const rows = [make("strong", title)];
    const row = (colour, text) => {
      const div = make("div");
      const swatch = make("i");
      swatch.style.background = colour;
      div.append(swatch, text);
      return div;
    };
    if (m === "satisfaction") {
      rows.push(row(NO_DATA, label("NoData")));
      b.forEach((v, i) => rows.push(row(ramps[m][i], i + 1 < b.length ? `${v}%–${b[i + 1]}%` : `≥${v}%`)));
    } else {
      rows.push(row(ramps[m][0], "0"));
      const span = (i) => (b[i + 1] - 1 === b[i] ? `${b[i]}` : `${b[i]}–${b[i + 1] - 1}`);
      b.forEach((v, i) => rows.push(row(ramps[m][Math.min(i + 1, ramps[m].length - 1)], i + 1 < b.length ? span(i) : `≥${v}`)));
    }
    if (map.level === "community") rows.push(make("div", label("OpenGrids"), "map-hint"));
    box.replaceChildren(...rows);
  }
  function restyle() {
    const layer = map.level === "community" ? map.areas : map.grids;
    if (!layer) return;
    layer.setStyle((f) => ({ color: wall ? "#7dd3fc" : "#37474f", weight: map.level === "community" ? 1.5 : 1, fillColor: colourFor(f.properties.code), fillOpacity: 0.6 }));
    legend();
  }
  function drawGrids(data) {
    const el = document.getElementById("screen-map");
    if (map.grids) map.leaflet.removeLayer(map.grids);
    map.grids = L.geoJSON(data, {
      renderer: data.features.length > 400 ? L.canvas() : undefined,
      onEachFeature: (f, layer) => {
        layer.bindTooltip(make("span", f.properties.name), { sticky: true, className: "grid-label" });
        layer.on("click", () => showGrid(f.properties));
      },
    }).addTo(map.leaflet);
    restyle();
    fit(map.grids);
    if (map.heat) map.heat.redraw();
    el.dataset.loaded = String(data.features.length);
    el.dataset.level = "grid";
  }
  const getJson = (url) => fetch(url, { credentials: "same-origin" })
    .then((r) => { if (!r.ok) throw new Error(String(r.status)); return r.json(); });
  // The data URL with the open community's grid figures (a wall drawn by community is sent
  // only those; screen_views.screen_json).
  const dataUrl = (panels) => {
    const url = new URL(root.dataset.url, window.location.href);
    if (panels) url.searchParams.set("panels", panels);
    if (byCommunity && map.openCode) url.searchParams.set("map_grids", map.openCode);
    return url.toString();
  };
  function openCommunity(props) {
    map.openCode = props.code;
    Promise.all([
      getJson(`${root.dataset.gridsUrl}?community=${encodeURIComponent(props.code)}`),
      getJson(dataUrl("map")),
    ])
      .then(([outlines, figures]) => {
        if (map.openCode !== props.code) return;
        map.figures = figures.panels.map.grids;
        map.leaflet.removeLayer(map.areas);
        map.level = "grid";
        drawGrids(outlines);
        map.back.hidden = false;
      })
      .catch(() => fail("map"));
  }
  function showCommunities() {
    const el = document.getElementById("screen-map");
    map.openCode = "";
    if (map.grids) { map.leaflet.removeLayer(map.grids); map.grids = null; }
    document.getElementById("grid-info").hidden = true;
    map.back.hidden = true;
    map.level = "community";
    map.areas.addTo(map.leaflet);
    restyle();
    fit(map.areas);
    if (map.heat) map.heat.redraw();
    el.dataset.loaded = String(map.areas.getLayers().length);
    el.dataset.level = "community";
  }
  function drawCommunities(data) {
    map.areas = L.geoJSON(data, {
      onEachFeature: (f, layer) => {
        layer.bindTooltip(make("span", f.properties.name), { sticky: true, className: "grid-label" });
        layer.on("click", () => openCommunity(f.properties));
      },
    });
    map.back = make("button", label("Back"), "map-back");
    map.back.type = "button";
    map.back.hidden = true;
    map.back.addEventListener("click", showCommunities);
    document.getElementById("screen-map").parentElement.append(map.back);
    showCommunities();
  }
  function showGrid(props) {
    const box = document.getElementById("grid-info");
    const f = map.figures[props.code] || { open: 0, overdue: 0, satisfaction: null, evaluated: 0 };
    const close = make("button", "×", "close");
    close.type = "button";
    close.addEventListener("click", () => { box.hidden = true; });
    // Each count links to exactly the cases it counts (the list's 仅在办 / 仅超期 filters).
    const listUrl = (filter) => `${map.caseListUrl}?grid=${encodeURIComponent(props.code)}${filter ? `&${filter}=on` : ""}`;
    const counted = (n, filter) => { const a = make("a", fmt(n)); a.href = listUrl(filter); return a; };
    const dl = make("dl");
    [[label("Open"), counted(f.open, "open")], [label("Overdue"), counted(f.overdue, "overdue")],
      [label("Satisfaction"), f.satisfaction === null ? "—" : `${f.satisfaction}%`], [label("Evaluated"), fmt(f.evaluated)]]
      .forEach(([k, v]) => {
        const dd = make("dd", typeof v === "string" ? v : null);
        if (typeof v !== "string") dd.append(v);
        dl.append(make("dt", k), dd);
      });
    const link = make("a", label("CaseList"));
    link.href = listUrl(map.measure === "satisfaction" ? "" : map.measure);
    box.replaceChildren(close, make("h3", `${props.name}(${props.community})`), dl, link);
    box.hidden = false;
  }
  function initMap() {
    const el = document.getElementById("screen-map");
    const [lat, lng] = root.dataset.center.split(",").map(Number);
    map.leaflet = L.map(el, CivicBasemap.options({ zoomControl: !wall, zoomSnap: 0.25, attributionControl: !wall || CivicBasemap.hasTiles() })).setView([lat, lng], 13);
    CivicBasemap.addTo(map.leaflet);
    getJson(byCommunity ? root.dataset.communitiesUrl : root.dataset.gridsUrl)
      .then((data) => (byCommunity ? drawCommunities(data) : drawGrids(data)))
      .catch(() => fail("map"));
    root.querySelectorAll(".map-switch button").forEach((button) => button.addEventListener("click", () => {
      map.measure = button.dataset.measure;
      root.querySelectorAll(".map-switch button").forEach((b) => b.classList.toggle("on", b === button));
      restyle();
    }));
    document.getElementById("heat-toggle").addEventListener("change", (e) => {
      if (!map.heat) return;
      if (e.target.checked) map.heat.addTo(map.leaflet); else map.leaflet.removeLayer(map.heat);
    });
    // Leaflet reads its container's size once and keeps it. The panel settles its size later:
    // below 1600 px its header wraps once the first answer fills in 数据时间, and the map
    // lost 32 px that Leaflet went on drawing into (the street fitted to the old box sat
    // 16 px low with its lower edge cut, the heat canvas ran past the frame). So every change
    // of the box is told to the map and, unless the viewer has moved it since, the outlines
    // are fitted again.
    const userMoved = () => { if (!map.fitting) map.fitTo = null; };
    map.leaflet.on("zoomstart", userMoved);
    map.leaflet.on("dragstart", userMoved);
    new ResizeObserver(() => {
      map.leaflet.invalidateSize({ pan: false });
      if (map.fitTo) fit(map.fitTo);
    }).observe(el);
  }
  // The heat canvas covers the whole map, and the blur around a report on the jurisdiction's
  // edge reached some 40 px beyond it, over ground that is not the jurisdiction's (on the
  // wall, the dark outside the city's base map). The heat is kept inside the outlines drawn.
  function clipHeat(canvas) {
    const layer = drawn();
    if (!layer || !map.leaflet.hasLayer(layer)) return;
    const ctx = canvas.getContext("2d");
    ctx.save();
    ctx.globalCompositeOperation = "destination-in";
    ctx.beginPath();
    const trace = (ring) => {
      if (!ring.length) return;
      if (!(ring[0] instanceof L.LatLng)) { ring.forEach(trace); return; }
      ring.forEach((ll, i) => {
        const p = map.leaflet.latLngToContainerPoint(ll);
        if (i) ctx.lineTo(p.x, p.y); else ctx.moveTo(p.x, p.y);
      });
      ctx.closePath();
    };
    layer.eachLayer((shape) => trace(shape.getLatLngs()));
    ctx.fill("evenodd");
    ctx.restore();
  }
  function drawMap(data) {
    // An answer asked for before a community was opened or closed carries other grids.
    if (!byCommunity || (data.grids_under || "") === map.openCode) map.figures = data.grids;
    map.areaFigures = data.communities || {};
    map.caseListUrl = data.case_list_url;
    restyle();
    const top = Math.max(1, ...data.heat.map((p) => p[2]));
    if (map.heat) map.heat.setLatLngs(data.heat);
    else {
      map.heat = L.heatLayer(data.heat, { radius: wall ? 22 : 16, blur: 18, max: top, minOpacity: 0.35 });
      // Leaflet.heat (vendored, 0.2) has no hook after drawing: its redraw is wrapped.
      const redraw = map.heat._redraw;
      map.heat._redraw = function () {
        redraw.call(this);
        clipHeat(this._canvas);
      };
      if (document.getElementById("heat-toggle").checked) map.heat.addTo(map.leaflet);
    }
    map.heat.setOptions({ max: top });
  }

  // --- overdue board ------------------------------------------------------------------------
  function drawOverdue(data) {
    const body = document.getElementById("overdue-rows");
    document.getElementById("overdue-total").textContent = `${label("TotalOverdue")} ${fmt(data.total)}`;
    if (!data.rows.length) {
      const td = make("td", label("NoOverdue"), "empty");
      td.colSpan = 5;
      const tr = make("tr");
      tr.append(td);
      body.replaceChildren(tr);
      return;
    }
    body.replaceChildren(...data.rows.map((r) => {
      const tr = make("tr");
      const number = make("a", r.number);
      number.href = r.url;
      const first = make("td");
      first.append(number);
      // Category and grid give way (cut short, the full name on hover); the number, the
      // status and the time overdue are what the board is read for and stay whole.
      const category = make("td", r.category, "give");
      category.title = r.category;
      const grid = make("td", r.grid, "give");
      grid.title = r.grid;
      tr.append(first, category, grid, make("td", r.status, "status"), make("td", r.overdue_by, "late"));
      return tr;
    }));
    // The wall has no scroll bar: show as many of the most overdue as fit, never a cut-off row.
    const box = body.closest(".panel-body");
    while (body.rows.length > 1 && box.scrollHeight > box.clientHeight) body.deleteRow(-1);
  }

  const DRAW = {
    intake: drawIntake, field: drawField, trend: drawTrend, categories: drawCategories, map: drawMap,
    overdue: drawOverdue, departments: drawDepartments, ranking: drawRanking, population: drawPopulation,
  };

  function load() {
    return fetch(dataUrl(""), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((r) => { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
      .then((data) => {
        document.getElementById("screen-asof").textContent = timeFmt.format(new Date(data.as_of));
        Object.keys(DRAW).forEach((name) => {
          const p = data.panels[name];
          if (!p || !p.ok) { fail(name); return; }
          try {
            recover(name);
            DRAW[name](p);
            setAsOf(name, p.as_of, p.night);
          } catch (err) {
            fail(name);
          }
        });
        root.dataset.refreshed = String(Number(root.dataset.refreshed || 0) + 1);
      })
      .catch(() => Object.keys(DRAW).forEach(fail));
  }

  function tick() {
    const now = new Date();
    document.getElementById("screen-clock").textContent = `${dateFmt.format(now)} ${timeFmt.format(now)}`;
  }
  tick();
  setInterval(tick, 1000);
  initMap();
  load();
  setInterval(load, Number(root.dataset.refresh || 60) * 1000);
})();
