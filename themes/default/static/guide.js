/* certguide: the home page's filters, sorting, compare selection and chart.

   The server-rendered table holds every certification (that is what readers without
   JavaScript get). This script reads the compact index the template embeds
   (#cert-index: per record its id, search text and facet values, in table order), keeps
   the table's <tr> elements in memory and puts into the <tbody> only the rows in view:
   filtering and sorting work on typed arrays, never on thousands of DOM nodes.

   State lives in the query string, so a view is a link: q=TEXT, FIELD=VALUE (repeated,
   for tags and choice facets), FIELD.min / FIELD.max / FIELD.unknown=1 (range facets),
   sort=FIELD and dir=desc. No framework, no dependencies. */
(function () {
  "use strict";

  var started = window.performance ? performance.now() : 0;
  var PAGE = 100; // rows in the table before a "Show more" button
  var MAX_COMPARE = 4;

  var form = document.getElementById("cert-filters");
  var table = document.getElementById("cert-table");
  var indexEl = document.getElementById("cert-index");
  if (!form || !table || !indexEl || !table.tBodies.length) return;

  var index;
  try {
    index = JSON.parse(indexEl.textContent);
  } catch (e) {
    return; // keep the plain table
  }
  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.rows);
  var n = rows.length;
  if (!Array.isArray(index) || index.length !== n) return;

  var status = document.getElementById("cert-count");
  var search = document.getElementById("cert-search");
  var compareForm = document.getElementById("compare-form");
  var compareHint = document.getElementById("compare-hint");
  var chart = document.querySelector("#chart svg");
  var chartNote = document.getElementById("chart-note");
  var numberFormat = new Intl.NumberFormat(document.documentElement.lang || undefined);

  var ids = new Array(n);
  var idIndex = Object.create(null);
  var haystack = new Array(n);
  for (var i = 0; i < n; i++) {
    ids[i] = index[i][0];
    idIndex[ids[i]] = i;
    haystack[i] = fold(index[i][1] || "");
  }

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

  /* ---- Facets ---------------------------------------------------------------- */

  var facets = Array.prototype.map.call(form.querySelectorAll("fieldset.facet[data-field]"), function (el, fi) {
    var f = { el: el, field: el.getAttribute("data-field"), kind: el.getAttribute("data-kind"), pos: fi };
    var legend = el.querySelector("legend");
    f.label = legend ? legend.textContent.trim() : f.field;
    if (f.kind === "range") {
      f.minInput = el.querySelector("input[name$='.min']");
      f.maxInput = el.querySelector("input[name$='.max']");
      f.values = new Float64Array(n);
      var unknown = 0;
      for (var r = 0; r < n; r++) {
        var v = index[r][2][fi];
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
      var codeOf = Object.create(null);
      f.boxes.forEach(function (box, k) { codeOf[box.value] = k; });
      var unknownCode = codeOf.unknown === undefined ? -1 : codeOf.unknown;
      // Compressed rows: codes of record r are codes[start[r] .. start[r + 1]].
      var start = new Int32Array(n + 1);
      var codes = [];
      for (var r2 = 0; r2 < n; r2++) {
        start[r2] = codes.length;
        var raw = index[r2][2][fi];
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

  function hasCode(codes, from, code) {
    for (var k = from; k < codes.length; k++) if (codes[k] === code) return true;
    return false;
  }

  // Range facets: whether records without a value stay in when a bound is set.
  function addUnknownOption(f, count) {
    var id = f.el.id + "-unknown";
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
    text.textContent = "unknown";
    var countEl = document.createElement("span");
    countEl.className = "count";
    countEl.textContent = "(" + count + ")";
    label.appendChild(document.createTextNode("Include "));
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
      numeric: th.hasAttribute("data-numeric"), ranks: null, label: button.textContent.trim() };
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
      var raw = index[r][3] ? index[r][3][col.pos] : null;
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
  var match = new Uint8Array(n);
  var visible = new Int32Array(0);
  var limit = PAGE;
  var shownCount = -1;

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
        if (f.unknownCount) setText(f.unknownCount, "(" + f.unknownTally + ")");
        return;
      }
      for (var k = 0; k < f.counts.length; k++) setText(f.counts[k], "(" + f.tally[k] + ")");
    });
  }

  function setText(slot, text) {
    if (slot.el && slot.shown !== text) {
      slot.el.textContent = text;
      slot.shown = text;
    }
  }

  // The first CHUNK rows go in at once; the rest of the page follows a chunk per frame,
  // so a change never waits for rows below the fold.
  var CHUNK = 25;
  var filling = false;

  function renderRows(append, all) {
    var end = Math.min(visible.length, limit);
    var from = append ? tbody.rows.length : 0;
    var stop = all ? end : Math.min(end, from + CHUNK);
    var frag = document.createDocumentFragment();
    for (var k = from; k < stop; k++) frag.appendChild(rows[visible[k]]);
    if (append) tbody.appendChild(frag);
    else tbody.replaceChildren(frag);
    if (stop < end && !filling) {
      filling = true;
      window.requestAnimationFrame(function () { setTimeout(fill, 0); });
    }
    showMore();
  }

  function fill() {
    filling = false;
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
      var scroll = table.closest(".table-scroll") || table;
      scroll.parentNode.insertBefore(more.wrap, scroll.nextSibling);
    }
    more.wrap.hidden = false;
    var text = "Showing " + numberFormat.format(target) + " of " + numberFormat.format(visible.length) + ".";
    if (more.text.textContent !== text) more.text.textContent = text;
    text = "Show " + numberFormat.format(Math.min(PAGE, left)) + " more";
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
    var text = numberFormat.format(total) + (total === n ? "" : " of " + numberFormat.format(n)) +
      " certification" + (n === 1 ? "" : "s") + " shown";
    var col = sort && columnOf(sort.field);
    if (col) text += ", sorted by " + col.label + (sort.desc ? " (descending)" : " (ascending)");
    if (status.textContent !== text) status.textContent = text;
  }

  /* ---- Chart -------------------------------------------------------------------------- */

  // The build draws every point. When filters hide some, a second SVG on top of the
  // chart veils the plot and redraws the points that stay, one path per colour (a dot is
  // a zero-length segment with a round cap): a filter change sets a few attributes of
  // that overlay, whatever the number of points, and the chart itself is never repainted.
  var plot = null;
  if (chart) {
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
    plot = { x: new Float64Array(n).fill(NaN), y: new Float64Array(n), group: new Int8Array(n), paths: [], classes: [], veil: veil, filtered: false };
    Array.prototype.forEach.call(chart.querySelectorAll("circle[data-id]"), function (c) {
      var r = idIndex[c.getAttribute("data-id")];
      if (r === undefined) return;
      var cls = (c.getAttribute("class") || "").replace(/\bpt\b/, "").trim();
      var g = plot.classes.indexOf(cls);
      if (g < 0) {
        g = plot.classes.push(cls) - 1;
        var path = document.createElementNS(SVG_NS, "path");
        path.setAttribute("class", "chart-hl " + cls);
        plot.paths.push(path);
        overlay.appendChild(path);
      }
      plot.x[r] = Number(c.getAttribute("cx"));
      plot.y[r] = Number(c.getAttribute("cy"));
      plot.group[r] = g;
    });
    plot.count = 0;
    for (var p = 0; p < n; p++) if (plot.x[p] === plot.x[p]) plot.count++;
    chart.addEventListener("click", function (event) {
      var point = event.target.closest && event.target.closest("circle[data-url]");
      if (point) window.location.href = point.getAttribute("data-url");
    });
  }

  function showChart(total) {
    if (!plot) return;
    var filtered = total !== n;
    var shown = 0;
    if (filtered) {
      var parts = plot.paths.map(function () { return []; });
      for (var r = 0; r < n; r++) {
        if (match[r] && plot.x[r] === plot.x[r]) {
          parts[plot.group[r]].push("M" + plot.x[r] + " " + plot.y[r] + "h0");
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
      var text = filtered
        ? numberFormat.format(shown) + " of " + numberFormat.format(plot.count) + " points match the filters; the others are dimmed."
        : "Each point is one certification of the table; the filters dim the ones they hide.";
      if (chartNote.textContent !== text) chartNote.textContent = text;
    }
  }

  /* ---- Compare selection ---------------------------------------------------------------- */

  var chosen = [];
  var hintText = compareHint ? compareHint.textContent : "";

  function acronymOf(id) {
    var row = rows[idIndex[id]];
    var link = row && row.querySelector("a");
    return link ? link.textContent.trim() : id;
  }

  function showChosen(message) {
    if (!compareHint) return;
    if (message) {
      compareHint.textContent = message;
    } else if (chosen.length) {
      compareHint.textContent = chosen.length + " selected: " + chosen.map(acronymOf).join(", ") +
        (chosen.length > MAX_COMPARE ? ". Compare takes at most " + MAX_COMPARE + "." : ".");
    } else {
      compareHint.textContent = hintText;
    }
  }

  rows.forEach(function (row, r) {
    var box = row.querySelector("input[name=ids]");
    if (box && box.checked) chosen.push(ids[r]);
  });

  tbody.addEventListener("change", function (event) {
    var box = event.target;
    if (box.name !== "ids") return;
    var at = chosen.indexOf(box.value);
    if (box.checked && at < 0) chosen.push(box.value);
    if (!box.checked && at >= 0) chosen.splice(at, 1);
    showChosen();
  });

  if (compareForm) {
    if (compareHint) compareHint.setAttribute("aria-live", "polite");
    compareForm.addEventListener("submit", function (event) {
      event.preventDefault();
      if (chosen.length < 2) {
        showChosen("Tick at least two rows to compare" + (chosen.length ? " (one is ticked)." : "."));
        return;
      }
      if (chosen.length > MAX_COMPARE) {
        showChosen(chosen.length + " rows are ticked; untick some: compare takes at most " + MAX_COMPARE + ".");
        return;
      }
      var action = compareForm.getAttribute("action") || "compare/";
      window.location.href = action + "?ids=" + chosen.map(encodeURIComponent).join(",");
    });
  }

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
    var url = window.location.pathname + queryOf(p.state) + window.location.hash;
    if (url === window.location.pathname + window.location.search + window.location.hash) {
      if (p.push) typing = null; // nothing written: the burst has no entry of its own yet
      return;
    }
    if (p.push) window.history.pushState(null, "", url);
    else window.history.replaceState(null, "", url);
  }

  function changed(typingIn) {
    var state = stateFromControls();
    apply(state);
    commit(state, typingIn);
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
    var state = { q: "", facets: {}, sort: current.sort };
    facets.forEach(function (f) {
      state.facets[f.field] = f.kind === "range" ? { min: NaN, max: NaN, unknown: false } : [];
    });
    showState(state);
    apply(state);
    commit(state, null);
  });

  columns.forEach(function (col) {
    col.button.addEventListener("click", function () {
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

  window.addEventListener("popstate", function () {
    typing = null;
    pending = null;
    var state = readState(window.location.search);
    showState(state);
    apply(state);
  });

  // Printing gives every row the filters keep, not only the first page of them.
  window.addEventListener("beforeprint", function () {
    if (tbody.rows.length < visible.length) {
      limit = visible.length;
      renderRows(true, true);
    }
  });

  document.documentElement.classList.add("has-guide-js");
  var initial = readState(window.location.search);
  showState(initial);
  apply(initial);
  showChosen();
  warmUp(columns.filter(function (col) { return !col.ranks; }));
  if (window.performance && performance.measure) {
    performance.measure("certguide:ready", { start: started }); // read by bench/browser_filter.py
  }
})();
