/* certguide: a certification page's "last verified N months ago" label.
   The page carries the plain date (data-verified="YYYY-MM-DD"); the age is counted here,
   against today's date, so a page built months ago never claims fresher facts. */
(function () {
  "use strict";

  // The theme's words in the page's language (base.html's <script id="strings">).
  var STRINGS = (function () {
    var node = document.getElementById("strings");
    try {
      return node ? JSON.parse(node.textContent) : {};
    } catch (e) {
      return {};
    }
  })();
  var LANG = STRINGS.lang || document.documentElement.lang || undefined;
  function str(key, n) {
    var text = STRINGS[key];
    if (typeof n === "number") {
      var form = STRINGS[key + (n === 1 ? ".one" : ".other")];
      if (form !== undefined) text = form;
      if (text !== undefined) text = text.replace("{n}", new Intl.NumberFormat(LANG).format(n));
    }
    return text === undefined ? key : text;
  }

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
    var ago = months === 0 ? str("verified_recent") : str("verified_ago", months);
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
})();
