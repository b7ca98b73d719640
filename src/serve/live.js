// policybook serve only: this file is never part of a built site. `policybook serve` adds
// <script src="/__policybook/live.js" data-build="ID" defer> to every page it serves. The script
// asks the server for its state once a second by loading /__policybook/status.js as a script
// (allowed by the pages' own `script-src 'self'`; no fetch, so the Content-Security-Policy stays
// exactly as built). A new build reloads the page; a failed build shows its error over the page,
// which is still the last good build.
(function () {
  'use strict';
  var me = document.currentScript;
  var build = me ? me.getAttribute('data-build') : null;
  var zh = (document.documentElement.lang || '').indexOf('zh') === 0;
  var seq = 0;
  var failures = 0;
  var overlay = null;
  var shownError = null;

  var link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = '/__policybook/live.css';
  document.head.appendChild(link);

  function text(tag, cls, content) {
    var el = document.createElement(tag);
    if (cls) el.className = cls;
    if (content != null) el.textContent = content;
    return el;
  }

  function show(status) {
    if (overlay && shownError === status.error) return;
    hide();
    shownError = status.error;
    overlay = text('section', 'pb-live-overlay');
    overlay.setAttribute('role', 'alert');
    overlay.setAttribute('aria-labelledby', 'pb-live-title');
    var head = text('div', 'pb-live-head');
    var title = text('h2', null, zh ? '构建失败：页面仍是上一次成功的构建' : 'Build failed: this page is the last good build');
    title.id = 'pb-live-title';
    var close = text('button', 'pb-live-close', zh ? '收起' : 'Hide');
    close.type = 'button';
    close.addEventListener('click', function () { overlay.hidden = true; });
    head.appendChild(title);
    head.appendChild(close);
    overlay.appendChild(head);
    overlay.appendChild(text('p', null, zh
      ? '改正下面指出的文件并保存，页面会自动刷新。'
      : 'Correct the file named below and save it: the page reloads by itself.'));
    overlay.appendChild(text('pre', 'pb-live-error', status.error || ''));
    document.body.appendChild(overlay);
  }

  function hide() {
    if (overlay && overlay.parentNode) overlay.parentNode.removeChild(overlay);
    overlay = null;
    shownError = null;
  }

  window.__policybookStatus = function (status) {
    failures = 0;
    if (status.build !== build) {
      location.reload();
      return;
    }
    if (status.ok) hide();
    else show(status);
  };

  function poll() {
    var el = document.createElement('script');
    el.src = '/__policybook/status.js?n=' + (++seq);
    el.onload = function () {
      el.parentNode.removeChild(el);
      setTimeout(poll, 1000);
    };
    el.onerror = function () {
      // The server is stopped or restarting: ask again, less often.
      el.parentNode.removeChild(el);
      failures += 1;
      setTimeout(poll, Math.min(5000, 1000 * (failures + 1)));
    };
    document.head.appendChild(el);
  }

  poll();
})();
