// Hover previews (zhiyuan.pages.previews): a link of class zy-preview shows what it points at —
// a glossary entry, the opening of a section or post, a footnote, an equation, a figure — in one
// role="tooltip" element that the link names with aria-describedby.  The previews were made at
// build time: _previews/<page>.json, fetched from the site the first time a link to that page
// is hovered or focused.  It opens after a short rest of a mouse or pen, at once on keyboard focus;
// it stays while the pointer is on the link or the preview, and closes when both are left, when the
// focus leaves, when the link is scrolled out of the window, and on Escape.  A touch never opens
// it: a tap follows the link.
// Styled by zhiyuan-previews.css: no inline style, no inline script.
(() => {
  "use strict";

  const SHOW_AFTER = 250; // ms of rest before a hovered link shows its preview
  const HIDE_AFTER = 200; // ms to reach the preview from the link (or back) before it closes
  const root = new URL(document.documentElement.dataset.content_root || "./", document.baseURI);
  if (root.protocol !== "http:" && root.protocol !== "https:") return; // file://: nothing to fetch

  const files = new Map(); // URL of a previews file -> promise of its data (or null)
  const tip = document.createElement("div");
  tip.id = "zy-preview";
  tip.className = "zy-preview-tip";
  tip.setAttribute("role", "tooltip");
  tip.hidden = true;
  let owner = null; // the link the preview describes (or is about to)
  let dismissed = null; // a link whose preview Escape closed, until the pointer leaves it
  let showTimer = 0;
  let hideTimer = 0;

  // The previews file and the id of what *link* points at, or null for a link elsewhere.
  function target(link) {
    const url = new URL(link.href, document.baseURI);
    if (url.origin !== root.origin || !url.pathname.startsWith(root.pathname)) return null;
    let path = url.pathname.slice(root.pathname.length);
    if (path === "" || path.endsWith("/")) path += "index.html";
    if (!path.endsWith(".html")) return null;
    const page = new URL(url.pathname, url);
    const file = new URL(`_previews/${path.slice(0, -".html".length)}.json`, root);
    try {
      return { page, file, id: decodeURIComponent(url.hash.slice(1)) };
    } catch {
      return null; // a fragment that is not percent-encoded UTF-8 names nothing we wrote
    }
  }

  // Focus a reader gave with the keyboard (not a click or a tap, which follow the link).
  function fromKeyboard(link) {
    try {
      return link.matches(":focus-visible");
    } catch {
      return false; // a browser without :focus-visible: no preview on focus
    }
  }

  function load(file) {
    const key = file.href;
    if (!files.has(key)) {
      const data = fetch(key, { credentials: "same-origin" })
        .then((response) => (response.ok ? response.json() : null))
        .catch(() => null);
      files.set(key, data);
    }
    return files.get(key);
  }

  // The preview's HTML as nodes, its images' addresses made absolute (they are relative to *page*).
  function content(html, page) {
    const template = document.createElement("template");
    template.innerHTML = html;
    for (const image of template.content.querySelectorAll("img[src]")) {
      image.src = new URL(image.getAttribute("src"), page).href;
    }
    return template.content;
  }

  function describe(link, on) {
    const ids = (link.getAttribute("aria-describedby") || "").split(/\s+/).filter((id) => id && id !== tip.id);
    if (on) ids.push(tip.id);
    if (ids.length) link.setAttribute("aria-describedby", ids.join(" "));
    else link.removeAttribute("aria-describedby");
  }

  // Below the link's first line box, or above it when there is no room below; within the window.
  function place(link) {
    const margin = 8;
    const gap = 6;
    const box = link.getClientRects()[0] || link.getBoundingClientRect();
    tip.style.left = "0px";
    tip.style.top = "0px";
    const { width, height } = tip.getBoundingClientRect();
    let top = box.bottom + gap;
    if (top + height > window.innerHeight - margin && box.top - gap - height >= margin) {
      top = box.top - gap - height;
    }
    const left = Math.max(margin, Math.min(box.left, window.innerWidth - margin - width));
    tip.style.left = `${left}px`;
    tip.style.top = `${top}px`;
  }

  async function open(link) {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    if (owner && owner !== link) close();
    owner = link;
    const where = target(link);
    const data = where && (await load(where.file));
    const index = data && data.ids ? data.ids[where.id] : undefined;
    if (owner !== link || index === undefined || !link.isConnected) return;
    tip.replaceChildren(content(data.previews[index], where.page));
    if (!tip.isConnected) (document.querySelector("main") || document.body).append(tip);
    tip.hidden = false;
    place(link);
    describe(link, true);
  }

  function close() {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    if (owner) describe(owner, false);
    owner = null;
    tip.hidden = true;
    tip.replaceChildren();
  }

  function closeSoon() {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    hideTimer = setTimeout(close, HIDE_AFTER);
  }

  const linkOf = (node) => (node instanceof Element ? node.closest("a.zy-preview[href]") : null);

  document.addEventListener("pointerover", (event) => {
    if (event.pointerType === "touch") return;
    if (tip.contains(event.target)) {
      clearTimeout(hideTimer);
      return;
    }
    const link = linkOf(event.target);
    if (!link || link === dismissed) return;
    clearTimeout(hideTimer);
    if (link === owner) return; // already shown, or about to be
    clearTimeout(showTimer);
    if (owner) close();
    owner = link;
    showTimer = setTimeout(() => open(link), SHOW_AFTER);
  });

  document.addEventListener("pointerout", (event) => {
    if (event.pointerType === "touch") return;
    const from = tip.contains(event.target) ? tip : linkOf(event.target);
    if (!from) return;
    const to = event.relatedTarget;
    if (to instanceof Node && (from.contains(to) || tip.contains(to) || (owner && owner.contains(to)))) return;
    if (from === dismissed) dismissed = null;
    if (owner && (from === owner || from === tip)) closeSoon();
  });

  document.addEventListener("focusin", (event) => {
    const link = linkOf(event.target);
    if (link && fromKeyboard(link)) {
      dismissed = null;
      open(link);
    }
  });

  document.addEventListener("focusout", (event) => {
    if (owner && event.target === owner) close();
  });

  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && owner && !tip.hidden) {
      dismissed = owner;
      close();
    }
  });

  // Scrolling (the page's, or the browser's bringing a focused link into view) moves the preview
  // with its link; once the link is out of the window, the preview closes.
  let frame = 0;
  window.addEventListener("scroll", () => {
    if (!owner || tip.hidden || frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      if (!owner || tip.hidden) return;
      const box = owner.getBoundingClientRect();
      if (box.bottom < 0 || box.top > window.innerHeight) close();
      else place(owner);
    });
  }, { capture: true, passive: true });
  window.addEventListener("resize", () => owner && close());
})();
