"""Formulas MathJax accepted and KaTeX rejects, fixed where the fix is mechanical.

Every formula of an imported post is rendered with the site's own KaTeX renderer
(:func:`zhiyuan.formulas.katex_ssr.render_batch`, with the site's macros), as the build will
render it.  A formula KaTeX rejects gets the fixes below that apply to it, in order; if KaTeX
then accepts it, the fixed formula replaces it (and the report says so), otherwise it is left
as it was and the report quotes KaTeX's error.  Formulas KaTeX accepts are never touched.

* an accent, or ``^`` / ``_``, followed by a font command with an ungrouped argument:
  ``\\hat \\boldsymbol y`` → ``\\hat{\\boldsymbol y}``, ``x^\\boldsymbol \\theta`` →
  ``x^{\\boldsymbol \\theta}``, ``x_\\bf i`` → ``x_{\\bf i}``; a font command followed by an accent:
  ``\\bm \\hat y`` → ``\\bm{\\hat y}`` (MathJax reads the command and its argument as one group);
* ``\\label{…}`` dropped (KaTeX has no equation labels; MyST's ``(label)=`` above the formula is ours);
* ``\\require{…}`` dropped (MathJax's extension loader), ``\\mbox{…}`` → ``\\text{…}``;
* ``eqnarray`` → ``align`` (``a &=& b`` → ``a &= b``);
* ``\\DeclareMathOperator{\\op}{name}`` → ``\\def\\op{\\operatorname{name}}``;
* Hexo only: the escapes its Markdown renderer needed (``\\\\{`` → ``\\{``, ``\\\\\\\\`` → ``\\\\``).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable

_ACCENTS = ("hat", "widehat", "tilde", "widetilde", "bar", "overline", "underline", "vec", "overrightarrow",
            "overleftarrow", "dot", "ddot", "dddot", "check", "breve", "acute", "grave", "mathring")
_FONTS = ("boldsymbol", "bm", "mathbf", "mathcal", "mathbb", "mathrm", "mathit", "mathsf", "mathtt", "mathfrak",
          "mathscr", "pmb", "bold", "Bbb", "operatorname")
# one argument: a group, a command, or one character
_ARGUMENT = r"(?:\{(?:[^{}]|\{[^{}]*\})*\}|\\[A-Za-z]+|[^\s{}\\])"
_UNGROUPED = re.compile(
    r"(\\(?:" + "|".join(_ACCENTS) + r")(?![A-Za-z])|[\^_])(\s*)(\\(?:" + "|".join(_FONTS) + r")(?![A-Za-z])\s*"
    + _ARGUMENT + ")"
)


# a font switch right after ^ or _: x_\bf i
_SWITCH = re.compile(r"([\^_])(\s*)(\\(?:bf|rm|it|sf|tt|cal)(?![A-Za-z])\s*" + _ARGUMENT + ")")
# a font command whose argument is an accent with its own: \bm \hat y
_FONT_OF_ACCENT = re.compile(
    r"(\\(?:" + "|".join(_FONTS) + r")(?![A-Za-z]))\s*(\\(?:" + "|".join(_ACCENTS) + r")(?![A-Za-z])\s*" + _ARGUMENT + ")"
)


def _group_font_arguments(tex: str) -> str:
    tex = _FONT_OF_ACCENT.sub(lambda m: f"{m.group(1)}{{{m.group(2)}}}", tex)
    tex = _UNGROUPED.sub(lambda m: f"{m.group(1)}{{{m.group(3)}}}", tex)
    return _SWITCH.sub(lambda m: f"{m.group(1)}{{{m.group(3)}}}", tex)


def _drop_labels(tex: str) -> str:
    return re.sub(r"\s*\\label\{[^{}]*\}", "", tex)


def _drop_require(tex: str) -> str:
    return re.sub(r"\\require\{[^{}]*\}\s*", "", tex)


def _mbox(tex: str) -> str:
    return re.sub(r"\\mbox(?=\s*\{)", r"\\text", tex)


def _eqnarray(tex: str) -> str:
    def align(match: re.Match[str]) -> str:
        star, body = match.group(1), match.group(2)
        body = re.sub(r"&([^&\n]*?)&", r"&\1", body)
        return f"\\begin{{align{star}}}{body}\\end{{align{star}}}"
    return re.sub(r"\\begin\{eqnarray(\*?)\}(.*?)\\end\{eqnarray\*?\}", align, tex, flags=re.S)


def _declare_operator(tex: str) -> str:
    return re.sub(r"\\DeclareMathOperator(\*?)\{(\\[A-Za-z]+)\}\{([^{}]*)\}",
                  lambda m: f"\\def{m.group(2)}{{\\operatorname{m.group(1)}{{{m.group(3)}}}}}", tex)


def _hexo_escapes(tex: str) -> str:
    return tex.replace("\\\\{", "\\{").replace("\\\\}", "\\}").replace("\\\\\\\\", "\\\\")


#: ``(what the fix does, the fix)``, tried in this order on a formula KaTeX rejects
FIXES: list[tuple[str, Callable[[str], str]]] = [
    ("font command's argument grouped", _group_font_arguments),
    (r"\label dropped", _drop_labels),
    (r"\require dropped", _drop_require),
    (r"\mbox as \text", _mbox),
    ("eqnarray as align", _eqnarray),
    (r"\DeclareMathOperator as \def", _declare_operator),
]
HEXO_FIXES: list[tuple[str, Callable[[str], str]]] = [("Hexo's escapes undone", _hexo_escapes)]


def fixed(tex: str, hexo: bool = False) -> tuple[str, list[str]]:
    """*tex* with every fix that changes it applied; and what each did."""
    done = []
    for what, fix in [*FIXES, *(HEXO_FIXES if hexo else [])]:
        new = fix(tex)
        if new != tex:
            tex = new
            done.append(what)
    return tex, done


class Checker:
    """KaTeX as the build runs it (the site's macros), over batches of formulas."""

    def __init__(self, macros: dict[str, str], node: str | None = None) -> None:
        self.macros = macros
        self.node = node or shutil.which("node")

    @property
    def available(self) -> bool:
        return self.node is not None

    def errors(self, formulas: list[tuple[str, bool]]) -> list[str | None]:
        """KaTeX's error for each ``(tex, display)``, None where it renders."""
        if not formulas:
            return []
        from zhiyuan.formulas.katex_ssr import render_batch  # Sphinx and KaTeX's package: only when checking

        results = render_batch(self.node, formulas, self.macros)
        return [text if kind == "error" else None for kind, text in results]

    def repair(self, formulas: list[tuple[str, bool]], hexo: bool = False) -> list[tuple[str, list[str], str | None]]:
        """For each formula: ``(tex to use, fixes made, KaTeX's error if it still fails)``."""
        errors = self.errors(formulas)
        results: list[tuple[str, list[str], str | None]] = [(tex, [], error) for (tex, _), error in zip(formulas, errors)]
        attempts = {}
        for index, ((tex, display), error) in enumerate(zip(formulas, errors)):
            if error is None:
                continue
            new, done = fixed(tex, hexo)
            if done:
                attempts[index] = (new, display, done)
        if attempts:
            second = self.errors([(new, display) for new, display, _ in attempts.values()])
            for (index, (new, _display, done)), error in zip(attempts.items(), second):
                if error is None:
                    results[index] = (new, done, None)
        return results
