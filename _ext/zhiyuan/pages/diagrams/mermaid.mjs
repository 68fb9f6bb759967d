// Render Mermaid diagrams to SVG files with @mermaid-js/mermaid-cli, all in one browser.
//
// stdin:  {"package": ".../node_modules/@mermaid-js/mermaid-cli", "browser": "/usr/bin/chromium",
//          "config": {...mermaid config...},
//          "jobs": [{"key": "...", "code": "graph LR; a-->b", "out": "/path/key.svg"}, ...]}
// stdout: one JSON line per job: {"key": "...", "error": null | "message"}
// Started by zhiyuan.pages.diagrams once per build for the diagrams not yet in its cache.
import { writeFile, rename } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const request = JSON.parse(Buffer.concat(chunks).toString("utf8"));
// mermaid-cli and the puppeteer beside it, from the site's node_modules (npm ci)
const require = createRequire(join(request.package, "package.json"));
const { renderMermaid } = await import(pathToFileURL(join(request.package, "src", "index.js")).href);
const { default: puppeteer } = await import(pathToFileURL(require.resolve("puppeteer")).href);

// mermaid-cli forwards the page's console to stderr; keep it off our protocol
const browser = await puppeteer.launch({
  executablePath: request.browser,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"],
});
try {
  for (const job of request.jobs) {
    let error = null;
    try {
      const { data } = await renderMermaid(browser, job.code, "svg", {
        backgroundColor: "transparent",
        mermaidConfig: request.config,
        svgId: "diagram",
      });
      await writeFile(job.out + ".tmp", data);
      await rename(job.out + ".tmp", job.out);
    } catch (e) {
      error = String((e && e.message) || e).split("\n").slice(0, 3).join(" ");
    }
    process.stdout.write(JSON.stringify({ key: job.key, error }) + "\n");
  }
} finally {
  await browser.close();
}
