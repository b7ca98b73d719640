// Progressive enhancement for every page (search box, highlighting). Pages work without it.
//
// Search: the header's #search placeholder becomes an ARIA combobox, shown by the header's
// search button. Nothing extra is downloaded
// until the box is used: focusing it (or pressing `/`) inserts two same-origin classic scripts,
// the engine (wasm inlined) and this language's index, then every keystroke is answered locally.
// Result links carry the query in the fragment (#hl=…); the page they lead to marks the matches
// in its text with the same engine. No storage, no cookies, no request while typing.
'use strict';
(function () {
  var box = document.getElementById('search');
  if (!box || !box.dataset) return;
  var d = box.dataset;
  var lang = d.lang || document.documentElement.lang.slice(0, 2) || 'zh';
  var root = d.root || '';
  var LIMIT = 10;
  var DEBOUNCE = 80;

  function str(key, fallback) { return d[key] || fallback || ''; }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  // ---- Loading: two <script src> elements, once, on demand ----------------------------------
  var scripts = {};
  function loadScript(src) {
    if (!src) return Promise.reject(new Error('no script'));
    if (!scripts[src]) {
      scripts[src] = new Promise(function (resolve, reject) {
        var s = document.createElement('script');
        s.src = src;
        s.onload = resolve;
        s.onerror = function () { reject(new Error('cannot load ' + src)); };
        document.head.appendChild(s);
      });
    }
    return scripts[src];
  }
  function usable(engine) { return engine && engine.built !== false; }
  var enginePromise = null;
  function loadEngine() {
    if (!enginePromise) {
      enginePromise = loadScript(d.engine).then(function () {
        var engine = window.policybookEngine;
        if (!usable(engine)) throw new Error('engine unavailable');
        return engine;
      });
    }
    return enginePromise;
  }
  var indexPromise = null;
  var indexReady = false;
  function loadSearch() {
    if (!indexPromise) {
      indexPromise = Promise.all([loadEngine(), loadScript(d.index)]).then(function (all) {
        var engine = all[0];
        var store = window.policybookIndex || {};
        if (typeof store[lang] !== 'string' || typeof engine.search !== 'function') throw new Error('no index');
        var loaded = JSON.parse(engine.load_index(lang, store[lang]));
        delete store[lang]; // parsed into the engine; drop the text
        if (!loaded.ok) throw new Error(loaded.error);
        // A large site's index comes in chunks, each a script that hands its part to the engine.
        window.policybookSearchChunk = function (l, payload) {
          var added = JSON.parse(engine.add_chunk(l, payload));
          if (!added.ok && window.console) console.warn('policybook search: ' + added.error);
        };
        indexReady = true;
        return engine;
      });
    }
    return indexPromise;
  }

  // ---- Links: the engine's site-absolute "/zh/q/24/" → "<root>zh/q/24/index.html#hl=…" ------
  function href(url, query) {
    var parts = String(url).split('#');
    var path = parts[0].replace(/^\/+/, '');
    if (path === '' || path.slice(-1) === '/') path += 'index.html';
    if (parts.length > 1) return root + path + '#' + parts.slice(1).join('#');
    return root + path + '#hl=' + encodeURIComponent(query);
  }

  // The engine's snippet is escaped HTML whose only markup is <mark>; parsed in an inert
  // <template> and checked, so that anything else would show as text.
  function snippetNode(html) {
    var t = document.createElement('template');
    t.innerHTML = String(html);
    var ok = true;
    (function check(node) {
      for (var c = node.firstChild; c; c = c.nextSibling) {
        if (c.nodeType === 3) continue;
        if (c.nodeType !== 1 || c.nodeName !== 'MARK' || c.attributes.length) { ok = false; return; }
        check(c);
      }
    })(t.content);
    if (ok) return t.content;
    return document.createTextNode(t.content.textContent);
  }

  // ---- The widget ---------------------------------------------------------------------------
  var toggle = document.getElementById('search-toggle');
  var input, clear, panel, list, message, status, keys;
  var results = [];
  var active = -1;
  var timer = 0;
  var lastQuery = null;
  var failed = false;

  function build() {
    box.setAttribute('role', 'search');
    var field = el('div', 'search-field');
    var label = el('label', 'search-vh', str('searchLabel', 'Search'));
    label.htmlFor = 'search-input';
    input = el('input', 'search-input');
    input.id = 'search-input';
    input.type = 'search';
    input.placeholder = str('searchPlaceholder');
    input.autocomplete = 'off';
    input.spellcheck = false;
    input.setAttribute('autocapitalize', 'off');
    input.setAttribute('enterkeyhint', 'search');
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('aria-controls', 'search-results');
    input.setAttribute('aria-keyshortcuts', '/');
    var kbd = el('kbd', 'search-kbd', '/');
    kbd.setAttribute('aria-hidden', 'true');
    clear = el('button', 'search-clear', '×');
    clear.type = 'button';
    clear.hidden = true;
    clear.setAttribute('aria-label', str('searchClear', 'Clear'));
    panel = el('div', 'search-panel');
    panel.hidden = true;
    message = el('p', 'search-message');
    message.hidden = true;
    list = el('div', 'search-results');
    list.id = 'search-results';
    list.setAttribute('role', 'listbox');
    list.setAttribute('aria-label', str('searchResults', 'Search results'));
    keys = el('p', 'search-keys', str('searchKeys'));
    keys.setAttribute('aria-hidden', 'true');
    panel.append(message, list, keys);
    field.append(label, input, kbd, clear, panel);
    status = el('p', 'search-vh');
    status.setAttribute('role', 'status');
    status.setAttribute('aria-live', 'polite');
    box.append(field, status);
    // The box opens from the header's search button (kept in place, disabled, until now), so
    // that it takes no room on a phone until it is wanted.
    if (toggle) {
      toggle.disabled = false;
      toggle.addEventListener('click', function () {
        var show = box.hidden;
        showBox(show);
        if (show) input.focus(); else toggle.focus();
      });
    } else {
      box.hidden = false;
    }

    input.addEventListener('focus', function () {
      start();
      if (input.value.trim() && (results.length || !message.hidden)) open(true);
    });
    var later = function () {
      clear.hidden = input.value === '';
      clearTimeout(timer);
      timer = setTimeout(run, DEBOUNCE);
    };
    input.addEventListener('input', function (e) { if (!e.isComposing) later(); }); // not mid-IME
    input.addEventListener('compositionend', later);
    input.addEventListener('keydown', onKey);
    clear.addEventListener('click', function () { reset(); input.focus(); });
    box.addEventListener('focusout', function (e) {
      if (!e.relatedTarget || !box.contains(e.relatedTarget)) open(false);
    });
    document.addEventListener('pointerdown', function (e) {
      if (!box.contains(e.target)) open(false);
    });
    list.addEventListener('pointerdown', function (e) { e.preventDefault(); }); // keep focus in the box
    document.addEventListener('keydown', function (e) {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
      var t = e.target;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.nodeName))) return;
      e.preventDefault();
      showBox(true);
      input.focus();
      input.select();
    });
  }

  function showBox(yes) {
    box.hidden = !yes;
    if (toggle) toggle.setAttribute('aria-expanded', String(yes));
    if (!yes) open(false);
  }

  function start() {
    loadSearch().then(function () {
      if (input.value.trim()) run();
    }, function (err) {
      failed = true;
      if (input.value.trim()) showMessage('searchError', true);
      if (window.console) console.warn('policybook search: ' + (err && err.message));
    });
  }

  function open(yes) {
    panel.hidden = !yes;
    input.setAttribute('aria-expanded', yes && results.length ? 'true' : 'false');
    if (!yes) setActive(-1);
  }

  function reset() {
    clearTimeout(timer);
    input.value = '';
    clear.hidden = true;
    lastQuery = null;
    render([], '');
    message.hidden = true;
    status.textContent = '';
    open(false);
  }

  // A message in the panel instead of results; with `link`, a way out to the contents.
  function showMessage(key, link, hintKey) {
    message.textContent = '';
    message.append(el('strong', null, str(key)));
    if (hintKey) message.append(el('span', null, str(hintKey)));
    if (link) {
      var a = el('a', null, str('searchContents'));
      a.href = root + lang + '/index.html#contents';
      message.append(a);
    }
    message.hidden = false;
    status.textContent = str(key);
    open(true);
  }

  function run() {
    clearTimeout(timer);
    var q = input.value;
    if (!q.trim()) { reset(); return; }
    if (failed) { showMessage('searchError', true); return; }
    if (!indexReady) { showMessage('searchLoading'); return; }
    if (q === lastQuery) { open(true); return; }
    lastQuery = q;
    var found = [];
    try {
      found = ask(q, 0);
    } catch (err) {
      found = [];
    }
    if (typeof found.then === 'function') {
      found.then(function (rows) {
        if (lastQuery === q) show(rows, q);
      }, function (err) {
        if (lastQuery === q) showMessage('searchError', true);
        if (window.console) console.warn('policybook search: ' + (err && err.message));
      });
      return;
    }
    show(found, q);
  }

  // The engine's answer: the results, or (a chunked index) the chunk scripts to load first,
  // which it names itself; then it is asked again.
  function ask(q, round) {
    var answer = JSON.parse(window.policybookEngine.search(lang, q, LIMIT));
    if (!answer.need) return answer.results || [];
    if (round > 3) throw new Error('the index chunks do not answer ' + answer.need.join(' '));
    return Promise.all(answer.need.map(function (path) { return loadScript(root + path); }))
      .then(function () { return ask(q, round + 1); });
  }

  function show(found, q) {
    render(found, q);
    if (found.length) {
      message.hidden = true;
      var n = found.length;
      status.textContent = n === 1 ? str('searchCountOne', '1') : str('searchCount', '{n}').replace('{n}', n);
      open(true);
    } else {
      showMessage('searchNone', true, 'searchNoneHint');
    }
  }

  function render(found, q) {
    results = found;
    active = -1;
    input.removeAttribute('aria-activedescendant');
    list.textContent = '';
    list.dataset.query = q; // what the list answers (tests wait for it)
    found.forEach(function (r, i) {
      var a = el('a', 'search-option');
      a.id = 'search-opt-' + i;
      a.href = href(r.url, r.hl || q); // the words that matched there: the guide's word for an everyday one
      a.dataset.url = r.url;
      a.tabIndex = -1;
      a.setAttribute('role', 'option');
      a.setAttribute('aria-selected', 'false');
      var head = el('span', 'search-head');
      head.id = a.id + '-t';
      head.append(el('span', 'qnum', r.number == null ? '' : String(r.number))); // empty: keeps titles aligned
      head.append(el('span', 'search-title', r.title));
      var snip = el('span', 'search-snippet');
      snip.id = a.id + '-s';
      snip.append(snippetNode(r.snippet));
      // The option's name is its whole visible text (title and snippet), so that speech input
      // and screen readers name it by what is shown (WCAG 2.5.3; axe label-content-name-mismatch).
      a.append(head, snip);
      a.addEventListener('click', function () { open(false); });
      a.addEventListener('mousemove', function () { if (active !== i) setActive(i, true); });
      list.append(a);
    });
    list.hidden = !found.length;
    keys.hidden = !found.length;
  }

  function setActive(i, quiet) {
    var prev = list.children[active];
    if (prev) prev.setAttribute('aria-selected', 'false');
    active = i;
    var cur = list.children[i];
    if (cur) {
      cur.setAttribute('aria-selected', 'true');
      input.setAttribute('aria-activedescendant', cur.id);
      if (!quiet) cur.scrollIntoView({ block: 'nearest' });
    } else {
      active = -1;
      input.removeAttribute('aria-activedescendant');
    }
  }

  function onKey(e) {
    var n = results.length;
    switch (e.key) {
      case 'ArrowDown':
      case 'ArrowUp':
        if (e.altKey) return;
        e.preventDefault();
        if (panel.hidden) { if (input.value.trim()) { run(); open(true); } return; }
        if (!n) return;
        if (e.key === 'ArrowDown') setActive(active + 1 >= n ? 0 : active + 1);
        else setActive(active <= 0 ? n - 1 : active - 1);
        return;
      case 'Enter':
        if (e.isComposing) return; // an IME is choosing characters
        e.preventDefault();
        if (input.value !== lastQuery) run();
        var target = !panel.hidden && list.children[active >= 0 ? active : 0];
        if (target) target.click();
        return;
      case 'Escape':
        e.preventDefault();
        if (!panel.hidden) open(false);
        else reset();
        return;
      case 'Home': case 'End':
        setActive(-1);
        return;
      default:
    }
  }

  // ---- Highlight on landing: #hl=<query> --------------------------------------------------------
  function highlightQuery() {
    var m = /^#hl=(.*)$/.exec(location.hash);
    if (!m) return null;
    try { return decodeURIComponent(m[1]); } catch (err) { return null; }
  }

  var SKIP = /^(NAV|ASIDE|SCRIPT|STYLE|MARK|TEMPLATE|BUTTON|INPUT|TEXTAREA|SELECT)$/;
  var BLOCKS = 'h1,h2,h3,h4,p,li,dt,dd,td,th,blockquote,figcaption';

  function highlight(engine, q) {
    if (typeof engine.match_ranges !== 'function') return;
    var main = document.getElementById('main');
    if (!main) return;
    var first = null;
    var blocks = main.querySelectorAll(BLOCKS);
    for (var b = 0; b < blocks.length; b++) {
      var block = blocks[b];
      if (skipped(block, main) || block.querySelector(BLOCKS)) continue;
      var nodes = [];
      var text = '';
      var walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT, {
        acceptNode: function (n) { return skipped(n.parentNode, block) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT; },
      });
      for (var n = walker.nextNode(); n; n = walker.nextNode()) {
        nodes.push({ node: n, start: text.length });
        text += n.nodeValue;
      }
      if (!text.trim()) continue;
      var ranges;
      try { ranges = JSON.parse(engine.match_ranges(text, q)); } catch (err) { return; }
      if (!Array.isArray(ranges) || !ranges.length) continue;
      // Wrap from the last range backwards so earlier offsets stay valid.
      for (var r = ranges.length - 1; r >= 0; r--) {
        var mark = wrap(nodes, ranges[r][0], ranges[r][1]);
        if (mark && r === 0 && !first) first = mark;
      }
    }
    if (first) {
      first.classList.add('search-hl-first');
      first.scrollIntoView({ block: 'center' });
    }
  }

  function skipped(node, stop) {
    for (var p = node; p && p !== stop; p = p.parentNode) if (SKIP.test(p.nodeName)) return true;
    return false;
  }

  // Wraps text [start, end) of the block (offsets into its concatenated text nodes) in <mark>s,
  // one per text node it spans; returns the first.
  function wrap(nodes, start, end) {
    var first = null;
    for (var i = nodes.length - 1; i >= 0; i--) {
      var n = nodes[i];
      var len = n.node.nodeValue.length;
      var s = Math.max(start, n.start), e = Math.min(end, n.start + len);
      if (s >= e) continue;
      var node = n.node;
      if (e - n.start < len) node.splitText(e - n.start);
      var mid = s > n.start ? node.splitText(s - n.start) : node;
      var mark = el('mark', 'search-hl');
      mid.parentNode.replaceChild(mark, mid);
      mark.appendChild(mid);
      first = mark;
    }
    return first;
  }

  function unhighlight() {
    var marks = document.querySelectorAll('mark.search-hl');
    for (var i = 0; i < marks.length; i++) {
      var m = marks[i], p = m.parentNode;
      while (m.firstChild) p.insertBefore(m.firstChild, m);
      p.removeChild(m);
      p.normalize();
    }
  }
  function landed() {
    unhighlight();
    var q = highlightQuery();
    if (q && q.trim()) loadEngine().then(function (engine) { highlight(engine, q); }, function () {});
  }

  build();
  landed();
  window.addEventListener('hashchange', landed); // a result on the page already open
})();

