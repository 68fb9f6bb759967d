/* Colour mode and theme before the first paint (strict_csp).
 *
 * pydata-sphinx-theme writes these two lines as an inline <script> at the top of
 * <head>; served as a file they run at the same moment (a classic, blocking
 * script) and need no 'unsafe-inline'.  The theme's default mode is this
 * script element's data-default-mode attribute.
 */
(function () {
  var root = document.documentElement;
  // the theme's own script reads "" as an invalid mode (a console error) and resets it to auto
  var fallback = (document.currentScript && document.currentScript.dataset.defaultMode) || "auto";
  root.dataset.mode = localStorage.getItem("mode") || fallback;
  root.dataset.theme = localStorage.getItem("theme") || fallback;
})();
