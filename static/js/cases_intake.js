// Case intake (staff and resident): pick the place by tapping the map, by the device's
// position or by typing an address; show the grid it falls in; suggest categories from the
// description; warn about open duplicates nearby (staff only).
function initIntake() {
  const form = document.getElementById("intake-form");
  if (!form) return;
  // Without a base map (no tiles configured, residents see no grids) the place comes from
  // the device's position or the typed address only.
  const el = document.getElementById("pick-map");
  const latInput = form.querySelector("input[name=lat]");
  const lngInput = form.querySelector("input[name=lng]");
  const result = document.getElementById("locate-result");
  const category = form.querySelector("select[name=category]");
  const description = form.querySelector("textarea[name=description]");

  let map = null;
  let marker = null;
  if (el) {
    const [cLat, cLng] = el.dataset.center.split(",").map(Number);
    map = CivicBasemap.addTo(L.map(el, CivicBasemap.options()).setView([cLat, cLng], 13));
  }

  if (el && el.dataset.gridsUrl) {
    // Roles that read no map are refused the grids: the map then shows none.
    const none = { type: "FeatureCollection", features: [] };
    fetch(el.dataset.gridsUrl, { credentials: "same-origin" }).then((r) => (r.ok ? r.json() : none)).then((data) => {
      const layer = L.geoJSON(data, {
        style: () => ({ color: "#37474f", weight: 1, fillColor: "#90caf9", fillOpacity: 0.25 }),
        onEachFeature: (f, lyr) => {
          // As text, never HTML: Leaflet puts a string tooltip in with innerHTML (rule 7).
          const label = document.createElement("span");
          label.textContent = f.properties.name;
          lyr.bindTooltip(label, { permanent: true, direction: "center", className: "grid-label" });
          lyr.on("click", (e) => place(e.latlng.lat, e.latlng.lng));
        },
      }).addTo(map);
      if (data.features.length && !marker) map.fitBounds(layer.getBounds(), { padding: [8, 8] });
      el.dataset.loaded = String(data.features.length);
    });
  } else if (el) {
    el.dataset.loaded = "0";
  }

  function checkDuplicates() {
    const target = document.getElementById("duplicates");
    if (!target || !form.dataset.duplicatesUrl || !latInput.value || !category.value) return;
    const params = new URLSearchParams({ category: category.value, lat: latInput.value, lng: lngInput.value });
    htmx.ajax("GET", form.dataset.duplicatesUrl + "?" + params.toString(), { target: target, swap: "innerHTML" });
  }

  // Two quick taps send two locate requests: only the answer for the latest place is shown.
  let placed = 0;
  function place(lat, lng) {
    const ticket = ++placed;
    latInput.value = lat.toFixed(6);
    lngInput.value = lng.toFixed(6);
    if (map) {
      if (marker) marker.setLatLng([lat, lng]);
      else marker = L.marker([lat, lng]).addTo(map);
      el.dataset.picked = "1";
    }
    if (el && el.dataset.locateUrl) {
      const url = el.dataset.locateUrl + "?lat=" + lat + "&lng=" + lng;
      fetch(url, { credentials: "same-origin" }).then((r) => (r.ok ? r.json() : {})).then((data) => {
        if (ticket !== placed) return;
        result.textContent = data.message || (result.dataset.pickedLabel + " (" + lat.toFixed(5) + ", " + lng.toFixed(5) + ")");
        result.classList.toggle("warn-text", data.found === false);
      });
    } else {
      result.textContent = result.dataset.pickedLabel + " (" + lat.toFixed(5) + ", " + lng.toFixed(5) + ")";
    }
    checkDuplicates();
  }

  if (map) {
    map.on("click", (e) => place(e.latlng.lat, e.latlng.lng));
    if (el.dataset.lat && el.dataset.lng) {
      place(Number(el.dataset.lat), Number(el.dataset.lng));
      map.setView([Number(el.dataset.lat), Number(el.dataset.lng)], 16);
    }
  } else if (latInput.value && lngInput.value) {
    place(Number(latInput.value), Number(lngInput.value));
  }

  const mine = document.getElementById("use-position");
  if (mine) {
    if (!navigator.geolocation) mine.disabled = true;
    mine.addEventListener("click", () => {
      navigator.geolocation.getCurrentPosition(
        (pos) => {
          place(pos.coords.latitude, pos.coords.longitude);
          if (map) map.setView([pos.coords.latitude, pos.coords.longitude], 16);
        },
        () => { result.textContent = result.dataset.failedLabel; },
        { enableHighAccuracy: true, timeout: 10000 }
      );
    });
  }

  category.addEventListener("change", checkDuplicates);

  // Category suggestions from the words typed so far.
  const box = document.getElementById("suggestions");
  let timer = null;
  if (box && description && form.dataset.suggestUrl) {
    description.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        const url = form.dataset.suggestUrl + "?description=" + encodeURIComponent(description.value);
        htmx.ajax("GET", url, { target: box, swap: "innerHTML" });
      }, 400);
    });
    let autoChosen = false;
    const choose = (chip, auto) => {
      category.value = chip.dataset.category;
      autoChosen = auto;
      category.dispatchEvent(new Event("change"));
      box.querySelectorAll(".chip").forEach((c) => c.classList.toggle("chosen", c === chip));
    };
    box.addEventListener("click", (e) => {
      const chip = e.target.closest("[data-category]");
      if (chip) choose(chip, false);
    });
    category.addEventListener("change", (e) => { if (e.isTrusted) autoChosen = false; });
    // One clear match is chosen for the user, unless they picked a category themselves.
    box.addEventListener("htmx:afterSwap", () => {
      const strong = box.querySelector("[data-strong]");
      if (strong && (!category.value || autoChosen)) choose(strong, true);
    });
  }

  // Reporter name and phone matter only when someone else raised the case.
  const channel = form.querySelector("select[name=channel]");
  const reporter = document.getElementById("reporter-fields");
  if (channel && reporter) {
    const toggle = () => { reporter.hidden = channel.value === "gridworker"; };
    channel.addEventListener("change", toggle);
    toggle();
  }
}

// base.html loads htmx with `defer`: it runs after this script, before DOMContentLoaded. A form
// re-shown with errors places the earlier pin at once, which asks htmx for duplicates.
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", initIntake);
else initIntake();
