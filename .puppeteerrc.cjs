// Puppeteer (driven by @mermaid-js/mermaid-cli to draw diagrams at build time) uses the
// system's Chromium (/usr/bin/chromium); `npm ci` must not download a browser of its own.
module.exports = { skipDownload: true };
