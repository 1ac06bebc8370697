/* certguide: side-by-side comparison page.
   Reads ?ids=a,b,c (repeated ids=a&ids=b from the home page form works too),
   fetches the records from the container's data-data-url, builds one column per
   record and one row per entry of the #compare-fields JSON. Optional ?diff=1
   turns "Highlight differences" on. No framework, no dependencies. */
(function () {
  "use strict";

  var MAX = 4;
  var root = document.getElementById("compare");
  if (!root) return;
  var status = document.getElementById("compare-status");
  var toolbar = document.getElementById("compare-toolbar");
  var toggle = document.getElementById("highlight-diff");
  var home = root.getAttribute("data-home-url") || "/";
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
    return names.slice(0, -1).join(", ") + " and " + names[names.length - 1];
  }

  function clearView() {
    if (view) view.remove();
    view = null;
  }

  function homeLink() { return el("a", { href: home }, ["comparison table"]); }

  function showMessage(text, hint) {
    clearView();
    toolbar.hidden = true;
    document.title = baseTitle;
    view = el("div", { className: "notice compare-message" }, [
      el("p", {}, [text]),
      el("p", {}, hint || [
        "Tick two to four certifications in the ", homeLink(),
        ", then choose \u201cCompare selected\u201d."
      ])
    ]);
    root.appendChild(view);
    status.classList.add("visually-hidden");
    status.textContent = text;
  }

  function valueOf(record, key) {
    var v = record.compare ? record.compare[key] : undefined;
    if (v == null || v === "") return "\u2014";
    return String(v);
  }

  function markDifferences() {
    if (!view) return;
    var on = toggle.checked;
    var count = 0;
    view.querySelectorAll("tbody tr").forEach(function (tr) {
      var values = Array.prototype.map.call(tr.querySelectorAll("td"), function (td) {
        return td.textContent.trim().toLowerCase();
      });
      var differs = values.some(function (v) { return v !== values[0]; });
      var mark = tr.querySelector(".diff-mark");
      tr.classList.toggle("differs", on && differs);
      if (on && differs) {
        count++;
        if (!mark) tr.querySelector("th").appendChild(el("span", { className: "diff-mark" }, [" differs"]));
      } else if (mark) {
        mark.remove();
      }
    });
    return count;
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
        ? "None of the chosen certifications exist: " + ids.join(", ") + "."
        : "No certifications chosen yet.");
      return;
    }

    var extra = chosen.length > MAX ? chosen.slice(MAX) : [];
    chosen = chosen.slice(0, MAX);

    var head = el("tr", {}, [el("th", { scope: "col" }, [el("span", { className: "visually-hidden" }, ["Field"])])]);
    chosen.forEach(function (r) {
      var remove = el("button", {
        type: "button",
        className: "link-button cmp-remove",
        "data-remove": r.id,
        "aria-label": "Remove " + r.acronym + " from the comparison"
      }, ["Remove"]);
      head.appendChild(el("th", { scope: "col" }, [
        el("a", { className: "cmp-acronym", href: r.url }, [r.acronym]),
        el("span", { className: "cmp-name" }, [r.name || ""]),
        chosen.length > 1 ? remove : null
      ]));
    });

    var body = el("tbody");
    fields.forEach(function (f) {
      var tr = el("tr", { "data-key": f.key }, [el("th", { scope: "row" }, [f.label])]);
      chosen.forEach(function (r) {
        var v = valueOf(r, f.key);
        tr.appendChild(el("td", v === "\u2014" ? { className: "is-missing" } : {}, [v]));
      });
      body.appendChild(tr);
    });

    var names = chosen.map(function (r) { return r.acronym; });
    clearView();
    view = el("div", {}, [
      el("div", { className: "table-scroll", role: "region", "aria-labelledby": "compare-caption", tabindex: "0" }, [
        el("table", { className: "compare-table", id: "compare-table" }, [
          el("caption", { id: "compare-caption", className: "visually-hidden" }, ["Side-by-side comparison of " + listText(names)]),
          el("thead", {}, [head]),
          body
        ])
      ])
    ]);

    var notes = [];
    if (chosen.length === 1) notes.push("Add at least one more certification from the comparison table to see differences.");
    if (extra.length) notes.push("Only the first " + MAX + " are shown; left out: " + extra.map(function (r) { return r.acronym; }).join(", ") + ".");
    if (unknown.length) notes.push("Not found: " + unknown.join(", ") + ".");
    if (notes.length) {
      view.insertBefore(el("div", { className: "notice compare-message" }, [
        el("p", {}, [notes.join(" ") + " ", el("a", { href: home }, ["Back to the comparison table"]), "."])
      ]), view.firstChild);
    }

    root.appendChild(view);
    status.classList.remove("visually-hidden");
    toolbar.hidden = false;
    document.title = "Compare " + listText(names) + " \u00b7 " + baseTitle.split(" \u00b7 ").slice(1).join(" \u00b7 ");
    var diffs = markDifferences();
    status.textContent = "Comparing " + listText(names) + "." +
      (toggle.checked ? " " + diffs + " of " + fields.length + " rows differ." : "");
  }

  root.addEventListener("click", function (event) {
    var button = event.target.closest("[data-remove]");
    if (!button) return;
    var ids = readIds().filter(function (id) { return id !== button.getAttribute("data-remove"); });
    updateUrl(ids);
    render(ids);
    var region = root.querySelector(".table-scroll");
    if (region) region.focus();
  });

  toggle.addEventListener("change", function () {
    var diffs = markDifferences();
    updateUrl(readIds());
    status.textContent = toggle.checked
      ? diffs + " of " + fields.length + " rows differ and are highlighted."
      : "Highlighting off.";
  });

  toggle.checked = params().get("diff") === "1";

  var ids = readIds();
  if (!ids.length) {
    showMessage("No certifications chosen yet.");
    return;
  }

  status.textContent = "Loading\u2026";
  fetch(root.getAttribute("data-data-url"), { headers: { Accept: "application/json" } })
    .then(function (res) {
      if (!res.ok) throw new Error("HTTP " + res.status);
      return res.json();
    })
    .then(function (data) {
      records = Array.isArray(data) ? data : (data && data.certifications) || [];
      render(ids);
    })
    .catch(function (err) {
      showMessage("The certification data could not be loaded (" + err.message + ").",
        ["Every fact is also in the ", homeLink(), " and on each certification\u2019s page."]);
    });
})();
