/* certguide: the theme's words in the page's language, for the other scripts.
   data/words.js (loaded just before) sets window.certguideStrings to the js.* keys of
   themes/NAME/i18n/LANG.yaml (the prefix dropped), the language and its number format; a
   theme may instead put them in the page as <script type="application/json"
   id="strings">{{ script_strings() | json }}</script>. This reads them once and offers, as
   window.certguideWords, str(key, args): the text of key with each {name} replaced by
   args.name (numbers written the language's way), args.n picking key.one or key.other;
   and number(n), n as the build writes numbers. No word is written here. Loaded before the scripts that use it. */
(function () {
  "use strict";
  var strings = window.certguideStrings || {};
  var node = document.getElementById("strings");
  try {
    if (node) strings = JSON.parse(node.textContent) || {};
  } catch (e) {
    strings = {};
  }
  // Numbers as the build writes them (number_group, number_decimal: whole numbers, or two
  // decimals at most without trailing zeros). Without those, the browser's own format,
  // made when first needed: it loads the locale's data, tens of milliseconds on a page's
  // critical path.
  var group = strings.number_group, decimal = strings.number_decimal;
  var numbers = null;
  function number(n) {
    if (typeof n !== "number") return String(n);
    if (typeof group !== "string" || typeof decimal !== "string" || !isFinite(n) || Math.abs(n) >= 1e15) {
      numbers = numbers || new Intl.NumberFormat(strings.lang || document.documentElement.lang || undefined);
      return numbers.format(n);
    }
    var plain = Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0+$/, "").replace(/\.$/, "");
    var sign = plain.charAt(0) === "-" ? "-" : "";
    var parts = plain.slice(sign.length).split(".");
    var digits = parts[0], out = "";
    for (var i = 0; i < digits.length; i++) {
      if (i > 0 && (digits.length - i) % 3 === 0) out += group;
      out += digits.charAt(i);
    }
    return sign + out + (parts[1] ? decimal + parts[1] : "");
  }
  function str(key, args) {
    args = args || {};
    var text = strings[key];
    if (typeof args.n === "number") {
      var form = strings[key + (args.n === 1 ? ".one" : ".other")];
      if (form !== undefined) text = form;
    }
    if (text === undefined) return key;
    return text.replace(/\{(\w+)\}/g, function (m, name) {
      return name in args ? number(args[name]) : m;
    });
  }
  window.certguideWords = { str: str, number: number };
})();
