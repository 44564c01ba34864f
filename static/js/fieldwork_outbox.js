// The field pages' outbox (docs/architecture.md "Offline field app").
//
//   window.CivicOutbox.send({kind, label, url, json?, form?})
//     → Promise<{queued: bool, ok: bool, status?, body?}>
//
// Every write gets a client-made `client_key` (kept if the caller set one), so the server can
// store it exactly once however often it arrives. The request is written to IndexedDB BEFORE it
// is sent (a phone that kills the page mid-upload loses nothing), then sent with the CSRF token
// read from the cookie at the moment of sending. Then:
//   - 2xx: done, removed;
//   - no network (fetch throws, or navigator.onLine is false): kept as 等待发送, retried on
//     `online`, on every page load and every 30 s;
//   - 5xx, 408, 429, a timeout: kept and retried with a growing delay;
//   - 401 (signed out meanwhile): kept waiting until the worker signs in again;
//   - any other 4xx: 发送失败, kept with the server's Chinese reason, never retried on its own:
//     the worker resends or discards it in the 待同步 panel.
// The panel (templates/fieldwork/_outbox.html) lists what waits and what failed.
// Track points of a patrol wait in localStorage (fieldwork_patrol.js); when the patrol page is
// not open, this script sends them too, so fixes recorded offline go up once the phone is back.
(function () {
  const root = document.getElementById("outbox");
  const DB_NAME = "civicgrid-outbox";
  const STORE = "items";
  const RETRY_MS = 30000;
  const TIMEOUT_MS = 60000;
  const MAX_DELAY_MS = 10 * 60 * 1000;
  const STALE_SENDING_MS = 2 * 60 * 1000;
  const msg = (name, fallback) => (root && root.dataset[name]) || fallback;

  // --- IndexedDB, plain: one object store of items keyed by an auto-increment id -------------
  let dbPromise = null;
  const db = () => {
    if (dbPromise) return dbPromise;
    dbPromise = new Promise((resolve, reject) => {
      const open = indexedDB.open(DB_NAME, 1);
      open.onupgradeneeded = () => open.result.createObjectStore(STORE, { keyPath: "id", autoIncrement: true });
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    return dbPromise;
  };
  const tx = async (mode, work) => {
    const conn = await db();
    return new Promise((resolve, reject) => {
      const t = conn.transaction(STORE, mode);
      const result = work(t.objectStore(STORE));
      t.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
      t.onerror = () => reject(t.error);
      t.onabort = () => reject(t.error);
    });
  };
  const put = (item) => tx("readwrite", (s) => s.put(item));
  const remove = (id) => tx("readwrite", (s) => s.delete(id));
  // A shared phone: each item is sent by, and shown to, the worker who made it only; another
  // worker's items wait on the phone until they sign in again.
  const me = root ? root.dataset.user : "";
  const all = async () => (await tx("readonly", (s) => s.getAll())).filter((item) => !item.user || item.user === me);
  const get = (id) => tx("readonly", (s) => s.get(id));

  // --- requests ---------------------------------------------------------------------------
  const newKey = () =>
    window.crypto && crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(16).slice(2)}`;

  const cookie = (name) => {
    const found = document.cookie.split(";").map((c) => c.trim()).find((c) => c.startsWith(name + "="));
    return found ? decodeURIComponent(found.slice(name.length + 1)) : "";
  };
  const csrf = () => {
    const field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return cookie("csrftoken") || (field ? field.value : "");
  };

  // FormData cannot be stored; its entries can (files as Blobs with their names).
  const formEntries = (form) => {
    const data = form instanceof FormData ? form : new FormData(form);
    const out = [];
    for (const [name, value] of data.entries()) {
      if (value instanceof Blob) {
        if (!value.size) continue;
        out.push({ name, blob: value, filename: value.name || "photo.jpg" });
      } else {
        out.push({ name, value: String(value) });
      }
    }
    return out;
  };

  const buildBody = (item) => {
    if (item.json) return { body: JSON.stringify(item.json), headers: { "Content-Type": "application/json" } };
    const data = new FormData();
    for (const entry of item.form || []) {
      if (entry.blob) data.append(entry.name, entry.blob, entry.filename);
      else data.append(entry.name, entry.value);
    }
    return { body: data, headers: {} };
  };

  const reasonOf = (status, body) => {
    if (body && typeof body.detail === "string") return body.detail;
    if (body && Array.isArray(body.detail)) return body.detail.map((d) => d.msg || JSON.stringify(d)).join(";");
    return `${msg("msgHttp", "服务器返回")} ${status}`;
  };

  // One attempt. Returns {network: true} when the phone could not reach the server.
  const attempt = async (item) => {
    if (navigator.onLine === false) return { network: true };
    const { body, headers } = buildBody(item);
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), TIMEOUT_MS);
    try {
      const response = await fetch(item.url, {
        method: "POST",
        credentials: "same-origin",
        headers: { ...headers, "X-CSRFToken": csrf(), Accept: "application/json" },
        body,
        signal: abort.signal,
      });
      let data = null;
      try {
        data = await response.json();
      } catch (e) {
        data = null;
      }
      return { status: response.status, body: data };
    } catch (e) {
      if (e && e.name === "AbortError") return { status: 408, body: null };
      return { network: true };
    } finally {
      clearTimeout(timer);
    }
  };

  const retryable = (status) => status >= 500 || status === 408 || status === 429 || status === 401;
  const later = (attempts) => Date.now() + Math.min(MAX_DELAY_MS, 5000 * 2 ** Math.min(attempts, 8));

  const emit = (name, detail) => document.dispatchEvent(new CustomEvent(name, { detail }));

  // Sends a stored item once and records what happened. True when the network is down.
  const deliver = async (item) => {
    item.state = "sending";
    item.sending_since = Date.now();
    await put(item);
    const result = await attempt(item);
    item.attempts = (item.attempts || 0) + 1;
    if (result.network) {
      item.state = "waiting";
      item.reason = msg("msgOffline", "网络不可用,联网后自动发送");
      item.next_at = 0;
      await put(item);
      return { item, result, network: true };
    }
    if (result.status >= 200 && result.status < 300) {
      await remove(item.id);
      emit("civic-outbox-sent", { item, status: result.status, body: result.body });
      return { item, result };
    }
    item.reason = result.status === 401 ? msg("msgSignIn", "登录已过期,请重新登录后同步") : reasonOf(result.status, result.body);
    if (retryable(result.status)) {
      item.state = "waiting";
      item.next_at = later(item.attempts);
    } else {
      item.state = "failed";
    }
    item.status = result.status;
    await put(item);
    return { item, result };
  };

  let flushing = null;
  let flushingForced = false;
  const flush = (force) => {
    if (flushing) {
      // 立即同步 during a timer's pass: that pass skips items not yet due, so a forced one
      // follows it instead of the tap being lost until the next retry.
      if (force && !flushingForced) return flushing.then(() => flush(true));
      return flushing;
    }
    flushingForced = Boolean(force);
    flushing = (async () => {
      try {
        const items = (await all()).sort((a, b) => a.id - b.id);
        for (const item of items) {
          if (item.state === "failed") continue;
          if (item.state === "sending" && Date.now() - (item.sending_since || 0) < STALE_SENDING_MS) continue;
          if (!force && item.next_at && item.next_at > Date.now()) continue;
          const outcome = await deliver(item);
          if (outcome.network) break;
        }
        await flushTrack();
      } finally {
        flushing = null;
        render();
      }
    })();
    return flushing;
  };

  const send = async ({ kind, label, url, json, form }) => {
    const key = newKey();
    const item = { kind: kind || "write", label: label || kind || "", url, user: me, created: new Date().toISOString(), attempts: 0, state: "waiting" };
    if (json) {
      item.json = { ...json };
      if (!item.json.client_key) item.json.client_key = key;
      item.client_key = item.json.client_key;
    } else {
      item.form = formEntries(form || new FormData());
      const given = item.form.find((e) => e.name === "client_key" && e.value);
      if (!given) item.form.push({ name: "client_key", value: key });
      item.client_key = given ? given.value : key;
    }
    item.id = await put(item);
    const outcome = await deliver(item);
    render();
    if (outcome.network) return { queued: true, ok: false, client_key: item.client_key };
    const { status, body } = outcome.result;
    if (status >= 200 && status < 300) return { queued: false, ok: true, status, body };
    if (outcome.item.state === "failed") {
      // Refused while the worker is still on the page: the page shows the reason next to the
      // form they can correct, so nothing is kept in the panel.
      await remove(item.id);
      render();
      return { queued: false, ok: false, status, body };
    }
    return { queued: true, ok: false, status, body, client_key: item.client_key };
  };

  // --- track points left by the patrol page -------------------------------------------------
  const TRACK_BATCH = 500;
  const trackKey = () => (root ? `civicgrid.patrol.${root.dataset.user}` : "");
  const loadTrack = () => {
    try {
      return JSON.parse(localStorage.getItem(trackKey()) || "null");
    } catch (e) {
      return null;
    }
  };
  const waitingPoints = () => {
    const state = loadTrack();
    return state && Array.isArray(state.queue) ? state.queue.length : 0;
  };
  async function flushTrack() {
    // The patrol page sends its own points while it is open.
    if (!root || document.getElementById("patrol-app") || navigator.onLine === false) return;
    let state = loadTrack();
    while (state && state.queue && state.queue.length) {
      const batch = state.queue.slice(0, TRACK_BATCH);
      let response;
      try {
        response = await fetch(`${root.dataset.api}patrols/${state.patrol}/points`, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
          body: JSON.stringify({ points: batch }),
        });
      } catch (e) {
        return;
      }
      if (!response.ok && ![403, 404, 413, 422].includes(response.status)) return;
      // The page may have changed the buffer meanwhile: drop exactly what was sent.
      const now = loadTrack();
      if (!now || now.patrol !== state.patrol) return;
      const sent = new Set(batch.map((p) => p.at));
      now.queue = now.queue.filter((p) => !sent.has(p.at));
      if (response.ok) {
        const result = await response.json();
        now.sent = (now.sent || 0) + result.accepted + result.duplicates;
      }
      if ([403, 404].includes(response.status) || (now.ended && !now.queue.length)) {
        localStorage.removeItem(trackKey());
        return;
      }
      localStorage.setItem(trackKey(), JSON.stringify(now));
      state = now;
    }
  }

  // --- the 待同步 panel ----------------------------------------------------------------------
  const $ = (id) => document.getElementById(id);
  const timeOf = (iso) => {
    const d = new Date(iso);
    const pad = (n) => String(n).padStart(2, "0");
    return `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
  };
  const button = (text, action, id) => {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "btn small secondary";
    b.textContent = text;
    b.dataset.action = action;
    b.dataset.id = String(id);
    return b;
  };

  // kind → function(item) that fills the page's form with a failed item to correct it.
  const editors = {};
  let lastCount = -1;
  async function render() {
    let items = [];
    try {
      items = (await all()).sort((a, b) => a.id - b.id);
    } catch (e) {
      items = [];
    }
    const points = waitingPoints();
    const waiting = items.filter((i) => i.state !== "failed").length;
    const failed = items.length - waiting;
    const count = items.length;
    document.querySelectorAll("[data-outbox-count]").forEach((el) => {
      el.textContent = String(count);
      el.classList.toggle("bad", failed > 0);
      el.classList.toggle("zero", count === 0);
    });
    if (!root) return;
    root.dataset.waiting = String(waiting);
    root.dataset.failed = String(failed);
    root.dataset.points = String(points);
    const list = $("outbox-list");
    list.replaceChildren();
    for (const item of items) {
      const li = document.createElement("li");
      li.className = `fw-outbox-item ${item.state === "failed" ? "failed" : "waiting"}`;
      li.dataset.kind = item.kind;
      const head = document.createElement("div");
      const label = document.createElement("strong");
      label.textContent = item.label;
      const when = document.createElement("span");
      when.className = "muted small";
      when.textContent = ` ${timeOf(item.created)}`;
      head.append(label, when);
      const state = document.createElement("div");
      state.className = "small fw-outbox-state";
      state.textContent =
        item.state === "failed"
          ? `${msg("msgFailed", "发送失败")}:${item.reason || ""}`
          : `${msg("msgWaiting", "等待发送")}${item.reason ? ":" + item.reason : ""}`;
      li.append(head, state);
      if (item.state === "failed") {
        const actions = document.createElement("div");
        actions.className = "fw-outbox-actions";
        actions.append(button(msg("msgResend", "重新发送"), "resend", item.id));
        // A page that can put the item back into its form (拍照上报) offers to correct it.
        if (editors[item.kind]) actions.append(button(msg("msgEdit", "修改"), "edit", item.id));
        actions.append(button(msg("msgDiscard", "放弃"), "discard", item.id));
        li.append(actions);
      }
      list.append(li);
    }
    if (points) {
      const li = document.createElement("li");
      li.className = "fw-outbox-item waiting";
      li.dataset.kind = "track";
      li.textContent = msg("msgPoints", "巡查轨迹点:") + String(points);
      list.append(li);
    }
    const empty = !count && !points;
    $("outbox-empty").hidden = !empty;
    $("outbox-sync").hidden = empty;
    $("outbox-status").textContent = navigator.onLine === false ? msg("msgOfflineNow", "当前离线") : "";
    if (count !== lastCount) {
      lastCount = count;
      emit("civic-outbox-changed", { waiting, failed, points });
    }
  }

  if (root) {
    root.addEventListener("click", async (event) => {
      const target = event.target.closest("button");
      if (!target) return;
      if (target.id === "outbox-sync") {
        await flush(true);
        return;
      }
      const id = Number(target.dataset.id);
      if (target.dataset.action === "edit") {
        const item = await get(id);
        if (item && editors[item.kind]) {
          editors[item.kind](item);
          await remove(id);
          render();
        }
      } else if (target.dataset.action === "discard") {
        await remove(id);
        render();
      } else if (target.dataset.action === "resend") {
        const item = await get(id);
        if (item) {
          item.state = "waiting";
          item.next_at = 0;
          await put(item);
          await flush(true);
        }
      }
    });
  }

  // A photo for JSON (a visit's, a task item's): at most 1600 px on the long side, as a JPEG
  // data URL, so three of them fit one request and the IndexedDB item stays small.
  const PHOTO_SIDE = 1600;
  const shrink = (file) =>
    new Promise((resolve, reject) => {
      const url = URL.createObjectURL(file);
      const img = new Image();
      img.onload = () => {
        const scale = Math.min(1, PHOTO_SIDE / Math.max(img.naturalWidth, img.naturalHeight));
        const canvas = document.createElement("canvas");
        canvas.width = Math.max(1, Math.round(img.naturalWidth * scale));
        canvas.height = Math.max(1, Math.round(img.naturalHeight * scale));
        canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
        URL.revokeObjectURL(url);
        resolve(canvas.toDataURL("image/jpeg", 0.82));
      };
      img.onerror = () => {
        URL.revokeObjectURL(url);
        reject(new Error(msg("msgPhoto", "照片无法读取,请重新拍照")));
      };
      img.src = url;
    });

  window.CivicOutbox = {
    send,
    shrink,
    flush: () => flush(true),
    items: all,
    // Offer 修改 on failed items of `kind`: `fill(item)` puts its fields back into the page's
    // form (item.form: [{name, value} | {name, blob, filename}], or item.json); the item is
    // then removed, and the corrected form is sent again as a new item with the same key.
    editable: (kind, fill) => {
      editors[kind] = fill;
      render();
    },
    discard: async (id) => {
      await remove(id);
      render();
    },
  };

  // --- a page form that falls back to the outbox (the visit form) --------------------------
  // <form data-outbox-api="…" data-outbox-kind="visit" data-outbox-done="…">: posted to its own
  // page as usual while the server answers (its errors are shown on the form); when the phone
  // cannot reach it, its fields go through the outbox as JSON to the API, with the same
  // client_key, so a visit typed in a basement is stored later exactly once.
  const visitJson = async (form) => {
    const field = (name) => {
      const el = form.elements.namedItem(name);
      return el && "value" in el ? el.value.trim() : "";
    };
    const checked = (name) => {
      const el = form.elements.namedItem(name);
      return Boolean(el && el.checked);
    };
    const json = {
      purpose: field("purpose") || "routine",
      findings: field("findings"),
      follow_up: field("follow_up"),
      client_key: field("client_key"),
      visited_at: new Date().toISOString(),
    };
    if (field("person")) json.person = Number(field("person"));
    else if (field("household")) json.household = Number(field("household"));
    if (checked("raise_case")) {
      json.raise_case = { category: Number(field("category")) || 0, description: field("case_description"), urgent: checked("urgent") };
    }
    // 台账更正 travels with the visit, so a correction typed offline is not lost.
    const correction = {};
    for (const name of ["phone", "presence", "occupation", "workplace"]) {
      if (field(name)) correction[name] = field(name);
    }
    if (Object.keys(correction).length) json.correction = correction;
    const picker = form.elements.namedItem("photos");
    if (picker && picker.files && picker.files.length) {
      json.photos = await Promise.all(Array.from(picker.files).slice(0, 3).map(shrink));
    }
    return json;
  };

  document.querySelectorAll("form[data-outbox-api]").forEach((form) => {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const result = form.querySelector("[data-outbox-result]");
      const submit = form.querySelector("button[type=submit]");
      if (submit) submit.disabled = true;
      const queue = async () => {
        let json;
        try {
          json = await visitJson(form);
        } catch (e) {
          if (result) {
            result.hidden = false;
            result.className = "fw-result bad";
            result.textContent = e.message;
          }
          if (submit) submit.disabled = false;
          return;
        }
        const sent = await send({ kind: form.dataset.outboxKind, label: form.dataset.outboxLabel, url: form.dataset.outboxApi, json: json });
        if (sent.ok) {
          window.location.assign(form.dataset.outboxDone);
          return;
        }
        if (result) {
          result.hidden = false;
          result.className = `fw-result ${sent.queued ? "queued" : "bad"}`;
          const detail = sent.body && sent.body.detail;
          result.textContent = sent.queued
            ? form.dataset.msgQueued
            : form.dataset.msgRefused + (typeof detail === "string" ? detail : String(sent.status));
        }
        if (sent.queued) {
          form.querySelectorAll("input, textarea, select, button").forEach((el) => (el.disabled = true));
          const key = json.client_key;
          document.addEventListener("civic-outbox-sent", (e) => {
            if (result && e.detail.item.client_key === key) {
              result.className = "fw-result ok";
              result.textContent = form.dataset.msgSynced;
            }
          });
        }
        else if (submit) submit.disabled = false;
      };
      if (navigator.onLine === false) return queue();
      let response;
      try {
        response = await fetch(form.action, {
          method: "POST",
          body: new FormData(form),
          credentials: "same-origin",
          redirect: "manual",
          headers: { "X-CSRFToken": csrf() },
        });
      } catch (e) {
        return queue();
      }
      if (response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400)) {
        // Saved: the list shows the server's message.
        window.location.assign(form.dataset.outboxDone);
      } else if (response.status >= 500) {
        queue();
      } else {
        // Refused with reasons per field: let the page post itself and show them (the key
        // stays the same, so nothing is stored twice).
        form.submit();
      }
    });
  });

  // Signing out forgets the pages this worker's phone kept for offline use.
  document.querySelectorAll("form[action$='/logout/']").forEach((logout) => {
    logout.addEventListener("submit", async (event) => {
      if (!("caches" in window) || logout.dataset.cleared) return;
      event.preventDefault();
      try {
        const names = await caches.keys();
        await Promise.all(names.filter((n) => n.startsWith("civicgrid-pages-")).map((n) => caches.delete(n)));
      } finally {
        logout.dataset.cleared = "1";
        logout.submit();
      }
    });
  });

  window.addEventListener("online", () => flush(true));
  window.addEventListener("offline", () => render());
  setInterval(() => flush(false), RETRY_MS);
  flush(false);

  // The app shell for offline use: the service worker of /fieldwork/.
  if (root && root.dataset.sw && "serviceWorker" in navigator) {
    navigator.serviceWorker
      .register(root.dataset.sw, { scope: root.dataset.scope })
      .catch(() => {
        root.dataset.swError = "1";
      });
    navigator.serviceWorker.ready.then(() => {
      root.dataset.swReady = "1";
    });
  }
})();
