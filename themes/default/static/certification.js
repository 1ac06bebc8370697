/* certguide: a certification page's label of when its facts were last verified (N months
   ago), and its button that adds it to the comparison.
   The page carries the plain date (data-verified="YYYY-MM-DD"); the age is counted here,
   against today's date, so a page built months ago never claims fresher facts. The button
   adds the record to (or removes it from) the compare selection the home page keeps in
   localStorage, at most four. */
(function () {
  "use strict";

  // The theme's words in the page's language (strings.js).
  var words = window.certguideWords;
  if (!words) return;
  var str = words.str;

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
    var ago = months === 0 ? str("verified_recent") : str("verified_ago", { n: months });
    var time = document.createElement("time");
    time.setAttribute("datetime", date);
    time.title = date;
    time.textContent = ago;
    text.textContent = str("last_verified");
    text.appendChild(time);
    // site.yaml's stale_after_months, when the site sets one.
    var limit = parseInt(badge.getAttribute("data-stale-after") || "", 10);
    if (!isNaN(limit) && months > limit) {
      badge.classList.add("is-stale");
      text.appendChild(document.createTextNode(str("check_before")));
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
    button.textContent = on ? str("added_compare") : str("add_compare");
    status.replaceChildren();
    var text = (message ? message + " " : "") +
      str("chosen_of", { n: chosen.length, max: MAX });
    status.appendChild(document.createTextNode(text + " "));
    if (chosen.length >= 2) {
      var a = document.createElement("a");
      a.href = compareUrl + "?ids=" + chosen.map(encodeURIComponent).join(",");
      a.textContent = str("compare_them");
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
      message = str("not_added", { max: MAX });
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
