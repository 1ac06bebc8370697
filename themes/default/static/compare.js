/* certguide: side-by-side comparison page.
   Reads ?ids=a,b,c (repeated ids=a&ids=b from the home page form works too),
   fetches the records from the container's data-data-url, builds one column per
   record and one row per entry of the #compare-fields JSON ({key, label, kind, best,
   best_label}; each record's `compare` map holds its cell per key: {text, items, value,
   date, cites}). In a numeric row the best value is marked in words; ?diff=1 turns
   "Show only differences" on, which hides the rows where every record reads the same.
   The records shown are the compare selection (localStorage, shared with the home page
   and the record pages); "Change selection" goes back to the home page's last view
   (sessionStorage). With nothing chosen, the page offers a searchable checklist of every
   record (the home table's index, data-table-url). No framework, no dependencies. */
(function () {
  "use strict";

  var MAX = 4;
  // The theme's words in the page's language (strings.js).
  var words = window.certguideWords;
  if (!words) return;
  var str = words.str;
  var root = document.getElementById("compare");
  if (!root) return;
  var status = document.getElementById("compare-status");
  var toolbar = document.getElementById("compare-toolbar");
  var toggle = document.getElementById("only-diff");
  var staleAfter = parseInt(root.getAttribute("data-stale-after") || "", 10);
  var home = root.getAttribute("data-home-url") || "/";
  var STORE = "certguide-compare@" + home + "compare/"; // as guide.js names it
  var VIEW = "certguide-view@" + home + "compare/";

  function saveChosen(ids) {
    try { window.localStorage.setItem(STORE, JSON.stringify(ids.slice(0, MAX))); } catch (e) { /* private mode */ }
  }

  function storedChosen() {
    try {
      var v = JSON.parse(window.localStorage.getItem(STORE) || "[]");
      return Array.isArray(v) ? v.filter(function (x) { return typeof x === "string"; }).slice(0, MAX) : [];
    } catch (e) {
      return [];
    }
  }

  // "Change selection": the table as it was left, filters and sort included (its ticks
  // come from the stored selection).
  var change = document.getElementById("change-selection");
  if (change) {
    try {
      var view = window.sessionStorage.getItem(VIEW);
      if (view && view.charAt(0) === "?") change.href = home + view;
    } catch (e) { /* private mode */ }
  }
  var baseTitle = document.title;
  var fields = [];
  var records = [];
  var view = null;

  try {
    fields = JSON.parse(document.getElementById("compare-fields").textContent) || [];
  } catch (e) {
    fields = [];
  }

  // Small element builder: el("a", {href: "/"}, ["text", otherNode]).
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "className") node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) {
      if (c != null) node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  function params() { return new URLSearchParams(window.location.search); }

  function readIds() {
    var ids = [];
    params().getAll("ids").forEach(function (v) {
      v.split(",").forEach(function (id) {
        id = id.trim();
        if (id && ids.indexOf(id) < 0) ids.push(id);
      });
    });
    return ids;
  }

  function updateUrl(ids) {
    var p = params();
    p.delete("ids");
    if (ids.length) p.set("ids", ids.join(","));
    if (toggle.checked) p.set("diff", "1"); else p.delete("diff");
    var q = p.toString().replace(/%2C/gi, ",");
    window.history.replaceState(null, "", window.location.pathname + (q ? "?" + q : "") + window.location.hash);
  }

  function listText(names) {
    if (names.length < 2) return names.join("");
    return names.slice(0, -1).join(", ") + str("compare_and") + names[names.length - 1];
  }

  function clearView() {
    if (view) view.remove();
    view = null;
  }

  function homeLink() { return el("a", { href: home }, [str("compare_table")]); }

  function showMessage(text, hint) {
    clearView();
    toolbar.hidden = true;
    document.title = baseTitle;
    view = el("div", { className: "notice compare-message" }, [
      el("p", {}, [text]),
      el("p", {}, hint || [
        str("compare_tick_before"), homeLink(), str("compare_tick_after")
      ])
    ]);
    root.appendChild(view);
    status.classList.add("visually-hidden");
    status.textContent = text;
  }

  function cellOf(record, key) {
    var c = record.compare ? record.compare[key] : undefined;
    if (c == null) return { text: "\u2014" };
    if (typeof c !== "object") return { text: String(c) };
    return c;
  }

  function isMissing(cell) {
    return !cell.text || cell.text === "\u2014";
  }

  // "Last verified 8 months ago", as the record page words it (certification.js).
  function monthsSince(date, now) {
    var p = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date || "");
    if (!p) return null;
    var months = (now.getFullYear() - Number(p[1])) * 12 + (now.getMonth() + 1 - Number(p[2]));
    if (now.getDate() < Number(p[3])) months--;
    return months;
  }

  function dateContent(record, cell) {
    if (!cell.date) return [str("compare_unverified")];
    var months = monthsSince(cell.date, new Date());
    if (months == null || months < 0) return [cell.text];
    var ago = months === 0 ? str("verified_recent") : str("verified_ago", { n: months });
    var time = el("time", { datetime: cell.date, title: cell.date }, [ago]);
    var stale = record.freshness === "stale" || (!isNaN(staleAfter) && months > staleAfter);
    return [str("last_verified"), time, stale ? str("check_before") : null];
  }

  function sourcesContent(record) {
    var sources = record.sources || [];
    if (!sources.length) return null;
    return el("ol", { className: "cmp-list cmp-sources" }, sources.map(function (s, i) {
      return el("li", { id: "cmp-" + record.id + "-source-" + (i + 1) }, [
        el("a", { href: s.url, rel: "external" }, [s.title || s.url]),
        s.accessed ? el("span", { className: "muted" }, [str("accessed_before"), el("time", { datetime: s.accessed }, [s.accessed]), ")"]) : null
      ]);
    }));
  }

  function citations(record, cell) {
    if (!cell.cites || !cell.cites.length) return null;
    return el("span", { className: "cites" }, cell.cites.map(function (n) {
      return el("sup", { className: "cite" }, [el("a", {
        href: record.url + "#source-" + n,
        "aria-label": str("source_for", { n: n, acronym: record.acronym })
      }, ["[" + words.number(n) + "]"])]);
    }));
  }

  function cellContent(f, record, cell) {
    if (f.kind === "sources") return [sourcesContent(record) || "\u2014"];
    if (isMissing(cell)) return ["\u2014"];
    if (f.kind === "date") return [el("span", { className: "cmp-value" }, dateContent(record, cell))];
    if ((f.kind === "list" || f.kind === "html") && cell.items && cell.items.length) {
      return [el("ul", { className: "cmp-list" }, cell.items.map(function (item) {
        var li = el("li");
        // Pros and cons: the record page's own rendered (and sanitised) markdown.
        if (f.kind === "html") li.innerHTML = item; else li.textContent = item;
        return li;
      }))];
    }
    return [el("span", { className: "cmp-value" }, [cell.text])];
  }

  // The records' best value in a numeric row, or null when there is nothing to choose.
  function bestOf(f, cells) {
    if (!f.best) return null;
    var values = cells.map(function (c) { return typeof c.value === "number" ? c.value : null; })
      .filter(function (v) { return v != null; });
    if (values.length < 2) return null;
    var best = f.best === "high" ? Math.max.apply(null, values) : Math.min.apply(null, values);
    var all = values.every(function (v) { return v === best; });
    return all ? null : best;
  }

  function sameText(cell) {
    return (cell.items ? cell.items.join("\n") : cell.text || "").trim().toLowerCase();
  }

  // Hides (or shows again) the rows in which every record reads the same. Returns how
  // many rows differ.
  function showDifferences() {
    if (!view) return 0;
    var only = toggle.checked;
    var count = 0;
    view.querySelectorAll("tbody tr").forEach(function (tr) {
      var differs = tr.getAttribute("data-differs") === "true";
      if (differs) count++;
      tr.hidden = only && !differs;
    });
    return count;
  }

  function differenceText(diffs) {
    return str(toggle.checked ? "compare_showing_differ" : "compare_differ", { diffs: diffs, total: fields.length });
  }

  function render(ids) {
    var chosen = [];
    var unknown = [];
    ids.forEach(function (id) {
      var r = records.find(function (x) { return x.id === id; });
      if (r) chosen.push(r); else unknown.push(id);
    });

    if (!chosen.length) {
      showMessage(ids.length
        ? str("compare_none_exist", { ids: ids.join(", ") })
        : str("compare_none_chosen"));
      return;
    }

    var extra = chosen.length > MAX ? chosen.slice(MAX) : [];
    chosen = chosen.slice(0, MAX);

    var head = el("tr", {}, [el("th", { scope: "col" }, [el("span", { className: "visually-hidden" }, [str("compare_field")])])]);
    chosen.forEach(function (r) {
      var remove = el("button", {
        type: "button",
        className: "link-button cmp-remove",
        "data-remove": r.id,
        "aria-label": str("compare_remove_label", { acronym: r.acronym })
      }, [str("compare_remove")]);
      head.appendChild(el("th", { scope: "col" }, [
        el("a", { className: "cmp-acronym", href: r.url }, [r.acronym]),
        el("span", { className: "cmp-name" }, [r.name || ""]),
        chosen.length > 1 ? remove : null
      ]));
    });

    var body = el("tbody");
    fields.forEach(function (f) {
      var cells = chosen.map(function (r) { return cellOf(r, f.key); });
      var best = bestOf(f, cells);
      var texts = cells.map(sameText);
      if (f.kind === "sources") texts = chosen.map(function (r) { return JSON.stringify(r.sources || []); });
      var differs = texts.some(function (t) { return t !== texts[0]; });
      var tr = el("tr", { "data-key": f.key, "data-differs": String(differs) }, [el("th", { scope: "row" }, [f.label])]);
      chosen.forEach(function (r, i) {
        var cell = cells[i];
        var isBest = best != null && cell.value === best;
        var missing = f.kind === "sources" ? !(r.sources && r.sources.length) : isMissing(cell);
        var classes = [missing ? "is-missing" : "", isBest ? "is-best" : ""].join(" ").trim();
        var content = cellContent(f, r, cell);
        if (isBest) {
          content.unshift(el("span", { className: "best-mark" }, [
            el("span", { "aria-hidden": "true" }, ["\u2605 "]), f.best_label || str("compare_best")
          ]), " ");
        }
        content.push(missing ? null : citations(r, cell));
        if (!missing && cell.note) content.push(el("span", { className: "cmp-note" }, [cell.note]));
        tr.appendChild(el("td", classes ? { className: classes } : {}, content));
      });
      body.appendChild(tr);
    });

    var names = chosen.map(function (r) { return r.acronym; });
    saveChosen(chosen.map(function (r) { return r.id; }));
    clearView();
    view = el("div", {}, [
      el("div", { className: "table-wrap", role: "region", "aria-labelledby": "compare-caption", tabindex: "0" }, [
        el("table", { className: "compare-table", id: "compare-table" }, [
          el("caption", { id: "compare-caption", className: "visually-hidden" }, [str("compare_caption", { names: listText(names) })]),
          el("thead", {}, [head]),
          body
        ])
      ])
    ]);

    var notes = [];
    if (chosen.length === 1) notes.push(str("compare_add_one"));
    if (extra.length) notes.push(str("compare_only_first", { max: MAX, list: extra.map(function (r) { return r.acronym; }).join(", ") }));
    if (unknown.length) notes.push(str("compare_not_found", { list: unknown.join(", ") }));
    if (notes.length) {
      view.insertBefore(el("div", { className: "notice compare-message" }, [
        el("p", {}, [notes.join(" ") + " ", el("a", { href: home }, [str("compare_back")]), "."])
      ]), view.firstChild);
    }

    root.appendChild(view);
    status.classList.remove("visually-hidden");
    toolbar.hidden = false;
    document.title = str("compare_title", { names: listText(names) }) + " \u00b7 " + baseTitle.split(" \u00b7 ").slice(1).join(" \u00b7 ");
    var diffs = showDifferences();
    status.textContent = str("compare_comparing", { names: listText(names) }) + differenceText(diffs);
  }

  root.addEventListener("click", function (event) {
    var button = event.target.closest("[data-remove]");
    if (!button) return;
    var ids = readIds().filter(function (id) { return id !== button.getAttribute("data-remove"); });
    updateUrl(ids);
    render(ids);
    var region = root.querySelector(".table-wrap");
    if (region) region.focus();
  });

  toggle.addEventListener("change", function () {
    var diffs = showDifferences();
    updateUrl(readIds());
    status.textContent = toggle.checked
      ? differenceText(diffs) + str("compare_same_hidden")
      : str("compare_showing_all", { total: fields.length });
  });

  toggle.checked = params().get("diff") === "1";

  // Nothing chosen: a checklist of every record, with a search box, to choose from.
  function showChooser() {
    var tableUrl = root.getAttribute("data-table-url");
    showMessage(str("compare_none_chosen"), [
      str("compare_chooser_before"), homeLink(), str("compare_chooser_after")
    ]);
    if (!tableUrl) return;
    var picked = storedChosen();
    var input = el("input", { type: "search", id: "chooser-search", autocomplete: "off", spellcheck: "false" });
    var list = el("ul", { className: "chooser-list", id: "chooser-list", "aria-label": str("compare_certifications") });
    var hint = el("p", { className: "compare-hint", id: "chooser-hint", "aria-live": "polite" });
    var go = el("button", { type: "submit", className: "button", id: "chooser-compare" }, [str("compare_go")]);
    var chooser = el("form", { className: "compare-chooser", id: "compare-chooser" }, [
      el("div", { className: "search-field" }, [
        el("label", { "for": "chooser-search" }, [str("compare_find")]),
        input
      ]),
      list,
      hint,
      go
    ]);
    view.appendChild(chooser);
    var entries = [];
    var SHOWN = 30;
    function fold(t) { return String(t).toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, ""); }
    function acronym(id) {
      var e = entries.find(function (x) { return x[0] === id; });
      return e ? e[2] : id;
    }
    function showHint(message) {
      go.disabled = picked.length < 2;
      var text = picked.length
        ? str("compare_ticked", { n: picked.length, max: MAX, list: picked.map(acronym).join(", ") })
        : str("compare_ticked_none", { n: 0, max: MAX });
      hint.textContent = (message ? message + " " : "") + text;
    }
    function draw() {
      var terms = fold(input.value).split(/\s+/).filter(Boolean);
      var shown = entries.filter(function (e) {
        return picked.indexOf(e[0]) >= 0 || terms.every(function (t) { return fold(e[3]).indexOf(t) >= 0; });
      });
      var more = shown.length - SHOWN;
      list.replaceChildren.apply(list, shown.slice(0, SHOWN).map(function (e) {
        var box = el("input", { type: "checkbox", id: "choose-" + e[0], value: e[0] });
        box.checked = picked.indexOf(e[0]) >= 0;
        return el("li", {}, [box, el("label", { "for": "choose-" + e[0] }, [el("strong", {}, [e[2]]), " " + (e[6] || "")])]);
      }));
      if (more > 0) list.appendChild(el("li", { className: "muted" }, [str("compare_more_hidden", { n: more })]));
    }
    list.addEventListener("change", function (event) {
      var box = event.target;
      var at = picked.indexOf(box.value);
      var message = "";
      if (box.checked && at < 0) {
        if (picked.length >= MAX) {
          box.checked = false;
          message = str("compare_not_added", { max: MAX });
        } else {
          picked.push(box.value);
        }
      }
      if (!box.checked && at >= 0) picked.splice(at, 1);
      saveChosen(picked);
      showHint(message);
    });
    input.addEventListener("input", draw);
    chooser.addEventListener("submit", function (event) {
      event.preventDefault();
      if (picked.length < 2) return showHint(str("compare_tick_two"));
      window.location.href = window.location.pathname + "?ids=" + picked.map(encodeURIComponent).join(",");
    });
    showHint();
    fetch(tableUrl, { headers: { Accept: "application/json" } })
      .then(function (res) {
        if (!res.ok) throw new Error("HTTP " + res.status);
        return res.json();
      })
      .then(function (data) {
        entries = Array.isArray(data) ? data : [];
        picked = picked.filter(function (id) { return entries.some(function (e) { return e[0] === id; }); });
        draw();
        showHint();
      })
      .catch(function () {
        chooser.remove();
      });
  }

  var ids = readIds();
  if (!ids.length) {
    showChooser();
    return;
  }

  status.textContent = str("compare_loading");
  // Only the chosen records' files (data/certifications/ID.json); an id that names no
  // record (a stale link) is left out, as render() says. Without the per-record URL (an
  // older template), the whole data file.
  var recordUrl = root.getAttribute("data-record-url");
  var getJson = function (url, missingOk) {
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (res) {
      if (missingOk && res.status === 404) return null;
      if (!res.ok) throw new Error("HTTP " + res.status);
      return res.json();
    });
  };
  var loading = recordUrl
    ? Promise.all(ids.map(function (id) {
      return getJson(recordUrl.replace("{id}", encodeURIComponent(id)), true);
    }))
    : getJson(root.getAttribute("data-data-url"), false);
  loading
    .then(function (data) {
      records = (Array.isArray(data) ? data : (data && data.certifications) || [])
        .filter(function (r) { return r; });
      render(ids);
    })
    .catch(function (err) {
      showMessage(str("compare_failed", { error: err.message }),
        [str("compare_every_fact_before"), homeLink(), str("compare_every_fact_after")]);
    });
})();
