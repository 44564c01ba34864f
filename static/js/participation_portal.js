// Community portal (no account needed): find the community from the phone's position, and draw
// the community's grid outlines. User text goes into the page with textContent only (rule 7).
(function () {
  function initLocate() {
    const box = document.getElementById("locate-box");
    const button = document.getElementById("portal-locate");
    const result = document.getElementById("portal-locate-result");
    if (!box || !button || !result) return;
    button.addEventListener("click", () => {
      if (!navigator.geolocation) {
        result.textContent = result.dataset.failed;
        return;
      }
      result.textContent = result.dataset.busy;
      navigator.geolocation.getCurrentPosition(
        (pos) => {
          const params = new URLSearchParams({ lat: pos.coords.latitude, lng: pos.coords.longitude });
          fetch(box.dataset.locateUrl + "?" + params.toString(), { credentials: "same-origin" })
            .then((r) => r.json().then((data) => ({ ok: r.ok, data: data })))
            .then(({ ok, data }) => {
              if (ok && data.found && data.url) {
                result.textContent = data.message;
                window.location.assign(data.url);
              } else {
                result.textContent = (data && typeof data.detail === "string" && data.detail) || result.dataset.outside;
              }
            })
            .catch(() => { result.textContent = result.dataset.failed; });
        },
        () => { result.textContent = result.dataset.failed; },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
      );
    });
  }

  function initMap() {
    const el = document.getElementById("portal-map");
    if (!el || typeof L === "undefined") return;
    const source = document.getElementById(el.dataset.grids);
    const grids = source ? JSON.parse(source.textContent) : [];
    if (!grids.length) {
      el.hidden = true;
      return;
    }
    const map = CivicBasemap.addTo(L.map(el, CivicBasemap.options({ scrollWheelZoom: false, zoomSnap: 0.25 })));
    const features = grids.map((g) => ({ type: "Feature", geometry: g.geometry, properties: { code: g.code, name: g.name } }));
    const chosen = document.querySelector(".grid-box.chosen");
    const layer = L.geoJSON({ type: "FeatureCollection", features: features }, {
      style: (f) => ({
        color: "#1e5aa8",
        weight: chosen && chosen.dataset.grid === f.properties.code ? 3 : 1,
        fillColor: "#90caf9",
        fillOpacity: chosen && chosen.dataset.grid === f.properties.code ? 0.45 : 0.2,
      }),
      onEachFeature: (f, lyr) => {
        const label = document.createElement("span");
        label.textContent = f.properties.name;
        lyr.bindTooltip(label, { permanent: true, direction: "center", className: "grid-label" });
        lyr.on("click", () => {
          const card = document.getElementById("grid-" + f.properties.code);
          if (card) card.scrollIntoView({ behavior: "smooth", block: "start" });
        });
      },
    }).addTo(map);
    // Names wider than their grids only pile up: show them once zoomed in far enough (tap a
    // grid to reach its card either way).
    const fitLabels = () => {
      const widths = layer.getLayers().map((l) => {
        const b = l.getBounds();
        return map.latLngToLayerPoint(b.getNorthEast()).x - map.latLngToLayerPoint(b.getSouthWest()).x;
      });
      el.classList.toggle("labels-off", Math.min(...widths) < 90);
    };
    const fit = () => {
      map.invalidateSize();
      map.fitBounds(layer.getBounds(), { padding: [6, 6], animate: false });
      fitLabels();
    };
    map.on("zoomend", fitLabels);
    fit();
    // The page's layout settles after the script runs on a phone: fit once more when it has.
    setTimeout(fit, 200);
    el.dataset.loaded = String(features.length);
    if (chosen) chosen.scrollIntoView({ block: "start" });
  }

  document.addEventListener("DOMContentLoaded", () => {
    initLocate();
    initMap();
  });
})();
