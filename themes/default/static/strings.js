/* certguide: the theme's words in the page's language, for the other scripts.
   data/words.js (loaded just before) sets window.certguideStrings to the js.* keys of
   themes/NAME/i18n/LANG.yaml (the prefix dropped) and the language; a theme may instead
   put them in the page as <script type="application/json" id="strings">{{ script_strings()
   | json }}</script>. This reads them once and offers, as
   window.certguideWords, str(key, args): the text of key with each {name} replaced by
   args.name (numbers written the language's way), args.n picking key.one or key.other;
   and number(n). No word is written here. Loaded before the scripts that use it. */
(function () {
  "use strict";
  var strings = window.certguideStrings || {};
  var node = document.getElementById("strings");
  try {
    if (node) strings = JSON.parse(node.textContent) || {};
  } catch (e) {
    strings = {};
  }
  var numbers = new Intl.NumberFormat(strings.lang || document.documentElement.lang || undefined);
  function number(n) {
    return typeof n === "number" ? numbers.format(n) : String(n);
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
