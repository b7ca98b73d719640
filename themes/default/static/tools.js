// The cadre tools: the risk-elimination check, procedure deadlines and the privacy check
// of notices. Each page has one form with `data-tool`; this script runs that tool with the engine
// in the page. Nothing leaves the browser: no request, no storage, nothing in the address.
//
// The form is hidden until the engine has started (without JavaScript the page shows a note and
// links to the questions). Answers are checked here, then by the engine, whose errors name the
// field they belong to. Every piece of user text is put into the page with textContent.
'use strict';
(function () {
  var form = document.getElementById('tool-form');
  if (!form) return;
  var tool = form.getAttribute('data-tool');
  var S = JSON.parse(document.getElementById('tool-strings').textContent);
  var lang = form.getAttribute('data-lang') === 'en' ? 'en' : 'zh';
  var root = form.getAttribute('data-root') || '';
  var numbers = JSON.parse(form.getAttribute('data-questions') || '[]');
  var resultBox = document.getElementById('tool-result');
  var resultBody = document.getElementById('tool-result-body');
  var resultTitle = document.getElementById('tool-result-title');
  var formError = document.getElementById('tool-form-error');

  var engine = window.policybookEngine;
  if (!engine || !engine.built) {
    document.getElementById('tool-failed').hidden = false;
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
      return { error: { field: 'engine', zh: S.tools_err_engine, en: S.tools_err_engine } };
    }
  }

  function questionLabel(n) {
    return lang === 'zh' ? '第' + n + '问' : 'Q' + n;
  }

  /** "See: Q25 Q27", each a link to a question the site has. */
  function citeLinks(cites) {
    var span = el('span', 'cites');
    if (!cites || !cites.length) return span;
    span.appendChild(document.createTextNode(S.tools_cites));
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
      li.appendChild(el('span', 'note-text', n[lang]));
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
    row.appendChild(el('dd', null, value));
    dl.appendChild(row);
    return row;
  }

  function radioValue(name) {
    var checked = form.querySelector('input[name="' + name + '"]:checked');
    return checked ? checked.value : null;
  }

  // ---------------------------------------------------------------------------------------------
  // Fields: data-field → inputs, error element, the block to mark
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
      box: node.closest('.field') || node,
    };
  });

  function setError(key, message) {
    var f = fields[key];
    if (!f) return;
    f.error.textContent = '';
    if (message) {
      f.error.appendChild(el('span', 'err-prefix', S.tools_err_prefix));
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
      if (e.key && fields[e.key]) {
        if (!fields[e.key].error.textContent) setError(e.key, e.message);
        if (!first) first = fields[e.key];
      } else {
        general.push(e.message);
      }
    });
    formError.textContent = '';
    var summary = fill(S.tools_err_summary, { n: errors.length });
    formError.appendChild(el('span', 'err-prefix', S.tools_err_prefix));
    formError.appendChild(document.createTextNode(general.length ? general.join(' ') + (first ? ' ' + summary : '') : summary));
    hideResult();
    var target = first ? (first.inputs.filter(function (i) { return i.checked; })[0] || first.inputs[0]) : formError;
    (first ? first.box : formError).scrollIntoView({ block: 'start' });
    target.focus({ preventScroll: true });
  }

  /** The engine's errors as {key, message}; `fieldKey` maps an engine field to a form field. */
  function engineErrors(result, fieldKey) {
    var list = (result && result.errors) || (result && result.error ? [result.error] : []);
    return list.map(function (e) {
      return { key: fieldKey(e.field), message: e[lang] || e.en };
    });
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
      card.insertBefore(el('p', 'stale-note', S.tools_stale), card.firstChild);
    }
  }

  /** Reads a whole number from a numeric input: {empty}, {value} or {error}. */
  function readNumber(f, max) {
    var input = f.inputs[0];
    if (input.validity && input.validity.badInput) return { error: S.tools_err_number };
    var raw = input.value.trim();
    if (raw === '') return { empty: true };
    if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(raw)) return { error: S.tools_err_number };
    var n = Number(raw);
    if (n < 0) return { error: S.tools_err_negative };
    if (!isFinite(n) || n > max) return { error: fill(S.tools_err_too_large, { max: group(max) }) };
    if (!Number.isInteger(n)) return { error: S.tools_err_decimal };
    return { value: n };
  }

  function onSubmit(run) {
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      clearErrors();
      run();
    });
  }

  function onReset(after) {
    form.addEventListener('reset', function () {
      setTimeout(function () {
        clearErrors();
        hideResult();
        if (after) after();
      }, 0);
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Risk-elimination check (Q25–Q29, Q31; procedure Q37)
  // ---------------------------------------------------------------------------------------------

  function elimination() {
    var policyJson = document.getElementById('policy-data').textContent;
    var MAX = { count: 99, amount: 99999999, months: 600 };
    var INCOME = ['wages', 'business', 'transfers', 'property', 'business_costs', 'claims'];
    var today = localToday();

    // The line in force today (the page was built on another day).
    var summary = call('policy_summary_json', policyJson, today);
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
        return strict && !radioValue(key) ? S.tools_err_choose : '';
      }
      var r = readNumber(f, MAX[f.kind]);
      if (r.error) return r.error;
      if (r.empty) {
        if (!strict || f.kind === 'amount') return '';
        if (key === 'months_above_line') return natural() ? '' : S.tools_elim_err_months;
        return S.tools_err_required;
      }
      if (key === 'members' && r.value < 1) return S.tools_elim_err_members_min;
      if (key === 'members_with_labor') {
        var m = readNumber(fields.members, MAX.count);
        if (m.value != null && m.value >= 1 && r.value > m.value) return fill(S.tools_elim_err_workers_more, { members: m.value });
      }
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
      var income = {};
      INCOME.forEach(function (k) {
        var r = readNumber(fields['income.' + k], MAX.amount);
        if (r.value != null) income[k] = r.value;
      });
      c.income = income;
      c.problems = Array.prototype.map.call(form.querySelectorAll('input[name="problems"]:checked'), function (i) { return i.value; });
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
        li.appendChild(el('span', 'note-text', r[lang]));
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
      card.setAttribute('data-income', String(r.per_capita_net_income));
      card.setAttribute('data-line', String(r.monitoring_line));
      card.setAttribute('data-year', String(r.year));
      card.setAttribute('data-provisional', String(r.line_provisional));
      card.setAttribute('data-today', today);
      card.setAttribute('data-unmet', JSON.stringify(unmet.map(function (x) { return x.key; })));
      card.setAttribute('data-cites', JSON.stringify(r.reasons.map(function (x) { return x.cites; })));

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

      var unit = ' ' + S.tools_per_person_year;
      var tag = r.line_provisional ? ' · ' + S.tools_tag_provisional : '';
      var dl = el('dl', 'figures');
      figure(dl, S.tools_elim_income_pc, group(r.per_capita_net_income) + unit);
      figure(dl, S.tools_elim_line_used, group(r.monitoring_line) + unit + ' · ' + fill(S.tools_line_year, { year: r.year }) + tag);
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
      figure(about, S.tools_elim_line_used, fill(S.tools_line_year, { year: r.year }) + ' · ' + group(r.monitoring_line) + unit + tag);
      figure(about, S.tools_elim_line_effective, r.line_effective);
      figure(about, S.tools_elim_line_source, r.line_source);
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
    form.addEventListener('focusout', function (event) {
      var input = event.target;
      if (!input || input.tagName !== 'INPUT' || input.type !== 'number') return;
      var key = input.getAttribute('data-field');
      setError(key, clientCheck(key, false));
      if (key === 'members' && fields.members_with_labor.error.textContent) {
        setError('members_with_labor', clientCheck('members_with_labor', false));
      }
    });
    function changed(event) {
      var t = event.target;
      if (t && (t.type === 'radio' || t.type === 'checkbox')) {
        var box = t.closest('[data-field]');
        if (box) setError(box.getAttribute('data-field'), '');
      }
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
          body.appendChild(el('p', 'dl-text', item[lang]));
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
      counting.appendChild(el('p', null, r.counting[lang]));
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

    function copy(area, status) {
      area.focus();
      area.select();
      status.textContent = S.tools_rd_copy_manually;
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(area.value).then(function () {
          status.textContent = S.tools_rd_copied;
        }, function () { /* not allowed here: the text is selected for copying */ });
      }
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
      button.addEventListener('click', function () { copy(area, status); });
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

  var tools = { elimination: elimination, deadlines: deadlines, redact: redact };
  if (!tools[tool]) return;
  form.hidden = false;
  tools[tool]();
})();
