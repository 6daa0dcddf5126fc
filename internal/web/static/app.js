// ketnap's page script: registers the service worker and keeps the
// outbox — forms sent while the phone is offline are kept in IndexedDB
// with what was typed, listed as "chờ gửi" and sent when the connection
// returns. Progressive enhancement: every page works without it. The
// service worker imports this file for the outbox's storage (self.ketnap).
(function () {
  'use strict';

  var DB = 'ketnap', OUTBOX = 'outbox', META = 'meta', PAGES = 'ketnap-pages';

  // The forms the outbox takes: a new person, the steps of a case, the
  // chapter meeting's votes (never a file upload).
  function queueable(path) {
    return path === '/nguoi/moi' || path === '/ho-so/hop-chi-bo' ||
      /^\/ho-so\/\d+\/[a-z-]+(\/\d+\/[a-z-]+)?$/.test(path);
  }

  function req(r) {
    return new Promise(function (ok, fail) {
      r.onsuccess = function () { ok(r.result); };
      r.onerror = function () { fail(r.error); };
    });
  }
  var dbp = null;
  function db() {
    if (!dbp) {
      var r = indexedDB.open(DB, 1);
      r.onupgradeneeded = function () {
        r.result.createObjectStore(OUTBOX, { keyPath: 'id', autoIncrement: true });
        r.result.createObjectStore(META);
      };
      dbp = req(r);
    }
    return dbp;
  }
  function store(name, mode) {
    return db().then(function (d) { return d.transaction(name, mode).objectStore(name); });
  }
  var outbox = {
    add: function (item) { return store(OUTBOX, 'readwrite').then(function (s) { return req(s.add(item)); }); },
    put: function (item) { return store(OUTBOX, 'readwrite').then(function (s) { return req(s.put(item)); }); },
    get: function (id) { return store(OUTBOX, 'readonly').then(function (s) { return req(s.get(id)); }); },
    del: function (id) { return store(OUTBOX, 'readwrite').then(function (s) { return req(s.delete(id)); }); },
    all: function (user) {
      return store(OUTBOX, 'readonly').then(function (s) { return req(s.getAll()); })
        .then(function (items) { return items.filter(function (i) { return i.user === user; }); });
    },
    meta: function (key, value) {
      return store(META, value === undefined ? 'readonly' : 'readwrite').then(function (s) {
        return value === undefined ? req(s.get(key)) : req(s.put(value, key));
      });
    }
  };

  // when formats a time as "HH:MM dd/mm/yyyy", in Vietnam's time.
  function when(ms) {
    var d = new Date(ms), p = {};
    try {
      new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Asia/Ho_Chi_Minh', hour12: false, year: 'numeric', month: '2-digit',
        day: '2-digit', hour: '2-digit', minute: '2-digit'
      }).formatToParts(d).forEach(function (x) { p[x.type] = x.value; });
    } catch (e) {
      var z = function (n) { return (n < 10 ? '0' : '') + n; };
      p = { hour: z(d.getHours()), minute: z(d.getMinutes()), day: z(d.getDate()), month: z(d.getMonth() + 1), year: d.getFullYear() };
    }
    return p.hour + ':' + p.minute + ' ' + p.day + '/' + p.month + '/' + p.year;
  }

  // item builds an outbox entry from a form's fields.
  function item(user, action, fields, page, title) {
    var summary = '';
    fields.forEach(function (f) {
      if (!summary && f[0] === 'full_name') { summary = f[1]; }
    });
    return { user: user, action: action, fields: fields, page: page, title: title, summary: summary,
      at: Date.now(), state: 'pending', key: newKey() };
  }

  // newKey names a kept form once: sent again after its answer was lost,
  // the server recognises it and does not save it twice.
  function newKey() {
    if (self.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = new Uint8Array(16), out = '';
    self.crypto.getRandomValues(b);
    b.forEach(function (x) { out += (x < 16 ? '0' : '') + x.toString(16); });
    return out;
  }

  self.ketnap = { outbox: outbox, queueable: queueable, when: when, item: item, PAGES: PAGES };
  if (typeof document === 'undefined') {
    return; // in the service worker: storage only
  }

  var meta = document.querySelector('meta[name="ketnap-user"]');
  var user = meta ? meta.content : '';
  var flushing = false;
  var lastSent = [];

  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/sw.js').catch(function () {});
  }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text) { e.textContent = text; }
    return e;
  }

  // titleOf names the form for the outbox list: its panel's summary, its
  // legend or heading, else the page's title.
  function titleOf(form) {
    var d = form.closest('details');
    var t = d && d.querySelector('summary');
    t = t || form.querySelector('legend, h2, h3');
    var s = t ? t.textContent : document.title.replace(/ · ketnap$/, '');
    return s.replace(/\s+/g, ' ').trim();
  }

  function fieldsOf(form, submitter) {
    var fd;
    try { fd = new FormData(form, submitter || undefined); } catch (e) { fd = new FormData(form); }
    var out = [];
    fd.forEach(function (v, k) { if (typeof v === 'string') { out.push([k, v]); } });
    return out;
  }

  // Forms sent while offline go to the outbox.
  document.addEventListener('submit', function (ev) {
    var form = ev.target;
    if (!(form instanceof HTMLFormElement)) { return; }
    var action = new URL(form.action, location.href);
    if (action.pathname === '/dang-xuat') { // signing out: forget the saved pages
      if (window.caches) { caches.delete(PAGES); }
      return;
    }
    if ((form.method || '').toLowerCase() !== 'post' || action.origin !== location.origin) { return; }
    if (form.dataset.outboxId) { // a kept form sent again after a conflict: it leaves the outbox
      outbox.del(Number(form.dataset.outboxId));
    }
    if (navigator.onLine || !user || !queueable(action.pathname) || form.enctype === 'multipart/form-data') { return; }
    ev.preventDefault();
    var it = item(user, action.pathname + action.search, fieldsOf(form, ev.submitter),
      location.pathname + location.search, titleOf(form));
    outbox.add(it).then(function () {
      var note = form.querySelector('.outbox-note') || el('p', { 'class': 'outbox-note', role: 'status' });
      note.textContent = 'Đã lưu trên máy — chờ gửi khi có mạng.';
      form.insertBefore(note, form.firstChild);
      return render();
    });
  });

  // message reads the refusal out of a 409 or 422 page.
  function message(html) {
    var doc = new DOMParser().parseFromString(html, 'text/html');
    var seen = {}, out = [];
    doc.querySelectorAll('main .alert, main .field-error, main .error .message, main [role="alert"]').forEach(function (e) {
      var s = e.textContent.replace(/\s+/g, ' ').trim();
      if (s && !seen[s]) { seen[s] = true; out.push(s); }
    });
    return out.slice(0, 4).join(' · ');
  }

  // flush sends the pending forms of this user, oldest first.
  function flush() {
    if (flushing || !user || !navigator.onLine) { return Promise.resolve(); }
    flushing = true;
    return outbox.all(user).then(function (items) {
      var pending = items.filter(function (i) { return i.state === 'pending' || i.state === 'login'; });
      var chain = Promise.resolve(true);
      pending.forEach(function (it) {
        chain = chain.then(function (go) {
          if (!go) { return false; }
          return send(it);
        });
      });
      return chain;
    }).catch(function () {}).then(function () { flushing = false; return render(); });
  }

  // send sends one kept form; it resolves false when the rest must wait.
  function send(it) {
    var body = new URLSearchParams(it.fields);
    if (it.key) { body.set('outbox_key', it.key); }
    return fetch(it.action, {
      method: 'POST', credentials: 'same-origin', redirect: 'follow', body: body
    }).then(function (res) {
      var to = new URL(res.url, location.href);
      if (to.pathname === '/dang-nhap') { // the session ended: keep it, ask to sign in
        it.state = 'login';
        it.message = 'Cần đăng nhập lại để gửi.';
        return outbox.put(it).then(function () { return false; });
      }
      if (res.ok) {
        lastSent.push({ title: it.title, summary: it.summary, url: to.pathname + to.search });
        return outbox.del(it.id).then(function () { return true; });
      }
      if (res.status === 409 || res.status === 422) {
        return res.text().then(function (html) {
          it.state = res.status === 409 ? 'conflict' : 'invalid';
          it.status = res.status;
          it.message = message(html);
          it.tried = Date.now();
          return outbox.put(it);
        }).then(function () { return true; });
      }
      it.message = 'Máy chủ trả lời mã ' + res.status + '; sẽ gửi lại sau.';
      return outbox.put(it).then(function () { return false; });
    }, function () { return false; }); // still offline
  }

  var labels = {
    pending: 'chờ gửi',
    login: 'chờ gửi — cần đăng nhập',
    conflict: 'xung đột — dữ liệu đã bị thay đổi',
    invalid: 'bị từ chối — cần sửa'
  };

  // render shows the outbox: a count in the header, a list on the page.
  function render() {
    if (!user) { return Promise.resolve(); }
    return outbox.all(user).then(function (items) {
      var header = document.querySelector('header.top');
      var count = document.getElementById('outbox-count');
      var main = document.getElementById('main');
      var box = document.getElementById('cho-gui');
      if (box) { box.remove(); }
      if (count) { count.remove(); }
      if (lastSent.length && main) {
        var sent = document.getElementById('outbox-sent') || el('section', { id: 'outbox-sent', 'class': 'outbox sent', role: 'status' });
        sent.textContent = '';
        sent.appendChild(el('p', {}, 'Đã gửi ' + lastSent.length + ' biểu mẫu lưu lúc ngoại tuyến:'));
        var ul = el('ul');
        lastSent.forEach(function (s) {
          var li = el('li');
          li.appendChild(el('a', { href: s.url }, s.title + (s.summary ? ': ' + s.summary : '')));
          ul.appendChild(li);
        });
        sent.appendChild(ul);
        main.insertBefore(sent, main.firstChild);
      }
      if (!items.length) { return; }
      if (header) {
        count = el('a', { id: 'outbox-count', 'class': 'outbox-count', href: '#cho-gui' }, 'Chờ gửi: ' + items.length);
        var signout = header.querySelector('form.signout');
        header.insertBefore(count, signout);
      }
      if (!main) { return; }
      box = el('section', { id: 'cho-gui', 'class': 'outbox', 'aria-labelledby': 'cho-gui-title' });
      box.appendChild(el('h2', { id: 'cho-gui-title' }, 'Biểu mẫu chờ gửi (' + items.length + ')'));
      box.appendChild(el('p', { 'class': 'hint' }, navigator.onLine
        ? 'Biểu mẫu lưu lúc mất mạng. Những biểu mẫu chờ gửi được gửi tự động.'
        : 'Đang mất mạng: các biểu mẫu được giữ trên máy này và tự gửi khi có mạng lại.'));
      var list = el('ul');
      items.forEach(function (it) {
        var li = el('li', { id: 'cho-gui-' + it.id, 'class': 'outbox-item state-' + it.state });
        li.appendChild(el('strong', {}, it.title + (it.summary ? ': ' + it.summary : '')));
        li.appendChild(document.createTextNode(' · nhập lúc ' + when(it.at) + ' '));
        li.appendChild(el('span', { 'class': 'badge outbox-state' }, labels[it.state] || it.state));
        if (it.message) { li.appendChild(el('p', { 'class': 'outbox-message' }, it.message)); }
        var acts = el('p', { 'class': 'outbox-actions' });
        if (it.state === 'conflict' || it.state === 'invalid') {
          acts.appendChild(el('a', { href: it.page + '#sua-cho-gui-' + it.id, 'class': 'outbox-resolve' },
            'Mở biểu mẫu với những gì đã nhập để xem lại và gửi lại'));
          acts.appendChild(document.createTextNode(' '));
        }
        var drop = el('button', { type: 'button', 'class': 'small outbox-drop' }, 'Bỏ');
        drop.addEventListener('click', function () {
          if (window.confirm('Bỏ biểu mẫu này? Những gì đã nhập sẽ mất.')) { outbox.del(it.id).then(render); }
        });
        acts.appendChild(drop);
        li.appendChild(acts);
        list.appendChild(li);
      });
      box.appendChild(list);
      main.insertBefore(box, main.firstChild);
    });
  }

  // restore puts a kept form's typed values back into the same form on
  // its page (#sua-cho-gui-N), keeping the page's fresh version, so that
  // the user sees the current data next to what they typed.
  function restore() {
    var m = /^#sua-cho-gui-(\d+)$/.exec(location.hash);
    if (!m || !user) { return; }
    outbox.get(Number(m[1])).then(function (it) {
      if (!it || it.user !== user) { return; }
      var form = Array.prototype.find.call(document.forms, function (f) {
        var a = new URL(f.action, location.href);
        return (f.method || '').toLowerCase() === 'post' && a.pathname + a.search === it.action;
      });
      if (!form) { return; }
      var values = {};
      it.fields.forEach(function (f) { (values[f[0]] = values[f[0]] || []).push(f[1]); });
      Array.prototype.forEach.call(form.elements, function (e) {
        if (!e.name || /^version(\.|$)/.test(e.name) || !(e.name in values)) { return; }
        if (e.type === 'checkbox' || e.type === 'radio') {
          e.checked = values[e.name].indexOf(e.value) >= 0;
        } else if (e.type !== 'hidden' && e.type !== 'submit' && e.type !== 'button' && e.type !== 'file') {
          e.value = values[e.name][0];
        }
      });
      Array.prototype.forEach.call(form.elements, function (e) {
        if (e.type === 'checkbox' && !e.name.match(/^version/) && !(e.name in values)) { e.checked = false; }
      });
      for (var d = form.closest('details'); d; d = d.parentElement && d.parentElement.closest('details')) { d.open = true; }
      form.dataset.outboxId = String(it.id);
      var note = el('p', { 'class': 'alert outbox-restored', role: 'status', id: 'outbox-restored' },
        'Đây là những gì bạn đã nhập lúc ngoại tuyến (' + when(it.at) + '). ' +
        (it.message ? it.message + ' ' : '') + 'Hãy xem lại với dữ liệu hiện tại rồi gửi lại.');
      form.insertBefore(note, form.firstChild);
      form.scrollIntoView();
    });
  }

  // savedPages lists the pages kept on the phone (on the offline page).
  function savedPages() {
    var box = document.getElementById('saved-pages');
    if (!box || !window.caches) { return; }
    caches.open(PAGES).then(function (c) {
      return c.keys().then(function (keys) {
        return Promise.all(keys.map(function (r) { return c.match(r); })).then(function (rs) {
          if (!keys.length) { return; }
          box.appendChild(el('h2', {}, 'Các trang đã lưu trên máy'));
          var ul = el('ul');
          keys.forEach(function (r, i) {
            var u = new URL(r.url), li = el('li');
            var t = decodeURIComponent(rs[i].headers.get('X-Ketnap-Title') || '') || u.pathname;
            li.appendChild(el('a', { href: u.pathname + u.search }, t.replace(/ · ketnap$/, '')));
            li.appendChild(document.createTextNode(' · lưu lúc ' + when(Number(rs[i].headers.get('X-Ketnap-Saved')))));
            ul.appendChild(li);
          });
          box.appendChild(ul);
        });
      });
    }).catch(function () {});
  }

  // dropPagesBefore forgets the pages saved before time t (ms since 1970).
  function dropPagesBefore(t) {
    return caches.open(PAGES).then(function (c) {
      return c.keys().then(function (keys) {
        return Promise.all(keys.map(function (r) {
          return c.match(r).then(function (res) {
            if (!res || Number(res.headers.get('X-Ketnap-Saved')) < t) { return c.delete(r); }
          });
        }));
      });
    });
  }

  // Unit pickers: an input whose datalist has data-org-search gets the
  // units whose name or code contains what is typed, within the user's
  // scope (GET /api/v1/orgs?q=), as the user types.
  function orgPickers() {
    document.querySelectorAll('datalist[data-org-search]').forEach(function (list) {
      var input = document.querySelector('input[list="' + list.id + '"]');
      if (!input) { return; }
      var timer = 0, asked = '';
      input.addEventListener('input', function () {
        clearTimeout(timer);
        var q = input.value.trim();
        if (q.length < 2 || q === asked) { return; }
        timer = setTimeout(function () {
          asked = q;
          fetch('/api/v1/orgs?limit=30&q=' + encodeURIComponent(q), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
            .then(function (r) { return r.ok ? r.json() : null; })
            .then(function (body) {
              if (!body || !body.orgs || input.value.trim() !== q) { return; }
              list.textContent = '';
              body.orgs.forEach(function (o) { list.appendChild(el('option', { value: o.code }, o.name)); });
            }).catch(function () {});
        }, 250);
      });
    });
  }

  // On a phone the long sections of a page (details.fold) start folded.
  function foldOnPhone() {
    if (!window.matchMedia || !matchMedia('(max-width: 40rem)').matches) { return; }
    var target = null; // a section the address points into stays open
    try { target = location.hash.length > 1 ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null; } catch (e) { target = null; }
    document.querySelectorAll('details.fold[open]').forEach(function (d) {
      if (!(target && d.contains(target))) { d.removeAttribute('open'); }
    });
  }

  // fold strips diacritics and case, as the server's name_fold does.
  function fold(s) {
    return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'd').toLowerCase();
  }

  // Long lists (select[data-filter], the villages grouped by commune) get a
  // filter above them: typing keeps the entries, or the communes' groups,
  // whose name holds what is typed; the chosen entry always stays.
  function selectFilters() {
    document.querySelectorAll('select[data-filter]').forEach(function (sel) {
      var all = Array.prototype.map.call(sel.children, function (c) { return c; });
      var input = el('input', { type: 'search', 'class': 'select-filter', placeholder: sel.dataset.filter,
        'aria-label': sel.dataset.filter, autocomplete: 'off', id: sel.id + '-filter' });
      sel.parentNode.insertBefore(input, sel);
      input.addEventListener('input', function () {
        var q = fold(input.value.trim()), chosen = sel.value;
        sel.textContent = '';
        all.forEach(function (c) {
          if (c.tagName === 'OPTGROUP') {
            var whole = fold(c.label).indexOf(q) >= 0;
            var g = c.cloneNode(false);
            Array.prototype.forEach.call(c.children, function (o) {
              if (!q || whole || o.value === chosen || fold(o.textContent).indexOf(q) >= 0) { g.appendChild(o.cloneNode(true)); }
            });
            if (g.children.length) { sel.appendChild(g); }
          } else if (!q || !c.value || c.value === chosen || fold(c.textContent).indexOf(q) >= 0) {
            sel.appendChild(c.cloneNode(true));
          }
        });
        sel.value = chosen;
        if (!sel.value && q) { // one match left: take it
          var only = sel.querySelectorAll('option[value]:not([value=""])');
          if (only.length === 1) { sel.value = only[0].value; }
        }
      });
    });
  }

  function start() {
    foldOnPhone();
    selectFilters();
    orgPickers();
    savedPages();
    if (!user) { return; }
    // the saved pages belong to one user: another one's are dropped
    // (those saved before this page was asked for; this page's own copy,
    // which the worker may have kept already, stays)
    outbox.meta('user').then(function (prev) {
      if (prev !== user && window.caches) { return dropPagesBefore(performance.timeOrigin); }
    }).then(function () { return outbox.meta('user', user); }).catch(function () {});
    render().then(restore).then(flush);
  }
  window.addEventListener('online', flush);
  window.addEventListener('offline', render);
  // the resolve link of a form kept on this very page: load the page
  // afresh, so that the form carries the case's current version
  window.addEventListener('hashchange', function () {
    if (/^#sua-cho-gui-\d+$/.test(location.hash)) { location.reload(); }
  });
  start();
})();
