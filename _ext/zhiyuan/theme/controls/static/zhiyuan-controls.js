// What the site used Bootstrap's script for (zhiyuan.theme.controls), with no Bootstrap:
//
// * the colour-mode menu, a Bootstrap dropdown in the theme's markup: a click on its button
//   (or Enter, Space) opens and closes it, with aria-expanded on the button and .show on the
//   menu and the button (placed by zhiyuan-controls.css); ArrowDown and ArrowUp open it and
//   move between its items; Escape closes it and gives the focus back to the button; a click
//   or tap outside it, or the focus moving out of it, closes it; choosing an item closes it
//   (pydata-sphinx-theme's script changes the mode);
// * the back-to-top button, shown while the reader scrolls up, below the header;
// * tooltips: the elements' own title, shown by the browser.
//
// Where Bootstrap's script runs after all (window.bootstrap), this one leaves it the work.
(() => {
  "use strict";

  function dropdown(toggle) {
    const container = toggle.parentElement;
    const menu = container.querySelector(".dropdown-menu");
    if (!menu) return;
    let title = null;

    const isOpen = () => menu.classList.contains("show");
    const items = () => [...menu.querySelectorAll(".dropdown-item:not(.disabled):not(:disabled)")];

    function open() {
      if (isOpen()) return;
      menu.classList.add("show");
      toggle.classList.add("show");
      toggle.setAttribute("aria-expanded", "true");
      // the container's title would cover the menu's items (pydata hides its tooltip too)
      title = container.getAttribute("title");
      container.removeAttribute("title");
    }

    function close(focusToggle) {
      if (!isOpen()) return;
      menu.classList.remove("show");
      toggle.classList.remove("show");
      toggle.setAttribute("aria-expanded", "false");
      if (title !== null) container.setAttribute("title", title);
      title = null;
      if (focusToggle) toggle.focus();
    }

    toggle.setAttribute("aria-expanded", "false");
    toggle.addEventListener("click", () => {
      // the focus stays on the button (sphinx-book-theme's script takes it away on a click, to
      // hide Bootstrap's tooltip), so the keyboard goes on from there
      toggle.focus();
      if (isOpen()) close(false);
      else open();
    });
    menu.addEventListener("click", (event) => {
      if (event.target.closest(".dropdown-item")) close(true);
    });
    container.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && isOpen()) {
        event.preventDefault();
        close(true);
        return;
      }
      if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
      event.preventDefault();
      open();
      const list = items();
      if (!list.length) return;
      const down = event.key === "ArrowDown";
      const at = list.indexOf(document.activeElement);
      // from the button: the first item (down) or the last (up); in the menu: the next or
      // the previous, stopping at either end (as Bootstrap does)
      const next = at < 0 ? (down ? 0 : list.length - 1) : Math.max(0, Math.min(list.length - 1, at + (down ? 1 : -1)));
      list[next].focus();
    });
    container.addEventListener("focusout", (event) => {
      if (event.relatedTarget && !container.contains(event.relatedTarget)) close(false);
    });
    document.addEventListener("pointerdown", (event) => {
      if (isOpen() && !container.contains(event.target)) close(false);
    });
  }

  function backToTop(button) {
    const header = document.querySelector(".bd-header");
    // where the header ends, in the document, and the last position: read at the first scroll
    // (reading them at once would lay the page out again while it is being set up)
    let below = null;
    let last = null;
    let shown = false;
    button.addEventListener("click", () => window.scrollTo(0, 0));
    window.addEventListener(
      "scroll",
      () => {
        if (below === null) below = header ? header.offsetTop + header.offsetHeight : 0;
        const y = window.scrollY;
        const show = last !== null && y < last && y > below;
        last = y;
        if (show !== shown) {
          shown = show;
          button.style.display = show ? "block" : "none";
        }
      },
      { passive: true },
    );
  }

  function start() {
    if (window.bootstrap) return;
    document.querySelectorAll('[data-bs-toggle="dropdown"]').forEach(dropdown);
    const button = document.getElementById("pst-back-to-top");
    if (button) backToTop(button);
  }

  // after every script of the page, Bootstrap's included where a page still loads it: deferred
  // scripts have run at DOMContentLoaded; scripts held until the first paint (page_assets) at load
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else if (document.readyState === "interactive") window.addEventListener("load", start);
  else start();
})();
