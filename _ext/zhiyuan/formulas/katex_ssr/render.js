// Render a batch of formulas with KaTeX and exit.
// argv[2]: path to katex.min.js.  stdin: {"macros": {...}, "formulas": [{"tex", "display"}]}.
// stdout: [{"html": "..."} | {"error": "..."}], in order.
"use strict";
const katex = require(process.argv[2]);

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const request = JSON.parse(input);
  const results = request.formulas.map(({ tex, display }) => {
    try {
      return {
        html: katex.renderToString(tex, {
          displayMode: display,
          // a fresh copy: \gdef in one formula must not leak into the next
          macros: Object.assign({}, request.macros),
          throwOnError: true,
          strict: false,
        }),
      };
    } catch (err) {
      return { error: String(err && err.message ? err.message : err) };
    }
  });
  process.stdout.write(JSON.stringify(results));
});
