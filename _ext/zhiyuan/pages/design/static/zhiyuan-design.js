// Dropdowns (<details class="sd-dropdown">) print open: their content is part of the page.
// Those the reader had closed are closed again after printing.
(() => {
  "use strict";
  let opened = [];
  window.addEventListener("beforeprint", () => {
    opened = [...document.querySelectorAll("details.sd-dropdown:not([open])")];
    for (const details of opened) details.open = true;
  });
  window.addEventListener("afterprint", () => {
    for (const details of opened) details.open = false;
    opened = [];
  });
})();
