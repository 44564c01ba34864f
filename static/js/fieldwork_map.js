// Patrol maps: a patrol's track on its page, and the on-duty map (every worker's last position
// and the day's tracks, from the API's onduty.geojson), both with a time slider that replays a
// track. Names go into the DOM as text only (docs/architecture.md, rule 7).
(function () {
  const make = (tag, content, className) => {
    const node = document.createElement(tag);
    if (content !== undefined && content !== null) node.textContent = String(content);
    if (className) node.className = className;
    return node;
  };
  const hhmm = (iso) => {
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? "" : d.toLocaleTimeString("zh-CN", { hour: "2-digit", minute: "2-digit", second: "2-digit", timeZone: "Asia/Shanghai" });
  };
  const palette = ["#1565c0", "#2e7d32", "#6a1b9a", "#ef6c00", "#00838f", "#ad1457", "#4e342e", "#283593"];

  function baseMap(el) {
    const [lat, lng] = el.dataset.center.split(",").map(Number);
    return CivicBasemap.addTo(L.map(el, CivicBasemap.options()).setView([lat, lng], 14));
  }

  // A slider under the map moves a marker along the points, showing each point's time.
  function replay(map, points, box) {
    const slider = box.querySelector("#replay-slider");
    const time = box.querySelector("#replay-time");
    if (replay.marker) replay.marker.remove();
    if (!points.length) {
      box.hidden = true;
      return;
    }
    const marker = L.circleMarker([points[0].lat, points[0].lng], { radius: 8, color: "#d32f2f", weight: 3, fillOpacity: 0.9 }).addTo(map);
    replay.marker = marker;
    slider.min = "0";
    slider.max = String(points.length - 1);
    slider.value = "0";
    const show = () => {
      const p = points[Number(slider.value)] || points[0];
      marker.setLatLng([p.lat, p.lng]);
      time.textContent = hhmm(p.at);
      box.dataset.index = slider.value;
    };
    slider.oninput = show;
    show();
    box.hidden = false;
  }

  function trackPage(el) {
    const points = JSON.parse(document.getElementById("track-points").textContent);
    const map = baseMap(el);
    // The grid's outline, so the track is seen against the area it should cover.
    const outline = document.getElementById("grid-geometry");
    if (outline) {
      const shape = L.geoJSON(JSON.parse(outline.textContent), { style: { color: "#37474f", weight: 2, fillOpacity: 0.08, dashArray: "4" } }).addTo(map);
      if (!points.length) map.fitBounds(shape.getBounds(), { animate: false });
    }
    if (points.length) {
      const line = L.polyline(points.map((p) => [p.lat, p.lng]), { color: "#1565c0", weight: 4 }).addTo(map);
      L.circleMarker([points[0].lat, points[0].lng], { radius: 6, color: "#2e7d32", fillOpacity: 1 }).addTo(map);
      const end = points[points.length - 1];
      L.circleMarker([end.lat, end.lng], { radius: 6, color: "#37474f", fillOpacity: 1 }).addTo(map);
      map.fitBounds(line.getBounds(), { padding: [20, 20], maxZoom: 18, animate: false });
      replay(map, points, document.getElementById("replay"));
    } else {
      el.append(make("p", el.dataset.labelEmpty, "fw-map-empty"));
    }
    el.dataset.loaded = String(points.length);
  }

  function ondutyPage(el) {
    const map = baseMap(el);
    const api = el.dataset.api;
    const list = document.getElementById("onduty-list");
    const box = document.getElementById("replay");
    const lines = {};
    const trackProps = {};
    let chosen = null;

    const openTrack = (props) => {
      const id = props.patrol_id;
      fetch(`${api}patrols/${id}/track`, { credentials: "same-origin" })
        .then((r) => (r.ok ? r.json() : { points: [] }))
        .then((data) => {
          if (chosen) chosen.setStyle({ weight: 3, opacity: 0.7 });
          chosen = lines[id] || null;
          if (chosen) {
            chosen.setStyle({ weight: 6, opacity: 1 });
            chosen.bringToFront();
            map.fitBounds(chosen.getBounds(), { padding: [20, 20], maxZoom: 18 });
          }
          document.getElementById("replay-title").textContent = `${props.worker || ""} ${hhmm(props.started_at)}`;
          document.getElementById("replay-detail").href = el.dataset.detailUrl.replace("/0/", `/${id}/`);
          replay(map, data.points, box);
          box.dataset.patrol = String(id);
        });
    };

    fetch(`${api}onduty.geojson?day=${encodeURIComponent(el.dataset.day)}`, { credentials: "same-origin" })
      .then((r) => {
        if (!r.ok) throw new Error(String(r.status));
        return r.json();
      })
      .then((data) => {
        const tracks = data.features.filter((f) => f.geometry && f.geometry.type === "LineString");
        const positions = data.features.filter((f) => f.geometry && f.geometry.type === "Point");
        const bounds = L.latLngBounds([]);
        tracks.forEach((f, i) => {
          const p = f.properties;
          const latlngs = f.geometry.coordinates.map(([lng, lat]) => [lat, lng]);
          const line = L.polyline(latlngs, { color: palette[i % palette.length], weight: 3, opacity: 0.7 }).addTo(map);
          lines[p.patrol_id] = line;
          trackProps[p.patrol_id] = p;
          const tip = make("span", `${p.worker || ""} ${hhmm(p.started_at)}–${p.ended_at ? hhmm(p.ended_at) : el.dataset.labelOpen}`);
          line.bindTooltip(tip, { sticky: true });
          line.on("click", () => openTrack(p));
          latlngs.forEach((ll) => bounds.extend(ll));
        });
        list.replaceChildren();
        positions.forEach((f) => {
          const p = f.properties;
          const [lng, lat] = f.geometry.coordinates;
          const marker = L.circleMarker([lat, lng], {
            radius: 8, color: p.open ? "#2e7d32" : "#757575", weight: 2, fillOpacity: 0.8,
          }).addTo(map);
          const card = make("div");
          card.append(make("strong", p.worker), document.createElement("br"), make("span", p.grid), document.createElement("br"),
            make("span", `${hhmm(p.at)} · ${p.open ? el.dataset.labelOpen : el.dataset.labelClosed}`));
          marker.bindPopup(card);
          bounds.extend([lat, lng]);
          const item = make("li", null, p.open ? "open" : "closed");
          const button = make("button", p.worker, "linklike");
          button.type = "button";
          button.dataset.patrol = String(p.patrol_id);
          button.addEventListener("click", () => {
            marker.openPopup();
            openTrack(trackProps[p.patrol_id] || { patrol_id: p.patrol_id, worker: p.worker, started_at: p.at });
          });
          item.append(button, make("span", ` ${p.grid || ""} · ${hhmm(p.at)} · ${p.open ? el.dataset.labelOpen : el.dataset.labelClosed}`, "muted"));
          list.append(item);
        });
        document.getElementById("onduty-count").textContent = `(${positions.length})`;
        if (bounds.isValid()) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 17, animate: false });
        el.dataset.tracks = String(tracks.length);
        el.dataset.loaded = String(positions.length);
      })
      .catch(() => {
        list.replaceChildren(make("li", el.dataset.labelFailed, "msg-error"));
        el.dataset.loaded = "error";
      });
  }

  const track = document.getElementById("track-map");
  if (track) trackPage(track);
  const onduty = document.getElementById("onduty-map");
  if (onduty) ondutyPage(onduty);
})();
