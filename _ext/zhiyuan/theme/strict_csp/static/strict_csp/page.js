/* Per-page settings without inline scripts (strict_csp).
 *
 * 1. pydata-sphinx-theme sets DOCUMENTATION_OPTIONS.pagename and
 *    .search_as_you_type in inline scripts; strict_csp moves their values into
 *    this script element's data-options attribute (JSON).
 * 2. Sphinx's doctools.js compiles the catalog's plural expression with
 *    `new Function`, which a policy without 'unsafe-eval' refuses; this replaces
 *    Documentation.addTranslations (before translations.js calls it) with one
 *    that evaluates gettext's plural expressions without eval.
 */
(() => {
  "use strict";

  const script = document.currentScript;
  const options = JSON.parse((script && script.dataset.options) || "{}");
  if (typeof DOCUMENTATION_OPTIONS !== "undefined") {
    Object.assign(DOCUMENTATION_OPTIONS, options);
  }

  /* Binary operators of gettext's C-like plural syntax, loosest first. */
  const bool = (value) => Number(Boolean(value));
  const LEVELS = [
    { "||": (a, b) => bool(a || b) },
    { "&&": (a, b) => bool(a && b) },
    { "==": (a, b) => bool(a === b), "!=": (a, b) => bool(a !== b) },
    { "<": (a, b) => bool(a < b), ">": (a, b) => bool(a > b), "<=": (a, b) => bool(a <= b), ">=": (a, b) => bool(a >= b) },
    { "+": (a, b) => a + b, "-": (a, b) => a - b },
    { "*": (a, b) => a * b, "/": (a, b) => Math.trunc(a / b), "%": (a, b) => a % b },
  ];

  /* A plural expression such as "n != 1" or "0" -> a function of n, without eval. */
  const compilePlural = (source) => {
    const tokens = String(source).match(/\d+|n|[=!<>]=|&&|\|\||[-+*/%<>!?:()]|\S/g) || [];
    let i = 0;
    const fail = () => {
      throw new SyntaxError(`unsupported plural expression: ${source}`);
    };
    const expect = (token) => {
      if (tokens[i++] !== token) fail();
    };
    const unary = () => {
      const token = tokens[i++];
      if (token === "n") return (n) => n;
      if (/^\d+$/.test(token)) {
        const value = Number(token);
        return () => value;
      }
      if (token === "(") {
        const inner = ternary();
        expect(")");
        return inner;
      }
      if (token === "!") {
        const operand = unary();
        return (n) => bool(!operand(n));
      }
      if (token === "-") {
        const operand = unary();
        return (n) => -operand(n);
      }
      return fail();
    };
    const binary = (level) => {
      if (level === LEVELS.length) return unary();
      let left = binary(level + 1);
      while (i < tokens.length && Object.hasOwn(LEVELS[level], tokens[i])) {
        const op = LEVELS[level][tokens[i++]];
        const l = left;
        const r = binary(level + 1);
        left = (n) => op(l(n), r(n));
      }
      return left;
    };
    const ternary = () => {
      const condition = binary(0);
      if (tokens[i] !== "?") return condition;
      i++;
      const then = ternary();
      expect(":");
      const otherwise = ternary();
      return (n) => (condition(n) ? then(n) : otherwise(n));
    };
    const compiled = ternary();
    if (i !== tokens.length) fail();
    return compiled;
  };

  if (typeof Documentation !== "undefined") {
    Documentation.compilePlural = compilePlural;
    Documentation.addTranslations = (catalog) => {
      Object.assign(Documentation.TRANSLATIONS, catalog.messages);
      Documentation.PLURAL_EXPR = compilePlural(catalog.plural_expr);
      Documentation.LOCALE = catalog.locale;
    };
  }
})();
