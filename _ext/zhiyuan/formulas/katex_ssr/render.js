// Render formulas with KaTeX as they come, one line each, and exit at the end of the input.
// argv[2]: path to katex.min.js.  stdin: a line {"macros": {...}}, then a line {"tex", "display"}
// a formula.  stdout: a line {"html": "..."} or {"error": "..."} a formula, in order.
"use strict";
const readline = require("readline");
const katex = require(process.argv[2]);

let macros = null;
const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on("line", (line) => {
  const request = JSON.parse(line);
  if (macros === null) {
    macros = request.macros || {};
    return;
  }
  let result;
  try {
    result = {
      html: katex.renderToString(request.tex, {
        displayMode: request.display,
        // a fresh copy: \gdef in one formula must not leak into the next
        macros: Object.assign({}, macros),
        throwOnError: true,
        strict: false,
      }),
    };
  } catch (err) {
    result = { error: String(err && err.message ? err.message : err) };
  }
  process.stdout.write(JSON.stringify(result) + "\n");
});
