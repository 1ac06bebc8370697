/* certguide: search across certifications, articles and pages, from the box in the header.

   The build writes data/search.json (src/render/search.rs): per record, article and page
   its kind, title, URL, a snippet and the words worth matching. This script fetches it the
   first time the box is focused or typed in, then lists as you type the entries whose
   title or words hold every query word as the start of a word, case and accents ignored,
   those matching in the title first. Nothing is sent anywhere: the search runs here.

   The results are ordinary links in a panel below the box, right after it in the page:
   Tab reaches them, the Down and Up arrow keys move the focus through them as a shortcut,
   Enter opens one (Enter in the box opens the first), Escape closes the panel. The number
   of results is announced in a role="status" element. Without JavaScript the form goes to
   the search page, which says search needs it; with it, that page lists the results of
   its ?q= query. No framework, no dependencies. */
(function () {
  "use strict";

  var PANEL_LIMIT = 20; // results in the panel; the search page shows every one
  var PAGE_STEP = 50; // results the search page adds at a time
  // The theme's words in the page's language (strings.js): no word is written here.
  var theme = window.certguideWords;
  if (!theme) return;
  var str = theme.str;
  var KINDS = {
    certification: str("kind_certification"),
    article: str("kind_article"),
    page: str("kind_page"),
  };

  var form = document.querySelector("form.site-search[data-index]");
  var input = form && form.querySelector("input[type=search]");
  if (!input || !window.fetch || !window.Promise) return;
  document.documentElement.classList.add("has-search-js");

  var entries = null; // the prepared index, once loaded
  var loading = null;
  var failed = false;
  var status, panel, count, list, all; // made on first use
  var shownQuery = null;
  var statusTimer = 0;
  var refocusing = false;

  // ---- Matching ---------------------------------------------------------------------

  // Lower case without accents, so "cafe" finds "Café".
  function fold(text) {
    return String(text).toLowerCase().normalize("NFD").replace(/\p{M}+/gu, "");
  }

  function words(text) {
    return fold(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }

  function terms(query) {
    var out = [];
    words(query).forEach(function (w) {
      if (out.indexOf(w) === -1) out.push(w);
    });
    return out;
  }

  function prepare(data) {
    var fields = data && data.fields;
    var rows = data && data.entries;
    if (!Array.isArray(fields) || !Array.isArray(rows)) throw new Error("not a search index");
    var at = {};
    fields.forEach(function (name, i) {
      at[name] = i;
    });
    return rows.map(function (row, i) {
      var title = String(row[at.title] || "");
      return {
        kind: String(row[at.kind] || ""),
        title: title,
        url: String(row[at.url] || ""),
        summary: String(row[at.summary] || ""),
        order: i,
        // " word word ": a query word matches where " " + it occurs.
        inTitle: " " + words(title).join(" ") + " ",
        inWords: " " + words(row[at.words] || "").join(" ") + " ",
      };
    });
  }

  // Every entry that matches every term, best first: more terms in the title, then more
  // whole title words, then the index's own order.
  function search(query) {
    var ts = terms(query);
    if (!ts.length || !entries) return [];
    var found = [];
    for (var i = 0; i < entries.length; i++) {
      var e = entries[i];
      var title = 0;
      var whole = 0;
      var ok = true;
      for (var j = 0; j < ts.length; j++) {
        var key = " " + ts[j];
        if (e.inTitle.indexOf(key) !== -1) {
          title++;
          if (e.inTitle.indexOf(key + " ") !== -1) whole++;
        } else if (e.inWords.indexOf(key) === -1) {
          ok = false;
          break;
        }
      }
      if (ok) found.push({ e: e, title: title, whole: whole });
    }
    found.sort(function (a, b) {
      return b.title - a.title || b.whole - a.whole || a.e.order - b.e.order;
    });
    return found.map(function (f) {
      return f.e;
    });
  }

  function load() {
    if (!loading) {
      loading = fetch(form.getAttribute("data-index"), { credentials: "same-origin" })
        .then(function (r) {
          if (!r.ok) throw new Error("HTTP " + r.status);
          return r.json();
        })
        .then(function (data) {
          entries = prepare(data);
        })
        .catch(function () {
          failed = true;
        });
    }
    return loading;
  }

  // ---- Showing results ----------------------------------------------------------------

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  // Appends `text` to `node`, the part of each word that a term matches in a <mark>.
  function highlight(node, text, ts) {
    var re = /[\p{L}\p{N}\p{M}]+/gu;
    var last = 0;
    var m;
    while ((m = re.exec(text))) {
      var folded = fold(m[0]);
      var best = 0;
      ts.forEach(function (t) {
        if (t.length > best && folded.slice(0, t.length) === t) best = t.length;
      });
      if (!best) continue;
      // As many characters of the word as it takes to cover `best` folded ones.
      var end = m.index;
      var covered = 0;
      var chars = Array.from(m[0]);
      for (var k = 0; k < chars.length && covered < best; k++) {
        covered += fold(chars[k]).length;
        end += chars[k].length;
      }
      node.appendChild(document.createTextNode(text.slice(last, m.index)));
      node.appendChild(el("mark", "", text.slice(m.index, end)));
      last = end;
    }
    node.appendChild(document.createTextNode(text.slice(last)));
  }

  function item(e, ts) {
    var li = el("li", "search-result search-kind-" + e.kind);
    var a = el("a", "search-result-link");
    a.href = e.url;
    a.appendChild(el("span", "search-result-kind", KINDS[e.kind] || e.kind));
    a.appendChild(el("span", "visually-hidden", ": "));
    var title = el("span", "search-result-title");
    highlight(title, e.title, ts);
    a.appendChild(title);
    li.appendChild(a);
    if (e.summary) {
      var p = el("p", "search-result-summary");
      highlight(p, e.summary, ts);
      li.appendChild(p);
    }
    return li;
  }

  function fill(target, results, ts) {
    var frag = document.createDocumentFragment();
    results.forEach(function (e) {
      frag.appendChild(item(e, ts));
    });
    target.textContent = "";
    target.appendChild(frag);
  }

  function countText(n, shown, query) {
    if (n === 0) return str("search_none", { query: query.trim() });
    var text = str("search_count", { n: n });
    return n > shown ? text + str("search_first", { shown: shown }) : text;
  }

  // ---- The panel below the box --------------------------------------------------------

  function ensurePanel() {
    if (panel) return;
    // The status stays in the page (visually hidden), so each new count is announced.
    status = el("p", "visually-hidden");
    status.id = "site-search-status";
    status.setAttribute("role", "status");
    panel = el("div", "site-search-panel");
    panel.id = "site-search-panel";
    panel.hidden = true;
    count = el("p", "site-search-count");
    count.setAttribute("aria-hidden", "true");
    list = el("ul", "search-results");
    all = el("p", "site-search-all");
    panel.appendChild(count);
    panel.appendChild(list);
    panel.appendChild(all);
    input.insertAdjacentElement("afterend", panel);
    input.insertAdjacentElement("afterend", status);
    input.setAttribute("aria-controls", panel.id);
    panel.addEventListener("keydown", onPanelKey);
    // A click on the panel's text keeps the focus (and the panel) where it is.
    panel.addEventListener("mousedown", function (ev) {
      if (!ev.target.closest("a")) ev.preventDefault();
    });
  }

  function announce(text, now) {
    clearTimeout(statusTimer);
    // Announced once typing pauses, not on every key.
    if (now) status.textContent = text;
    else
      statusTimer = setTimeout(function () {
        status.textContent = text;
      }, 400);
  }

  function close() {
    if (panel) panel.hidden = true;
  }

  function update() {
    ensurePanel();
    var query = input.value;
    var ts = terms(query);
    if (!ts.length) {
      close();
      shownQuery = null;
      list.textContent = "";
      announce("", true);
      return;
    }
    panel.hidden = false;
    if (!entries && !failed) {
      count.textContent = str("search_loading");
      load().then(update);
      return;
    }
    if (failed) {
      count.textContent = str("search_unavailable");
      announce(count.textContent, true);
      return;
    }
    var key = ts.join(" ");
    if (key === shownQuery) return;
    shownQuery = key;
    var results = search(query);
    var shown = Math.min(results.length, PANEL_LIMIT);
    fill(list, results.slice(0, shown), ts);
    count.textContent = countText(results.length, shown, query);
    announce(count.textContent, false);
    all.textContent = "";
    if (results.length > shown) {
      var a = el("a", "", str("search_all", { n: results.length }));
      a.href = form.getAttribute("action") + "?q=" + encodeURIComponent(query.trim());
      all.appendChild(a);
    }
  }

  function links() {
    return panel ? Array.prototype.slice.call(panel.querySelectorAll("a[href]")) : [];
  }

  function onPanelKey(ev) {
    var ls = links();
    var i = ls.indexOf(document.activeElement);
    if (ev.key === "ArrowDown" && i !== -1) {
      ev.preventDefault();
      (ls[i + 1] || ls[i]).focus();
    } else if (ev.key === "ArrowUp" && i !== -1) {
      ev.preventDefault();
      (i > 0 ? ls[i - 1] : input).focus();
    } else if (ev.key === "Escape") {
      ev.preventDefault();
      close();
      refocusing = true;
      input.focus();
      refocusing = false;
    }
  }

  input.addEventListener("focus", function () {
    ensurePanel();
    load();
    // Back in a box that has a query: its results again (not after Escape closed them).
    if (!refocusing && terms(input.value).length) update();
  });
  input.addEventListener("input", update);
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "ArrowDown" && panel && !panel.hidden) {
      var first = links()[0];
      if (first) {
        ev.preventDefault();
        first.focus();
      }
    } else if (ev.key === "Escape" && panel && !panel.hidden) {
      // The first Escape closes the panel; the next one clears the box (the browser's own).
      ev.preventDefault();
      close();
    }
  });
  form.addEventListener("focusout", function (ev) {
    if (!ev.relatedTarget || !form.contains(ev.relatedTarget)) close();
  });
  form.addEventListener("submit", function (ev) {
    // Enter in the box opens the best result; before the index is loaded, the search page.
    if (!entries) return;
    ev.preventDefault();
    var results = search(input.value);
    if (results.length) window.location.href = results[0].url;
  });
  // Coming back to this page through the history: start closed.
  window.addEventListener("pageshow", function (ev) {
    if (ev.persisted) close();
  });

  // ---- The search page ------------------------------------------------------------------

  var page = document.getElementById("search-page");
  if (page) {
    var query = new URLSearchParams(window.location.search).get("q") || "";
    var pageStatus = el("p", "search-page-count");
    pageStatus.setAttribute("role", "status");
    var pageList = el("ul", "search-results search-page-results");
    var more = el("button", "button button-secondary search-more", str("search_more"));
    more.type = "button";
    more.hidden = true;
    page.appendChild(pageStatus);
    page.appendChild(pageList);
    page.appendChild(more);
    if (!input.value) input.value = query;
    if (!terms(query).length) {
      pageStatus.textContent = str("search_prompt");
    } else {
      pageStatus.textContent = str("searching");
      load().then(function () {
        if (failed) {
          pageStatus.textContent = str("search_unavailable");
          return;
        }
        var ts = terms(query);
        var results = search(query);
        var shown = 0;
        var step = function () {
          var frag = document.createDocumentFragment();
          results.slice(shown, shown + PAGE_STEP).forEach(function (e) {
            frag.appendChild(item(e, ts));
          });
          pageList.appendChild(frag);
          shown = Math.min(results.length, shown + PAGE_STEP);
          more.hidden = shown >= results.length;
          pageStatus.textContent = countText(results.length, shown, query);
        };
        more.addEventListener("click", step);
        step();
      });
    }
  }
})();
