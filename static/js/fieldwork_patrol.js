// The grid worker's patrol page: start/end through the field-work API, GPS fixes from
// watchPosition throttled to one per 15 s or 20 m, kept in localStorage until the server has
// them (a reload or a dropped network loses nothing) and sent in batches, again on `online`.
// When the worker leaves this page with fixes still waiting (offline, off to 拍照上报), the
// outbox script of the other field pages sends them (fieldwork_outbox.js); the server counts
// a point it already has as a duplicate, so a batch sent twice is stored once.
(function () {
  const app = document.getElementById("patrol-app");
  if (!app) return;
  const MIN_SECONDS = 15;
  const MIN_METRES = 20;
  const BATCH = 500;
  const $ = (id) => document.getElementById(id);
  const api = app.dataset.api;
  const storeKey = "civicgrid.patrol." + app.dataset.user;
  // The cookie first: this page may come from the offline cache, its form token from an
  // earlier session.
  const csrf = () => {
    const cookie = document.cookie.split(";").map((c) => c.trim()).find((c) => c.startsWith("csrftoken="));
    if (cookie) return decodeURIComponent(cookie.slice("csrftoken=".length));
    const field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  };

  const load = () => {
    try {
      return JSON.parse(localStorage.getItem(storeKey) || "null");
    } catch (e) {
      return null;
    }
  };
  let state = load();
  const save = () => {
    if (state) localStorage.setItem(storeKey, JSON.stringify(state));
    else localStorage.removeItem(storeKey);
  };
  const fresh = (id, started) => ({ patrol: id, started: started, queue: [], sent: 0, distance: 0, last: null, ended: false });

  // The server knows best which patrol is open; points of a patrol it no longer lists as open
  // are still sent (closed patrols take late uploads within their time span).
  const serverPatrol = app.dataset.patrol ? Number(app.dataset.patrol) : null;
  if (serverPatrol && (!state || state.patrol !== serverPatrol)) {
    state = fresh(serverPatrol, app.dataset.started);
    save();
  } else if (!serverPatrol && state) {
    state.ended = true;
    if (!state.queue.length) state = null;
    save();
  }

  const say = (text) => {
    const box = $("patrol-message");
    box.textContent = text || "";
    box.hidden = !text;
  };

  const metres = (a, b) => {
    const rad = Math.PI / 180;
    const dLat = (b.lat - a.lat) * rad;
    const dLng = (b.lng - a.lng) * rad;
    const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
    return 2 * 6371008.8 * Math.asin(Math.sqrt(h));
  };

  const pad = (n) => String(n).padStart(2, "0");
  const render = () => {
    const running = Boolean(state && !state.ended);
    $("state-idle").hidden = running;
    $("state-running").hidden = !running;
    $("start-patrol").hidden = running || app.dataset.noGrid === "1";
    $("end-patrol").hidden = !running;
    $("open-report").hidden = !running;
    $("sent").textContent = String(state ? state.sent : 0);
    $("waiting").textContent = String(state ? state.queue.length : 0);
    $("distance").textContent = String(Math.round(state ? state.distance : 0));
    app.dataset.waiting = String(state ? state.queue.length : 0);
    app.dataset.sent = String(state ? state.sent : 0);
  };
  const tick = () => {
    if (!state || state.ended || !state.started) return;
    const s = Math.max(0, Math.floor((Date.now() - Date.parse(state.started)) / 1000));
    $("elapsed").textContent = `${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
  };

  const post = (path, body) =>
    fetch(api + path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify(body || {}),
    });
  const reason = async (response) => {
    try {
      const data = await response.json();
      return typeof data.detail === "string" ? data.detail : JSON.stringify(data.detail);
    } catch (e) {
      return String(response.status);
    }
  };

  let sending = null;
  const flush = () => {
    if (sending) return sending;
    if (!state || !state.queue.length) return Promise.resolve();
    const batch = state.queue.slice(0, BATCH);
    const patrolId = state.patrol;
    let progressed = false;
    sending = post(`patrols/${patrolId}/points`, { points: batch })
      .then(async (response) => {
        // The page moved on to another patrol meanwhile: this answer is about the old one.
        if (!state || state.patrol !== patrolId) return;
        progressed = response.ok;
        if (response.ok) {
          const result = await response.json();
          // Points the server refused are not retried: their reasons are shown instead.
          state.queue = state.queue.slice(batch.length);
          state.sent += result.accepted + result.duplicates;
          if (result.refused.length) say(app.dataset.msgRefused + result.refused.map((r) => r.reason).join(";"));
          else say("");
        } else if (response.status === 404 || response.status === 403) {
          say(app.dataset.msgGone);
          stopWatching();
          state = null;
        } else if (response.status === 422 || response.status === 413) {
          // A whole batch refused: drop it rather than resend it forever.
          say(app.dataset.msgRefused + (await reason(response)));
          state.queue = state.queue.slice(batch.length);
        }
        if (state && state.ended && !state.queue.length) state = null;
        save();
        render();
      })
      .catch(() => say(app.dataset.msgOffline))
      .finally(() => {
        sending = null;
        // Fixes recorded while this batch was on its way, or more than one batch waiting
        // after a long time offline: send them now rather than at the next retry.
        if (progressed && state && state.queue.length) flush();
      });
    return sending;
  };

  const record = (position) => {
    if (!state || state.ended) return;
    const point = {
      at: new Date(position.timestamp || Date.now()).toISOString(),
      lat: position.coords.latitude,
      lng: position.coords.longitude,
      accuracy: position.coords.accuracy,
    };
    const last = state.last;
    if (last) {
      const seconds = (Date.parse(point.at) - Date.parse(last.at)) / 1000;
      const moved = metres(last, point);
      if (seconds < MIN_SECONDS && moved < MIN_METRES) return;
      if (seconds <= 0) return;
      state.distance += moved;
    }
    state.last = point;
    state.queue.push(point);
    app.dataset.lat = String(point.lat);
    app.dataset.lng = String(point.lng);
    save();
    render();
    // The page's grid map draws the fix (fieldwork_gridmap.js).
    document.dispatchEvent(new CustomEvent("civicgrid:fix", { detail: { lat: point.lat, lng: point.lng } }));
    flush();
  };

  let watchId = null;
  const startWatching = () => {
    if (watchId !== null) return;
    if (!("geolocation" in navigator)) {
      say(app.dataset.msgNoGeo);
      return;
    }
    watchId = navigator.geolocation.watchPosition(
      record,
      (error) => say(error.code === 1 ? app.dataset.msgGeoDenied : app.dataset.msgGeoError),
      { enableHighAccuracy: true, maximumAge: 5000, timeout: 30000 },
    );
  };
  function stopWatching() {
    if (watchId !== null) navigator.geolocation.clearWatch(watchId);
    watchId = null;
  }

  const reportUrl = () => app.dataset.reportUrl.replace("/0/", `/${state.patrol}/`);

  $("start-patrol").addEventListener("click", async () => {
    const button = $("start-patrol");
    button.disabled = true;
    const key = window.crypto && crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`;
    try {
      const response = await post("patrols", { client_key: key });
      if (!response.ok) {
        say(app.dataset.msgStartFailed + (await reason(response)));
        return;
      }
      const patrol = await response.json();
      state = fresh(patrol.id, patrol.started_at);
      $("patrol-grid").textContent = patrol.grid || "";
      save();
      $("report-form").action = reportUrl();
      say("");
      render();
      startWatching();
    } catch (e) {
      say(app.dataset.msgOffline);
    } finally {
      button.disabled = false;
    }
  });

  $("end-patrol").addEventListener("click", async () => {
    if (!state) return;
    const button = $("end-patrol");
    button.disabled = true;
    say(app.dataset.msgEnding);
    stopWatching();
    const patrolId = state.patrol;
    try {
      // Everything recorded goes up before the end is computed.
      while (state && state.queue.length) {
        const before = state.queue.length;
        await flush();
        if (state && state.queue.length >= before) throw new Error("offline");
      }
      const response = await post(`patrols/${patrolId}/end`);
      if (!response.ok) {
        say(app.dataset.msgEndFailed + (await reason(response)));
        return;
      }
      state = null;
      save();
      window.location.assign(app.dataset.detailUrl.replace("/0/", `/${patrolId}/`));
    } catch (e) {
      say(app.dataset.msgOffline);
      startWatching();
    } finally {
      button.disabled = false;
    }
  });

  $("open-report").addEventListener("click", () => {
    const box = $("report-box");
    box.hidden = !box.hidden;
    if (!box.hidden) box.scrollIntoView({ behavior: "smooth", block: "start" });
  });
  $("report-form").addEventListener("submit", () => {
    // The place of the report is the patrol's latest fix.
    if (state && state.last) {
      $("report-form").querySelector("input[name=lat]").value = String(state.last.lat);
      $("report-form").querySelector("input[name=lng]").value = String(state.last.lng);
    }
    if (state && !$("report-form").getAttribute("action")) $("report-form").action = reportUrl();
  });

  window.addEventListener("online", () => flush());
  // Besides the `online` event, which some phones never fire, retry every 20 s.
  let ticks = 0;
  setInterval(() => {
    tick();
    ticks += 1;
    if (ticks % 20 === 0 && state && state.queue.length) flush();
  }, 1000);
  if (state && !state.ended) startWatching();
  render();
  tick();
  flush();
})();
