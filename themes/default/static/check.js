// The self-checker form: runs the engine in the page; nothing leaves the browser.
//
// The form is hidden until this script has started the engine (without JavaScript the page shows
// a note and links to the questions instead). Answers are read from the form, checked here and by
// the engine (`validate_case_json`), then `check_json_opts` gives the result card. Nothing is
// stored, sent or put into the address, except the case in the fragment when Share is pressed.
'use strict';
(function () {
  var form = document.getElementById('check-form');
  if (!form) return;
  var S = JSON.parse(document.getElementById('check-strings').textContent);
  var lang = form.getAttribute('data-lang') === 'en' ? 'en' : 'zh';
  var root = form.getAttribute('data-root') || '';
  var policyJson = document.getElementById('policy-data').textContent;
  var resultBox = document.getElementById('check-result');
  var resultBody = document.getElementById('result-body');
  var formError = document.getElementById('check-form-error');
  var lineInput = document.getElementById('f-line');

  // Plausibility limits of the form (the engine accepts more; a figure beyond these is a typo).
  var MAX = { count: 99, amount: 99999999, line: 999999 };
  var INCOME = ['wages', 'business', 'transfers', 'property', 'business_costs', 'claims'];
  var EXPENSES = ['medical', 'education', 'disaster'];

  var engine = window.policybookEngine;
  if (!engine || !engine.built) {
    document.getElementById('check-failed').hidden = false;
    return;
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers
  // ---------------------------------------------------------------------------------------------

  function fill(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (m, k) {
      return Object.prototype.hasOwnProperty.call(values, k) ? String(values[k]) : m;
    });
  }

  function group(n) {
    var s = String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    return (n < 0 ? '-' : '') + s;
  }

  /** Today in the browser's local time, YYYY-MM-DD. */
  function localToday() {
    var d = new Date();
    var pad = function (n) { return (n < 10 ? '0' : '') + n; };
    return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate());
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text != null) node.textContent = text;
    return node;
  }

  function call(name) {
    var args = Array.prototype.slice.call(arguments, 1);
    try {
      return JSON.parse(engine[name].apply(null, args));
    } catch (e) {
      return { error: { field: 'engine', zh: S.check_engine_failed, en: S.check_engine_failed } };
    }
  }

  function radioValue(name) {
    var checked = form.querySelector('input[name="' + name + '"]:checked');
    return checked ? checked.value : null;
  }

  function questionLabel(n) {
    return lang === 'zh' ? '第' + n + '问' : 'Q' + n;
  }

  // ---------------------------------------------------------------------------------------------
  // Fields: data-field → inputs, error element, the block to mark
  // ---------------------------------------------------------------------------------------------

  var fields = {};
  Array.prototype.forEach.call(form.querySelectorAll('[data-field]'), function (node) {
    var key = node.getAttribute('data-field');
    var inputs = node.tagName === 'INPUT' ? [node] : Array.prototype.slice.call(node.querySelectorAll('input'));
    var described = inputs[0].getAttribute('aria-describedby').split(/\s+/);
    fields[key] = {
      key: key,
      inputs: inputs,
      kind: node.getAttribute('data-kind') || 'choice',
      error: document.getElementById(described[described.length - 1]),
      box: node.closest('.field') || node,
    };
  });

  function setError(key, message) {
    var f = fields[key];
    if (!f) return;
    f.error.textContent = '';
    if (message) {
      f.error.appendChild(el('span', 'err-prefix', S.check_err_prefix));
      f.error.appendChild(document.createTextNode(message));
      f.inputs.forEach(function (i) { i.setAttribute('aria-invalid', 'true'); });
      f.box.classList.add('has-error');
    } else {
      f.inputs.forEach(function (i) { i.removeAttribute('aria-invalid'); });
      f.box.classList.remove('has-error');
    }
  }

  function clearErrors() {
    Object.keys(fields).forEach(function (k) { setError(k, ''); });
    formError.textContent = '';
  }

  function visible(f) {
    return !f.box.closest('[hidden]');
  }

  /** Reads a whole number from a numeric input: {empty}, {value} or {error}. */
  function readNumber(f) {
    var input = f.inputs[0];
    if (input.validity && input.validity.badInput) return { error: S.check_err_number };
    var raw = input.value.trim();
    if (raw === '') return { empty: true };
    if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(raw)) return { error: S.check_err_number };
    var n = Number(raw);
    var max = MAX[f.kind];
    if (n < 0) return { error: S.check_err_negative };
    if (!isFinite(n) || n > max) return { error: fill(S.check_err_too_large, { max: group(max) }) };
    if (!Number.isInteger(n)) return { error: S.check_err_decimal };
    return { value: n };
  }

  /** The client-side message for one field ('' when fine). `strict`: missing answers are errors. */
  function clientCheck(key, strict) {
    var f = fields[key];
    if (!f || !visible(f)) return '';
    if (f.kind === 'choice') {
      if (key === 'problems') return '';
      return strict && !radioValue(key) ? S.check_err_choose : '';
    }
    var r = readNumber(f);
    if (r.error) return r.error;
    if (r.empty) return strict && f.kind !== 'amount' ? S.check_err_required : '';
    if (key === 'members' && r.value < 1) return S.check_err_members_min;
    if (key === 'line_yuan' && r.value < 1) return S.check_err_line_min;
    if (key === 'members_with_labor') {
      var m = readNumber(fields.members);
      if (m.value != null && m.value >= 1 && r.value > m.value) return fill(S.check_err_workers_more, { members: m.value });
    }
    return '';
  }

  /** The case from the form, as far as it is filled in (numbers that do not read are left out). */
  function readCase() {
    var c = {};
    ['members', 'members_with_labor'].forEach(function (k) {
      var r = readNumber(fields[k]);
      if (r.value != null) c[k] = r.value;
    });
    ['poverty_alleviated', 'sudden_hardship'].forEach(function (k) {
      var v = radioValue(k);
      if (v) c[k] = v === 'true';
    });
    var hukou = radioValue('hukou');
    if (hukou) c.hukou = hukou;
    if (hukou === 'converted_urban' && radioValue('urban_security')) c.urban_security = radioValue('urban_security') === 'true';
    [['income', INCOME], ['expenses', EXPENSES]].forEach(function (pair) {
      var obj = {};
      pair[1].forEach(function (k) {
        var r = readNumber(fields[pair[0] + '.' + k]);
        if (r.value != null) obj[k] = r.value;
      });
      c[pair[0]] = obj;
    });
    c.problems = Array.prototype.map.call(form.querySelectorAll('input[name="problems"]:checked'), function (i) { return i.value; });
    if (c.problems.length && radioValue('can_resolve_alone')) c.can_resolve_alone = radioValue('can_resolve_alone') === 'true';
    return c;
  }

  /** Maps an engine field path (`income.wages`, `problems[0]`) to a form field, or null. */
  function fieldKey(path) {
    if (/^problems(\[\d+\])?$/.test(path)) return 'problems';
    if (path === 'line_yuan' || path === 'options') return 'line_yuan';
    return fields[path] ? path : null;
  }

  function engineErrors(result, onlyKey) {
    var list = (result && result.errors) || (result && result.error ? [result.error] : []);
    var out = [];
    list.forEach(function (e) {
      var key = fieldKey(e.field);
      if (onlyKey && key !== onlyKey) return;
      out.push({ key: key, message: e[lang] || e.en });
    });
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // Conditional questions and the line in force today
  // ---------------------------------------------------------------------------------------------

  function updateVisibility() {
    document.getElementById('urban-security-wrap').hidden = radioValue('hukou') !== 'converted_urban';
    document.getElementById('can-resolve-wrap').hidden = !form.querySelector('input[name="problems"]:checked');
    ['urban_security', 'can_resolve_alone'].forEach(function (k) { if (!visible(fields[k])) setError(k, ''); });
  }

  // Text in the other language gets its own lang, so that a screen reader switches voice: the
  // rule of the build's `lang_parts` filter (src/lang_parts.rs). On an English page every run of
  // Chinese (digits and punctuation, not spaces, between Chinese characters included); on a Chinese page every
  // stretch without Chinese that holds three English words or more.
  var ZH = '\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef';
  function langFill(node, text) {
    text = text == null ? '' : String(text);
    node.textContent = '';
    var re = lang === 'zh' ? new RegExp('[^' + ZH + ']+', 'g') : new RegExp('[' + ZH + ']+(?:[^' + ZH + '\\p{L}\\s]*[' + ZH + ']+)*', 'gu');
    var at = 0;
    var m;
    while ((m = re.exec(text))) {
      var s = m.index, e = s + m[0].length;
      if (lang === 'zh') {
        if ((m[0].match(/[A-Za-z]+/g) || []).length < 3) continue;
        s += m[0].length - m[0].replace(/^\s+/, '').length;
        e -= m[0].length - m[0].replace(/\s+$/, '').length;
      }
      node.appendChild(document.createTextNode(text.slice(at, s)));
      var span = el('span', null, text.slice(s, e));
      span.lang = lang === 'zh' ? 'en' : 'zh-CN';
      node.appendChild(span);
      at = e;
    }
    node.appendChild(document.createTextNode(text.slice(at)));
    return node;
  }

  var today = localToday();
  var summary = call('policy_summary_json', policyJson, today);
  var defaultLine = null;
  if (summary.error) {
    setError('line_yuan', summary.error[lang]);
    lineInput.value = '';
  } else {
    defaultLine = summary.monitoring_line;
    lineInput.value = String(defaultLine);
    lineInput.defaultValue = String(defaultLine);
    document.getElementById('line-of-year').textContent = fill(S.check_line_of_year, { year: summary.year, yuan: group(defaultLine) });
    var prov = document.getElementById('line-provisional');
    if (prov) prov.hidden = !summary.provisional;
    var stale = document.getElementById('line-stale');
    stale.hidden = !summary.stale;
    stale.textContent = summary.stale ? fill(S.check_line_stale, { today_year: today.slice(0, 4), year: summary.year }) : '';
    langFill(document.getElementById('line-source'), summary.source);
    document.getElementById('line-derivation-row').hidden = !summary.derivation;
    langFill(document.getElementById('line-derivation'), summary.derivation ? summary.derivation[lang] : '');
  }

  // ---------------------------------------------------------------------------------------------
  // The result card
  // ---------------------------------------------------------------------------------------------

  function citeLinks(cites) {
    var span = el('span', 'cites');
    if (!cites || !cites.length) return span;
    span.appendChild(document.createTextNode(S.check_cites));
    cites.forEach(function (n) {
      var a = el('a', null, questionLabel(n));
      a.href = root + lang + '/q/' + n + '/index.html';
      span.appendChild(a);
    });
    return span;
  }

  function noteList(title, notes, cls) {
    var frag = document.createDocumentFragment();
    if (!notes || !notes.length) return frag;
    frag.appendChild(el('h3', null, title));
    var ul = el('ul', 'notes ' + cls);
    notes.forEach(function (n) {
      var li = el('li');
      li.appendChild(langFill(el('span', 'note-text'), n[lang]));
      li.appendChild(document.createTextNode(' '));
      li.appendChild(citeLinks(n.cites));
      ul.appendChild(li);
    });
    frag.appendChild(ul);
    return frag;
  }

  function figure(dl, label, value) {
    var row = el('div');
    row.appendChild(el('dt', null, label));
    row.appendChild(langFill(el('dd'), value));
    dl.appendChild(row);
  }

  var lastCase = null;
  var lastLine = null;

  function renderResult(r) {
    var card = el('article', 'result-card cat-' + r.category);
    card.setAttribute('data-category', r.category);
    card.setAttribute('data-review', String(r.review_needed));
    card.setAttribute('data-income', String(r.per_capita_net_income));
    card.setAttribute('data-income-after', String(r.per_capita_income_after_expenditure));
    card.setAttribute('data-line', String(r.monitoring_line));
    card.setAttribute('data-year', String(r.year));
    card.setAttribute('data-provisional', String(r.line_provisional));
    card.setAttribute('data-user-line', String(r.line_user_entered));
    card.setAttribute('data-today', today);
    card.setAttribute('data-cites', JSON.stringify(r.reasons.map(function (n) { return n.cites; })));

    card.appendChild(el('p', 'stale-note', S.check_stale)).hidden = true;
    card.appendChild(el('p', 'likely', S.check_likely));
    card.appendChild(el('p', 'category', r.label[lang]));
    var review = el('div', 'review ' + (r.review_needed ? 'review-yes' : 'review-no'));
    review.appendChild(el('p', null, r.review_needed ? S.check_review_yes : S.check_review_no));
    if (r.review_needed) review.appendChild(el('p', 'weighs', S.check_village_weighs));
    card.appendChild(review);

    var unit = ' ' + S.check_per_person_year;
    var tag = r.line_user_entered ? S.check_tag_user : (r.line_provisional ? S.check_tag_provisional : '');
    var dl = el('dl', 'figures');
    figure(dl, S.check_income_pc, group(r.per_capita_net_income) + unit);
    if (r.per_capita_income_after_expenditure !== r.per_capita_net_income) {
      figure(dl, S.check_income_after, group(r.per_capita_income_after_expenditure) + unit);
    }
    figure(dl, S.check_line_used, group(r.monitoring_line) + unit + ' · ' + fill(S.check_line_year, { year: r.year }) + (tag ? ' · ' + tag : ''));
    card.appendChild(dl);
    card.appendChild(el('p', 'disclaimer', S.check_not_determination));

    card.appendChild(noteList(S.check_reasons, r.reasons, 'reasons'));
    card.appendChild(noteList(S.check_next, r.next_steps, 'next-steps'));
    card.appendChild(noteList(S.check_warnings, r.warnings, 'warnings'));

    var details = el('details', 'line-details');
    details.appendChild(el('summary', null, S.check_line_details));
    var about = el('dl', 'line-about');
    figure(about, S.check_line_used, fill(S.check_line_year, { year: r.year }) + ' · ' + group(r.monitoring_line) + unit + (tag ? ' · ' + tag : ''));
    figure(about, S.line_source, r.line_user_entered ? S.check_tag_user : r.line_source);
    if (r.line_derivation && !r.line_user_entered) figure(about, S.check_derivation, r.line_derivation[lang]);
    details.appendChild(about);
    card.appendChild(details);

    var share = el('div', 'share');
    var button = el('button', 'btn btn-secondary', S.check_share);
    button.type = 'button';
    button.id = 'share-button';
    share.appendChild(button);
    share.appendChild(el('p', 'share-note', S.check_share_note));
    var out = el('div', 'share-out');
    out.hidden = true;
    var label = el('label', null, S.check_share_label);
    label.setAttribute('for', 'share-link');
    var link = el('input');
    link.type = 'text';
    link.id = 'share-link';
    link.readOnly = true;
    var status = el('p', 'share-status');
    status.setAttribute('role', 'status');
    out.appendChild(label);
    out.appendChild(link);
    out.appendChild(status);
    share.appendChild(out);
    button.addEventListener('click', function () { shareLink(link, out, status); });
    card.appendChild(share);

    resultBody.textContent = '';
    resultBody.appendChild(card);
    resultBox.hidden = false;
  }

  // ---------------------------------------------------------------------------------------------
  // Checking
  // ---------------------------------------------------------------------------------------------

  var submitted = false;

  function showErrors(errors) {
    var general = [];
    var first = null;
    errors.forEach(function (e) {
      if (e.key && fields[e.key] && visible(fields[e.key])) {
        if (!fields[e.key].error.textContent) setError(e.key, e.message);
        if (!first) first = fields[e.key];
      } else {
        general.push(e.message);
      }
    });
    formError.textContent = '';
    var summaryText = fill(S.check_err_summary, { n: errors.length });
    formError.appendChild(el('span', 'err-prefix', S.check_err_prefix));
    formError.appendChild(document.createTextNode(general.length ? general.join(' ') + ' ' + summaryText : summaryText));
    resultBox.hidden = true;
    resultBody.textContent = '';
    // Show the whole question (its label is above the input), then focus its input.
    var target = first ? (first.inputs.filter(function (i) { return i.checked; })[0] || first.inputs[0]) : formError;
    (first ? first.box : formError).scrollIntoView({ block: 'start' });
    target.focus({ preventScroll: true });
  }

  function runCheck() {
    submitted = true;
    clearErrors();
    var errors = [];
    Object.keys(fields).forEach(function (k) {
      var m = clientCheck(k, true);
      if (m) errors.push({ key: k, message: m });
    });
    if (errors.length) { showErrors(errors); return; }
    var c = readCase();
    var caseJson = JSON.stringify(c);
    var v = call('validate_case_json', caseJson);
    if (!v.ok) { showErrors(engineErrors(v)); return; }
    var line = readNumber(fields.line_yuan).value;
    var options = line !== defaultLine ? JSON.stringify({ line_yuan: line }) : '';
    var r = call('check_json_opts', caseJson, policyJson, today, options);
    if (r.error) { showErrors(engineErrors(r)); return; }
    lastCase = c;
    lastLine = options ? line : null;
    renderResult(r);
    var title = document.getElementById('result-title');
    title.scrollIntoView({ block: 'start' });
    title.focus({ preventScroll: true });
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    runCheck();
  });

  // Inline validation when leaving a field: the form's own checks, then the engine's for it.
  form.addEventListener('focusout', function (event) {
    var input = event.target;
    if (!input || input.tagName !== 'INPUT' || input.type !== 'number') return;
    var key = input.getAttribute('data-field');
    var message = clientCheck(key, submitted || input.value !== '');
    if (!message && key !== 'line_yuan' && input.value !== '') {
      var errs = engineErrors(call('validate_case_json', JSON.stringify(readCase())), key);
      if (errs.length) message = errs[0].message;
    }
    setError(key, message);
    if (key === 'members' && fields.members_with_labor.error.textContent) {
      setError('members_with_labor', clientCheck('members_with_labor', submitted));
    }
  });

  // Any change: conditional questions, clear that field's error once answered, drop a shared
  // case from the address, and mark a shown result as out of date.
  function changed(event) {
    updateVisibility();
    var t = event && event.target;
    if (t && (t.type === 'radio' || t.type === 'checkbox')) {
      var box = t.closest('[data-field]');
      if (box) setError(box.getAttribute('data-field'), '');
    }
    if (location.hash) history.replaceState(null, '', location.pathname + location.search);
    var card = resultBody.querySelector('.result-card');
    if (card) {
      card.classList.add('is-stale');
      card.querySelector('.stale-note').hidden = false;
      var out = card.querySelector('.share-out');
      if (out) out.hidden = true;
    }
  }
  form.addEventListener('input', changed);
  form.addEventListener('change', changed);

  form.addEventListener('reset', function () {
    setTimeout(function () {
      if (defaultLine != null) lineInput.value = String(defaultLine);
      submitted = false;
      clearErrors();
      updateVisibility();
      resultBox.hidden = true;
      resultBody.textContent = '';
      if (location.hash) history.replaceState(null, '', location.pathname + location.search);
    }, 0);
  });

  // ---------------------------------------------------------------------------------------------
  // Share: only when pressed, the case goes into the fragment (#case=base64url JSON)
  // ---------------------------------------------------------------------------------------------

  function toBase64Url(text) {
    var bytes = new TextEncoder().encode(text);
    var bin = '';
    for (var i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
    return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function fromBase64Url(text) {
    var b64 = text.replace(/-/g, '+').replace(/_/g, '/');
    while (b64.length % 4) b64 += '=';
    var bin = atob(b64);
    var bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new TextDecoder().decode(bytes);
  }

  function shareLink(input, out, status) {
    if (!lastCase) return;
    var fragment = '#case=' + toBase64Url(JSON.stringify(lastCase)) + (lastLine != null ? '&line=' + lastLine : '');
    history.replaceState(null, '', location.pathname + location.search + fragment);
    input.value = location.href;
    out.hidden = false;
    input.focus();
    input.select();
    status.textContent = S.check_share_copy_manually;
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(input.value).then(function () {
        status.textContent = S.check_share_copied;
      }, function () { /* not allowed here: the link is shown and selected for copying */ });
    }
  }

  function setRadio(name, value) {
    if (value == null) return;
    var input = form.querySelector('input[name="' + name + '"][value="' + String(value) + '"]');
    if (input) input.checked = true;
  }

  function prefill(c, line) {
    if (!c || typeof c !== 'object' || Array.isArray(c)) throw new Error('not a case');
    var setNumber = function (key, v) { if (v != null && fields[key]) fields[key].inputs[0].value = String(v); };
    setNumber('members', c.members);
    setNumber('members_with_labor', c.members_with_labor);
    setRadio('poverty_alleviated', c.poverty_alleviated);
    setRadio('hukou', c.hukou);
    setRadio('urban_security', c.urban_security);
    INCOME.forEach(function (k) { setNumber('income.' + k, c.income && c.income[k]); });
    EXPENSES.forEach(function (k) { setNumber('expenses.' + k, c.expenses && c.expenses[k]); });
    (Array.isArray(c.problems) ? c.problems : []).forEach(function (p) {
      var box = form.querySelector('input[name="problems"][value="' + String(p) + '"]');
      if (box) box.checked = true;
    });
    setRadio('can_resolve_alone', c.can_resolve_alone);
    setRadio('sudden_hardship', c.sudden_hardship);
    if (line != null) lineInput.value = String(line);
    updateVisibility();
  }

  form.hidden = false;
  updateVisibility();

  var match = /^#case=([A-Za-z0-9_-]+)(?:&line=(\d+))?$/.exec(location.hash);
  if (match) {
    try {
      prefill(JSON.parse(fromBase64Url(match[1])), match[2] != null ? Number(match[2]) : null);
      runCheck();
    } catch (e) {
      formError.textContent = '';
      formError.appendChild(el('span', 'err-prefix', S.check_err_prefix));
      formError.appendChild(document.createTextNode(S.check_share_bad));
    }
  }
})();
