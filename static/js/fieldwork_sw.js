// The grid worker's service worker, served by /fieldwork/sw.js with CIVIC_SHELL prepended
// (the version, the static files and the field pages to precache; see
// civicgrid/fieldwork/offline_views.py and docs/architecture.md "Offline field app").
//
// - Page loads (navigations) go to the network first; each good answer is kept, and without a
//   network the kept copy is shown (else the kept home screen).
// - Static files come from the cache first: their cache is named by a hash of their contents,
//   so a deploy that changes one installs a new worker and the old caches are dropped.
// - The worker's own data the pages draw (SHELL.data: the outline of their grid) is precached
//   with the pages and answered network-first like them: every good answer replaces the kept
//   copy (a reassigned grid shows on the next online load), and offline the kept copy is
//   served, so the patrol and report maps show the grid in a basement. It sits in the page
//   cache, which signing out empties.
// - Nothing else is touched: API reads go to the network, and writes (POST) are never cached
//   or replayed here. Writes made offline wait in the page's outbox (fieldwork_outbox.js).
/* global CIVIC_SHELL */
const SHELL = self.CIVIC_SHELL || (typeof CIVIC_SHELL !== "undefined" ? CIVIC_SHELL : { version: "0", assets: [], pages: [], data: [] });
const DATA = new Set(SHELL.data || []);
const STATIC_CACHE = `civicgrid-static-${SHELL.version}`;
const PAGE_CACHE = `civicgrid-pages-${SHELL.version}`;
const OURS = "civicgrid-";

// A page is kept only when it is the page itself, not a redirect to the sign-in page.
const keepable = (response) => response && response.ok && !response.redirected && response.type === "basic";

async function precache() {
  const statics = await caches.open(STATIC_CACHE);
  await Promise.all(
    SHELL.assets.map(async (url) => {
      try {
        const response = await fetch(url, { cache: "reload" });
        if (keepable(response)) await statics.put(url, response);
      } catch (e) {
        // One file missing must not stop the others: it is fetched again when used.
      }
    }),
  );
  const pages = await caches.open(PAGE_CACHE);
  await Promise.all(
    [...SHELL.pages, ...DATA].map(async (url) => {
      try {
        const response = await fetch(url, { credentials: "same-origin", cache: "no-store" });
        if (keepable(response)) await pages.put(url, response);
      } catch (e) {
        // Signed out or offline at install: the page is kept on its first visit instead.
      }
    }),
  );
}

self.addEventListener("install", (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith(OURS) && name !== STATIC_CACHE && name !== PAGE_CACHE)
            .map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

async function page(request) {
  const cache = await caches.open(PAGE_CACHE);
  try {
    const response = await fetch(request);
    if (keepable(response)) {
      await cache.put(request, response.clone());
    } else if (response.redirected && SHELL.login && new URL(response.url).pathname === SHELL.login) {
      // Signed out (or the session expired): no one else's pages stay on this phone.
      await caches.delete(PAGE_CACHE);
    }
    return response;
  } catch (e) {
    // Pages vary by cookie and language; on this phone there is one signed-in worker.
    const kept =
      (await cache.match(request, { ignoreVary: true })) ||
      (await cache.match(request, { ignoreSearch: true, ignoreVary: true })) ||
      (SHELL.home && (await cache.match(SHELL.home, { ignoreVary: true })));
    if (kept) return kept;
    return new Response("<!doctype html><meta charset=utf-8><title>离线</title><p>网络不可用,此页面尚未缓存。请联网后重试。</p>", {
      status: 503,
      headers: { "Content-Type": "text/html; charset=utf-8" },
    });
  }
}

// The worker's data (their grid's outline): the network's answer when there is one, kept for
// later; else the kept copy; else an empty answer the map can live with.
async function data(request) {
  const cache = await caches.open(PAGE_CACHE);
  try {
    const response = await fetch(request);
    if (keepable(response)) {
      await cache.put(request, response.clone());
      return response;
    }
    if (response.status === 401 || response.status === 403 || response.redirected) {
      // Signed out or no longer a grid worker: the old outline is not theirs to keep.
      await cache.delete(request, { ignoreSearch: true, ignoreVary: true });
    }
    return response;
  } catch (e) {
    const kept = await cache.match(request, { ignoreSearch: true, ignoreVary: true });
    if (kept) return kept;
    return new Response(JSON.stringify({ type: "FeatureCollection", features: [], offline: true }), {
      status: 503,
      headers: { "Content-Type": "application/geo+json; charset=utf-8" },
    });
  }
}

async function asset(request) {
  const cache = await caches.open(STATIC_CACHE);
  const kept = await cache.match(request, { ignoreSearch: true, ignoreVary: true });
  if (kept) return kept;
  const response = await fetch(request);
  if (keepable(response)) await cache.put(request, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(page(request));
  } else if (DATA.has(url.pathname)) {
    event.respondWith(data(request));
  } else if (url.pathname.startsWith(SHELL.static || "/static/")) {
    event.respondWith(asset(request));
  }
});