// Read aloud, for people who read with difficulty: a button (`button.read-aloud`, `data-read`
// naming the element it reads, `data-stop` its label while reading) reads a question's answer or
// the self-check's result with the device's own speech synthesis, in the page's language (a zh-CN
// voice on Chinese pages, an English one on English pages). Nothing is sent anywhere. A button is
// shown only once the device has such a voice. The question pages carry theirs; form.js adds one
// to a result through `window.policybookReadAloud(button)`. The only speech code of the site.
(function () {
  var synth = window.speechSynthesis;
  var Utterance = window.SpeechSynthesisUtterance;
  var zh = document.documentElement.lang.slice(0, 2) !== 'en';
  var buttons = [];
  var speaking = null;

  function voice() {
    if (!synth || typeof Utterance !== 'function' || typeof synth.getVoices !== 'function') return null;
    var voices = synth.getVoices() || [];
    for (var i = 0; i < voices.length; i++) {
      var l = String(voices[i].lang || '').replace('_', '-').toLowerCase();
      if (zh ? l === 'zh-cn' || l.indexOf('zh-hans-cn') === 0 || l.indexOf('cmn-hans-cn') === 0 : /^en(-|$)/.test(l)) return voices[i];
    }
    return null;
  }
  function refresh() {
    var has = Boolean(voice());
    buttons.forEach(function (b) { b.hidden = !has; });
  }
  function label(b, on) {
    b.textContent = b.getAttribute(on ? 'data-stop' : 'data-label');
    b.setAttribute('aria-pressed', String(on));
  }
  function stop() {
    if (speaking) label(speaking, false);
    speaking = null;
    if (synth) synth.cancel();
  }
  /** What a reader sees of `node`: its rendered text (folded parts stay folded), without the labels of its buttons. */
  function spoken(node) {
    var skip = Array.prototype.map.call(node.querySelectorAll('button'), function (b) { return b.innerText.trim(); });
    return node.innerText.split('\n').filter(function (line) { return line.trim() && skip.indexOf(line.trim()) < 0; }).join('\n');
  }
  function read(b) {
    var again = speaking === b;
    stop();
    var target = document.getElementById(b.getAttribute('data-read'));
    var v = voice();
    if (again || !target || !v) return;
    var u = new Utterance(spoken(target));
    u.voice = v;
    u.lang = v.lang;
    u.onend = u.onerror = function () { if (speaking === b) { label(b, false); speaking = null; } };
    speaking = b;
    label(b, true);
    synth.speak(u);
  }
  function attach(b) {
    b.setAttribute('data-label', b.textContent);
    b.setAttribute('aria-pressed', 'false');
    b.addEventListener('click', function () { read(b); });
    buttons.push(b);
    refresh();
  }
  if (synth && synth.addEventListener) synth.addEventListener('voiceschanged', refresh);
  Array.prototype.forEach.call(document.querySelectorAll('button.read-aloud'), attach);
  window.addEventListener('pagehide', stop);
  window.policybookReadAloud = attach;
})();

