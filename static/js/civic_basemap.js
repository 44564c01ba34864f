// The base map under every map (civicgrid/geo/basemap.py, docs/architecture.md "Maps").
// Map scripts create their map with CivicBasemap.options({...}) and then CivicBasemap.addTo(map):
// tiles when the site has a tile server (天地图 or any XYZ template), otherwise the city's own
// street and community boundaries, so a map is never a blank grey box.
(function () {
  "use strict";
  let config = null;
  const read = () => {
    if (config === null) {
      const node = document.getElementById("civic-basemap");
      config = node ? JSON.parse(node.textContent) : { layers: [], crs: "wgs84", offline_url: "" };
    }
    return config;
  };

  // WGS84 → GCJ-02, the offset China's commercial maps (高德, 腾讯) are drawn in. Our data stays
  // WGS84; on such tiles the map projects through this so that grids and tracks sit where they
  // are on the ground, and clicks come back as WGS84.
  const A = 6378245.0;
  const EE = 0.00669342162296594323;
  const outOfChina = (lat, lng) => lng < 72.004 || lng > 137.8347 || lat < 0.8293 || lat > 55.8271;
  const shiftLat = (x, y) => {
    let r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
    r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
    r += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3;
    r += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3;
    return r;
  };
  const shiftLng = (x, y) => {
    let r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
    r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
    r += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3;
    r += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3;
    return r;
  };
  function wgsToGcj(lat, lng) {
    if (outOfChina(lat, lng)) return [lat, lng];
    const rad = (lat / 180) * Math.PI;
    const magic = 1 - EE * Math.sin(rad) * Math.sin(rad);
    const root = Math.sqrt(magic);
    const dLat = (shiftLat(lng - 105, lat - 35) * 180) / (((A * (1 - EE)) / (magic * root)) * Math.PI);
    const dLng = (shiftLng(lng - 105, lat - 35) * 180) / ((A / root) * Math.cos(rad) * Math.PI);
    return [lat + dLat, lng + dLng];
  }
  function gcjToWgs(lat, lng) {
    // No closed form: step back by the offset until it stops moving (a few steps reach 1e-9°).
    let wLat = lat;
    let wLng = lng;
    for (let i = 0; i < 6; i += 1) {
      const [gLat, gLng] = wgsToGcj(wLat, wLng);
      wLat += lat - gLat;
      wLng += lng - gLng;
    }
    return [wLat, wLng];
  }

  function crs() {
    if (read().crs !== "gcj02") return L.CRS.EPSG3857;
    const mercator = L.Projection.SphericalMercator;
    const projection = {
      bounds: mercator.bounds,
      project: (ll) => {
        const [lat, lng] = wgsToGcj(ll.lat, ll.lng);
        return mercator.project(L.latLng(lat, lng));
      },
      unproject: (point) => {
        const ll = mercator.unproject(point);
        const [lat, lng] = gcjToWgs(ll.lat, ll.lng);
        return L.latLng(lat, lng);
      },
    };
    return L.extend({}, L.CRS.EPSG3857, { projection: projection, code: "EPSG:3857" });
  }

  function options(extra) {
    return Object.assign({ crs: crs() }, extra || {});
  }

  let boundaries = null;
  const STREET = { color: "#8d6e63", weight: 2.5, opacity: 0.9, fill: false, interactive: false };
  const COMMUNITY = { color: "#a1887f", weight: 1, opacity: 0.8, dashArray: "4 4", fillColor: "#f4f1ea", fillOpacity: 1, interactive: false };
  const LABEL_ZOOM = 14;

  function label(feature) {
    const node = document.createElement("span");
    node.textContent = feature.properties.name; // a name is text, never markup (rule 7)
    node.className = "base-label base-label-" + feature.properties.level;
    const [lat, lng] = feature.properties.label_at;
    return L.marker([lat, lng], {
      pane: "civicBaseLabels",
      interactive: false,
      keyboard: false,
      icon: L.divIcon({ html: node, className: "base-label-icon", iconSize: null }),
    });
  }

  function offline(map) {
    const url = read().offline_url;
    if (!url) return;
    map.getContainer().classList.add("civic-offline-map");
    map.createPane("civicBase");
    map.createPane("civicBaseLabels");
    map.createPane("civicBuildings");
    if (map.attributionControl && read().credit) map.attributionControl.addAttribution(read().credit);
    if (boundaries === null) {
      boundaries = fetch(url, { credentials: "same-origin" }).then((r) => (r.ok ? r.json() : { features: [] }));
    }
    boundaries.then((data) => {
      L.geoJSON(data, {
        pane: "civicBase",
        style: (f) => (f.properties.level === "street" ? STREET : COMMUNITY),
      }).addTo(map);
      const streets = L.layerGroup(data.features.filter((f) => f.properties.level === "street").map(label));
      const communities = L.layerGroup(data.features.filter((f) => f.properties.level !== "street").map(label));
      // Street names when zoomed out, community names when zoomed in: never both in a pile.
      const relabel = () => {
        const near = map.getZoom() >= LABEL_ZOOM;
        (near ? streets : communities).remove();
        (near ? communities : streets).addTo(map);
      };
      map.on("zoomend", relabel);
      relabel();
    }).catch(() => {
      // Offline with nothing cached: the overlays still draw on the plain background.
    });
    (read().points || []).forEach((layer) => points(map, layer));
  }

  // Buildings (for those who read the ledgers) as dots once zoomed in to street level; fetched
  // for the visible box only, again when the map has moved out of what was fetched.
  function points(map, layer) {
    const group = L.layerGroup().addTo(map);
    let fetched = null;
    const refresh = () => {
      if (map.getZoom() < layer.min_zoom) {
        group.clearLayers();
        fetched = null;
        return;
      }
      const view = map.getBounds();
      if (fetched && fetched.contains(view)) return;
      const box = view.pad(0.5);
      fetched = box;
      const bbox = [box.getWest(), box.getSouth(), box.getEast(), box.getNorth()].map((v) => v.toFixed(6)).join(",");
      fetch(layer.url + "?bbox=" + bbox, { credentials: "same-origin" })
        .then((r) => (r.ok ? r.json() : { features: [] }))
        .then((data) => {
          group.clearLayers();
          data.features.forEach((f) => {
            const [lng, lat] = f.geometry.coordinates;
            L.circleMarker([lat, lng], { pane: "civicBuildings", radius: 3.5, weight: 1, color: "#ffffff", fillColor: "#6d4c41", fillOpacity: 1, interactive: false }).addTo(group);
          });
        })
        .catch(() => {
          fetched = null;
        });
    };
    map.on("moveend", refresh);
    map.whenReady(refresh);
  }

  function addTo(map) {
    const layers = read().layers;
    if (!layers.length) {
      offline(map);
      return map;
    }
    layers.forEach((layer) => {
      L.tileLayer(layer.url, { attribution: layer.attribution, subdomains: layer.subdomains, maxZoom: 19 }).addTo(map);
    });
    return map;
  }

  const hasTiles = () => read().layers.length > 0;

  window.CivicBasemap = { options: options, addTo: addTo, hasTiles: hasTiles, wgsToGcj: wgsToGcj, gcjToWgs: gcjToWgs };
})();
