// ketnap's service worker, served at /sw.js (scope: the whole site).
// - The app shell (CSS, the page script, icons, the offline page) is
//   stored when the worker installs and served from the phone.
// - Pages the user opens are fetched from the network first; a copy of
//   each is kept, and when the network fails the copy is shown under a
//   banner "Đang xem bản lưu lúc HH:MM dd/mm/yyyy (ngoại tuyến)". A page
//   never saved falls back to the offline page.
// - Never kept: answers to POST, downloads (xlsx, pdf, docx: anything not
//   HTML or sent as an attachment), the sign-in pages. Signing in or out
//   drops the saved pages; the page script drops them too when another
//   user signs in.
// - A form of the outbox whose sending fails on the network (a weak
//   connection) is kept in the outbox and the browser goes back to its page.
// The server fills in the shell's URLs and the version (internal/web/pwa.go).
'use strict';

var VERSION = self.VERSION || 'dev';
var SHELL = self.SHELL || [];
var SHELL_CACHE = 'ketnap-shell-' + VERSION;
var MAX_PAGES = 60;
var OFFLINE = '/ngoai-tuyen';

importScripts(self.APP_JS || '/static/app.js');
var k = self.ketnap;

self.addEventListener('install', function (event) {
  event.waitUntil(caches.open(SHELL_CACHE).then(function (c) { return c.addAll(SHELL); })
    .then(function () { return self.skipWaiting(); }));
});

self.addEventListener('activate', function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (n) {
      return n.indexOf('ketnap-shell-') === 0 && n !== SHELL_CACHE;
    }).map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener('fetch', function (event) {
  var req = event.request;
  var url = new URL(req.url);
  if (url.origin !== self.location.origin) { return; }
  if (req.method !== 'GET') {
    if (url.pathname === '/dang-xuat' || url.pathname === '/dang-nhap') {
      event.waitUntil(caches.delete(k.PAGES));
      return;
    }
    if (req.method === 'POST' && req.mode === 'navigate' && k.queueable(url.pathname) &&
        (req.headers.get('Content-Type') || '').indexOf('application/x-www-form-urlencoded') === 0) {
      event.respondWith(postOrKeep(req));
    }
    return;
  }
  if (url.pathname.indexOf('/static/') === 0 || url.pathname === '/manifest.webmanifest') {
    event.respondWith(fromShell(req));
    return;
  }
  if (req.mode === 'navigate') {
    event.respondWith(networkFirst(event, req, url));
  }
});

// fromShell answers a static file from the shell (any version of it when
// a saved page links an older one), else from the network.
function fromShell(req) {
  return caches.match(req).then(function (hit) {
    return hit || fetch(req).catch(function () {
      return caches.match(req, { ignoreSearch: true }).then(function (old) {
        return old || Response.error();
      });
    });
  });
}

// pageKey is the URL a page is saved under: without the confirmation's
// code (da=) a redirect after a save adds.
function pageKey(url) {
  var u = new URL(url.href);
  u.searchParams.delete('da');
  u.hash = '';
  return u.href;
}

function keepable(url, res) {
  if (res.status !== 200 || res.type !== 'basic' || res.redirected) { return false; }
  if (url.pathname === '/dang-nhap' || url.pathname === '/doi-mat-khau' || url.pathname === OFFLINE) { return false; }
  var type = res.headers.get('Content-Type') || '';
  var disp = res.headers.get('Content-Disposition') || '';
  return type.indexOf('text/html') === 0 && disp.indexOf('attachment') < 0;
}

function networkFirst(event, req, url) {
  return fetch(req).then(function (res) {
    if (keepable(url, res)) {
      event.waitUntil(keep(pageKey(url), res.clone()));
    }
    return res;
  }, function () {
    return caches.open(k.PAGES).then(function (c) { return c.match(pageKey(url)); }).then(function (hit) {
      if (hit) { return withBanner(hit); }
      return caches.match(OFFLINE).then(function (off) {
        return off || new Response('Đang ngoại tuyến', { status: 503, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
      });
    });
  });
}

// keep saves a page with the time it was fetched and its title, and
// keeps the last MAX_PAGES.
function keep(key, res) {
  return res.text().then(function (html) {
    var m = /<title>([^<]*)<\/title>/.exec(html);
    var headers = new Headers({ 'Content-Type': 'text/html; charset=utf-8', 'X-Ketnap-Saved': String(Date.now()),
      'X-Ketnap-Title': encodeURIComponent(m ? m[1] : '') });
    return caches.open(k.PAGES).then(function (c) {
      return c.delete(key).then(function () {
        return c.put(key, new Response(html, { status: 200, headers: headers }));
      }).then(function () { return c.keys(); }).then(function (keys) {
        return Promise.all(keys.slice(0, Math.max(0, keys.length - MAX_PAGES)).map(function (r) { return c.delete(r); }));
      });
    });
  });
}

// withBanner shows a saved page under the offline banner.
function withBanner(res) {
  var saved = Number(res.headers.get('X-Ketnap-Saved')) || Date.now();
  return res.text().then(function (html) {
    var banner = '<p class="offline-banner" id="offline-banner" role="status">Đang xem bản lưu lúc ' +
      k.when(saved) + ' (ngoại tuyến)</p>\n';
    var at = html.indexOf('<main');
    html = at >= 0 ? html.slice(0, at) + banner + html.slice(at) : banner + html;
    return new Response(html, { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
  });
}

// postOrKeep sends a form of the outbox; when the network fails, the form
// is kept in the outbox and the browser goes back to the page it was on.
function postOrKeep(req) {
  var copy = req.clone();
  return fetch(req).catch(function () {
    return Promise.all([copy.formData(), k.outbox.meta('user')]).then(function (r) {
      var fields = [];
      r[0].forEach(function (v, name) { if (typeof v === 'string') { fields.push([name, v]); } });
      var url = new URL(req.url);
      var back = req.referrer ? new URL(req.referrer) : new URL('/', self.location.origin);
      var title = 'Biểu mẫu gửi lúc mất mạng';
      if (url.pathname === '/nguoi/moi') { title = 'Thêm quần chúng, đảng viên'; }
      if (url.pathname === '/ho-so/hop-chi-bo') { title = 'Họp chi bộ: biểu quyết'; }
      if (!r[1]) { throw new Error('no user'); }
      return k.outbox.add(k.item(r[1], url.pathname + url.search, fields, back.pathname + back.search, title))
        .then(function () { return Response.redirect(back.pathname + back.search + '#cho-gui', 303); });
    }).catch(function () {
      return caches.match(OFFLINE).then(function (off) { return off || Response.error(); });
    });
  });
}
