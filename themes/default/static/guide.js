/* certguide: the home page's filters, sorting, compare selection and chart.

   The HTML holds the table's first rows (what readers without JavaScript get, with a link
   to the plain list of every certification). This script fetches the table's compact
   index (the table's data-index, data/table.json: per record in table order its id, URL,
   acronym, search text, facet values, cells as [text, sort key] and name), keeps a <tr> per
   record (the server's, or one drawn from the index when first needed) and puts into the
   <tbody> only the rows in view: filtering and sorting work on typed arrays, never on
   thousands of DOM nodes. Up to PAGE matching rows are all in the table (so the browser's
   own find sees them); past that, "Show N more".

   State lives in the query string, so a view is a link: q=TEXT, FIELD=VALUE (repeated,
   for tags and choice facets), FIELD.min / FIELD.max / FIELD.unknown=1 (range facets),
   sort=FIELD and dir=desc. Controls changed before the index arrives are honoured; the
   preview's `certguide:data` event for the index reads it again (reloadIndex). The
   rows ticked for comparison are kept in localStorage (shared with the record pages'
   "Add to compare" and the compare page), the last view's query in sessionStorage (the
   compare page's "Change selection" comes back to it). No framework, no dependencies. */
(function guide(early) {
  "use strict";

  // The home page loads this script in its head (async, the index's URL in data-index):
  // the index is fetched and read while the rest of the page is parsed, and the rest of
  // this script runs once the page is parsed and its deferred scripts (strings.js, the
  // words) have run - DOMContentLoaded - with the index's promise. An async script may
  // also run between the end of parsing and the deferred scripts: then it waits too.
  // Loaded at the end of the page (a site's own template), it fetches the index itself.
  if (early === undefined && document.readyState !== "complete" &&
      (document.readyState === "loading" || !window.certguideWords)) {
    var url = document.currentScript && document.currentScript.getAttribute("data-index");
    var index = url && window.fetch ? readIndex(url, { headers: { Accept: "application/json" } }) : null;
    if (index) index.catch(function () { /* reported once the page is set up */ });
    document.addEventListener("DOMContentLoaded", function () { guide(index); });
    return;
  }

  function readIndex(url, options) {
    return fetch(url, options).then(function (res) {
      if (!res.ok) throw new Error("HTTP " + res.status);
      return res.json();
    });
  }

  var started = window.performance ? performance.now() : 0;
  // The theme's words in the page's language (strings.js).
  var words = window.certguideWords;
  if (!words) return;
  var str = words.str;
  var PAGE = 500; // matching rows in the table before a "Show more" button
  var CHUNK = 25; // rows put in at once; the rest follow a chunk per frame
  var MAX_COMPARE = 4;

  var form = document.getElementById("cert-filters");
  var table = document.getElementById("cert-table");
  if (!form || !table || !table.tBodies.length || !window.fetch) return;

  var tbody = table.tBodies[0];
  var status = document.getElementById("cert-count");
  var search = document.getElementById("cert-search");
  var compareForm = document.getElementById("compare-form");
  var compareHint = document.getElementById("compare-hint");
  var compareButton = document.getElementById("compare-button");
  var compareClear = document.getElementById("compare-clear");
  var clearButton = document.getElementById("clear-filters");
  var chipsBox = document.getElementById("active-filters");
  var panel = document.getElementById("filter-panel");
  var panelCount = document.getElementById("filter-toggle-count");
  // The chart's markup waits in a <noscript> (shown as it is without JavaScript; only text
  // to a page with scripts, so it costs the page's load nothing) until the Chart view is
  // first opened.
  var chartBox = document.getElementById("chart");
  var chartSource = chartBox && chartBox.querySelector("noscript.chart-source");
  var chart = chartBox && chartBox.querySelector("svg.chart-svg");
  var chartNote = document.getElementById("chart-note");
  var compareUrl = compareForm ? compareForm.getAttribute("action") || "compare/" : "compare/";
  var STORE = "certguide-compare@" + compareUrl; // the ticked ids, shared with other pages
  var VIEW = "certguide-view@" + compareUrl; // the home page's last query
  var ready = false; // the index is loaded and applied

  // Lower case without accents, so "cafe" finds "Café".
  function fold(text) {
    return String(text).toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  // The facet's value as the checkbox values spell it (the build's number format).
  function valueText(v) {
    if (v === true) return "yes";
    if (v === false) return "no";
    if (typeof v === "number") {
      return Number.isInteger(v) ? String(v) : v.toFixed(2).replace(/0+$/, "").replace(/\.$/, "");
    }
    return String(v);
  }

  /* ---- Narrow screens: the filters in a disclosure ------------------------------- */

  // Open on wide screens (its summary hidden there), closed on narrow ones so the table
  // starts within the first screen.
  if (panel && window.matchMedia) {
    var narrow = window.matchMedia("(max-width: 600px)");
    var fit = function () { panel.open = !narrow.matches; };
    fit();
    if (narrow.addEventListener) narrow.addEventListener("change", fit);
  }

  /* ---- The index ----------------------------------------------------------------- */

  var index, n, ids, idIndex, haystack, rows, facets;
  var serverRows = Object.create(null);
  Array.prototype.forEach.call(tbody.rows, function (tr) { serverRows[tr.getAttribute("data-id")] = tr; });

  /* ---- Facets ---------------------------------------------------------------- */

  function setupFacets() {
  facets = Array.prototype.map.call(form.querySelectorAll("fieldset.facet[data-field]"), function (el, fi) {
    var f = { el: el, field: el.getAttribute("data-field"), kind: el.getAttribute("data-kind"), pos: fi };
    var legend = el.querySelector("legend");
    f.label = legend ? legend.textContent.trim() : f.field;
    if (f.kind === "range") {
      f.minInput = el.querySelector("input[name$='.min']");
      f.maxInput = el.querySelector("input[name$='.max']");
      f.values = new Float64Array(n);
      var unknown = 0;
      for (var r = 0; r < n; r++) {
        var v = index[r][4][fi];
        var num = typeof v === "number" ? v : (v == null || v === "" ? NaN : Number(v));
        f.values[r] = num;
        if (num !== num) unknown++;
      }
      f.min = NaN;
      f.max = NaN;
      f.unknown = false;
      if (unknown > 0) addUnknownOption(f, unknown);
      f.active = function () { return f.min === f.min || f.max === f.max; };
      f.test = function (r) {
        var x = f.values[r];
        if (x !== x) return f.unknown;
        return !(x < f.min) && !(x > f.max);
      };
    } else {
      f.boxes = Array.prototype.slice.call(el.querySelectorAll("input[type=checkbox]"));
      f.counts = f.boxes.map(function (box) {
        var label = el.querySelector("label[for='" + box.id + "'] .count");
        return { el: label, shown: label ? label.textContent : "" };
      });
      // The values as the page names them (chips, the printed line).
      f.names = Object.create(null);
      f.boxes.forEach(function (box) {
        var name = el.querySelector("label[for='" + box.id + "'] .facet-value");
        f.names[box.value] = name ? name.textContent.trim() : box.value;
      });
      var codeOf = Object.create(null);
      f.boxes.forEach(function (box, k) { codeOf[box.value] = k; });
      var unknownCode = codeOf.unknown === undefined ? -1 : codeOf.unknown;
      // Compressed rows: codes of record r are codes[start[r] .. start[r + 1]].
      var start = new Int32Array(n + 1);
      var codes = [];
      for (var r2 = 0; r2 < n; r2++) {
        start[r2] = codes.length;
        var raw = index[r2][4][fi];
        var list = Array.isArray(raw) ? raw : (raw == null || raw === "" ? [] : [raw]);
        if (!list.length && unknownCode >= 0) codes.push(unknownCode);
        for (var j = 0; j < list.length; j++) {
          var code = codeOf[valueText(list[j])];
          if (code !== undefined && !hasCode(codes, start[r2], code)) codes.push(code);
        }
      }
      start[n] = codes.length;
      f.start = start;
      f.codes = Int32Array.from(codes);
      f.selected = new Uint8Array(f.boxes.length);
      f.any = 0;
      f.tally = new Int32Array(f.boxes.length);
      f.active = function () { return f.any > 0; };
      f.test = function (r) {
        for (var k = f.start[r], end = f.start[r + 1]; k < end; k++) {
          if (f.selected[f.codes[k]]) return true;
        }
        return false;
      };
    }
    return f;
  });
  }

  function hasCode(codes, from, code) {
    for (var k = from; k < codes.length; k++) if (codes[k] === code) return true;
    return false;
  }

  // Range facets: whether records without a value stay in when a bound is set.
  function addUnknownOption(f, count) {
    var id = f.el.id + "-unknown";
    var made = document.getElementById(id); // the index read again
    if (made) {
      f.unknownBox = made;
      f.unknownCount = { el: made.parentNode.querySelector(".count"), shown: "" };
      return;
    }
    var wrap = document.createElement("div");
    wrap.className = "range-unknown";
    var box = document.createElement("input");
    box.type = "checkbox";
    box.id = id;
    box.name = f.field + ".unknown";
    box.value = "1";
    var label = document.createElement("label");
    label.htmlFor = id;
    var text = document.createElement("span");
    text.className = "facet-value is-unknown";
    text.textContent = str("guide_unknown");
    var countEl = document.createElement("span");
    countEl.className = "count";
    countEl.textContent = "(" + words.number(count) + ")";
    label.appendChild(document.createTextNode(str("guide_include")));
    label.appendChild(text);
    label.appendChild(document.createTextNode(" "));
    label.appendChild(countEl);
    wrap.appendChild(box);
    wrap.appendChild(label);
    f.el.appendChild(wrap);
    f.unknownBox = box;
    f.unknownCount = { el: countEl, shown: countEl.textContent };
  }

  /* ---- Sorting ----------------------------------------------------------------- */

  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var columns = [];
  var defaultSort = null;
  headers.forEach(function (th) {
    var button = th.querySelector("button[data-sort]");
    if (!button) return;
    var col = { th: th, button: button, field: button.getAttribute("data-sort"), pos: columns.length,
      numeric: th.hasAttribute("data-numeric"), link: th.hasAttribute("data-link"), ranks: null,
      label: button.textContent.trim(), cls: th.className };
    columns.push(col);
    var initial = th.getAttribute("aria-sort");
    if (initial === "ascending" || initial === "descending") {
      defaultSort = { field: col.field, desc: initial === "descending" };
    }
  });

  function columnOf(field) {
    for (var c = 0; c < columns.length; c++) if (columns[c].field === field) return columns[c];
    return null;
  }

  // A column's sort key per record is its rank among the column's values (numbers as
  // numbers, levels in their order, text as textKey below), worked out from the index
  // the first time the column is needed (or while the page is idle). Missing values get
  // a rank past every value, so they come last whichever the direction.
  var LEVELS = { foundation: 1, professional: 2, expert: 3 };

  function ranksOf(col) {
    if (col.ranks) return col.ranks;
    var values = new Array(n);
    var present = [];
    var numeric = col.numeric || col.field === "level";
    for (var r = 0; r < n; r++) {
      var cell = index[r][5] ? index[r][5][col.pos] : null;
      var raw = cell ? cell[1] : null;
      if (raw == null) continue;
      if (col.field === "level") {
        values[r] = LEVELS[raw] || 4; // the known levels in their own order, others after
      } else if (numeric) {
        if (typeof raw !== "number" || !isFinite(raw)) continue;
        values[r] = raw;
      } else {
        values[r] = textKey(String(raw));
      }
      present.push(r);
    }
    var compare = numeric
      ? function (a, b) { return values[a] - values[b]; }
      : function (a, b) { return values[a] < values[b] ? -1 : values[a] > values[b] ? 1 : 0; };
    present.sort(function (a, b) { return compare(a, b) || a - b; });
    var ranks = new Float64Array(n).fill(n); // missing: past every rank
    var rank = 0;
    for (var k = 0; k < present.length; k++) {
      if (k > 0 && compare(present[k - 1], present[k]) !== 0) rank = k;
      ranks[present[k]] = rank;
    }
    col.ranks = ranks;
    return ranks;
  }

  // Text compares without case or accents, and with numbers in it by value ("Level 9"
  // before "Level 10"): digit runs are padded so plain string order does the rest.
  function textKey(text) {
    return fold(text).replace(/\d+/g, function (d) {
      d = d.replace(/^0+(?=\d)/, "");
      return String.fromCharCode(48 + Math.min(d.length, 40)) + d;
    });
  }

  var orderCache = Object.create(null);

  // Record indices in display order, ties in the table's own order. Each record's
  // position is packed into one number (rank, then index) so the browser's native
  // typed-array sort does the work without a comparison callback.
  function orderFor(sort) {
    var col = sort && columnOf(sort.field);
    var name = col ? col.field + (sort.desc ? ":desc" : ":asc") : "";
    if (orderCache[name]) return orderCache[name];
    var order = new Int32Array(n);
    if (col) {
      var ranks = ranksOf(col);
      var packed = new Float64Array(n);
      for (var r = 0; r < n; r++) {
        var rank = ranks[r];
        if (sort.desc && rank < n) rank = n - 1 - rank;
        packed[r] = rank * n + r;
      }
      packed.sort();
      for (var k = 0; k < n; k++) order[k] = packed[k] % n;
    } else {
      for (var r2 = 0; r2 < n; r2++) order[r2] = r2;
    }
    orderCache[name] = order;
    return order;
  }

  // Read every column's keys while the page is idle, so the first sort is as quick as
  // the next ones.
  function warmUp(list) {
    if (!list.length || !window.requestIdleCallback) return;
    window.requestIdleCallback(function () {
      ranksOf(list[0]);
      warmUp(list.slice(1));
    }, { timeout: 5000 });
  }

  /* ---- State <-> URL --------------------------------------------------------------- */

  function readState(query) {
    var p = new URLSearchParams(query);
    var state = { q: p.get("q") || "", facets: {}, sort: null };
    facets.forEach(function (f) {
      if (f.kind === "range") {
        state.facets[f.field] = {
          min: parseBound(p.get(f.field + ".min")),
          max: parseBound(p.get(f.field + ".max")),
          unknown: p.get(f.field + ".unknown") === "1"
        };
      } else {
        state.facets[f.field] = p.getAll(f.field);
      }
    });
    var field = p.get("sort");
    if (field && columnOf(field)) state.sort = { field: field, desc: p.get("dir") === "desc" };
    return state;
  }

  function parseBound(text) {
    if (text == null || String(text).trim() === "") return NaN;
    var v = Number(text);
    return isFinite(v) ? v : NaN;
  }

  function queryOf(state) {
    var p = new URLSearchParams();
    if (state.q.trim()) p.set("q", state.q);
    facets.forEach(function (f) {
      var s = state.facets[f.field];
      if (f.kind === "range") {
        if (s.min === s.min) p.set(f.field + ".min", String(s.min));
        if (s.max === s.max) p.set(f.field + ".max", String(s.max));
        if (s.unknown) p.set(f.field + ".unknown", "1");
      } else {
        s.forEach(function (v) { p.append(f.field, v); });
      }
    });
    if (state.sort) {
      p.set("sort", state.sort.field);
      if (state.sort.desc) p.set("dir", "desc");
    }
    var q = p.toString();
    return q ? "?" + q : "";
  }

  // The state the controls show.
  function stateFromControls() {
    var state = { q: search ? search.value : "", facets: {}, sort: current.sort };
    facets.forEach(function (f) {
      if (f.kind === "range") {
        state.facets[f.field] = {
          min: parseBound(f.minInput && f.minInput.value),
          max: parseBound(f.maxInput && f.maxInput.value),
          unknown: !!(f.unknownBox && f.unknownBox.checked)
        };
      } else {
        state.facets[f.field] = f.boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
      }
    });
    return state;
  }

  function showState(state) {
    if (search) search.value = state.q;
    facets.forEach(function (f) {
      var s = state.facets[f.field];
      if (f.kind === "range") {
        // Leave what someone is typing alone when it means the same number.
        if (f.minInput && parseBound(f.minInput.value) !== s.min && !(s.min !== s.min && f.minInput.value === "")) {
          f.minInput.value = s.min === s.min ? String(s.min) : "";
        }
        if (f.maxInput && parseBound(f.maxInput.value) !== s.max && !(s.max !== s.max && f.maxInput.value === "")) {
          f.maxInput.value = s.max === s.max ? String(s.max) : "";
        }
        if (f.unknownBox) f.unknownBox.checked = s.unknown;
      } else {
        f.boxes.forEach(function (b) { b.checked = s.indexOf(b.value) >= 0; });
      }
    });
  }

  /* ---- Applying a state -------------------------------------------------------------- */

  var current = { q: "", facets: {}, sort: null };
  var match, visible = new Int32Array(0);
  var limit = PAGE;

  function apply(state) {
    current = state;
    var terms = fold(state.q).split(/\s+/).filter(Boolean);
    var active = [];
    facets.forEach(function (f) {
      var s = state.facets[f.field];
      if (f.kind === "range") {
        f.min = s.min;
        f.max = s.max;
        f.unknown = s.unknown;
      } else {
        f.selected.fill(0);
        f.any = 0;
        s.forEach(function (v) {
          var k = f.boxes.findIndex(function (b) { return b.value === v; });
          if (k >= 0 && !f.selected[k]) { f.selected[k] = 1; f.any++; }
        });
        f.tally.fill(0);
      }
      f.unknownTally = 0;
      if (f.active()) active.push(f);
    });

    // One pass: a record matches when it passes the text and every active facet. A
    // facet's counts are those of records passing everything but that facet, so each
    // count says how many rows ticking that value would add or keep.
    var total = 0;
    var nt = terms.length, na = active.length, nf = facets.length;
    for (var r = 0; r < n; r++) {
      match[r] = 0;
      if (nt) {
        var hay = haystack[r], ok = true;
        for (var t = 0; t < nt; t++) if (hay.indexOf(terms[t]) < 0) { ok = false; break; }
        if (!ok) continue;
      }
      var failed = null, fails = 0;
      for (var a = 0; a < na; a++) {
        if (!active[a].test(r)) {
          failed = active[a];
          if (++fails > 1) break;
        }
      }
      if (fails > 1) continue;
      if (fails === 0) {
        match[r] = 1;
        total++;
        for (var fi = 0; fi < nf; fi++) tallyOne(facets[fi], r);
      } else {
        tallyOne(failed, r);
      }
    }

    var order = orderFor(state.sort);
    visible = new Int32Array(total);
    for (var k = 0, m = 0; k < n; k++) {
      var idx = order[k];
      if (match[idx]) visible[m++] = idx;
    }
    limit = PAGE;
    renderRows(false);
    showCounts();
    showSort(state.sort);
    showChart(total);
    showChips(state);
    announce(total, state.sort);
  }

  function tallyOne(f, r) {
    if (f.kind === "range") {
      if (f.values[r] !== f.values[r]) f.unknownTally++;
      return;
    }
    for (var k = f.start[r], end = f.start[r + 1]; k < end; k++) f.tally[f.codes[k]]++;
  }

  function showCounts() {
    facets.forEach(function (f) {
      if (f.kind === "range") {
        if (f.unknownCount) setText(f.unknownCount, "(" + words.number(f.unknownTally) + ")");
        return;
      }
      for (var k = 0; k < f.counts.length; k++) setText(f.counts[k], "(" + words.number(f.tally[k]) + ")");
    });
  }

  function setText(slot, text) {
    if (slot.el && slot.shown !== text) {
      slot.el.textContent = text;
      slot.shown = text;
    }
  }

  /* ---- Rows ------------------------------------------------------------------------------ */

  // A record's <tr>: the server's, or one drawn from the index like the template draws it.
  function rowOf(r) {
    var tr = rows[r];
    if (tr) return tr;
    var entry = index[r];
    var id = entry[0];
    tr = document.createElement("tr");
    tr.id = "cert-" + id;
    tr.setAttribute("data-id", id);
    var sel = document.createElement("td");
    sel.className = "col-select";
    var box = document.createElement("input");
    box.type = "checkbox";
    box.id = "compare-" + id;
    box.name = "ids";
    box.value = id;
    box.setAttribute("form", "compare-form");
    box.checked = chosen.indexOf(id) >= 0;
    var label = document.createElement("label");
    label.htmlFor = box.id;
    label.className = "visually-hidden";
    label.textContent = str("guide_compare_one", { acronym: entry[2] });
    sel.appendChild(box);
    sel.appendChild(label);
    tr.appendChild(sel);
    columns.forEach(function (col) {
      var cell = entry[5][col.pos];
      var td = document.createElement("td");
      td.className = col.cls.replace(/\bis-[\w-]+/g, "").trim() + (cell ? "" : " is-missing");
      if (!cell) {
        var dash = document.createElement("span");
        dash.setAttribute("aria-hidden", "true");
        dash.textContent = "\u2014";
        var unknown = document.createElement("span");
        unknown.className = "visually-hidden";
        unknown.textContent = str("guide_not_known");
        td.appendChild(dash);
        td.appendChild(unknown);
      } else if (col.link) {
        var a = document.createElement("a");
        a.href = entry[1];
        a.textContent = cell[0];
        td.appendChild(a);
      } else if (col.field === "level") {
        var badge = document.createElement("span");
        badge.className = "badge badge-level level-" + cell[1];
        badge.textContent = cell[0];
        td.appendChild(badge);
      } else if (String(cell[0]).indexOf(" (\u2248 ") >= 0) {
        // An amount as written, and beneath it the same in the base currency.
        var parts = String(cell[0]).split(" (\u2248 ");
        td.appendChild(document.createTextNode(parts[0] + " "));
        var base = document.createElement("span");
        base.className = "base-amount";
        base.textContent = "(\u2248 " + parts.slice(1).join(" (\u2248 ");
        td.appendChild(base);
      } else {
        td.textContent = cell[0];
      }
      tr.appendChild(td);
    });
    rows[r] = tr;
    return tr;
  }

  // A change puts in at once the rows that fill the screen from the table's top; the rest
  // of the page follows CHUNK rows per frame, so a change never waits for rows below the
  // fold. Where the table starts and how tall a row is are read after a frame, when
  // reading them costs no layout, and the scroll position as it changes.
  var filling = false;
  var geometry = { top: 0, row: 0 };
  var scrolled = 0; // read in measure(): reading it now would force a layout
  window.addEventListener("scroll", function () { scrolled = window.pageYOffset; }, { passive: true });

  function measure() {
    var first = tbody.rows[0];
    if (!first || table.hidden) return;
    scrolled = window.pageYOffset;
    geometry.top = tbody.getBoundingClientRect().top + scrolled;
    geometry.row = first.getBoundingClientRect().height;
  }

  function firstChunk() {
    if (!(geometry.row > 0)) return CHUNK;
    var below = window.innerHeight - (geometry.top - scrolled);
    return Math.max(1, Math.ceil(below / geometry.row) + 2);
  }

  function renderRows(append, all) {
    var end = Math.min(visible.length, limit);
    if (!append && inPlace(end)) {
      // The rows in the table are already these (the server's, at start): leave them.
      showEmpty();
      showMore();
      openRows();
      return;
    }
    var from = append ? tbody.rows.length : 0;
    var stop = all ? end : Math.min(end, from + (append ? CHUNK : firstChunk()));
    var frag = document.createDocumentFragment();
    for (var k = from; k < stop; k++) frag.appendChild(rowOf(visible[k]));
    if (append) tbody.appendChild(frag);
    else tbody.replaceChildren(frag);
    if (stop < end && !filling) {
      filling = true;
      window.requestAnimationFrame(function () { setTimeout(fill, 0); });
    }
    showEmpty();
    showMore();
    openRows();
  }

  // Rows below the screen skip their style and layout until they come near it (style.css,
  // content-visibility), which keeps the page's load and each change quick. Screen readers
  // do not see a skipped row's cells, so while the page is idle the rows are laid out for
  // good ("is-open"), top down, a few at a time; the time left in the idle period decides
  // how many. `certguide:settled` (read by bench/browser_filter.py) marks the first time
  // every row in the table is open.
  var idle = window.requestIdleCallback || function (callback) {
    return setTimeout(function () { callback({ timeRemaining: function () { return 8; } }); }, 16);
  };
  var opening = false, settled = false;
  function openRows() {
    if (opening) return;
    opening = true;
    idle(function step(deadline) {
      var list = tbody.rows, k = 0;
      while (k < list.length) {
        var batch = 0;
        for (; k < list.length && batch < 8; k++) {
          if (!list[k].classList.contains("is-open")) {
            list[k].classList.add("is-open");
            batch++;
          }
        }
        if (batch) tbody.offsetHeight; // their layout now, within the idle time
        if (deadline.timeRemaining() < 4) break;
      }
      if (k < list.length) {
        idle(step);
        return;
      }
      opening = false;
      if (!settled && ready && window.performance && performance.mark) {
        settled = true;
        performance.mark("certguide:settled");
      }
    });
  }

  // No match: no table (not even its header row) and no frame around it.
  var tableWrap = table.closest(".table-wrap");
  function showEmpty() {
    var empty = visible.length === 0 && n > 0;
    if (table.hidden !== empty) table.hidden = empty;
    if (tableWrap && tableWrap.hidden !== empty) tableWrap.hidden = empty;
  }

  function inPlace(end) {
    var have = tbody.rows;
    if (have.length !== end || end === 0) return false;
    for (var k = 0; k < end; k++) if (have[k] !== rows[visible[k]]) return false;
    return true;
  }

  function fill() {
    filling = false;
    measure();
    if (tbody.rows.length < Math.min(visible.length, limit)) renderRows(true);
  }

  var more = null;
  function showMore() {
    var target = Math.min(limit, visible.length);
    var left = visible.length - target;
    if (left <= 0) {
      if (more) more.wrap.hidden = true;
      return;
    }
    if (!more) {
      more = { wrap: document.createElement("p") };
      more.wrap.className = "more-rows";
      more.text = document.createElement("span");
      more.button = document.createElement("button");
      more.button.type = "button";
      more.button.className = "button button-secondary";
      more.button.addEventListener("click", function () {
        var first = tbody.rows.length;
        limit += PAGE;
        renderRows(true);
        // Keep keyboard users where the new rows start.
        var row = tbody.rows[first];
        var target = row && row.querySelector("a, input");
        if (target) target.focus();
      });
      more.wrap.appendChild(more.text);
      more.wrap.appendChild(document.createTextNode(" "));
      more.wrap.appendChild(more.button);
      // After the compare bar, which would otherwise cover it when it is scrolled to.
      var after = compareForm || table.closest(".table-wrap") || table;
      after.parentNode.insertBefore(more.wrap, after.nextSibling);
    }
    more.wrap.hidden = false;
    var text = str("guide_showing", { shown: target, total: visible.length });
    if (more.text.textContent !== text) more.text.textContent = text;
    text = str("guide_show_more", { n: Math.min(PAGE, left) });
    if (more.button.textContent !== text) more.button.textContent = text;
  }

  function showSort(sort) {
    var s = sort || defaultSort;
    columns.forEach(function (col) {
      var value = s && s.field === col.field ? (s.desc ? "descending" : "ascending") : "none";
      if (col.th.getAttribute("aria-sort") !== value) col.th.setAttribute("aria-sort", value);
    });
  }

  function announce(total, sort) {
    var text;
    if (total === 0 && n > 0) {
      text = str("guide_no_match", { n: n });
    } else {
      text = total === n ? str("guide_shown", { n: n }) : str("guide_shown_of", { shown: total, n: n });
      var col = sort && columnOf(sort.field);
      if (col) text += str(sort.desc ? "guide_sorted_desc" : "guide_sorted_asc", { column: col.label });
    }
    if (status.textContent !== text) status.textContent = text;
    if (clearButton) clearButton.hidden = !(total === 0 && n > 0);
  }

  /* ---- Active filters: chips above the table (and the printed line) --------------------- */

  // One chip per ticked value, bound and search; each removes its own filter.
  function activeFilters(state) {
    var list = [];
    if (state.q.trim()) list.push({ label: str("guide_chip_search", { query: state.q.trim() }), clear: function (s) { s.q = ""; } });
    facets.forEach(function (f) {
      var s = state.facets[f.field];
      var unit = f.el.getAttribute("data-unit");
      var num = function (v) { return words.number(v) + (unit ? " " + unit : ""); };
      if (f.kind === "range") {
        if (s.min === s.min) list.push({ label: f.label + " \u2265 " + num(s.min), clear: function (x) { x.facets[f.field].min = NaN; } });
        if (s.max === s.max) list.push({ label: f.label + " \u2264 " + num(s.max), clear: function (x) { x.facets[f.field].max = NaN; } });
        if (s.unknown && (s.min === s.min || s.max === s.max)) {
          list.push({ label: str("guide_chip_unknown", { label: f.label }), clear: function (x) { x.facets[f.field].unknown = false; } });
        }
      } else {
        s.forEach(function (v) {
          list.push({ label: f.label + ": " + (f.names[v] || v), clear: function (x) {
            x.facets[f.field] = x.facets[f.field].filter(function (w) { return w !== v; });
          } });
        });
      }
    });
    return list;
  }

  var chipsShown = null;
  function showChips(state) {
    var list = activeFilters(state);
    if (panelCount) panelCount.textContent = list.length ? str("guide_active", { n: list.length }) : "";
    if (!chipsBox) return;
    var key = list.map(function (c) { return c.label; }).join("\n");
    if (key === chipsShown) return;
    chipsShown = key;
    var ul = chipsBox.querySelector("ul");
    ul.replaceChildren();
    list.forEach(function (chip) {
      var li = document.createElement("li");
      var b = document.createElement("button");
      b.type = "button";
      b.className = "chip";
      b.setAttribute("aria-label", str("guide_remove_filter", { label: chip.label }));
      b.appendChild(document.createTextNode(chip.label));
      var x = document.createElement("span");
      x.setAttribute("aria-hidden", "true");
      x.className = "chip-x";
      x.textContent = "\u00d7";
      b.appendChild(x);
      b.addEventListener("click", function () {
        var next = stateFromControls();
        chip.clear(next);
        showState(next);
        apply(next);
        commit(next, null);
        // The focus goes to the next chip, or to the search box when none is left.
        var chips = chipsBox.querySelectorAll("button.chip");
        (chips[0] || search || status).focus();
      });
      li.appendChild(b);
      ul.appendChild(li);
    });
    chipsBox.hidden = list.length === 0;
  }

  /* ---- Chart -------------------------------------------------------------------------- */

  // The build draws every point (a link, shaped and coloured by level). When filters hide
  // some, a second SVG on top of the chart veils the plot and redraws the points that
  // stay, one path per level made of those points' own shapes: a filter change sets a
  // few attributes of that overlay, whatever the number of points, and the chart itself
  // is never repainted. The arrow keys move the focus from point to point (one of them is
  // in the tab order), and a tip names the point under the focus or the pointer.
  var plot = null;
  var chartNoteText = chartNote ? chartNote.textContent : ""; // the page's own words
  function setupChart() {
    if (!chart) return;
    var SVG_NS = "http://www.w3.org/2000/svg";
    var box = (chart.getAttribute("data-plot") || "").split(" ").map(Number);
    var frame = document.createElement("div");
    frame.className = "chart-frame";
    chart.parentNode.insertBefore(frame, chart);
    frame.appendChild(chart);
    var overlay = document.createElementNS(SVG_NS, "svg");
    overlay.setAttribute("class", "chart-overlay");
    overlay.setAttribute("viewBox", chart.getAttribute("viewBox"));
    overlay.setAttribute("aria-hidden", "true");
    overlay.setAttribute("focusable", "false");
    var veil = document.createElementNS(SVG_NS, "rect");
    veil.setAttribute("class", "chart-veil");
    if (box.length === 4 && box.every(isFinite)) {
      veil.setAttribute("x", box[0] - 6);
      veil.setAttribute("y", box[1] - 6);
      veil.setAttribute("width", box[2] + 12);
      veil.setAttribute("height", box[3] + 12);
    } else {
      veil.setAttribute("width", "100%");
      veil.setAttribute("height", "100%");
    }
    veil.style.display = "none";
    overlay.appendChild(veil);
    frame.appendChild(overlay);
    var tip = document.createElement("div");
    tip.className = "chart-tip";
    tip.hidden = true;
    tip.setAttribute("aria-hidden", "true"); // the point's own name is what is read
    frame.appendChild(tip);
    var points = Array.prototype.slice.call(chart.querySelectorAll("a.pt[data-id]"));
    plot = { points: points, overlay: overlay, paths: [], classes: [], veil: veil, filtered: false };
    mapPoints();

    function showTip(a) {
      var p = a.getBoundingClientRect(), f = frame.getBoundingClientRect();
      tip.textContent = a.getAttribute("aria-label");
      tip.style.left = (p.left + p.width / 2 - f.left) + "px";
      tip.style.top = (p.top - f.top) + "px";
      tip.hidden = false;
    }
    function hideTip() { tip.hidden = true; }
    chart.addEventListener("focusin", function (e) { if (e.target.matches && e.target.matches("a.pt")) showTip(e.target); });
    chart.addEventListener("focusout", hideTip);
    chart.addEventListener("mouseover", function (e) {
      var a = e.target.closest && e.target.closest("a.pt");
      if (a) showTip(a);
    });
    chart.addEventListener("mouseleave", hideTip);
    // Roving focus: arrows go to the next or previous point, Home and End to the ends.
    chart.addEventListener("keydown", function (e) {
      var at = points.indexOf(e.target);
      if (at < 0) return;
      var to = { ArrowRight: at + 1, ArrowDown: at + 1, ArrowLeft: at - 1, ArrowUp: at - 1, Home: 0, End: points.length - 1 }[e.key];
      if (to === undefined) return;
      e.preventDefault();
      to = Math.max(0, Math.min(points.length - 1, to));
      points[at].setAttribute("tabindex", "-1");
      points[to].setAttribute("tabindex", "0");
      points[to].focus();
    });
  }

  // Table | Chart: the chart without scrolling past the table.
  function setupViewSwitch() {
    var section = table.closest(".guide");
    var bar = document.querySelector(".results-bar");
    if (!(chart || chartSource) || !section || !bar) return;
    var group = document.createElement("div");
    group.className = "view-switch";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", str("guide_view"));
    var buttons = ["table", "chart"].map(function (view) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = str(view === "table" ? "guide_view_table" : "guide_view_chart");
      b.id = "view-" + view;
      b.addEventListener("click", function () { show(view); });
      group.appendChild(b);
      return b;
    });
    function show(view) {
      if (view === "chart") openChart();
      else chartInView = false;
      section.classList.toggle("view-table", view === "table");
      section.classList.toggle("view-chart", view === "chart");
      buttons[0].setAttribute("aria-pressed", String(view === "table"));
      buttons[1].setAttribute("aria-pressed", String(view === "chart"));
    }
    bar.insertBefore(group, status.nextSibling);
    show("table");
  }

  // Puts the chart's markup in the page (once).
  function drawChart() {
    if (chart || !chartSource) return;
    var markup = document.createElement("template");
    markup.innerHTML = chartSource.textContent;
    chartSource.parentNode.replaceChild(markup.content, chartSource);
    chartSource = null;
    chart = chartBox.querySelector("svg.chart-svg");
  }

  // The chart follows the filters while it is in view; opening it catches up.
  var chartInView = false;
  function openChart() {
    chartInView = true;
    drawChart();
    if (!plot && chart) setupChart();
    showChart(visible.length);
  }

  // Each plotted record's shape and level group, by its place in the index.
  function mapPoints() {
    plot.d = new Array(n);
    plot.group = new Int8Array(n);
    plot.count = 0;
    plot.points.forEach(function (a) {
      var r = idIndex[a.getAttribute("data-id")];
      var shape = a.firstElementChild;
      if (r === undefined || !shape) return;
      var cls = (a.getAttribute("class") || "").replace(/\bpt\b/, "").trim();
      var g = plot.classes.indexOf(cls);
      if (g < 0) {
        g = plot.classes.push(cls) - 1;
        var path = document.createElementNS("http://www.w3.org/2000/svg", "path");
        path.setAttribute("class", "chart-hl " + cls);
        plot.paths.push(path);
        plot.overlay.appendChild(path);
      }
      plot.d[r] = shape.getAttribute("d");
      plot.group[r] = g;
      plot.count++;
    });
  }

  function showChart(total) {
    if (!plot || !chartInView) return;
    var filtered = total !== n;
    var shown = 0;
    if (filtered) {
      var parts = plot.paths.map(function () { return []; });
      for (var r = 0; r < n; r++) {
        if (match[r] && plot.d[r]) {
          parts[plot.group[r]].push(plot.d[r]);
          shown++;
        }
      }
      plot.paths.forEach(function (path, g) { path.setAttribute("d", parts[g].join("")); });
    } else if (plot.filtered) {
      plot.paths.forEach(function (path) { path.setAttribute("d", ""); });
    }
    if (filtered !== plot.filtered) {
      plot.veil.style.display = filtered ? "" : "none";
      plot.filtered = filtered;
    }
    if (chartNote) {
      var text = filtered ? str("guide_chart_match", { n: shown, total: plot.count }) : chartNoteText;
      if (chartNote.textContent !== text) chartNote.textContent = text;
    }
  }

  /* ---- Compare selection ---------------------------------------------------------------- */

  // The ticked ids, in ticking order, kept in localStorage for the other pages.
  function loadChosen() {
    try {
      var v = JSON.parse(window.localStorage.getItem(STORE) || "[]");
      return Array.isArray(v) ? v.filter(function (x) { return typeof x === "string"; }).slice(0, MAX_COMPARE) : [];
    } catch (e) {
      return [];
    }
  }

  function saveChosen() {
    try { window.localStorage.setItem(STORE, JSON.stringify(chosen)); } catch (e) { /* private mode */ }
  }

  var chosen = loadChosen();
  var hintText = compareHint ? compareHint.textContent : "";

  function acronymOf(id) {
    var r = idIndex ? idIndex[id] : undefined;
    if (r !== undefined) return index[r][2];
    var row = serverRows[id];
    var link = row && row.querySelector("a");
    return link ? link.textContent.trim() : id;
  }

  function showChosen(message) {
    if (compareButton) compareButton.disabled = chosen.length < 2;
    if (compareClear) compareClear.hidden = chosen.length === 0;
    if (compareForm) compareForm.classList.toggle("has-chosen", chosen.length > 0);
    if (!compareHint) return;
    var text = hintText;
    if (chosen.length) {
      text = str("compare_ticked", { n: chosen.length, max: MAX_COMPARE, list: chosen.map(acronymOf).join(", ") }) +
        (chosen.length < 2 ? str("guide_tick_one_more") : "");
    }
    if (message) text = message + " " + text;
    if (compareHint.textContent !== text) compareHint.textContent = text;
  }

  function boxOf(id) {
    return document.getElementById("compare-" + id);
  }

  // Ticks made before the script started count too.
  Array.prototype.forEach.call(tbody.querySelectorAll("input[name=ids]"), function (box) {
    if (box.checked && chosen.indexOf(box.value) < 0 && chosen.length < MAX_COMPARE) chosen.push(box.value);
    box.checked = chosen.indexOf(box.value) >= 0;
  });
  saveChosen();

  tbody.addEventListener("change", function (event) {
    var box = event.target;
    if (box.name !== "ids") return;
    var at = chosen.indexOf(box.value);
    var message = "";
    if (box.checked && at < 0) {
      if (chosen.length >= MAX_COMPARE) {
        box.checked = false;
        message = str("guide_not_added", { max: MAX_COMPARE });
      } else {
        chosen.push(box.value);
      }
    }
    if (!box.checked && at >= 0) chosen.splice(at, 1);
    saveChosen();
    showChosen(message);
  });

  // Another tab (a record page's "Add to compare") changed the selection.
  window.addEventListener("storage", function (event) {
    if (event.key !== STORE) return;
    chosen.forEach(function (id) { var b = boxOf(id); if (b) b.checked = false; });
    chosen = loadChosen();
    chosen.forEach(function (id) { var b = boxOf(id); if (b) b.checked = true; });
    showChosen();
  });

  if (compareClear) {
    compareClear.addEventListener("click", function () {
      chosen.forEach(function (id) { var b = boxOf(id); if (b) b.checked = false; });
      chosen = [];
      saveChosen();
      showChosen(str("guide_cleared"));
    });
  }

  if (compareForm) {
    if (compareHint) compareHint.setAttribute("aria-live", "polite");
    compareForm.addEventListener("submit", function (event) {
      event.preventDefault();
      if (chosen.length < 2) {
        showChosen(str("guide_tick_two"));
        return;
      }
      window.location.href = compareUrl + "?ids=" + chosen.map(encodeURIComponent).join(",");
    });
  }
  showChosen();

  /* ---- Events ----------------------------------------------------------------------------- */

  // Discrete changes (a checkbox, a sort, "Clear all") add a history entry; typing in a
  // text or number field adds one entry for the whole burst and then updates it. The
  // address is written just after the next frame, so it never delays the page's update.
  var typing = null;
  var pending = null;

  function commit(state, typingIn) {
    var push = !(typingIn && typing === typingIn);
    if (pending && push) flush(); // one history entry per discrete change, always
    typing = typingIn || null;
    if (pending) {
      pending.state = state; // typing: the entry follows the latest text
      return;
    }
    pending = { state: state, push: push };
    window.requestAnimationFrame(function () { setTimeout(flush, 0); });
  }

  function flush() {
    var p = pending;
    pending = null;
    if (!p) return;
    var query = queryOf(p.state);
    try { window.sessionStorage.setItem(VIEW, query); } catch (e) { /* private mode */ }
    var url = window.location.pathname + query + window.location.hash;
    if (url === window.location.pathname + window.location.search + window.location.hash) {
      if (p.push) typing = null; // nothing written: the burst has no entry of its own yet
      return;
    }
    if (p.push) window.history.pushState(null, "", url);
    else window.history.replaceState(null, "", url);
  }

  // Before the index is in, the controls keep what is typed or ticked; it is read then.
  function changed(typingIn) {
    if (!ready) return;
    var state = stateFromControls();
    apply(state);
    commit(state, typingIn);
  }

  function emptyState(sort) {
    var state = { q: "", facets: {}, sort: sort };
    facets.forEach(function (f) {
      state.facets[f.field] = f.kind === "range" ? { min: NaN, max: NaN, unknown: false } : [];
    });
    return state;
  }

  function clearAll() {
    var state = emptyState(current.sort);
    showState(state);
    apply(state);
    commit(state, null);
  }

  form.addEventListener("input", function (event) {
    var t = event.target;
    if (t.type === "search" || t.type === "number" || t.type === "text") changed(t);
  });
  form.addEventListener("change", function (event) {
    var t = event.target;
    if (t.type === "checkbox") changed(null);
    else if (typing === t) typing = null; // the burst ends when the field is left
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    typing = null;
  });
  form.addEventListener("reset", function (event) {
    event.preventDefault();
    if (ready) clearAll();
  });
  if (clearButton) {
    clearButton.addEventListener("click", function () {
      if (!ready) return;
      clearAll();
      if (search) search.focus();
    });
  }

  function listenToSorting() {
    columns.forEach(function (col) {
      col.button.addEventListener("click", function () {
        if (!ready) return;
        var s = current.sort || defaultSort;
        var desc = s && s.field === col.field ? !s.desc : false;
        var state = stateFromControls();
        state.sort = defaultSort && defaultSort.field === col.field && defaultSort.desc === desc
          ? null
          : { field: col.field, desc: desc };
        apply(state);
        commit(state, null);
      });
    });
  }
  listenToSorting();

  window.addEventListener("popstate", function () {
    if (!ready) return;
    typing = null;
    pending = null;
    var state = readState(window.location.search);
    showState(state);
    apply(state);
  });

  // Printing gives every row the filters keep, not only the first page of them, under a
  // line naming the filters (.print-summary).
  var printLine = document.createElement("p");
  printLine.className = "print-summary";
  table.parentNode.insertBefore(printLine, table);
  window.addEventListener("beforeprint", function () {
    if (!ready) return;
    var list = activeFilters(current).map(function (c) { return c.label; });
    printLine.textContent = status.textContent +
      (list.length ? str("guide_print_filters", { list: list.join("; ") }) : str("guide_print_none"));
    if (tbody.rows.length < visible.length) {
      limit = visible.length;
      renderRows(true, true);
    }
  });

  /* ---- Start ------------------------------------------------------------------------------ */

  // The state to start from: the address's, with whatever was ticked or typed in the
  // controls before the script could listen added to it (the address is then updated).
  function initialState() {
    var state = readState(window.location.search);
    var typed = stateFromControls();
    var touched = false;
    if (typed.q && typed.q !== state.q) { state.q = typed.q; touched = true; }
    facets.forEach(function (f) {
      var s = state.facets[f.field], t = typed.facets[f.field];
      if (f.kind === "range") {
        ["min", "max"].forEach(function (k) {
          if (t[k] === t[k] && t[k] !== s[k]) { s[k] = t[k]; touched = true; }
        });
        if (t.unknown && !s.unknown) { s.unknown = true; touched = true; }
      } else {
        t.forEach(function (v) { if (s.indexOf(v) < 0) { s.push(v); touched = true; } });
      }
    });
    return { state: state, touched: touched };
  }

  // Reads an index into what the filters work on. A record's row is the server's at
  // first; when the index is read again, the row made before, unless its entry changed.
  function load(data) {
    if (!Array.isArray(data)) throw new Error(str("guide_bad_index"));
    var before = index ? { index: index, idIndex: idIndex, rows: rows } : null;
    index = data;
    n = index.length;
    ids = new Array(n);
    idIndex = Object.create(null);
    haystack = new Array(n);
    rows = new Array(n);
    for (var i = 0; i < n; i++) {
      ids[i] = index[i][0];
      idIndex[ids[i]] = i;
      haystack[i] = fold(index[i][3] || "");
      if (!before) {
        rows[i] = serverRows[ids[i]];
      } else {
        var was = before.idIndex[ids[i]];
        if (was !== undefined && JSON.stringify(before.index[was]) === JSON.stringify(index[i])) rows[i] = before.rows[was];
      }
    }
    match = new Uint8Array(n);
    columns.forEach(function (col) { col.ranks = null; });
    orderCache = Object.create(null);
    chosen = chosen.filter(function (id) { return idIndex[id] !== undefined; });
    setupFacets();
    if (plot) mapPoints();
  }

  function start(data) {
    load(data);
    setupViewSwitch();
    var initial = initialState();
    ready = true;
    showState(initial.state);
    apply(initial.state);
    if (initial.touched) commit(initial.state, null);
    else {
      try { window.sessionStorage.setItem(VIEW, window.location.search); } catch (e) { /* private mode */ }
    }
    showChosen();
    document.documentElement.classList.add("has-guide-js");
    warmUp(columns.filter(function (col) { return !col.ranks; }));
    window.requestAnimationFrame(function () { setTimeout(measure, 0); });
    if (window.performance && performance.measure) {
      // Read by bench/browser_filter.py: from the setup's start (the page parsed), and
      // from navigation.
      performance.measure("certguide:ready", { start: started });
      performance.mark("certguide:interactive");
    }
    if (reloading) reloadIndex();
  }

  var indexUrl = table.getAttribute("data-index");

  function fetchIndex(options) {
    return readIndex(indexUrl, options);
  }

  (early || fetchIndex({ headers: { Accept: "application/json" } }))
    .then(start)
    .catch(function (err) {
      // Keep the plain table (and its link to every record), and the chart.
      drawChart();
      status.textContent += str("guide_unavailable", { error: err.message });
    });

  /* ---- The preview: the index changed under the open page ---------------------------------- */

  // serve's reload script sends `certguide:data` (detail: { url } of the changed data file)
  // instead of reloading the page when only data files changed. For the table's index:
  // fetch it again and show the same view (filters, sort, ticks, address) over it.
  var reloading = null; // the newest reload asked for
  function reloadIndex() {
    var mine = reloading = {};
    if (!ready) return Promise.resolve(); // start() asks again once the first index is in
    return fetchIndex({ cache: "no-store", headers: { Accept: "application/json" } }).then(function (data) {
      if (reloading !== mine) return; // a newer one is on its way
      reloading = null;
      load(data);
      apply(stateFromControls());
      showChosen();
    }).catch(function (err) {
      if (reloading === mine) reloading = null;
      status.textContent += str("guide_unavailable", { error: err.message });
    });
  }

  window.addEventListener("certguide:data", function (event) {
    var url = event.detail && event.detail.url;
    var here = window.location.href;
    if (url && new URL(url, here).pathname !== new URL(indexUrl, here).pathname) return;
    // Claimed: the preview does not reload the page.
    event.preventDefault();
    reloadIndex();
  });
})();
