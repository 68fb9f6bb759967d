// Images of an article (img.zy-zoom, see zhiyuan.pages.figures) zoom: a click, Enter or Space
// shows the image as large as the window allows over the page; a click, Escape or Tab closes
// it and gives the focus back.  Styled by zhiyuan-figures.css: no inline style, no inline script.
(() => {
  "use strict";

  function zoom(image) {
    const overlay = document.createElement("div");
    overlay.className = "zy-zoom-overlay";
    overlay.setAttribute("role", "dialog");
    overlay.setAttribute("aria-modal", "true");
    overlay.setAttribute("aria-label", image.alt ? `放大的图片：${image.alt}` : "放大的图片");
    overlay.tabIndex = -1;
    const large = document.createElement("img");
    large.src = image.currentSrc || image.src;
    large.alt = image.alt;
    overlay.append(large);

    function close() {
      overlay.remove();
      document.removeEventListener("keydown", onKey, true);
      image.focus();
    }
    function onKey(event) {
      if (event.key === "Escape" || event.key === "Tab") {
        event.preventDefault();
        close();
      }
    }
    overlay.addEventListener("click", close);
    document.addEventListener("keydown", onKey, true);
    document.body.append(overlay);
    overlay.focus();
  }

  for (const image of document.querySelectorAll("img.zy-zoom")) {
    image.tabIndex = 0;
    image.addEventListener("click", () => zoom(image));
    image.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        zoom(image);
      }
    });
  }
})();
