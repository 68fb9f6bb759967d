// Code blocks and tables that scroll sideways are tab stops, so a reader without a mouse can
// scroll them with the arrow keys (WCAG 2.1.1); those that fit are not, so Tab does not stop
// on them for nothing.  Whether an element scrolls is read when it comes within a screen of
// the viewport, not for the whole page at once: that read lays out what it measures, and
// sections out of view are not laid out (content-visibility: auto).  Until then an element
// is a tab stop.  pydata-sphinx-theme's own scan, at the load event over the whole page, is
// left out of its script (zhiyuan.theme.tab_stops).
(() => {
  "use strict";

  const SCROLLABLE = "pre, .pst-scrollable-table-container";

  function decide(element) {
    const scrolls = element.scrollWidth > element.clientWidth || element.scrollHeight > element.clientHeight;
    element.tabIndex = scrolls ? 0 : -1;
  }

  const observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (entry.isIntersecting) decide(entry.target);
      }
    },
    { rootMargin: "100% 0px" },
  );
  const elements = document.querySelectorAll(SCROLLABLE);
  for (const element of elements) {
    element.tabIndex = 0;
    observer.observe(element);
  }

  // a wider or narrower window changes what scrolls: decide again what is near the viewport
  let timer;
  window.addEventListener("resize", () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      for (const element of elements) {
        observer.unobserve(element);
        observer.observe(element);
      }
    }, 300);
  });
})();
