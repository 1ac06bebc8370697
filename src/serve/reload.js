// certguide serve: live reload and build errors, injected into preview pages only.
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
      "). Showing the last good version.";
    box.appendChild(title);
    var list = document.createElement("ul");
    list.style.cssText = "margin:8px 0 0;padding:0;list-style:none";
    errors.forEach(function (e) {
      var li = document.createElement("li");
      li.className = "certguide-error";
      li.textContent = e.path + ":" + e.line + ":" + e.column + ": " + e.message;
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

  var source = new EventSource("/__certguide/events");
  source.addEventListener("reload", function () {
    sessionStorage.setItem(KEY, String(window.scrollY));
    location.reload();
  });
  source.addEventListener("css", swapStylesheets);
  source.addEventListener("errors", function (e) {
    try { overlay(JSON.parse(e.data)); } catch (err) { overlay([]); }
  });
})();
