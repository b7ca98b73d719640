// The forms of the self-check and the cadre tools (risk elimination, procedure deadlines, the
// privacy check of notices): one script for all four. Each page has one form with `data-tool`;
// the helpers below are shared and each tool adds its reading of the form and its result card.
// The engine runs in the page; nothing leaves the browser: no request, no storage, nothing in the
// address (except the case in the fragment when the checker's Share is pressed). Rules and
// parsers live in the engine; this script only reads the form, reports and draws.
//
// The form is on the page from the start and can be filled in at once; this script loads the
// engine (`data-engine`), says so while it loads, and enables the submit button once it runs. When
// it cannot, the page says why: the network (with a retry), or a browser without WebAssembly.
// Without JavaScript the page says the form needs it and links to the questions. Answers are
// checked here for shape, then by the engine, whose errors name the field they belong to. Every
// piece of user text is put into the page with textContent.
'use strict';
(function () {
  var form = document.querySelector('form.check-form[data-tool]');
  if (!form) return;
  var tool = form.getAttribute('data-tool');
  // Taken over: app.js shows the page as without JavaScript when this never happens.
  form.classList.add('form-on');
  // `check` or `tool`: the prefix of the page's element ids (check-result, tool-result, …).
  var prefix = form.id.replace(/-form$/, '');
  var byId = function (suffix) { return document.getElementById(prefix + '-' + suffix); };
  var S = JSON.parse(byId('strings').textContent);
  var lang = form.getAttribute('data-lang') === 'en' ? 'en' : 'zh';
  var root = form.getAttribute('data-root') || '';
  var numbers = JSON.parse(form.getAttribute('data-questions') || '[]');
  var resultBox = byId('result');
  var resultBody = byId('result-body');
  var resultTitle = byId('result-title');
  var formError = byId('form-error');
  var status = byId('status');
  var failedBox = byId('failed');
  var submitButton = form.querySelector('.form-actions .btn-primary');
  var engine = null;

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
      return { error: { field: 'engine', zh: S.form_err_engine, en: S.form_err_engine } };
    }
  }

  function radioValue(name) {
    var checked = form.querySelector('input[name="' + name + '"]:checked');
    return checked ? checked.value : null;
  }

  function questionLabel(n) {
    return lang === 'zh' ? '第' + n + '问' : 'Q' + n;
  }

  // Text in the other language gets its own lang, so that a screen reader switches voice: the
  // rule of the build's `lang_parts` filter (src/lang_parts.rs). On an English page every run of
  // Chinese (digits and punctuation, not spaces, between Chinese characters included); on a
  // Chinese page every stretch without Chinese that holds three English words or more.
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

  /** "See: Q25 Q27", each a link to a question the site has. */
  function citeLinks(cites) {
    var span = el('span', 'cites');
    if (!cites || !cites.length) return span;
    span.appendChild(document.createTextNode(S.form_cites));
    cites.forEach(function (n) {
      if (numbers.indexOf(n) >= 0) {
        var a = el('a', null, questionLabel(n));
        a.href = root + lang + '/q/' + n + '/index.html';
        span.appendChild(a);
      } else {
        span.appendChild(el('span', 'cite-text', questionLabel(n)));
      }
    });
    return span;
  }

  /** A list of engine notes ({zh, en, cites}) under a heading. */
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
    return row;
  }

  // ---------------------------------------------------------------------------------------------
  // Fields: data-field → inputs, error element, the block to mark (macros in fields.html)
  // ---------------------------------------------------------------------------------------------

  var fields = {};
  Array.prototype.forEach.call(form.querySelectorAll('[data-field]'), function (node) {
    var key = node.getAttribute('data-field');
    var single = node.tagName === 'INPUT' || node.tagName === 'TEXTAREA';
    var inputs = single ? [node] : Array.prototype.slice.call(node.querySelectorAll('input'));
    var described = inputs[0].getAttribute('aria-describedby').split(/\s+/);
    fields[key] = {
      key: key,
      inputs: inputs,
      kind: node.getAttribute('data-kind') || 'choice',
      error: document.getElementById(described[described.length - 1]),
      echo: form.querySelector('[data-echo="' + key + '"]'),
      box: node.closest('.field') || node,
    };
  });

  /** Whether a field is asked: not in a hidden part of the form (a step not shown is still asked). */
  function visible(f) {
    return !f.box.closest('[hidden]:not(.step)');
  }

  // A form of steps shows the step of a field before an error there is focused (set by check()).
  var revealField = null;

  function setError(key, message) {
    var f = fields[key];
    if (!f) return;
    f.error.textContent = '';
    if (message) {
      f.error.appendChild(el('span', 'err-prefix', S.form_err_prefix));
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

  function hideResult() {
    resultBox.hidden = true;
    resultBody.textContent = '';
  }

  /** Shows errors ({key, message}) at their fields, a summary above the form, and focuses the first. */
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
    var summary = fill(S.form_err_summary, { n: errors.length });
    formError.appendChild(el('span', 'err-prefix', S.form_err_prefix));
    formError.appendChild(document.createTextNode(general.length ? general.join(' ') + (first ? ' ' + summary : '') : summary));
    hideResult();
    if (first && revealField) revealField(first);
    // Show the whole question (its label is above the input), then focus its input.
    var target = first ? (first.inputs.filter(function (i) { return i.checked; })[0] || first.inputs[0]) : formError;
    (first ? first.box : formError).scrollIntoView({ block: 'start' });
    target.focus({ preventScroll: true });
  }

  /** The engine's errors as {key, message}; `fieldKey` maps an engine field path to a form field. */
  function engineErrors(result, fieldKey, onlyKey) {
    var list = (result && result.errors) || (result && result.error ? [result.error] : []);
    var out = [];
    list.forEach(function (e) {
      var key = fieldKey(e.field);
      if (onlyKey && key !== onlyKey) return;
      out.push({ key: key, message: e[lang] || e.en });
    });
    return out;
  }

  function showResult(card) {
    resultBody.textContent = '';
    resultBody.appendChild(card);
    resultBox.hidden = false;
    resultTitle.scrollIntoView({ block: 'start' });
    resultTitle.focus({ preventScroll: true });
  }

  /** Marks a shown result as out of date once the form changes. */
  function markStale() {
    var card = resultBody.querySelector('.result-card');
    if (card && !card.classList.contains('is-stale')) {
      card.classList.add('is-stale');
      card.insertBefore(el('p', 'stale-note', S.form_stale), card.firstChild);
      var out = card.querySelector('.share-out');
      if (out) out.hidden = true;
    }
  }

  /** Reads a whole number from a field: {empty}, {value} or {error}; at most `max`. */
  function readNumber(f, max) {
    var input = f.inputs[0];
    if (input.validity && input.validity.badInput) return { error: S.form_err_number };
    var raw = input.value.trim();
    if (raw === '') return { empty: true };
    if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(raw)) return { error: S.form_err_number };
    var n = Number(raw);
    if (n < 0) return { error: S.form_err_negative };
    if (!isFinite(n) || n > max) return { error: fill(S.form_err_too_large, { max: group(max) }) };
    if (!Number.isInteger(n)) return { error: S.form_err_decimal };
    return { value: n };
  }

  // The plausibility limit of a yearly amount in yuan (the engine accepts more; beyond this a
  // figure is a typo).
  var MAX_AMOUNT = 99999999;

  /**
   * Every money field of every form is read here and nowhere else, by the engine's money parser
   * (the one the command line uses: 9000, 9,000, ９０００, 9千, 0.9万, 9 千元 …): {empty},
   * {value} (whole yuan) and `standard` (what the page echoes, "= 9,000 元"), {error} (what to
   * write instead), or {pending} before the engine has loaded.
   */
  function readMoney(f) {
    var raw = f.inputs[0].value.trim();
    if (raw === '') return { empty: true };
    if (!engine || typeof engine.parse_money_json !== 'function') return { pending: true };
    var r = JSON.parse(engine.parse_money_json(raw));
    if (r.error) return { error: r.error[lang] || r.error.en };
    if (r.yuan > MAX_AMOUNT) return { error: fill(S.form_err_too_large, { max: group(MAX_AMOUNT) }) };
    return { value: r.yuan, standard: fill(S.form_money_echo, { yuan: group(r.yuan) }) };
  }

  /** `message` (filled with the members) when the workers read in `r` outnumber the members
   * (read with at most `max`). */
  function moreWorkers(r, message, max) {
    var m = readNumber(fields.members, max);
    return m.value != null && m.value >= 1 && r.value > m.value ? fill(message, { members: m.value }) : '';
  }

  /** Shows what a money field was read as ("= 9,000 元"), or nothing. */
  function echoMoney(f) {
    if (!f.echo) return;
    var r = readMoney(f);
    f.echo.textContent = r.standard ? r.standard : '';
  }

  function onSubmit(run) {
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      clearErrors();
      run();
    });
  }

  // Clearing asks first: the button turns into a question with Clear and Keep; only Clear resets.
  var clearBox = form.querySelector('.form-clear');
  var clearButton = clearBox && clearBox.querySelector('.btn-clear');
  function askClear() {
    if (clearBox.querySelector('.clear-ask')) return;
    clearButton.hidden = true;
    var ask = el('p', 'clear-ask', S.form_clear_ask);
    ask.setAttribute('role', 'alert');
    var keep = el('button', 'btn btn-secondary clear-no', S.form_clear_no);
    keep.type = 'button';
    var yes = el('button', 'btn clear-yes', S.form_clear_yes);
    yes.type = 'button';
    var done = function (clear) {
      [ask, keep, yes].forEach(function (n) { n.remove(); });
      clearButton.hidden = false;
      if (clear) form.reset();
      clearButton.focus();
    };
    keep.addEventListener('click', function () { done(false); });
    yes.addEventListener('click', function () { done(true); });
    clearBox.appendChild(ask);
    clearBox.appendChild(keep);
    clearBox.appendChild(yes);
    keep.focus();
  }
  if (clearButton) {
    clearButton.addEventListener('click', function (event) {
      event.preventDefault();
      askClear();
    });
  }

  function onReset(after) {
    form.addEventListener('reset', function () {
      setTimeout(function () {
        clearErrors();
        hideResult();
        Object.keys(fields).forEach(function (k) { if (fields[k].echo) fields[k].echo.textContent = ''; });
        if (after) after();
      }, 0);
    });
  }

  /** A number field just left: `check(key)` gives its message ('' when fine). */
  function onLeave(check) {
    form.addEventListener('focusout', function (event) {
      var input = event.target;
      var key = input && input.getAttribute && input.getAttribute('data-field');
      if (!key || !fields[key] || fields[key].kind === 'choice' || input.tagName !== 'INPUT') return;
      if (fields[key].kind === 'amount') echoMoney(fields[key]);
      // Left for one of the form's buttons: a message written or removed now would move the
      // button from under the finger before the press ends (Next checks the answers anyway).
      var to = event.relatedTarget;
      if (to && to.nodeName === 'BUTTON' && form.contains(to)) return;
      setError(key, check(key));
    });
  }

  /** A choice made clears its field's error. */
  function clearChoice(event) {
    var t = event && event.target;
    if (t && (t.type === 'radio' || t.type === 'checkbox')) {
      var box = t.closest('[data-field]');
      if (box) setError(box.getAttribute('data-field'), '');
    }
  }

  /** The problems ticked, in the form's order. */
  function problems() {
    return Array.prototype.map.call(form.querySelectorAll('input[name="problems"]:checked'), function (i) { return i.value; });
  }

  /** Reads the income components (`income.wages`, …) into an object of the amounts given. */
  function readAmounts(group, keys) {
    var obj = {};
    keys.forEach(function (k) {
      var r = readMoney(fields[group + '.' + k]);
      if (r.value != null) obj[k] = r.value;
    });
    return obj;
  }

  var INCOME = ['wages', 'business', 'transfers', 'property', 'business_costs', 'claims'];

  /**
   * The facts of the line and the income on a result card of the self-check or the elimination
   * check (both results carry them), with the day checked and the citations of its reasons: what
   * the browser tests compare with the command line.
   */
  function lineData(card, r, today) {
    card.setAttribute('data-income', String(r.per_capita_net_income));
    card.setAttribute('data-line', String(r.monitoring_line));
    card.setAttribute('data-year', String(r.year));
    card.setAttribute('data-provisional', String(r.line_provisional));
    card.setAttribute('data-today', today);
    card.setAttribute('data-cites', JSON.stringify(r.reasons.map(function (n) { return n.cites; })));
  }

  /** The line in force today (the page was built on another day): the engine's summary. */
  function lineToday(policyJson, today) {
    return call('policy_summary_json', policyJson, today);
  }

  // ---------------------------------------------------------------------------------------------
  // The self-check (identification, Q3–Q14)
  // ---------------------------------------------------------------------------------------------

  // One step (`.step`) at a time: the page is rendered whole and, without JavaScript, stays one
  // page of every question (style.css hides the later steps from the first paint only where
  // scripts run, so nothing moves when this starts). The submit button says Next until the last
  // step; Back goes one step back and every answer stays. A step whose questions are all not
  // asked (see updateVisibility) is passed over and not counted. The progress line is read out as
  // it changes and the focus moves to the new step's heading. Set up at once, before the engine
  // has loaded, so that the first step can be filled in meanwhile.
  var stepper = tool === 'check' ? (function () {
    var steps = Array.prototype.slice.call(form.querySelectorAll('.step'));
    var progress = byId('progress');
    var text = progress.querySelector('.step-progress-text');
    var bar = progress.querySelector('.step-bar span');
    var back = form.querySelector('.step-back');
    var current = 0;

    /** Whether step `i` asks nothing now: it has questions, and none of them is asked. */
    function skipped(i) {
      var keys = Object.keys(fields).filter(function (k) { return of(fields[k]) === i; });
      return keys.length > 0 && keys.every(function (k) { return !visible(fields[k]); });
    }
    function show(i, focus) {
      current = Math.max(0, Math.min(steps.length - 1, i));
      steps.forEach(function (s, j) { s.hidden = j !== current; });
      form.classList.add('steps-on');
      form.setAttribute('data-step', String(current + 1));
      form.setAttribute('data-steps', String(steps.length));
      var asked = steps.filter(function (s, j) { return !skipped(j); }).length;
      var n = steps.filter(function (s, j) { return j <= current && !skipped(j); }).length;
      text.textContent = fill(S.check_step, { n: n, total: asked });
      bar.style.width = (100 * n / asked) + '%';
      back.hidden = current === 0;
      submitButton.textContent = last() ? submitButton.getAttribute('data-submit') : submitButton.getAttribute('data-next');
      if (focus) {
        progress.scrollIntoView({ block: 'start' });
        steps[current].querySelector('h2').focus({ preventScroll: true });
      }
    }
    function last() { return current === steps.length - 1; }
    /** The step (0-based) that holds field `f`. */
    function of(f) { return steps.indexOf(f.box.closest('.step')); }
    /** The next step from the current one in direction `by` (1 or -1) that asks something. */
    function toward(by) {
      var j = current + by;
      while (j > 0 && j < steps.length - 1 && skipped(j)) j += by;
      return j;
    }

    back.addEventListener('click', function () {
      clearErrors();
      show(toward(-1), true);
    });
    Array.prototype.forEach.call(form.querySelectorAll('.asked-if'), function (w) { w.hidden = true; });
    revealField = function (f) { if (of(f) !== current) show(of(f), false); };
    show(0, false);
    return {
      show: show,
      last: last,
      of: of,
      current: function () { return current; },
      /** Goes on from the current step to the next that asks something. */
      next: function () { show(toward(1), true); },
      /** Counts the steps again once the questions asked have changed. */
      recount: function () { show(current, false); },
    };
  })() : null;

  function check() {
    var policyJson = document.getElementById('policy-data').textContent;
    var lineInput = document.getElementById('f-line');
    // Plausibility limits of the form's counts and line (the engine accepts more).
    var MAX = { count: 99, line: 999999 };
    var EXPENSES = ['medical', 'education', 'disaster'];

    /** The client-side message for one field ('' when fine). `strict`: missing answers are errors. */
    function clientCheck(key, strict) {
      var f = fields[key];
      if (!f || !visible(f)) return '';
      if (f.kind === 'choice') {
        if (key === 'problems') return '';
        return strict && !radioValue(key) ? S.form_err_choose : '';
      }
      var r = f.kind === 'amount' ? readMoney(f) : readNumber(f, MAX[f.kind]);
      if (r.error) return r.error;
      if (r.empty) return strict && f.kind !== 'amount' ? S.form_err_required : '';
      if (key === 'members' && r.value < 1) return S.check_err_members_min;
      if (key === 'line_yuan' && r.value < 1) return S.check_err_line_min;
      if (key === 'members_with_labor') return moreWorkers(r, S.check_err_workers_more, MAX.count);
      return '';
    }

    /** The case from the form, as far as it is filled in (numbers that do not read are left out). */
    function readCase() {
      var c = {};
      ['members', 'members_with_labor'].forEach(function (k) {
        var r = readNumber(fields[k], MAX.count);
        if (r.value != null) c[k] = r.value;
      });
      ['poverty_alleviated', 'sudden_hardship'].forEach(function (k) {
        var v = radioValue(k);
        if (v) c[k] = v === 'true';
      });
      var hukou = radioValue('hukou');
      if (hukou) c.hukou = hukou;
      if (visible(fields.urban_security) && radioValue('urban_security')) c.urban_security = radioValue('urban_security') === 'true';
      c.income = readAmounts('income', INCOME);
      c.expenses = readAmounts('expenses', EXPENSES);
      c.problems = problems();
      if (visible(fields.can_resolve_alone) && radioValue('can_resolve_alone')) c.can_resolve_alone = radioValue('can_resolve_alone') === 'true';
      return c;
    }

    /** Maps an engine field path (`income.wages`, `problems[0]`) to a form field, or null. */
    function fieldKey(path) {
      if (/^problems(\[\d+\])?$/.test(path)) return 'problems';
      if (path === 'line_yuan' || path === 'options') return 'line_yuan';
      return fields[path] ? path : null;
    }

    /** What the engine says of the answers so far: the conditional questions they call for and
     * the income total (or an error object). */
    function draft() {
      var d = { problems: problems(), income: readAmounts('income', INCOME) };
      var m = readNumber(fields.members, MAX.count);
      if (m.value != null) d.members = m.value;
      var hukou = radioValue('hukou');
      if (hukou) d.hukou = hukou;
      return call('case_draft_json', JSON.stringify(d));
    }

    var totals = form.querySelectorAll('[data-income-total]');

    // Conditional questions: asked only when the engine says they apply (`.asked-if`, named by the
    // field); the running income total under the income questions.
    function updateVisibility() {
      var d = draft();
      var asks = (d && d.asks) || {};
      Array.prototype.forEach.call(form.querySelectorAll('.asked-if'), function (w) {
        w.hidden = !asks[w.getAttribute('data-asked')];
      });
      ['urban_security', 'can_resolve_alone'].forEach(function (k) { if (!visible(fields[k])) setError(k, ''); });
      var total = d && d.net_income != null ? fill(S.check_income_total, { total: group(d.net_income) }) +
        (d.per_capita_net_income != null ? fill(S.check_income_total_pc, { pc: group(d.per_capita_net_income) }) : '') : '';
      Array.prototype.forEach.call(totals, function (p) { if (p.textContent !== total) p.textContent = total; });
      stepper.recount();
    }

    var today = localToday();
    var summary = lineToday(policyJson, today);
    var defaultLine = null;
    if (summary.error) {
      setError('line_yuan', summary.error[lang]);
      lineInput.value = '';
    } else {
      defaultLine = summary.monitoring_line;
      // The page may have been built in another year; a line typed while the engine loaded stays.
      var typed = lineInput.value !== lineInput.defaultValue;
      lineInput.defaultValue = String(defaultLine);
      if (!typed) lineInput.value = String(defaultLine);
      document.getElementById('line-of-year').textContent = fill(S.check_line_of_year, { year: summary.year, yuan: group(defaultLine) });
      var prov = document.getElementById('line-provisional');
      if (prov) prov.hidden = !summary.provisional;
      var stale = document.getElementById('line-stale');
      stale.hidden = !summary.stale;
      stale.textContent = summary.stale ? fill(S.check_line_stale, { today_year: today.slice(0, 4), year: summary.year }) : '';
      langFill(document.getElementById('line-source'), summary.source[lang] || summary.source.en);
      document.getElementById('line-derivation-row').hidden = !summary.derivation;
      langFill(document.getElementById('line-derivation'), summary.derivation ? summary.derivation[lang] : '');
    }

    var lastCase = null;
    var lastLine = null;

    function render(r) {
      var card = el('article', 'result-card cat-' + r.category);
      card.setAttribute('data-category', r.category);
      card.setAttribute('data-review', String(r.review_needed));
      card.setAttribute('data-income-after', String(r.per_capita_income_after_expenditure));
      card.setAttribute('data-user-line', String(r.line_user_entered));
      lineData(card, r, today);

      // First the likely outcome in everyday words, the guide's term after it; that this is a
      // self-check and whom to ask; the reasons, folded, after the figures. Read aloud (app.js)
      // where the device can.
      if (typeof window.policybookReadAloud === 'function') {
        var speak = el('button', 'btn btn-secondary read-aloud', S.read_aloud);
        speak.type = 'button';
        speak.setAttribute('data-read', prefix + '-result-body');
        speak.setAttribute('data-stop', S.read_stop);
        card.appendChild(speak);
        window.policybookReadAloud(speak);
      }
      card.appendChild(el('p', 'likely', S.check_likely));
      card.appendChild(el('p', 'plain', S['check_plain_' + r.category] || r.label[lang]));
      var term = el('p', 'official');
      term.appendChild(document.createTextNode(S.check_official_term));
      term.appendChild(el('span', 'category', r.label[lang]));
      card.appendChild(term);
      card.appendChild(el('p', 'disclaimer', S.check_not_determination));
      var review = el('div', 'review ' + (r.review_needed ? 'review-yes' : 'review-no'));
      review.appendChild(el('p', null, r.review_needed ? S.check_review_yes : S.check_review_no));
      if (r.review_needed) review.appendChild(el('p', 'weighs', S.check_village_weighs));
      card.appendChild(review);
      card.appendChild(noteList(S.check_next, r.next_steps, 'next-steps'));

      var unit = ' ' + S.check_per_person_year;
      var tag = r.line_user_entered ? S.check_tag_user : (r.line_provisional ? S.check_tag_provisional : '');
      var dl = el('dl', 'figures');
      figure(dl, S.check_income_pc, group(r.per_capita_net_income) + unit);
      if (r.per_capita_income_after_expenditure !== r.per_capita_net_income) {
        figure(dl, S.check_income_after, group(r.per_capita_income_after_expenditure) + unit);
      }
      figure(dl, S.check_line_used, group(r.monitoring_line) + unit + ' · ' + fill(S.check_line_year, { year: r.year }) + (tag ? ' · ' + tag : ''));
      card.appendChild(dl);

      var why = el('details', 'reasons-box');
      why.appendChild(el('summary', null, fill(S.check_reasons_more, { n: r.reasons.length })));
      why.appendChild(noteList(S.check_reasons, r.reasons, 'reasons'));
      card.appendChild(why);
      card.appendChild(noteList(S.check_warnings, r.warnings, 'warnings'));

      var details = el('details', 'line-details');
      details.appendChild(el('summary', null, S.check_line_details));
      var about = el('dl', 'line-about');
      figure(about, S.check_line_used, fill(S.check_line_year, { year: r.year }) + ' · ' + group(r.monitoring_line) + unit + (tag ? ' · ' + tag : ''));
      figure(about, S.line_source, r.line_user_entered ? S.check_tag_user : r.line_source[lang]);
      if (r.line_derivation && !r.line_user_entered) figure(about, S.check_derivation, r.line_derivation[lang]);
      details.appendChild(about);
      card.appendChild(details);
      card.appendChild(shareBox());
      showResult(card);
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
      if (!v.ok) { showErrors(engineErrors(v, fieldKey)); return; }
      var line = readNumber(fields.line_yuan, MAX.line).value;
      var options = line !== defaultLine ? JSON.stringify({ line_yuan: line }) : '';
      var r = call('check_json_opts', caseJson, policyJson, today, options);
      if (r.error) { showErrors(engineErrors(r, fieldKey)); return; }
      lastCase = c;
      lastLine = options ? line : null;
      if (!stepper.last()) stepper.show(Infinity, false);
      render(r);
    }

    /** Next: the current step's answers are checked (the form's checks, then the engine's for
     * those fields), and only then the next step is shown; on the last step, the check. */
    function nextStep() {
      if (stepper.last()) { runCheck(); return; }
      var here = Object.keys(fields).filter(function (k) { return stepper.of(fields[k]) === stepper.current(); });
      var errors = [];
      here.forEach(function (k) {
        var m = clientCheck(k, true);
        if (m) errors.push({ key: k, message: m });
      });
      if (!errors.length) {
        errors = engineErrors(call('validate_case_json', JSON.stringify(readCase())), fieldKey).filter(function (e) {
          return here.indexOf(e.key) >= 0;
        });
      }
      if (errors.length) { showErrors(errors); return; }
      stepper.next();
    }

    var submitted = false;
    onSubmit(nextStep);

    // Inline validation when leaving a field: the form's own checks, then the engine's for it.
    onLeave(function (key) {
      var input = fields[key].inputs[0];
      var message = clientCheck(key, submitted || input.value !== '');
      if (!message && key !== 'line_yuan' && input.value !== '') {
        var errs = engineErrors(call('validate_case_json', JSON.stringify(readCase())), fieldKey, key);
        if (errs.length) message = errs[0].message;
      }
      if (key === 'members' && fields.members_with_labor.error.textContent) {
        setError('members_with_labor', clientCheck('members_with_labor', submitted));
      }
      return message;
    });

    // Any change: conditional questions, clear that field's error once answered, drop a shared
    // case from the address, and mark a shown result as out of date.
    function changed(event) {
      updateVisibility();
      clearChoice(event);
      if (location.hash) history.replaceState(null, '', location.pathname + location.search);
      markStale();
    }
    form.addEventListener('input', changed);
    form.addEventListener('change', changed);

    onReset(function () {
      if (defaultLine != null) lineInput.value = String(defaultLine);
      submitted = false;
      updateVisibility();
      stepper.show(0, true);
      if (location.hash) history.replaceState(null, '', location.pathname + location.search);
    });

    // Share: only when pressed, the case goes into the fragment (#case=base64url JSON).
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

    function shareBox() {
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
      return share;
    }

    function shareLink(input, out, status) {
      if (!lastCase) return;
      var fragment = '#case=' + toBase64Url(JSON.stringify(lastCase)) + (lastLine != null ? '&line=' + lastLine : '');
      history.replaceState(null, '', location.pathname + location.search + fragment);
      input.value = location.href;
      out.hidden = false;
      input.focus();
      input.select();
      copyNote(input.value, status, S.check_share_copied, S.check_share_copy_manually);
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

    updateVisibility();
    return function () {
      var match = /^#case=([A-Za-z0-9_-]+)(?:&line=(\d+))?$/.exec(location.hash);
      if (!match) return;
      try {
        prefill(JSON.parse(fromBase64Url(match[1])), match[2] != null ? Number(match[2]) : null);
        runCheck();
      } catch (e) {
        formError.textContent = '';
        formError.appendChild(el('span', 'err-prefix', S.form_err_prefix));
        formError.appendChild(document.createTextNode(S.check_share_bad));
      }
    };
  }

  /** Copies `text`; the status says whether it worked or the user should copy it by hand. */
  function copyNote(text, status, copied, manually) {
    status.textContent = manually;
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () {
        status.textContent = copied;
      }, function () { /* not allowed here: the text is shown and selected for copying */ });
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Risk-elimination check (Q25–Q29, Q31; procedure Q37)
  // ---------------------------------------------------------------------------------------------

  function elimination() {
    var policyJson = document.getElementById('policy-data').textContent;
    var MAX = { count: 99, months: 600 };
    var today = localToday();

    var summary = lineToday(policyJson, today);
    if (!summary.error) {
      document.getElementById('elim-line').textContent = fill(S.tools_elim_line_note, { year: summary.year, yuan: group(summary.monitoring_line) });
      document.getElementById('elim-line-provisional').hidden = !summary.provisional;
      var stale = document.getElementById('elim-line-stale');
      stale.hidden = !summary.stale;
      stale.textContent = summary.stale ? fill(S.tools_elim_line_stale, { today_year: today.slice(0, 4), year: summary.year }) : '';
    }

    function natural() { return radioValue('natural_elimination') === 'true'; }

    function clientCheck(key, strict) {
      var f = fields[key];
      if (f.kind === 'choice') {
        if (key === 'problems') return '';
        return strict && !radioValue(key) ? S.form_err_choose : '';
      }
      var r = f.kind === 'amount' ? readMoney(f) : readNumber(f, MAX[f.kind]);
      if (r.error) return r.error;
      if (r.empty) {
        if (!strict || f.kind === 'amount') return '';
        if (key === 'months_above_line') return natural() ? '' : S.tools_elim_err_months;
        return S.form_err_required;
      }
      if (key === 'members' && r.value < 1) return S.tools_elim_err_members_min;
      if (key === 'members_with_labor') return moreWorkers(r, S.tools_elim_err_workers_more, MAX.count);
      return '';
    }

    function readCase() {
      var c = {};
      ['members', 'members_with_labor', 'months_above_line'].forEach(function (k) {
        var r = readNumber(fields[k], MAX[fields[k].kind]);
        if (r.value != null) c[k] = r.value;
      });
      ['safety_net_support', 'new_risk', 'natural_elimination'].forEach(function (k) {
        var v = radioValue(k);
        if (v) c[k] = v === 'true';
      });
      c.income = readAmounts('income', INCOME);
      c.problems = problems();
      return c;
    }

    function fieldKey(path) {
      if (/^problems(\[\d+\])?$/.test(path)) return 'problems';
      return fields[path] ? path : null;
    }

    function updateMonths() {
      document.getElementById('months-req').hidden = natural();
      if (natural() && !fields.months_above_line.inputs[0].value) setError('months_above_line', '');
    }

    function reasonList(reasons, cls) {
      var ul = el('ul', 'notes elim-reasons ' + cls);
      reasons.forEach(function (r) {
        var li = el('li', r.met ? 'is-met' : 'is-unmet');
        li.setAttribute('data-key', r.key);
        li.appendChild(el('span', 'elim-mark', r.met ? '✓ ' + S.tools_elim_mark_met : '✗ ' + S.tools_elim_mark_unmet));
        li.appendChild(langFill(el('span', 'note-text'), r[lang]));
        li.appendChild(document.createTextNode(' '));
        li.appendChild(citeLinks(r.cites));
        ul.appendChild(li);
      });
      return ul;
    }

    function render(r) {
      var card = el('article', 'result-card elim-card verdict-' + r.verdict);
      var unmet = r.reasons.filter(function (x) { return !x.met; });
      var met = r.reasons.filter(function (x) { return x.met; });
      card.setAttribute('data-verdict', r.verdict);
      card.setAttribute('data-eligible', String(r.eligible));
      card.setAttribute('data-unmet', JSON.stringify(unmet.map(function (x) { return x.key; })));
      lineData(card, r, today);

      card.appendChild(el('p', 'category', r.label[lang]));
      if (unmet.length) {
        card.appendChild(el('h3', 'elim-because', S.tools_elim_because));
        card.appendChild(reasonList(unmet, 'reasons-unmet'));
        if (met.length) {
          card.appendChild(el('h3', null, S.tools_elim_met));
          card.appendChild(reasonList(met, 'reasons-met'));
        }
      } else {
        card.appendChild(el('h3', null, S.tools_elim_all_met));
        card.appendChild(reasonList(met, 'reasons-met'));
      }

      var unit = ' ' + S.form_per_person_year;
      var tag = r.line_provisional ? ' · ' + S.form_tag_provisional : '';
      var dl = el('dl', 'figures');
      figure(dl, S.tools_elim_income_pc, group(r.per_capita_net_income) + unit);
      figure(dl, S.tools_elim_line_used, group(r.monitoring_line) + unit + ' · ' + fill(S.form_line_year, { year: r.year }) + tag);
      figure(dl, S.tools_elim_months_required, fill(S.tools_elim_months_value, { n: r.months_required }));
      card.appendChild(dl);

      card.appendChild(noteList(r.eligible ? S.tools_elim_procedure : S.tools_elim_next, r.next_steps, 'next-steps'));
      // The step about notices (Q38) leads to the privacy check.
      Array.prototype.forEach.call(card.querySelectorAll('.next-steps li'), function (li, i) {
        if (r.next_steps[i].cites.indexOf(38) < 0) return;
        var a = el('a', 'tool-inline', S.tools_redact_title + ' →');
        a.href = root + lang + '/redact/index.html';
        li.appendChild(a);
      });
      card.appendChild(noteList(S.tools_elim_warnings, r.warnings, 'warnings'));

      var details = el('details', 'line-details');
      details.appendChild(el('summary', null, S.tools_elim_line_details));
      var about = el('dl', 'line-about');
      figure(about, S.tools_elim_line_used, fill(S.form_line_year, { year: r.year }) + ' · ' + group(r.monitoring_line) + unit + tag);
      figure(about, S.tools_elim_line_effective, r.line_effective);
      figure(about, S.tools_elim_line_source, r.line_source[lang]);
      details.appendChild(about);
      card.appendChild(details);
      showResult(card);
    }

    onSubmit(function () {
      var errors = [];
      Object.keys(fields).forEach(function (k) {
        var m = clientCheck(k, true);
        if (m) errors.push({ key: k, message: m });
      });
      if (errors.length) { showErrors(errors); return; }
      var caseJson = JSON.stringify(readCase());
      var v = call('validate_elimination_json', caseJson);
      if (!v.ok) { showErrors(engineErrors(v, fieldKey)); return; }
      var r = call('elimination_json', caseJson, policyJson, today);
      if (r.error) { showErrors(engineErrors(r, fieldKey)); return; }
      render(r);
    });

    // A number is checked when leaving its field; a choice clears its error once made.
    onLeave(function (key) {
      if (key === 'members' && fields.members_with_labor.error.textContent) {
        setError('members_with_labor', clientCheck('members_with_labor', false));
      }
      return clientCheck(key, false);
    });
    function changed(event) {
      clearChoice(event);
      updateMonths();
      markStale();
    }
    form.addEventListener('input', changed);
    form.addEventListener('change', changed);
    onReset(updateMonths);
    updateMonths();
  }

  // ---------------------------------------------------------------------------------------------
  // Procedure deadlines (Q23, Q24, Q33, Q34, Q36)
  // ---------------------------------------------------------------------------------------------

  function deadlines() {
    var policyJson = document.getElementById('policy-data').textContent;
    var DATES = ['risk_found', 'green_channel_entry', 'publicity_start', 'county_approval'];
    var weekdays = String(S.tools_dl_weekdays).split(',');

    /** {empty}, {value: 'YYYY-MM-DD'} or {error}; the engine checks that the date exists. */
    function readDate(f) {
      var input = f.inputs[0];
      if (input.validity && input.validity.badInput) return { error: S.tools_dl_err_date };
      var raw = input.value.trim();
      if (raw === '') return { empty: true };
      if (!/^\d{4}-\d{2}-\d{2}$/.test(raw)) return { error: S.tools_dl_err_format };
      return { value: raw };
    }

    function weekday(iso) {
      var p = iso.split('-').map(Number);
      return weekdays[new Date(Date.UTC(p[0], p[1] - 1, p[2])).getUTCDay()] || '';
    }

    function fieldKey(path) {
      return fields[path] ? path : null;
    }

    function dateBox(iso, undated) {
      var box = el('div', 'dl-date');
      if (iso) {
        var t = el('time', 'dl-due', iso);
        t.setAttribute('datetime', iso);
        box.appendChild(t);
        box.appendChild(el('span', 'dl-weekday', weekday(iso)));
      } else {
        box.appendChild(el('span', 'dl-due dl-undated', undated));
      }
      return box;
    }

    function render(r, input) {
      var card = el('article', 'result-card dl-card');
      card.setAttribute('data-items', JSON.stringify(r.items.map(function (i) {
        return { key: i.key, track: i.track, due: i.due, due_if_on_time: i.due_if_on_time };
      })));

      var from = el('dl', 'figures dl-inputs');
      DATES.forEach(function (k) {
        if (input[k]) figure(from, document.querySelector('label[for="f-' + k + '"]').textContent.replace(/\s*\*$/, ''), input[k] + ' ' + weekday(input[k]));
      });
      card.appendChild(from);

      [['regular', S.tools_dl_regular], ['green_channel', S.tools_dl_green_track]].forEach(function (track) {
        var items = r.items.filter(function (i) { return i.track === track[0]; });
        if (!items.length) return;
        card.appendChild(el('h3', 'dl-track', track[1]));
        var ol = el('ol', 'dl-timeline');
        ol.setAttribute('data-track', track[0]);
        items.forEach(function (item) {
          var li = el('li', 'dl-item' + (item.due ? '' : ' is-undated'));
          li.setAttribute('data-key', item.key);
          li.setAttribute('data-due', item.due || '');
          li.appendChild(dateBox(item.due, S.tools_dl_undated));
          var body = el('div', 'dl-body');
          body.appendChild(langFill(el('p', 'dl-text'), item[lang]));
          if (!item.due && item.due_if_on_time) {
            body.appendChild(el('p', 'dl-on-time', fill(S.tools_dl_if_on_time, { date: item.due_if_on_time + ' ' + weekday(item.due_if_on_time) })));
          }
          var quote = el('blockquote', 'dl-quote');
          quote.appendChild(el('span', 'dl-quote-label', S.tools_dl_quote));
          var q = el('q', null, item.quote);
          q.setAttribute('lang', 'zh-CN');
          quote.appendChild(q);
          body.appendChild(quote);
          body.appendChild(citeLinks(item.cites));
          li.appendChild(body);
          ol.appendChild(li);
        });
        card.appendChild(ol);
      });

      card.appendChild(noteList(S.tools_dl_warnings, r.warnings, 'warnings'));
      var counting = el('div', 'dl-counting-note');
      counting.appendChild(el('h3', null, S.tools_dl_counting_title));
      counting.appendChild(langFill(el('p'), r.counting[lang]));
      card.appendChild(counting);

      var actions = el('div', 'form-actions dl-actions');
      var print = el('button', 'btn btn-secondary', S.tools_dl_print);
      print.type = 'button';
      print.id = 'dl-print';
      print.addEventListener('click', function () { window.print(); });
      actions.appendChild(print);
      card.appendChild(actions);
      showResult(card);
    }

    onSubmit(function () {
      var errors = [];
      var input = {};
      DATES.forEach(function (k) {
        var d = readDate(fields[k]);
        if (d.error) errors.push({ key: k, message: d.error });
        else if (d.value) input[k] = d.value;
      });
      var startMissing = !input.risk_found && !input.green_channel_entry &&
        !errors.some(function (e) { return e.key === 'risk_found' || e.key === 'green_channel_entry'; });
      if (startMissing) errors.unshift({ key: 'risk_found', message: S.tools_dl_err_need_start });
      if (errors.length) { showErrors(errors); return; }
      var r = call('deadlines_json', JSON.stringify(input), policyJson);
      if (r.error) { showErrors(engineErrors(r, fieldKey)); return; }
      render(r, input);
    });

    form.addEventListener('input', function (event) {
      var key = event.target && event.target.getAttribute('data-field');
      if (key) setError(key, '');
      markStale();
    });
    form.addEventListener('change', markStale);
    onReset(null);
  }

  // ---------------------------------------------------------------------------------------------
  // Privacy check of a notice (Q38)
  // ---------------------------------------------------------------------------------------------

  function redact() {
    var wordsJson = document.getElementById('words-data').textContent;
    var textarea = fields.text.inputs[0];
    var timer = null;
    var KINDS = ['resident_id', 'mobile', 'landline', 'bank_card', 'health'];

    function kindLabel(kind) {
      return S['tools_rd_kind_' + kind] || kind;
    }

    /** The text with every finding wrapped in <mark>, built from text nodes only. */
    function preview(text, findings) {
      var box = el('div', 'rd-preview');
      box.setAttribute('lang', 'zh-CN');
      var at = 0;
      findings.forEach(function (f, i) {
        if (f.utf16_start > at) box.appendChild(document.createTextNode(text.slice(at, f.utf16_start)));
        var mark = el('mark', 'rd-mark rd-' + f.kind, text.slice(f.utf16_start, f.utf16_end));
        mark.setAttribute('data-kind', f.kind);
        mark.title = f.reason[lang];
        box.appendChild(mark);
        var ref = el('sup', 'rd-ref', String(i + 1));
        ref.setAttribute('aria-hidden', 'true');
        box.appendChild(ref);
        at = Math.max(at, f.utf16_end);
      });
      if (at < text.length) box.appendChild(document.createTextNode(text.slice(at)));
      return box;
    }

    function render(text, r) {
      var card = el('article', 'result-card rd-card' + (r.found ? ' rd-found' : ' rd-clean'));
      card.setAttribute('data-found', String(r.found));
      card.setAttribute('data-counts', JSON.stringify(r.counts));
      card.setAttribute('data-findings', JSON.stringify(r.findings.map(function (f) {
        return { kind: f.kind, text: f.text, masked: f.masked, start: f.start, end: f.end };
      })));
      card.appendChild(el('p', 'category', r.summary[lang]));
      if (r.found) {
        var counts = el('ul', 'rd-counts');
        counts.setAttribute('aria-label', S.tools_rd_counts);
        KINDS.filter(function (kind) { return r.counts[kind]; }).forEach(function (kind) {
          var li = el('li', 'rd-count rd-' + kind, fill(S.tools_rd_count, { kind: kindLabel(kind), n: r.counts[kind] }));
          counts.appendChild(li);
        });
        card.appendChild(counts);

        card.appendChild(el('h3', null, S.tools_rd_preview));
        card.appendChild(preview(text, r.findings));

        card.appendChild(el('h3', null, S.tools_rd_findings));
        var ol = el('ol', 'rd-findings');
        r.findings.forEach(function (f) {
          var li = el('li', 'rd-finding');
          li.setAttribute('data-kind', f.kind);
          var head = el('p', 'rd-finding-head');
          head.appendChild(el('strong', 'rd-kind rd-' + f.kind, kindLabel(f.kind)));
          head.appendChild(document.createTextNode(' '));
          var found = el('code', 'rd-text', f.text);
          found.setAttribute('lang', 'zh-CN');
          head.appendChild(found);
          head.appendChild(el('span', 'rd-arrow', ' → '));
          var masked = el('code', 'rd-masked-text', f.masked);
          masked.setAttribute('lang', 'zh-CN');
          head.appendChild(masked);
          li.appendChild(head);
          var why = el('p', 'rd-reason');
          why.appendChild(el('span', 'rd-at', fill(S.tools_rd_at, { line: f.line, column: f.column }) + ' · '));
          why.appendChild(document.createTextNode(f.reason[lang] + ' '));
          why.appendChild(citeLinks(f.cites));
          li.appendChild(why);
          ol.appendChild(li);
        });
        card.appendChild(ol);
      } else {
        card.appendChild(el('p', 'rd-unchanged', S.tools_rd_unchanged));
      }

      var out = el('div', 'rd-out');
      var label = el('label', null, S.tools_rd_masked);
      label.setAttribute('for', 'rd-masked');
      out.appendChild(label);
      var hint = el('p', 'hint', S.tools_rd_masked_hint);
      hint.id = 'h-rd-masked';
      out.appendChild(hint);
      var area = el('textarea');
      area.id = 'rd-masked';
      area.readOnly = true;
      area.rows = Math.min(14, Math.max(6, 2 * r.masked.split('\n').length));
      area.setAttribute('aria-describedby', 'h-rd-masked');
      area.spellcheck = false;
      area.value = r.masked;
      out.appendChild(area);
      var button = el('button', 'btn btn-primary', S.tools_rd_copy);
      button.type = 'button';
      button.id = 'rd-copy';
      var status = el('p', 'share-status rd-status');
      status.setAttribute('role', 'status');
      button.addEventListener('click', function () {
        area.focus();
        area.select();
        copyNote(area.value, status, S.tools_rd_copied, S.tools_rd_copy_manually);
      });
      out.appendChild(button);
      out.appendChild(status);
      card.appendChild(out);
      return card;
    }

    /** Runs the check; `focus`: move to the result (on submit, not while typing). */
    function run(focus) {
      var text = textarea.value;
      if (!text.trim()) {
        if (focus) showErrors([{ key: 'text', message: S.tools_rd_err_empty }]);
        else hideResult();
        return;
      }
      var r = call('redact_json', text, wordsJson);
      if (r.error) { showErrors(engineErrors(r, function () { return null; })); return; }
      var card = render(text, r);
      if (focus) {
        showResult(card);
      } else {
        resultBody.textContent = '';
        resultBody.appendChild(card);
      }
    }

    onSubmit(function () { run(true); });
    // Once a result is shown, it follows the text as it is edited.
    textarea.addEventListener('input', function () {
      setError('text', '');
      if (resultBox.hidden) return;
      clearTimeout(timer);
      timer = setTimeout(function () { run(false); }, 200);
    });
    onReset(function () { clearTimeout(timer); });
  }

  // ---------------------------------------------------------------------------------------------
  // Loading the engine
  // ---------------------------------------------------------------------------------------------

  var tools = { check: check, elimination: elimination, deadlines: deadlines, redact: redact, screen: screen };
  if (!tools[tool]) return;

  /** The engine could not be used: `why` is network (with a retry), old (no WebAssembly) or start. */
  function failed(why) {
    status.textContent = '';
    failedBox.textContent = '';
    failedBox.appendChild(el('p', null, why === 'network' ? S.form_failed_network : why === 'old' ? S.form_failed_old : S.form_failed_start));
    if (why === 'network') {
      var retry = el('button', 'btn btn-secondary', S.form_retry);
      retry.type = 'button';
      retry.addEventListener('click', function () { failedBox.hidden = true; load(); });
      failedBox.appendChild(retry);
    }
    failedBox.hidden = false;
  }

  function ready() {
    engine = window.policybookEngine;
    if (typeof WebAssembly !== 'object') { failed('old'); return; }
    if (!engine || !engine.built) { failed('start'); return; }
    status.textContent = '';
    submitButton.disabled = false;
    // Amounts typed while the engine was loading are echoed now.
    Object.keys(fields).forEach(function (k) { if (fields[k].kind === 'amount') echoMoney(fields[k]); });
    var after = tools[tool]();
    if (after) after();
  }

  var loader = null;
  function load() {
    var current = window.policybookEngine;
    // Each page's engine part has its own functions (another part may be loaded already).
    var probe = { screen: 'screen_json', elimination: 'elimination_json', deadlines: 'deadlines_json', redact: 'redact_json' }[tool] || 'check_json_opts';
    if (current && current.built && typeof current[probe] === 'function') { ready(); return; }
    status.textContent = S.form_loading.replace('{kb}', form.getAttribute('data-engine-kb'));
    if (loader) loader.remove();
    loader = document.createElement('script');
    loader.src = form.getAttribute('data-engine');
    loader.onload = ready;
    loader.onerror = function () { failed('network'); };
    document.head.appendChild(loader);
  }
  if (typeof WebAssembly !== 'object') failed('old');
  else load();

  // ---------------------------------------------------------------------------------------------
  // Village screening (Q8, Q41): a sheet of households, each row checked by the engine
  // ---------------------------------------------------------------------------------------------
  // The engine says which encoding the file's bytes are in (GBK from Excel and WPS, UTF-8, UTF-16)
  // and the browser's own TextDecoder decodes them; the engine reads the sheet, checks every row
  // as the self-check checks one household and writes the results sheet. This part only draws the
  // table, sorts and filters it, and hands the results to a download. The file never leaves the
  // page: it is read with FileReader and kept in a variable until the page is closed or cleared.

  function screen() {
    var policyJson = document.getElementById('policy-data').textContent;
    var input = fields.file.inputs[0];
    var today = localToday();
    var MAX_BYTES = 8 * 1024 * 1024;
    // Categories from the most to the least pressing, for sorting.
    var ORDER = ['severe_difficulty', 'unstable_alleviated', 'marginal', 'tracked', 'not_identified', 'out_of_scope'];
    var sheet = null; // {text, rows, encoding}
    var view = { key: 'row', dir: 1, onlyReview: false };
    var COLS = [
      ['row', S.screen_col_row], ['label', S.screen_col_label], ['result', S.screen_col_result],
      ['review', S.screen_col_review], ['income', S.screen_col_income], ['cites', S.screen_col_cites],
    ];

    function readBytes(file, done) {
      var reader = new FileReader();
      reader.onload = function () { done(new Uint8Array(reader.result)); };
      reader.onerror = function () { done(null); };
      reader.readAsArrayBuffer(file);
    }

    /** The questions the reasons cite, each once, in the guide's order. */
    function cites(r) {
      var out = [];
      (r.reasons || []).forEach(function (n) {
        n.cites.forEach(function (c) { if (out.indexOf(c) < 0) out.push(c); });
      });
      return out.sort(function (a, b) { return a - b; });
    }

    function sortValue(r, key) {
      var bad = !!r.errors;
      switch (key) {
        case 'label': return r.row_label;
        case 'result': return bad ? -1 : ORDER.indexOf(r.category);
        case 'review': return bad ? -1 : (r.review_needed ? 0 : 1);
        case 'income': return bad ? -1 : r.per_capita_net_income;
        default: return r.row;
      }
    }

    function sorted() {
      var rows = sheet.rows.slice();
      rows.sort(function (a, b) {
        var x = sortValue(a, view.key), y = sortValue(b, view.key);
        var c = typeof x === 'string' ? x.localeCompare(y, lang === 'zh' ? 'zh-CN' : 'en') : x - y;
        return c * view.dir || a.row - b.row;
      });
      return rows;
    }

    function cell(tr, key, content) {
      var td = el('td', 'c-' + key);
      var col = COLS.filter(function (c) { return c[0] === key; })[0];
      if (col) td.setAttribute('data-label', col[1]);
      if (typeof content === 'string') td.textContent = content;
      else if (content) td.appendChild(content);
      tr.appendChild(td);
      return td;
    }

    /** The row's Details button; the full reasons, as the self-check shows them, are drawn when
     * first opened (a list of thousands of rows is drawn at once, its reasons only when asked). */
    function detailsButton(detail, r) {
      var b = el('button', 'btn btn-small screen-toggle', S.screen_details);
      b.type = 'button';
      b.setAttribute('aria-expanded', 'false');
      b.setAttribute('aria-controls', detail.id);
      b.setAttribute('aria-label', fill(S.screen_details_label, { row: r.row }));
      b.addEventListener('click', function () {
        var open = b.getAttribute('aria-expanded') !== 'true';
        var box = detail.firstChild;
        if (open && !box.hasChildNodes()) {
          box.appendChild(noteList(S.check_reasons, r.reasons, 'reasons'));
          box.appendChild(noteList(S.check_next, r.next_steps, 'next-steps'));
          box.appendChild(noteList(S.check_warnings, r.warnings, 'warnings'));
        }
        b.setAttribute('aria-expanded', String(open));
        detail.hidden = !open;
      });
      return b;
    }

    /** One household's table row (and its details row) into `target`. */
    function drawRow(target, r) {
      var tr = el('tr', 'screen-row' + (r.errors ? ' is-invalid' : ' cat-' + r.category));
      tr.setAttribute('data-row', String(r.row));
      cell(tr, 'row', String(r.row));
      langFill(cell(tr, 'label', ''), r.row_label);
      var detail = el('tr', 'screen-detail');
      detail.id = 'screen-detail-' + r.row;
      detail.hidden = true;
      var box = el('td');
      box.colSpan = COLS.length + 1;
      detail.appendChild(box);
      if (r.errors) {
        tr.setAttribute('data-invalid', 'true');
        var ul = el('ul', 'screen-errors');
        r.errors.forEach(function (e) {
          var li = el('li');
          li.appendChild(el('span', 'err-prefix', S.form_err_prefix));
          li.appendChild(langFill(el('span'), e[lang] || e.en));
          li.setAttribute('data-column', e.column || '');
          ul.appendChild(li);
        });
        var td = cell(tr, 'result', ul);
        td.colSpan = 4;
        td.setAttribute('data-label', S.screen_invalid);
        cell(tr, 'details', '');
      } else {
        tr.setAttribute('data-category', r.category);
        tr.setAttribute('data-review', String(r.review_needed));
        tr.setAttribute('data-income', String(r.per_capita_net_income));
        tr.setAttribute('data-line', String(r.monitoring_line));
        langFill(cell(tr, 'result', ''), r.label[lang]);
        cell(tr, 'review', el('span', r.review_needed ? 'tag tag-review' : 'tag-none', r.review_needed ? S.screen_review_yes : S.screen_review_no));
        var income = el('span');
        income.appendChild(el('span', 'figures-pair', group(r.per_capita_net_income) + ' / ' + group(r.monitoring_line)));
        if (r.per_capita_net_income < r.monitoring_line) income.appendChild(el('small', 'below', ' ' + S.screen_below));
        cell(tr, 'income', income);
        // The column is named; its cells need no "See:" of their own.
        var links = citeLinks(cites(r));
        if (links.firstChild && links.firstChild.nodeType === 3) links.removeChild(links.firstChild);
        cell(tr, 'cites', links);
        cell(tr, 'details', detailsButton(detail, r));
      }
      target.appendChild(tr);
      if (!r.errors) target.appendChild(detail);
    }

    // The rows are drawn in slices, the first at once and the rest between frames, so that the
    // table of a long list appears at once and the page stays responsive while it fills; a new
    // sort or filter stops the slices of the previous one.
    var drawing = 0;
    var FIRST = 100, SLICE = 400;

    function bodyRows(tbody) {
      var token = ++drawing;
      tbody.textContent = '';
      tbody.removeAttribute('data-complete');
      var list = sorted().filter(function (r) { return !view.onlyReview || r.review_needed; });
      var at = 0;
      function slice() {
        if (token !== drawing) return;
        var frag = document.createDocumentFragment();
        for (var end = Math.min(list.length, at + (at ? SLICE : FIRST)); at < end; at++) drawRow(frag, list[at]);
        tbody.appendChild(frag);
        if (at < list.length) setTimeout(slice, 0);
        else tbody.setAttribute('data-complete', 'true');
      }
      slice();
      if (!list.length) {
        var tr = el('tr', 'screen-empty');
        var td = el('td', null, S.screen_none_shown);
        td.colSpan = COLS.length + 1;
        tr.appendChild(td);
        tbody.appendChild(tr);
      }
    }

    function save(statusBox) {
      var csv = engine.screen_results_csv(sheet.text, policyJson, today, lang);
      if (csv.charAt(0) === '{') { statusBox.textContent = S.form_err_engine; return; }
      var url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
      var a = el('a');
      a.href = url;
      a.download = S.screen_results_file;
      a.hidden = true;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
      statusBox.textContent = fill(S.screen_saved, { file: S.screen_results_file });
    }

    function render() {
      var rows = sheet.rows;
      var count = function (f) { return rows.filter(f).length; };
      var card = el('article', 'result-card screen-card');
      card.setAttribute('data-rows', String(rows.length));
      card.setAttribute('data-encoding', sheet.encoding);
      card.setAttribute('data-today', today);
      card.appendChild(el('p', 'screen-summary', fill(S.screen_summary, {
        n: rows.length,
        review: count(function (r) { return r.review_needed; }),
        monitored: count(function (r) { return r.monitored; }),
        invalid: count(function (r) { return !!r.errors; }),
      })));
      card.appendChild(el('p', 'screen-encoding hint', fill(S.screen_encoding, { encoding: sheet.encoding.toUpperCase() })));

      var bar = el('div', 'screen-bar');
      var only = el('label', 'option screen-filter');
      var box = el('input');
      box.type = 'checkbox';
      box.id = 'screen-only-review';
      box.checked = view.onlyReview;
      only.appendChild(box);
      only.appendChild(el('span', null, S.screen_only_review));
      bar.appendChild(only);
      var saveButton = el('button', 'btn btn-primary', S.screen_save);
      saveButton.type = 'button';
      saveButton.id = 'screen-save';
      var printButton = el('button', 'btn btn-secondary', S.screen_print);
      printButton.type = 'button';
      printButton.id = 'screen-print';
      bar.appendChild(saveButton);
      bar.appendChild(printButton);
      var saved = el('p', 'share-status screen-saved');
      saved.setAttribute('role', 'status');
      bar.appendChild(saved);
      card.appendChild(bar);

      var wrap = el('div', 'screen-wrap');
      var table = el('table', 'screen-table');
      table.appendChild(el('caption', null, S.screen_caption));
      var head = el('tr');
      COLS.forEach(function (c) {
        var th = el('th');
        th.scope = 'col';
        th.className = 'c-' + c[0];
        if (c[0] === 'cites') {
          th.textContent = c[1];
        } else {
          var b = el('button', 'sort', c[1]);
          b.type = 'button';
          b.setAttribute('data-sort', c[0]);
          th.setAttribute('aria-sort', view.key === c[0] ? (view.dir > 0 ? 'ascending' : 'descending') : 'none');
          b.addEventListener('click', function () {
            view.dir = view.key === c[0] ? -view.dir : 1;
            view.key = c[0];
            head.querySelectorAll('th[aria-sort]').forEach(function (t) { t.setAttribute('aria-sort', 'none'); });
            th.setAttribute('aria-sort', view.dir > 0 ? 'ascending' : 'descending');
            bodyRows(tbody);
          });
          th.appendChild(b);
        }
        head.appendChild(th);
      });
      head.appendChild(el('th', 'c-details', S.screen_col_details));
      var thead = el('thead');
      thead.appendChild(head);
      table.appendChild(thead);
      var tbody = el('tbody');
      table.appendChild(tbody);
      wrap.appendChild(table);
      card.appendChild(wrap);
      bodyRows(tbody);

      box.addEventListener('change', function () { view.onlyReview = box.checked; bodyRows(tbody); });
      saveButton.addEventListener('click', function () { save(saved); });
      printButton.addEventListener('click', function () { window.print(); });
      showResult(card);
    }

    function run() {
      clearErrors();
      var file = input.files && input.files[0];
      if (!file) { showErrors([{ key: 'file', message: S.screen_err_no_file }]); return; }
      if (file.size > MAX_BYTES) { showErrors([{ key: 'file', message: S.screen_err_too_large }]); return; }
      status.textContent = S.screen_reading;
      submitButton.disabled = true;
      readBytes(file, function (bytes) {
        submitButton.disabled = false;
        status.textContent = '';
        var encoding = bytes && engine.sniff_encoding(bytes);
        var text = null;
        try { text = bytes && new TextDecoder(encoding).decode(bytes); } catch (e) { text = null; }
        if (text == null) { showErrors([{ key: 'file', message: S.screen_err_read }]); return; }
        var r = call('screen_json', text, policyJson, today);
        if (r.error) { showErrors(engineErrors(r, function () { return null; })); return; }
        sheet = { text: text, rows: r.rows, encoding: encoding };
        view = { key: 'row', dir: 1, onlyReview: false };
        render();
      });
    }

    onSubmit(run);
    input.addEventListener('change', function () {
      setError('file', '');
      if (input.files && input.files[0]) run();
    });
    onReset(function () { sheet = null; });
  }
})();