// A form whose script never arrived (a dropped connection): form.js marks the forms it takes over
// (`form-on`). The stylesheet hides the self-check's later steps from the first paint wherever
// scripts run, so that nothing moves when form.js starts; without it they would stay hidden, and
// no tool could say why its button stays grey. Then every step is shown again, as without
// JavaScript, with the page's own note for that case (the markup inside its <noscript>).
window.addEventListener('load', function () {
  Array.prototype.forEach.call(document.querySelectorAll('.check-form'), function (form) {
    if (form.classList.contains('form-on') || form.classList.contains('steps-off')) return;
    form.classList.add('steps-off');
    var note = document.querySelector('noscript');
    if (!note || !window.DOMParser) return;
    var parsed = new DOMParser().parseFromString(note.textContent, 'text/html').body.firstElementChild;
    if (parsed) note.parentNode.insertBefore(document.importNode(parsed, true), note);
  });
});

// Offline use: over http(s), after the page has loaded, register the service worker at the site
// root (sw.js, beside the assets/ folder this file is in). It keeps the files the reader opens;
// the footer's button, shown once the worker runs, has it keep the whole site ("Save for offline
// use", with the size the build wrote into sw.js). Opened from disk (file://) the site needs no
// worker, and none is registered.
(function () {
  var script = document.currentScript;
  if (!/^https?:$/.test(location.protocol) || !('serviceWorker' in navigator) || !script || !script.src) return;
  var root = new URL('../', script.src).href;
  var box = document.getElementById('offline');
  var button = document.getElementById('offline-save');
  var status = document.getElementById('offline-status');

  /** Asks the active worker (`status`, `save` or `keep` these `urls`); resolves to its answer. */
  function ask(worker, type, urls) {
    return new Promise(function (resolve) {
      var channel = new MessageChannel();
      channel.port1.onmessage = function (e) { resolve(e.data || {}); };
      worker.postMessage({ type: type, urls: urls || [] }, [channel.port2]);
    });
  }
  function show(worker, answer) {
    if (!box || !button || !status || typeof answer.bytes !== 'number') return;
    var kb = Math.max(1, Math.ceil(answer.bytes / 1000)).toLocaleString(document.documentElement.lang);
    button.textContent = box.getAttribute('data-save').replace('{kb}', kb);
    button.hidden = !!answer.saved;
    button.disabled = false;
    status.textContent = answer.saved ? box.getAttribute('data-saved') : answer.failed ? box.getAttribute('data-failed') : '';
    box.hidden = false;
    button.onclick = function () {
      button.disabled = true;
      status.textContent = box.getAttribute('data-saving');
      ask(worker, 'save').then(function (a) { show(worker, a); });
    };
  }
  function register() {
    navigator.serviceWorker.register(root + 'sw.js', { scope: root }).catch(function () {}); // the site works without it
    navigator.serviceWorker.ready.then(function (reg) {
      if (!reg.active) return;
      // This page was loaded before the worker ran: it keeps the page and what it loaded now.
      var urls = [location.href].concat(performance.getEntriesByType('resource').map(function (e) { return e.name; }))
        .filter(function (u) { return u.indexOf(root) === 0; });
      ask(reg.active, navigator.serviceWorker.controller ? 'status' : 'keep', urls).then(function (a) { show(reg.active, a); });
    });
  }
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register);
})();
