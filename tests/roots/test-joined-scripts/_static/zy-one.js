/* Records that it ran and what document.currentScript was meanwhile. */
window.zyRan = window.zyRan || [];
window.zyRan.push(["one", document.currentScript.getAttribute("data-zy-sample"), new URL(document.currentScript.src).pathname]);
