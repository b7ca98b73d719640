// Offline use, on request. Over http(s) this worker keeps the site's own files that the reader
// opens (each page and asset of this build once fetched), so that what was read once can be read
// again without a network; nothing is downloaded that the reader did not open. When the reader
// presses "Save for offline use" (app.js sends `save`), it keeps every page and asset of the build
// (FILES, about BYTES bytes). `policybook build` writes this file to the site root as /sw.js (a
// stable name, so its scope is the whole site) and fills in BUILD (a hash of every file it built),
// FILES (every page and hashed asset, relative to this file) and BYTES (their size).
//
// A new build changes BUILD: the browser sees a new worker, which takes over and deletes this
// site's older caches. What the reader had kept comes along: the pages and assets of the new build
// that were in the old cache are fetched again, and a reader who had saved the whole site has the
// whole new build saved. Nothing else is stored, and nothing is sent anywhere: requests to other
// origins are not touched.
'use strict';
var BUILD = '__POLICYBOOK_BUILD__';
var FILES = __POLICYBOOK_FILES__;
var BYTES = __POLICYBOOK_BYTES__;
var SCOPE = self.registration.scope;
var PREFIX = 'policybook ' + SCOPE + ' ';
var CACHE = PREFIX + BUILD;
// Kept in the cache when the reader saved the whole site.
var SAVED = SCOPE + '__policybook-saved';

// Looked up on every fetch: a set, not a scan of FILES (thousands of entries on a large site).
var LISTED = new Set(FILES);

/** The file of this build at `href` (relative to the scope), or null. */
function listed(href) {
  var rel = href.indexOf(SCOPE) === 0 ? href.slice(SCOPE.length) : null;
  return rel !== null && LISTED.has(rel) ? rel : null;
}

// `reload`: straight from the server, never an older copy from the HTTP cache.
function fresh(href) { return new Request(href, { cache: 'reload' }); }

function saveAll(cache) {
  return cache.addAll(FILES.map(function (f) { return fresh(new URL(f, SCOPE).href); }))
    .then(function () { return cache.put(SAVED, new Response('')); });
}

self.addEventListener('install', function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    var older = keys.filter(function (k) { return k.indexOf(PREFIX) === 0 && k !== CACHE; });
    return Promise.all(older.map(function (k) { return caches.open(k).then(function (c) { return c.keys(); }); }));
  }).then(function (lists) {
    var kept = [];
    var saved = false;
    lists.forEach(function (requests) {
      requests.forEach(function (r) {
        if (r.url === SAVED) saved = true;
        else if (listed(r.url) !== null && kept.indexOf(r.url) < 0) kept.push(r.url);
      });
    });
    return caches.open(CACHE).then(function (cache) {
      return saved ? saveAll(cache) : cache.addAll(kept.map(fresh));
    });
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener('activate', function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf(PREFIX) === 0 && k !== CACHE; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener('fetch', function (event) {
  var request = event.request;
  if (request.method !== 'GET') return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || url.href.indexOf(SCOPE) !== 0) return;
  var key = keyOf(request.url);
  event.respondWith(caches.open(CACHE).then(function (cache) {
    return cache.match(key).then(function (hit) {
      if (hit) return hit;
      return fetch(request).then(function (response) {
        // Kept once opened: a file of this build, whole (not a range or an error).
        if (response.status === 200 && listed(key) !== null) cache.put(key, response.clone());
        return response;
      });
    });
  }));
});

/** The cache key of an address: a folder is its index.html; no fragment or query. */
function keyOf(href) {
  var url = new URL(href);
  return url.origin + (url.pathname.slice(-1) === '/' ? url.pathname + 'index.html' : url.pathname);
}

// From app.js, answered on the message's port with { saved, bytes, failed }: `status`; `save`
// (keep the whole site); `keep` with `urls`, the files the page that just registered this worker
// loaded before the worker ran (so the first page a reader opens is kept too, mostly from the
// browser's HTTP cache).
self.addEventListener('message', function (event) {
  var port = event.ports && event.ports[0];
  var type = event.data && event.data.type;
  if (!port || ['status', 'save', 'keep'].indexOf(type) < 0) return;
  var done = caches.open(CACHE).then(function (cache) {
    if (type === 'save') {
      return saveAll(cache).then(function () { return { saved: true }; }, function () { return { saved: false, failed: true }; });
    }
    var keys = type !== 'keep' || !Array.isArray(event.data.urls) ? [] : event.data.urls.map(keyOf)
      .filter(function (k, i, all) { return listed(k) !== null && all.indexOf(k) === i; });
    return Promise.all(keys.map(function (k) {
      return cache.match(k).then(function (hit) { return hit || cache.add(k).catch(function () {}); });
    })).then(function () { return cache.match(SAVED); }).then(function (hit) { return { saved: !!hit }; });
  }).then(function (answer) {
    answer.bytes = BYTES;
    port.postMessage(answer);
  });
  if (event.waitUntil) event.waitUntil(done);
});
