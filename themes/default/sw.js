// Offline use. After one visit over http(s), every page and asset of this build is kept in the
// browser's Cache Storage and answered from there, so the site keeps working with the network off.
// `policybook build` writes this file to the site root as /sw.js (a stable name, so its scope is
// the whole site) and fills in BUILD (a hash of every file it built) and FILES (every page and
// hashed asset, relative to this file). A new build changes BUILD: the browser sees a new worker,
// which caches the new files, takes over, and deletes this site's older caches. Nothing else is
// stored, and nothing is sent anywhere: requests to other origins are not touched.
'use strict';
var BUILD = '__POLICYBOOK_BUILD__';
var FILES = __POLICYBOOK_FILES__;
var SCOPE = self.registration.scope;
var PREFIX = 'policybook ' + SCOPE + ' ';
var CACHE = PREFIX + BUILD;

self.addEventListener('install', function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    // `reload`: straight from the server, never an older copy from the HTTP cache.
    return cache.addAll(FILES.map(function (f) { return new Request(new URL(f, SCOPE), { cache: 'reload' }); }));
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
  // A folder address (`/zh/q/24/`) is its index.html; the fragment and query are not part of the file.
  var path = url.pathname.slice(-1) === '/' ? url.pathname + 'index.html' : url.pathname;
  event.respondWith(caches.open(CACHE).then(function (cache) {
    return cache.match(url.origin + path).then(function (hit) { return hit || fetch(request); });
  }));
});
