/* certguide: a certification page's "last verified N months ago" label, and its "Add to
   compare" button.
   The page carries the plain date (data-verified="YYYY-MM-DD"); the age is counted here,
   against today's date, so a page built months ago never claims fresher facts. The button
   adds the record to (or removes it from) the compare selection the home page keeps in
   localStorage, at most four. */
(function () {
  "use strict";

  function monthsSince(y, m, d, now) {
    var months = (now.getFullYear() - y) * 12 + (now.getMonth() + 1 - m);
    if (now.getDate() < d) months--;
    return months;
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-verified]"), function (badge) {
    var parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(badge.getAttribute("data-verified") || "");
    var text = badge.querySelector(".verified-text");
    if (!parts || !text) return;
    var date = parts[0];
    var months = monthsSince(Number(parts[1]), Number(parts[2]), Number(parts[3]), new Date());
    if (months < 0) return; // a date in the future: keep the plain date
    var ago = months === 0 ? "less than a month ago" : months === 1 ? "1 month ago" : months + " months ago";
    var time = document.createElement("time");
    time.setAttribute("datetime", date);
    time.title = date;
    time.textContent = ago;
    text.textContent = "Last verified ";
    text.appendChild(time);
    // site.yaml's stale_after_months, when the site sets one.
    var limit = parseInt(badge.getAttribute("data-stale-after") || "", 10);
    if (!isNaN(limit) && months > limit) {
      badge.classList.add("is-stale");
      text.appendChild(document.createTextNode(": check before you budget"));
    }
  });

  /* ---- Add to compare ---- */
  var MAX = 4;
  var box = document.getElementById("add-compare");
  var button = document.getElementById("add-compare-button");
  var status = document.getElementById("add-compare-status");
  if (!box || !button || !status) return;
  var id = box.getAttribute("data-id");
  var compareUrl = box.getAttribute("data-compare-url") || "../../compare/";
  var STORE = "certguide-compare@" + compareUrl; // as guide.js names it
  function load() {
    try {
      var v = JSON.parse(window.localStorage.getItem(STORE) || "[]");
      return Array.isArray(v) ? v.filter(function (x) { return typeof x === "string"; }).slice(0, MAX) : [];
    } catch (e) {
      return null;
    }
  }
  if (load() === null) return; // no storage: leave the button hidden
  function show(message) {
    var chosen = load() || [];
    var on = chosen.indexOf(id) >= 0;
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.textContent = on ? "Added to compare" : "Add to compare";
    status.replaceChildren();
    var text = (message ? message + " " : "") + chosen.length + " of " + MAX + " chosen for comparison.";
    status.appendChild(document.createTextNode(text + " "));
    if (chosen.length >= 2) {
      var a = document.createElement("a");
      a.href = compareUrl + "?ids=" + chosen.map(encodeURIComponent).join(",");
      a.textContent = "Compare them";
      status.appendChild(a);
    }
  }
  button.addEventListener("click", function () {
    var chosen = load() || [];
    var at = chosen.indexOf(id);
    var message = "";
    if (at >= 0) {
      chosen.splice(at, 1);
    } else if (chosen.length >= MAX) {
      message = "Not added: compare takes at most " + MAX + "; remove one first.";
    } else {
      chosen.push(id);
    }
    try { window.localStorage.setItem(STORE, JSON.stringify(chosen)); } catch (e) { /* full */ }
    show(message);
  });
  window.addEventListener("storage", function (event) {
    if (event.key === STORE) show();
  });
  box.hidden = false;
  show();
})();
