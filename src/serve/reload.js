// certguide serve: live updates and build errors, injected into preview pages only.
//
// A `reload` event names the site URLs whose bytes changed (or says "*": maybe any).
// When this page is named, it is fetched again and the open document is patched to it in
// place, so the scroll position, the focus, open <details>, what was typed into form
// controls and what the page's own scripts did all survive. The patch is three-way:
// `base` is the HTML the document was made from (the page as served, then each patch's),
// so a part of the page the server did not change is left alone even when a script or
// the reader changed it (the home page's filtered table, say). When the page's scripts or
// stylesheets changed, or anything fails, the page reloads instead (and keeps its scroll
// position). After a patch, `certguide:patched` is dispatched on the document; after each
// `reload` event, `certguide:reload` (detail: what the server named, and what this page did
// about it: "patch", "data", "reload", "css" or "none").
//
// A data file (`.json`) the page loaded that changed does not reload the page by itself:
// `certguide:data` (detail: {url}, the file's site path as the server names it, such as
// "/data/table.json") is dispatched on the window, after the patch when the page changed
// too. A script that refreshes the page from that file claims the event with
// `preventDefault()`; when no script claims it, the page reloads, as for any other file it
// was made from.
(function () {
  "use strict";
  var KEY = "certguide-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(KEY);
  if (saved !== null) {
    sessionStorage.removeItem(KEY);
    var y = parseInt(saved, 10);
    var restore = function () { window.scrollTo(0, y); };
    if (document.readyState === "complete") restore(); else window.addEventListener("load", restore);
  }

  function reloadPage() {
    sessionStorage.setItem(KEY, String(window.scrollY));
    location.reload();
  }

  // ---- The page as served ---------------------------------------------------------------

  // This script is not deferred: it runs while the page is parsed, before the page's own
  // (deferred) scripts. The document is taken as served once parsing ends, before those
  // scripts run; it is parsed again only when a patch needs it.
  var baseHtml = null;
  var base = null;
  function snapshot() {
    baseHtml = "<!DOCTYPE html>" + document.documentElement.outerHTML;
  }
  if (document.readyState === "loading") {
    document.addEventListener("readystatechange", function once() {
      document.removeEventListener("readystatechange", once);
      snapshot();
    });
  } else {
    snapshot();
  }

  function parse(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    if (!doc.head || !doc.body) throw new Error("not an HTML page");
    return doc;
  }

  // ---- Errors overlay -------------------------------------------------------------------

  function overlay(errors) {
    var box = document.getElementById("certguide-errors");
    if (!errors || errors.length === 0) {
      if (box) box.remove();
      return;
    }
    if (!box) {
      box = document.createElement("div");
      box.id = "certguide-errors";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;" +
        "background:#1f1111;color:#ffe9e9;font:13px/1.5 ui-monospace,Menlo,Consolas,monospace;" +
        "padding:12px 16px;border-top:4px solid #e5484d;box-shadow:0 -4px 24px rgba(0,0,0,.4)";
      document.body.appendChild(box);
    }
    box.textContent = "";
    var title = document.createElement("strong");
    title.textContent = "The site does not build (" + errors.length + " error" + (errors.length === 1 ? "" : "s") +
      (document.getElementById("certguide-not-built") ? "). Nothing to show until it builds." :
        "). Showing the last good version.");
    box.appendChild(title);
    var list = document.createElement("ul");
    list.style.cssText = "margin:8px 0 0;padding:0;list-style:none";
    errors.forEach(function (e) {
      var li = document.createElement("li");
      li.className = "certguide-error";
      li.style.cssText = "margin:0 0 10px";
      var head = document.createElement("div");
      head.textContent = e.path + ":" + e.line + ":" + e.column + ": error: " + e.message;
      li.appendChild(head);
      if (e.snippet) {
        // The source line under a caret, as the terminal shows it.
        var pre = document.createElement("pre");
        pre.className = "certguide-snippet";
        pre.style.cssText = "margin:4px 0 0;padding:6px 8px;background:#2a1717;color:#ffd7d7;" +
          "white-space:pre;overflow-x:auto;font:inherit";
        pre.textContent = e.snippet;
        li.appendChild(pre);
      }
      list.appendChild(li);
    });
    box.appendChild(list);
  }

  function swapStylesheets() {
    var stamp = Date.now();
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href, location.href);
      if (url.origin !== location.origin) return;
      url.searchParams.set("certguide", String(stamp));
      var fresh = link.cloneNode();
      fresh.href = url.toString();
      fresh.addEventListener("load", function () { link.remove(); });
      link.after(fresh);
    });
  }

  // ---- Which changes concern this page --------------------------------------------------

  // The site path of a URL's path, as the server names files: "/" for "/index.html".
  function sitePath(pathname) {
    var p = pathname;
    try { p = decodeURI(p); } catch (e) { /* keep it encoded */ }
    return p.replace(/\/index\.html$/, "/");
  }

  function sameOriginPath(href) {
    try {
      var url = new URL(href, location.href);
      return url.origin === location.origin ? sitePath(url.pathname) : null;
    } catch (e) {
      return null;
    }
  }

  function stylesheetPaths() {
    var paths = Object.create(null);
    document.querySelectorAll('link[rel~="stylesheet" i]').forEach(function (link) {
      var p = sameOriginPath(link.href);
      if (p) paths[p] = true;
    });
    return paths;
  }

  // Files this page asked for while it loaded (its images, the data its scripts build it
  // from, like the compare page's): when one of them changed, the page reloads, since what
  // was made of it cannot be patched. Files fetched later, on demand (the search index
  // when the search box gets the focus), are the business of the script that fetched them.
  function loadedPaths() {
    var paths = Object.create(null);
    if (!window.performance || !performance.getEntriesByType) return paths;
    var nav = performance.getEntriesByType("navigation")[0];
    var loaded = nav && nav.loadEventEnd > 0 ? nav.loadEventEnd : Infinity;
    performance.getEntriesByType("resource").forEach(function (entry) {
      if (entry.startTime > loaded) return;
      var p = sameOriginPath(entry.name);
      if (p) paths[p] = true;
    });
    return paths;
  }

  function onReload(changed) {
    if (changed === "*") {
      swapStylesheets();
      update();
      return "patch";
    }
    if (!Array.isArray(changed)) return "none";
    var here = sitePath(location.pathname);
    var styles = stylesheetPaths();
    var loaded = loadedPaths();
    var mine = false, css = false, used = false, data = [];
    changed.forEach(function (url) {
      if (url === here) mine = true;
      else if (styles[url]) css = true;
      else if (loaded[url]) {
        if (/\.json$/i.test(url)) data.push(url);
        else used = true;
      }
    });
    if (used) {
      reloadPage();
      return "reload";
    }
    if (css) swapStylesheets();
    if (mine) {
      // The data events follow the patch: a script refreshing the page from the data
      // works on the page as the server has it now.
      Array.prototype.push.apply(dataAfterPatch, data);
      update();
      return "patch";
    }
    if (data.length) return announceData(data) ? "data" : "reload";
    return css ? "css" : "none";
  }

  // Offers each changed data file to the page's scripts; reloads unless every one is
  // claimed. Returns whether they all were.
  function announceData(urls) {
    var claimed = urls.every(function (url) {
      var e = new CustomEvent("certguide:data", { detail: { url: url }, cancelable: true });
      return !window.dispatchEvent(e);
    });
    if (!claimed) reloadPage();
    return claimed;
  }

  // ---- Patching -------------------------------------------------------------------------

  var running = false;
  var again = false;
  // Data files to announce once the patch under way is done.
  var dataAfterPatch = [];

  // Patches the page from the server; one patch at a time, and one more if asked meanwhile.
  function update() {
    if (running) {
      again = true;
      return;
    }
    running = true;
    patchFromServer().then(null, function () {
      reloadPage();
      return "reload";
    }).then(function (outcome) {
      running = false;
      if (outcome === "reload") return;
      if (again) {
        again = false;
        update();
      }
    });
  }

  function patchFromServer() {
    return fetch(location.href, { cache: "no-store", credentials: "same-origin" })
      .then(function (res) {
        if (!res.ok || res.redirected) throw new Error("HTTP " + res.status);
        return res.text();
      })
      .then(function (html) {
        var next = parse(html);
        if (!base) {
          if (baseHtml === null) throw new Error("the page was not read yet");
          base = parse(baseHtml);
        }
        if (assets(base) !== assets(next)) {
          reloadPage();
          return "reload";
        }
        patchDocument(base, next);
        base = next;
        document.dispatchEvent(new CustomEvent("certguide:patched"));
        if (dataAfterPatch.length && !announceData(dataAfterPatch.splice(0))) return "reload";
        return "patched";
      });
  }

  // The page's scripts (in the head, in the body: source or inline text; the injected
  // script's URL carries a fingerprint of the site's scripts) and its stylesheets. When
  // these differ, the page reloads.
  function assets(doc) {
    function describe(el) {
      var name = el.nodeName.toLowerCase();
      if (name === "script") {
        return "script " + (el.getAttribute("type") || "") + " " +
          (el.hasAttribute("src") ? "src=" + el.getAttribute("src") : el.textContent);
      }
      if (name === "link") return "link " + el.getAttribute("href") + " " + (el.getAttribute("media") || "");
      return "style " + (el.getAttribute("media") || "") + " " + el.textContent;
    }
    function list(nodes) {
      return Array.prototype.map.call(nodes, describe).join("\n");
    }
    return [
      list(doc.head.querySelectorAll("script")),
      list(doc.body.querySelectorAll("script")),
      list(doc.querySelectorAll('link[rel~="stylesheet" i], style')),
    ].join("\n\u0000\n");
  }

  // Left out of patching: scripts and stylesheets (the same, or the page reloads), the
  // errors overlay and this script.
  function ignored(node) {
    if (node.nodeType !== 1) return false;
    var name = node.nodeName;
    return name === "SCRIPT" || name === "STYLE" || node.getAttribute("id") === "certguide-errors" ||
      (name === "LINK" && /(^|\s)stylesheet(\s|$)/i.test(node.getAttribute("rel") || ""));
  }

  function patchDocument(base, next) {
    var x = window.scrollX, y = window.scrollY;
    var focused = document.activeElement;
    var selection = null;
    try {
      if (focused && typeof focused.selectionStart === "number") {
        selection = [focused.selectionStart, focused.selectionEnd, focused.selectionDirection];
      }
    } catch (e) { /* no selection */ }

    patchAttributes(document.documentElement, base.documentElement, next.documentElement);
    patchElement(document.head, base.head, next.head);
    patchElement(document.body, base.body, next.body);
    if (document.title !== next.title) document.title = next.title;

    if (focused && focused !== document.body && focused.isConnected && document.activeElement !== focused) {
      focused.focus({ preventScroll: true });
      if (selection) {
        try { focused.setSelectionRange(selection[0], selection[1], selection[2]); } catch (e) { /* gone */ }
      }
    }
    if (window.scrollX !== x || window.scrollY !== y) window.scrollTo(x, y);
  }

  // `base` is the server's previous version of `live` (null when the server had none).
  function patchElement(live, base, next) {
    if (base && base.isEqualNode(next)) return; // the server changed nothing in here
    patchAttributes(live, base, next);
    var name = live.nodeName;
    if (name === "NOSCRIPT") return; // text in this document, elements in a parsed one
    if (name === "TEMPLATE") {
      live.content.replaceChildren(document.importNode(next.content, true));
      return;
    }
    patchChildren(live, base, next);
  }

  function patchAttributes(live, base, next) {
    // Whether a <details> or <dialog> is open is the reader's choice.
    var keepOpen = live.nodeName === "DETAILS" || live.nodeName === "DIALOG";
    var i, a;
    for (i = 0; i < next.attributes.length; i++) {
      a = next.attributes[i];
      if (keepOpen && a.name === "open") continue;
      // Unchanged on the server: whatever the page's scripts made of it stays.
      if (base && base.getAttributeNS(a.namespaceURI, a.localName) === a.value) continue;
      if (live.getAttributeNS(a.namespaceURI, a.localName) === a.value) continue;
      if (a.namespaceURI === null) live.setAttribute(a.name, a.value);
      else live.setAttributeNS(a.namespaceURI, a.name, a.value);
    }
    var current = Array.prototype.slice.call(live.attributes);
    for (i = 0; i < current.length; i++) {
      a = current[i];
      if (keepOpen && a.name === "open") continue;
      if (next.hasAttributeNS(a.namespaceURI, a.localName)) continue;
      // Not the server's: a script or the reader set it.
      if (base && !base.hasAttributeNS(a.namespaceURI, a.localName)) continue;
      live.removeAttributeNS(a.namespaceURI, a.localName);
    }
  }

  // A parent's children by key: `=ID` for an element with an id (the first one), else
  // the node name and its position among its siblings of that name (`P@3`, `#text@2`).
  function keyed(parent) {
    var nodes = [], keys = [], byKey = Object.create(null), counts = Object.create(null);
    for (var node = parent.firstChild; node; node = node.nextSibling) {
      if (ignored(node)) continue;
      var key = null;
      if (node.nodeType === 1) {
        var id = node.getAttribute("id");
        if (id && !(("=" + id) in byKey)) key = "=" + id;
      }
      if (key === null) {
        var name = node.nodeName;
        counts[name] = (counts[name] || 0) + 1;
        key = name + "@" + counts[name];
      }
      nodes.push(node);
      keys.push(key);
      byKey[key] = node;
    }
    return { nodes: nodes, keys: keys, byKey: byKey };
  }

  function compatible(a, b) {
    return !!a && a.nodeType === b.nodeType && a.nodeName === b.nodeName && a.namespaceURI === b.namespaceURI;
  }

  function patchChildren(live, base, next) {
    var have = keyed(live), want = keyed(next), was = base ? keyed(base) : null;
    var used = new Set();
    var match = want.nodes.map(function (node, i) {
      var l = have.byKey[want.keys[i]];
      if (!compatible(l, node) || used.has(l)) return null;
      used.add(l);
      return l;
    });
    // Remove what the server dropped; keep what a script added (not in the server's
    // previous version either).
    have.nodes.forEach(function (node, i) {
      if (used.has(node)) return;
      if (was && !(have.keys[i] in was.byKey)) return;
      node.remove();
    });
    // Put the server's nodes in its order, moving as few as possible (a moved node loses
    // the focus), past the nodes left alone.
    var cursor = live.firstChild;
    want.nodes.forEach(function (node, i) {
      while (cursor && !used.has(cursor)) cursor = cursor.nextSibling;
      var l = match[i];
      if (!l) {
        live.insertBefore(document.importNode(node, true), cursor);
        return;
      }
      if (l === cursor) cursor = cursor.nextSibling;
      else live.insertBefore(l, cursor);
      var b = was ? was.byKey[want.keys[i]] : null;
      patchNode(l, compatible(b, node) ? b : null, node);
    });
  }

  function patchNode(live, base, next) {
    if (next.nodeType === 1) {
      patchElement(live, base, next);
    } else if (live.nodeValue !== next.nodeValue && !(base && base.nodeValue === next.nodeValue)) {
      live.nodeValue = next.nodeValue;
    }
  }

  // ---- Events ---------------------------------------------------------------------------

  var source = new EventSource("/__certguide/events");
  source.addEventListener("reload", function (e) {
    var changed;
    try { changed = JSON.parse(e.data); } catch (err) { changed = "*"; }
    var action = onReload(changed);
    document.dispatchEvent(new CustomEvent("certguide:reload", { detail: { changed: changed, action: action } }));
  });
  source.addEventListener("css", swapStylesheets);
  source.addEventListener("errors", function (e) {
    try { overlay(JSON.parse(e.data)); } catch (err) { overlay([]); }
  });
})();
