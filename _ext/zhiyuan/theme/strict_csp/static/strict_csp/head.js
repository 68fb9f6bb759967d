/* Colour mode and theme before the first paint (strict_csp).
 *
 * pydata-sphinx-theme writes the first two assignments as an inline <script> at the
 * top of <head>; served as a file they run at the same moment (a classic, blocking
 * script) and need no 'unsafe-inline'.  The theme's default mode is this script
 * element's data-default-mode attribute.
 *
 * Upstream leaves data-theme at "auto" until its deferred script resolves it to
 * "light" or "dark"; the theme's colours exist only for those two, so the first paint
 * is drawn without them and moves when they arrive (a layout shift, and a flash in
 * dark mode).  The same resolution is done here, before the first paint.
 */
(function () {
  var root = document.documentElement;
  // the theme's own script reads "" as an invalid mode (a console error) and resets it to auto
  var fallback = (document.currentScript && document.currentScript.dataset.defaultMode) || "auto";
  var mode = localStorage.getItem("mode") || fallback;
  var theme = localStorage.getItem("theme") || mode;
  if (theme !== "light" && theme !== "dark") {
    theme = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }
  root.dataset.mode = mode;
  root.dataset.theme = theme;
})();
