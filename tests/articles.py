"""Reading the articles in posts/ as MyST tokens (front matter, code blocks, prose)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

from helpers import REPO

POSTS = sorted((REPO / "posts").glob("*/*.md"))
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
PYTHON = {"python", "py", "python3"}


@dataclass(frozen=True)
class CodeBlock:
    path: Path
    line: int
    language: str
    classes: tuple[str, ...]
    code: str

    def __str__(self) -> str:
        return f"{self.path.relative_to(REPO)}:{self.line}"


@cache
def _parser():
    config = MdParserConfig(enable_extensions={"amsmath", "colon_fence", "deflist", "dollarmath", "fieldlist"})
    return create_md_parser(config, RendererHTML)


@cache
def tokens(path: Path):
    return _parser().parse(path.read_text(encoding="utf-8"))


def code_blocks(path: Path) -> list[CodeBlock]:
    blocks = []
    for token in tokens(path):
        if token.type != "fence":
            continue
        info = token.info.strip()
        directive = re.match(r"\{(code-block|code|sourcecode)\}\s*(\S*)", info)
        language = directive.group(2) if directive else info.split()[0] if info else ""
        if info.startswith("{") and not directive:
            continue  # another directive, e.g. {math}
        lines = token.content.split("\n")
        classes: tuple[str, ...] = ()
        if directive:
            while lines and lines[0].startswith(":"):
                option = lines.pop(0)
                if option.startswith(":class:"):
                    classes = tuple(option.split(":", 2)[2].split())
            if lines and not lines[0].strip():
                lines.pop(0)
        blocks.append(CodeBlock(path, token.map[0] + 1, language, classes, "\n".join(lines)))
    return blocks


def prose_characters(path: Path) -> int:
    """Chinese characters of prose: text outside code, math and front matter."""
    count = 0
    for token in tokens(path):
        if token.type == "inline":
            count += sum(len(CJK.findall(child.content)) for child in token.children if child.type == "text")
    return count
