/* certguide: a certification page's "last verified N months ago" label.
   The page carries the plain date (data-verified="YYYY-MM-DD"); the age is counted here,
   against today's date, so a page built months ago never claims fresher facts. */
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
})();
