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

/* The page's scripts after its first paint (zhiyuan.theme.page_assets).
 *
 * page_assets gives a page's deferred scripts the type "text/x-after-paint", which the
 * browser neither fetches nor runs; once the document is parsed and its first contentful
 * paint is drawn, each is put back as the script it was (its attributes, data-* included,
 * so document.currentScript reads them), in order.  On a slow network the page, its sheet and
 * its fonts then have the connection to themselves until the reader sees the page.  Where the
 * browser reports no paints (or a background tab draws none), they start on the next frame,
 * or after three seconds at the latest.
 */
(function () {
  var HELD = "text/x-after-paint";
  var started = false;

  // (document.scripts, not a selector: on a post of twenty thousand elements a selector
  // matching an attribute walks them all)
  function held() {
    return Array.prototype.filter.call(document.scripts, function (script) {
      return script.type === HELD;
    });
  }

  // Deferred scripts run before DOMContentLoaded, and some wait for it without asking
  // document.readyState whether it is past (sphinx-design's tabs): once the last held script
  // has run, the event is sent again for them.  The listeners added before it was first sent
  // are this script's own (no other script runs before the held ones), which ignore it.
  // The user-timing mark "held-scripts-ran" says when (tests wait for it, and so may a
  // measurement of the page).
  function contentLoadedAgain() {
    document.dispatchEvent(new Event("DOMContentLoaded", { bubbles: true }));
    if (window.performance && performance.mark) performance.mark("held-scripts-ran");
  }

  function start(scripts) {
    if (started) return;
    started = true;
    var last = null;
    scripts.forEach(function (element) {
      var script = document.createElement("script");
      for (var i = 0; i < element.attributes.length; i++) {
        var attribute = element.attributes[i];
        if (attribute.name !== "type") script.setAttribute(attribute.name, attribute.value);
      }
      script.async = false; // run in the order of the page, as deferred scripts do
      element.replaceWith(script);
      last = script;
    });
    if (last) {
      last.addEventListener("load", contentLoadedAgain);
      last.addEventListener("error", contentLoadedAgain);
    }
  }

  function afterFirstPaint(run) {
    var types = (window.PerformanceObserver && PerformanceObserver.supportedEntryTypes) || [];
    if (types.indexOf("paint") < 0) {
      requestAnimationFrame(function () { setTimeout(run, 0); });
      return;
    }
    new PerformanceObserver(function (list, observer) {
      if (list.getEntriesByName("first-contentful-paint").length) {
        observer.disconnect();
        run();
      }
    }).observe({ type: "paint", buffered: true });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var scripts = held();
    if (!scripts.length) return;
    var run = function () { start(scripts); };
    afterFirstPaint(run);
    setTimeout(run, 3000);
  });
})();
