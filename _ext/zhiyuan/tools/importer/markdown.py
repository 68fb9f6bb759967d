"""An imported post's body as MyST Markdown the site builds.

Code (fenced blocks, inline code) and Liquid's ``{% raw %}`` regions are set aside first, so
nothing below touches them; then, on the rest:

* Liquid's ``{% highlight lang %}`` (Jekyll, Hexo), Hexo's ``{% codeblock %}`` / ``{% code %}``
  and Hugo's ``{{< highlight >}}`` become fenced code (``{code-block}`` with ``:linenos:`` or a
  ``:caption:`` where they had one); Hexo's ``{% note %}`` an admonition, ``{% blockquote %}`` a
  quote, Liquid's ``{% comment %}`` an HTML comment, ``{% raw %}`` is unwrapped;
* links to other posts — Jekyll's ``{% post_url %}`` and ``{% link %}``, Hexo's ``{% post_link %}``
  and ``{% post_path %}``, Hugo's ``ref`` and ``relref``, and plain links to another imported
  post's old address or file — point at that post's label (``[text](#slug)``);
* images — Markdown images, HTML ``<img>`` (alone in a paragraph, possibly in ``<center>`` or
  ``<figure>`` with a ``<figcaption>``: a ``{figure}``), Hugo's ``figure`` shortcode and Hexo's
  ``asset_img`` / ``img`` tags — have their files copied next to the post
  (``posts/<year>/<slug>/``) and their paths rewritten; an image without alt text gets its caption
  or file name as alt text, and the report asks for a description;
* simple HTML becomes Markdown (``<b>``, ``<i>``, ``<sup>``, ``<sub>``, ``<kbd>``, ``<br>`` at a
  line's end, ``<details>`` as a ``{dropdown}``); other HTML is left as it is — the site shows it
  as code — and reported;
* headings: a ``#`` title in the body becomes the post's title; the sections start at ``##`` and
  never skip a level; kramdown's and Hugo's ``{#id}`` attributes are removed;
* links to a heading of the post (``[1. 简介](#1-简介)``: GitHub's, kramdown's or Hexo's anchor)
  point at the id the site gives that heading (MyST's slug, ``myst_heading_anchors`` levels deep)
  or, deeper, at a label added above it;
* math: ``\\(…\\)`` and ``\\[…\\]`` become ``$…$`` and ``$$…$$``, kramdown's inline ``$$…$$`` and
  MathJax's ``$ x $`` become ``$x$``; formulas KaTeX rejects are fixed where mechanical
  (:mod:`.tex`);
* Liquid tags, Liquid output and shortcodes without a counterpart are left as they are (the site
  shows them as text) and reported.
"""

from __future__ import annotations

import functools
import html
import re
import shlex
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urljoin, urlsplit

from zhiyuan.compat.myst_parser import heading_slug
from zhiyuan.tools.importer.engines import hexo_slugize
from zhiyuan.tools.new_post import slug_from_title

if TYPE_CHECKING:
    from collections.abc import Callable

    from zhiyuan.tools.importer.engines import SourcePost
    from zhiyuan.tools.importer.tex import Checker

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp", ".avif")
POST_LINK = "zhiyuan-post:"


# -- what the rest of the import gives a body, and what it gets back ----------------------


class PostIndex:
    """The imported posts, found by any name another post may use for them."""

    def __init__(self) -> None:
        self._names: dict[str, str] = {}
        self._addresses: dict[str, str] = {}
        self._files: dict[Path, str] = {}

    def add(self, label: str, post: SourcePost, addresses: list[str]) -> None:
        names = {post.name, post.path.stem, post.path.name, post.relative, post.name.rsplit("/", 1)[-1]}
        if post.site.engine == "hugo":
            names |= {f"{post.section}/{post.name}", f"/{post.section}/{post.name}",
                      post.path.relative_to(post.site.root / "content").as_posix()}
        for name in names:
            self._names.setdefault(name.strip("/").lower(), label)
        for address in addresses:
            self._addresses[_address_key(address)] = label
        self._files[post.path.resolve()] = label

    def by_name(self, name: str) -> str | None:
        key = name.strip().strip("/").lower()
        for candidate in (key, re.sub(r"\.(md|markdown)$", "", key), re.sub(r"/index(\.md)?$", "", key)):
            if candidate in self._names:
                return self._names[candidate]
        return None

    def by_address(self, path: str) -> str | None:
        return self._addresses.get(_address_key(path))

    def by_file(self, path: Path) -> str | None:
        return self._files.get(path.resolve())


def _address_key(path: str) -> str:
    """One spelling of a path on the old site: ``/a/b/``, ``/a/b/index.html``, ``/a/b.html`` and ``/a/b``."""
    path = unquote(path.split("#", 1)[0].split("?", 1)[0]).lower()
    path = re.sub(r"(?:/index)?\.html?$", "", path)
    return "/" + path.strip("/")


@dataclass
class Note:
    """One line of a post's report; *needle* is text to find in the written post for its line number."""

    text: str
    needle: str | None = None


@dataclass
class Converted:
    """A post's new body and what it took."""

    text: str
    title: str | None
    changes: list[str] = field(default_factory=list)
    needs: list[Note] = field(default_factory=list)
    #: files to copy: source -> path relative to posts/<year>/
    copies: dict[Path, str] = field(default_factory=dict)


# -- setting code aside -------------------------------------------------------------------

_HOLE = re.compile("\ue000(\\d+)\ue001")


class _Stash:
    """Text set aside behind a placeholder, so conversions do not see it."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def put(self, text: str) -> str:
        self.items.append(text)
        return f"\ue000{len(self.items) - 1}\ue001"

    def restore(self, text: str) -> str:
        while _HOLE.search(text):
            text = _HOLE.sub(lambda m: self.items[int(m.group(1))], text)
        return text


_FENCE_OPEN = re.compile(r"^([ \t>]*)(`{3,}|~{3,})(.*)$")


def _stash_fences(text: str, stash: _Stash) -> str:
    lines, out, index = text.split("\n"), [], 0
    while index < len(lines):
        match = _FENCE_OPEN.match(lines[index])
        if match and not (match.group(2)[0] == "`" and "`" in match.group(3)):
            fence = match.group(2)
            close = re.compile(r"^[ \t>]*" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}[ \t]*$")
            end = index + 1
            while end < len(lines) and not close.match(lines[end]):
                end += 1
            out.append(match.group(1) + stash.put("\n".join(lines[index:end + 1])[len(match.group(1)):]))
            index = end + 1
            continue
        out.append(lines[index])
        index += 1
    return "\n".join(out)


_INLINE_CODE = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")


def _stash_inline_code(text: str, stash: _Stash) -> str:
    return _INLINE_CODE.sub(lambda m: stash.put(m.group(0)), text)


def _fence(code: str, language: str = "", options: list[str] | None = None, indent: str = "") -> str:
    """*code* as a fenced block that no line of it closes."""
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    ticks = "`" * max(3, longest + 1)
    lines = code.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    if indent:  # a block in a list item: its lines carry the item's indent already
        lines = [line[len(indent):] if line.startswith(indent) else line.lstrip(" \t") for line in lines]
    code = "\n".join(lines)
    if options:
        head = f"{ticks}{{code-block}} {language}".rstrip() + "\n" + "\n".join(options) + "\n\n"
    else:
        head = f"{ticks}{language}\n"
    block = head + code + f"\n{ticks}"
    return "\n".join(indent + line if line else line for line in block.split("\n"))


# -- the conversion ------------------------------------------------------------------------

# Hexo NexT's {% note <class> %}: the admonition of each class
_NOTE_KINDS = {"info": "note", "primary": "note", "default": "note", "success": "tip", "warning": "warning",
               "danger": "danger"}

_LIQUID = r"\{%-?\s*"
_END = r"\s*-?%\}"
_SHORT_OPEN = r"\{\{[<%]\s*"
_SHORT_CLOSE = r"\s*[>%]\}\}"


def _attributes(text: str) -> dict[str, str]:
    """``name="value"`` pairs of an HTML tag or a Hugo shortcode, unescaped; names lower-cased."""
    found = {}
    for name, quoted, single, bare in re.findall(r"([\w:-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>\"']+))", text):
        found[name.lower()] = html.unescape(quoted or single or bare)
    return found


def _words(text: str) -> list[str]:
    try:
        return shlex.split(text)
    except ValueError:
        return text.split()


@dataclass
class _Heading:
    line: int
    level: int
    text: str  # the heading's Markdown, without {#id}
    explicit_id: str | None
    prefix: str


class BodyConverter:
    """Converts one post's body; see the module's docstring for what it does."""

    def __init__(self, post: SourcePost, slug: str, title: str | None, index: PostIndex,
                 checker: Checker | None, anchor_depth: int = 3, address: str | None = None,
                 slug_preset: Any = None) -> None:
        self.post = post
        self.address = address  # the post's own old address, for relative links
        self.engine = post.site.engine
        self.slug = slug
        self.title = title
        self.index = index
        self.checker = checker
        self.anchor_depth = anchor_depth
        self.slug_preset = slug_preset  # the site's myst_heading_slug_func
        self.stash = _Stash()
        self.result = Converted("", title)
        self._copied_names: dict[str, Path] = {}
        self._reported: set[str] = set()

    # -- reporting --

    def _change(self, text: str) -> None:
        if text not in self.result.changes:
            self.result.changes.append(text)

    def _need(self, text: str, needle: str | None = None) -> None:
        if text not in self._reported:
            self._reported.add(text)
            self.result.needs.append(Note(text, needle))

    # -- the whole body --

    def convert(self, excerpt_separator: str | None = None) -> Converted:
        text = self.post.body.replace("\r\n", "\n").replace("\r", "\n")
        if excerpt_separator and excerpt_separator.strip() != "<!--more-->" and excerpt_separator in text:
            text = text.replace(excerpt_separator, "<!--more-->", 1)
            self._change(f"excerpt separator {excerpt_separator.strip()!r} -> <!--more-->")
        if self.engine in ("jekyll", "hexo"):
            text = self._raw(text)
        text = _stash_fences(text, self.stash)
        text = _stash_inline_code(text, self.stash)
        text = self._code_tags(text)
        text = self._block_tags(text)
        text = self._link_tags(text)
        text = self._image_tags(text)
        text = self._html(text)
        text = self._markdown_images(text)
        text = self._math_delimiters(text)
        text, headings = self._headings(text)
        text = self._links(text, headings)
        self._leftovers(text)
        text = re.sub(r"\n{3,}", "\n\n", text)  # outside code: blank lines the conversions left
        text = self.stash.restore(text)
        text = self._formulas(text)
        self.result.text = text.strip("\n") + "\n"
        return self.result

    # -- Liquid and shortcodes --

    def _raw(self, text: str) -> str:
        pattern = re.compile(_LIQUID + r"raw" + _END + r"(.*?)" + _LIQUID + r"endraw" + _END, re.S)
        if pattern.search(text):
            self._change("{% raw %} … {% endraw %} unwrapped")
        return pattern.sub(lambda m: self.stash.put(m.group(1)), text)

    def _code_tags(self, text: str) -> str:
        def indent_of(match: re.Match[str]) -> str:
            start = text.rfind("\n", 0, match.start()) + 1
            before = text[start:match.start()]
            return before if not before.strip() else ""

        def highlight(match: re.Match[str]) -> str:
            language, options = match.group(1), match.group(2) or ""
            code = self.stash.restore(match.group(3))
            extra = [":linenos:"] if "linenos" in options else []
            self._change(f"{{% highlight {language} %}} -> fenced code")
            return self.stash.put(_fence(code, language, extra, indent_of(match)).lstrip())

        text = re.sub(_LIQUID + r"highlight\s+([\w+#.-]+)([^%]*?)" + _END + r"\n?(.*?)\n?" + _LIQUID + r"endhighlight" + _END,
                      highlight, text, flags=re.S)

        def codeblock(match: re.Match[str]) -> str:
            # {% codeblock [title] [lang:language] [url] [link text] [option:value …] %}
            words = _words(match.group(2) or "")
            language = next((w.split(":", 1)[1] for w in words if w.startswith("lang:")), "")
            plain = [w for w in words if not re.match(r"[a-z_]+:(?!//)", w)]
            url_at = next((i for i, w in enumerate(plain) if re.match(r"https?://", w)), None)
            caption = " ".join(plain if url_at is None else plain[:url_at])
            if not language and re.fullmatch(r"[a-z0-9+#-]+", caption):
                language, caption = caption, ""  # {% codeblock python %}: a language, as most mean it
            options = [f":caption: {caption}"] if caption else []
            if "line_number:true" in words:
                options.append(":linenos:")
            self._change(f"{{% {match.group(1)} %}} -> fenced code")
            if url_at is not None:
                self._need(f"the link {plain[url_at]} of a {{% {match.group(1)} %}} was dropped; "
                           "add it to the text if it matters")
            code = self.stash.restore(match.group(3))
            return self.stash.put(_fence(code, language, options, indent_of(match)).lstrip())

        text = re.sub(_LIQUID + r"(codeblock|code)\b([^%]*?)" + _END + r"\n?(.*?)\n?" + _LIQUID + r"end(?:codeblock|code)" + _END,
                      codeblock, text, flags=re.S)

        def hugo_highlight(match: re.Match[str]) -> str:
            words = _words(match.group(1))
            language = words[0] if words else ""
            options = [":linenos:"] if any("linenos" in w and "false" not in w for w in words[1:]) else []
            self._change("{{< highlight >}} -> fenced code")
            return self.stash.put(_fence(self.stash.restore(match.group(2)), language, options, indent_of(match)).lstrip())

        pattern = (_SHORT_OPEN + r"highlight\s+([^>%]*?)" + _SHORT_CLOSE + r"\n?(.*?)\n?"
                   + _SHORT_OPEN + r"/highlight" + _SHORT_CLOSE)
        return re.sub(pattern, hugo_highlight, text, flags=re.S)

    def _block_tags(self, text: str) -> str:
        def note(match: re.Match[str]) -> str:
            words = (match.group(1) or "").split()
            kind = next((_NOTE_KINDS[w] for w in words if w in _NOTE_KINDS), "note")
            self._change("{% note %} -> admonition")
            body = match.group(2).strip("\n")
            return f":::{{{kind}}}\n{body}\n:::"

        text = re.sub(_LIQUID + r"note\b([^%]*?)" + _END + r"\n?(.*?)\n?" + _LIQUID + r"endnote" + _END, note, text, flags=re.S)

        def blockquote(match: re.Match[str]) -> str:
            words = [w.strip() for w in (match.group(1) or "").split(",")]
            body = match.group(2).strip("\n")
            quoted = "\n".join(f"> {line}" if line else ">" for line in body.split("\n"))
            source = " ".join(w for w in words if w)
            self._change("{% blockquote %} -> quote")
            return quoted + (f"\n>\n> —— {source}" if source else "")

        text = re.sub(_LIQUID + r"blockquote\b([^%]*?)" + _END + r"\n?(.*?)\n?" + _LIQUID + r"endblockquote" + _END,
                      blockquote, text, flags=re.S)

        def comment(match: re.Match[str]) -> str:
            self._change("{% comment %} -> HTML comment (invisible)")
            return "<!-- " + match.group(1).strip().replace("--", "- -") + " -->"

        text = re.sub(_LIQUID + r"comment" + _END + r"(.*?)" + _LIQUID + r"endcomment" + _END, comment, text, flags=re.S)

        def details(match: re.Match[str]) -> str:
            summary = re.sub(r"<[^>]+>", "", match.group(1)).strip() or "详情"
            self._change("<details> -> {dropdown}")
            return f":::{{dropdown}} {summary}\n{match.group(2).strip()}\n:::"

        text = re.sub(r"<details[^>]*>\s*<summary[^>]*>(.*?)</summary>(.*?)</details>", details, text, flags=re.S | re.I)
        # a table of contents written into the post ([TOC], kramdown's {:toc}): the sidebar has one
        toc = re.compile(r"^[ \t]*(?:@?\[toc\](?:\([^)]*\))?|[*-][ \t]+\S.*\n[ \t]*\{:[ \t]*toc[ \t]*\})[ \t]*$", re.M | re.I)
        if toc.search(text):
            self._change("the table of contents written into the post removed (the sidebar has one)")
            text = toc.sub("", text)
        if self.engine == "jekyll":  # kramdown's attribute lists: {: .class}, {: width="300"}
            attributes = re.compile(r"[ \t]*\{:[^}\n]*\}")
            if attributes.search(text):
                self._change("kramdown attribute lists {: …} dropped")
                text = attributes.sub("", text)
        return text

    def _post_label(self, name: str, what: str, needle: str) -> str | None:
        name = unquote(name.strip().strip("\"'"))
        fragment = ""
        if "#" in name:
            name, fragment = name.split("#", 1)
        label = self.index.by_name(name) or self.index.by_address(name)
        if label is None:
            self._need(f"{what} points at {name!r}, which is not among the imported posts; left as it is", needle)
            return None
        if fragment:
            self._need(f"{what} points at a section of another post; it now points at the post ({label})")
        return f"#{label}"

    def _link_tags(self, text: str) -> str:
        # Jekyll: the site's base URL in front of a path, and its relative_url / absolute_url filters
        base = re.compile(r"\{\{-?\s*site\.(?:baseurl|url)\s*-?\}\}")
        if base.search(text):
            text = base.sub("", text)
            self._change("{{ site.baseurl }} dropped from paths")

        def filtered(match: re.Match[str]) -> str:
            self._change(f"{{{{ '…' | {match.group(2)} }}}} -> the path")
            return match.group(1)

        text = re.sub(r"\{\{-?\s*[\"']([^\"']+)[\"']\s*\|\s*(relative_url|absolute_url|url_for)\s*-?\}\}", filtered, text)

        def post_url(match: re.Match[str]) -> str:
            target = self._post_label(match.group(2), f"{{% {match.group(1)} {match.group(2).strip()} %}}", match.group(0))
            if target is None:
                return match.group(0)
            self._change(f"{{% {match.group(1)} %}} -> link to the imported post")
            return POST_LINK + target

        text = re.sub(_LIQUID + r"(post_url|link|post_path)\s+([^%]+?)" + _END, post_url, text)

        def post_link(match: re.Match[str]) -> str:
            words = _words(match.group(1))
            if not words:
                return match.group(0)
            target = self._post_label(words[0], f"{{% post_link {words[0]} %}}", match.group(0))
            if target is None:
                return match.group(0)
            title = " ".join(w for w in words[1:] if w not in ("true", "false"))
            self._change("{% post_link %} -> link to the imported post")
            return f"[{title}]({POST_LINK}{target})" if title else f"[]({POST_LINK}{target})"

        text = re.sub(_LIQUID + r"post_link\s+([^%]+?)" + _END, post_link, text)

        def hugo_ref(match: re.Match[str]) -> str:
            target = self._post_label(match.group(2), f"{{{{< {match.group(1)} {match.group(2).strip()} >}}}}", match.group(0))
            if target is None:
                return match.group(0)
            self._change(f"{{{{< {match.group(1)} >}}}} -> link to the imported post")
            return POST_LINK + target

        return re.sub(_SHORT_OPEN + r"(ref|relref)\s+([^>%]+?)" + _SHORT_CLOSE, hugo_ref, text)

    # -- images --

    def _figure(self, src: str, alt: str, caption: str = "", width: str = "", indent: str = "") -> str:
        new_src = self._image(src)
        alt = self._alt(alt, caption, src)
        lines = [f":::{{figure}} {new_src}", f":alt: {alt}"]
        if width:
            lines.append(f":width: {width}px" if width.isdigit() else f":width: {width}")
        lines.append("")
        if caption:
            lines.append(caption)
        lines.append(":::")
        # blank lines around it: a directive does not interrupt a paragraph
        return "\n" + "\n".join(indent + line if line else line for line in lines) + "\n"

    def _alt(self, alt: str, caption: str, src: str) -> str:
        alt = " ".join(html.unescape(alt or "").split())
        if alt:
            return alt
        caption = " ".join(re.sub(r"[*_`\[\]]", "", caption).split())
        stand_in = caption or PurePosixPath(unquote(urlsplit(src).path)).stem or "图片"
        self._need(f"image {src} has no alt text; {stand_in!r} stands in for now: describe what the image shows",
                   stand_in)
        return stand_in

    def _image_tags(self, text: str) -> str:
        def hugo_figure(match: re.Match[str]) -> str:
            attributes = _attributes(match.group(2))
            if "src" not in attributes:
                return match.group(0)
            self._change("{{< figure >}} -> {figure}")
            caption = attributes.get("caption") or attributes.get("title") or ""
            return self._figure(attributes["src"], attributes.get("alt", ""), caption, attributes.get("width", ""),
                                match.group(1))

        text = re.sub(r"^([ \t]*)" + _SHORT_OPEN + r"figure\b(.*?)" + r"/?" + _SHORT_CLOSE + r"[ \t]*$", hugo_figure, text,
                      flags=re.M)

        def asset_img(match: re.Match[str]) -> str:
            words = _words(match.group(3))
            path_at = next((i for i, w in enumerate(words) if PurePosixPath(w).suffix.lower() in IMAGE_SUFFIXES), 0)
            if not words:
                return match.group(0)
            src = words[path_at]
            rest = [w for w in words[path_at + 1:] if not w.isdigit() and not w.endswith("px")]
            width = next((w for w in words[path_at + 1:] if w.isdigit()), "")
            title, alt = " ".join(rest), ""
            quoted = re.fullmatch(r"\"([^\"]*)\"\s*\"([^\"]*)\"", title)
            if quoted:
                title, alt = quoted.groups()
            self._change(f"{{% {match.group(2)} %}} -> {{figure}}")
            if match.group(2) == "asset_img" and "/" not in src:
                src = "./" + src  # next to the post: its asset folder
            return self._figure(src, alt, title, width, match.group(1))

        text = re.sub(r"^([ \t]*)" + _LIQUID + r"(asset_img|img)\s+([^%]+?)" + _END + r"[ \t]*$", asset_img, text, flags=re.M)

        def asset_path(match: re.Match[str]) -> str:
            self._change(f"{{% {match.group(1)} %}} -> the file next to the post")
            words = _words(match.group(2))
            if match.group(1) == "asset_link":
                return f"[{' '.join(words[1:]) or words[0]}]({self._file('./' + words[0])})"
            return self._file("./" + words[0])

        return re.sub(_LIQUID + r"(asset_path|asset_link)\s+([^%]+?)" + _END, asset_path, text)

    def _html(self, text: str) -> str:
        # an <img> alone in its paragraph, maybe in <center>/<div>/<p>/<figure>, maybe with a <figcaption>
        wrapped = re.compile(
            r"^([ \t]*)(?:<(center|div|p|figure)\b[^>]*>\s*)?(<img\b[^>]*>)"
            r"(?:\s*<figcaption[^>]*>(.*?)</figcaption>)?(?:\s*</(?:center|div|p|figure)>)?[ \t]*$",
            re.M | re.I | re.S,
        )

        def figure(match: re.Match[str]) -> str:
            attributes = _attributes(match.group(3))
            if "src" not in attributes:
                return match.group(0)
            self._change("<img> -> {figure}")
            caption = re.sub(r"<[^>]+>", "", match.group(4) or attributes.get("title", "")).strip()
            return self._figure(attributes["src"], attributes.get("alt", ""), caption, attributes.get("width", ""),
                                match.group(1))

        text = wrapped.sub(figure, text)

        def inline_img(match: re.Match[str]) -> str:
            attributes = _attributes(match.group(0))
            if "src" not in attributes:
                return match.group(0)
            self._change("<img> -> Markdown image")
            src = self._image(attributes["src"])
            return f"![{self._alt(attributes.get('alt', ''), attributes.get('title', ''), attributes['src'])}]({src})"

        text = re.sub(r"<img\b[^>]*>", inline_img, text, flags=re.I)
        simple = {"b": "**", "strong": "**", "i": "*", "em": "*"}
        for tag, mark in simple.items():
            pattern = re.compile(rf"<{tag}>([^<>\n]+?)</{tag}>", re.I)

            def emphasis(match: re.Match[str], mark: str = mark, tag: str = tag, source: str = text) -> str:
                inner = match.group(1).strip()
                before = source[match.start() - 1] if match.start() else " "
                after = source[match.end()] if match.end() < len(source) else " "
                if not inner or not _emphasis_holds(inner, before, after):
                    return match.group(0)  # CommonMark would not read the marks as emphasis there: reported below
                self._change(f"<{tag}> -> {mark}")
                return f"{mark}{inner}{mark}"

            text = pattern.sub(emphasis, text)
        for tag in ("sup", "sub", "kbd"):
            pattern = re.compile(rf"<{tag}>([^<>`\n]+?)</{tag}>", re.I)
            if pattern.search(text):
                self._change(f"<{tag}> -> {{{tag}}}")
                text = pattern.sub(lambda m, tag=tag: f"{{{tag}}}`{m.group(1)}`", text)
        line_end = re.compile(r"^(?![ \t]*\|)(.*\S)[ \t]*<br\s*/?>[ \t]*$", re.M | re.I)
        if line_end.search(text):
            self._change("<br> at a line's end -> a line break")
            text = line_end.sub(lambda m: m.group(1) + "\\", text)
        alone = re.compile(r"^[ \t]*(?:<br\s*/?>[ \t]*)+$", re.M | re.I)
        if alone.search(text):
            self._change("<br> on its own line dropped")
            text = alone.sub("", text)
        return text

    def _markdown_images(self, text: str) -> str:
        def image(match: re.Match[str]) -> str:
            alt, src, title = match.group(1), match.group(2), match.group(3)
            new_src = self._image(src)
            alt = self._alt(alt, title or "", src)
            return f"![{alt}]({new_src}" + (f' "{title}"' if title else "") + ")"

        text = re.sub(r"!\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(\s*<?([^\s()<>]+(?:\([^\s()]*\))?)>?(?:\s+[\"']([^\"']*)[\"'])?\s*\)",
                      image, text)

        def definition(match: re.Match[str]) -> str:
            url = match.group(2)
            if PurePosixPath(urlsplit(url).path).suffix.lower() not in IMAGE_SUFFIXES:
                return match.group(0)
            return match.group(1) + self._image(url) + match.group(3)

        return re.sub(r"^([ \t]*\[[^\]]+\]:[ \t]*)(\S+)(.*)$", definition, text, flags=re.M)

    def _local_file(self, src: str) -> Path | None:
        """The file an image or link *src* of the post names, if it is a file of the old site."""
        parts = urlsplit(src)
        if parts.scheme or parts.netloc:
            if not self._own_site(src):
                return None
            parts = urlsplit(urlsplit(src).path)
        path = unquote(parts.path)
        if not path:
            return None
        site = self.post.site
        base = site.base_path.rstrip("/")
        if base and path.startswith(base + "/"):
            path = path[len(base):]
        candidates: list[Path] = []
        if path.startswith("/"):
            candidates += [root / path.lstrip("/") for root in site.static_roots]
        else:
            candidates += [folder / path for folder in self.post.asset_dirs]
            candidates += [root / path for root in site.static_roots]
        for candidate in candidates:
            try:
                resolved = candidate.resolve()
            except OSError:
                continue
            if resolved.is_file() and site.root.resolve() in resolved.parents:
                return resolved
        return None

    def _own_site(self, url: str) -> bool:
        config = {key.lower(): value for key, value in self.post.site.config.items()}
        own = config.get("url") or config.get("baseurl") or ""
        own_host = urlsplit(str(own)).netloc
        return bool(own_host) and urlsplit(url).netloc == own_host

    def _copy(self, source: Path, src: str) -> str:
        """Copy *source* (*src* in the post) next to the post (once); its path from the post."""
        for name, known in self._copied_names.items():
            if known == source:
                return f"{self.slug}/{name}"
        # a name Markdown takes as it is: no spaces, brackets or quotes
        stem = re.sub(r"[^\w.-]+", "-", source.stem).strip("-") or "file"
        suffix = source.suffix.lower()
        name, number = f"{stem}{suffix}", 2
        while name in self._copied_names:
            name, number = f"{stem}-{number}{suffix}", number + 1
        self._copied_names[name] = source
        self.result.copies[source] = f"{self.slug}/{name}"
        self._change(f"{src} -> {self.slug}/{name} (copied next to the post)")
        return f"{self.slug}/{name}"

    def _image(self, src: str) -> str:
        src = html.unescape(src.strip())
        if src.startswith(("http://", "https://", "//")) and not self._own_site(src):
            self._need(f"image {src} is on another site, which the site's Content-Security-Policy does not load "
                       "images from: save it next to the post and point at it", src)
            return src
        if src.startswith("data:"):
            self._need("an image written into the page as a data: URL: save it as a file next to the post", src[:40])
            return src
        source = self._local_file(src)
        if source is None:
            self._need(f"image {src} was not found in the old site; left as it is (the build cannot find it either)", src)
            return src
        return self._copy(source, src)

    def _file(self, src: str) -> str:
        source = self._local_file(src)
        if source is None:
            self._need(f"file {src} was not found in the old site; left as it is", src)
            return src
        return self._copy(source, src)

    # -- math --

    def _math_delimiters(self, text: str) -> str:
        looks_like_tex = re.compile(r"[\\^_=]")

        def inline(match: re.Match[str]) -> str:
            if not looks_like_tex.search(match.group(1)):
                return match.group(0)
            self._change(r"\( … \) -> $ … $")
            return f"${match.group(1).strip()}$"

        text = re.sub(r"\\{1,2}\((.+?)\\{1,2}\)", inline, text)

        def display(match: re.Match[str]) -> str:
            if not looks_like_tex.search(match.group(1)):
                return match.group(0)
            self._change(r"\[ … \] -> $$ … $$")
            return f"$$\n{match.group(1).strip()}\n$$"

        text = re.sub(r"\\{1,2}\[(.+?)\\{1,2}\]", display, text, flags=re.S)

        def double_inline(line: str) -> str:
            # kramdown: $$…$$ in a line with other text is inline math
            if "$$" not in line or re.fullmatch(r"[ \t>]*\$\$.*\$\$[ \t]*", line):
                return line
            new = re.sub(r"\$\$([^$\n]+?)\$\$", lambda m: f"${m.group(1).strip()}$", line)
            if new != line:
                self._change("inline $$ … $$ -> $ … $")
            return new

        text = "\n".join(double_inline(line) for line in text.split("\n"))

        def spaced(match: re.Match[str]) -> str:
            self._change("$ x $ -> $x$ (no space inside the dollars)")
            return f"${match.group(1).strip()}$"

        return re.sub(r"(?<![$\\\w])\$[ \t]+([^$\n]*?[^\s$])[ \t]+\$(?![$\w])", spaced, text)

    def _formulas(self, text: str) -> str:
        if self.checker is None:
            return text
        if not self.checker.available:
            self._need("formulas were not checked: Node.js is not installed")
            return text
        found = _formulas_of(text)
        if not found:
            return text
        repaired = self.checker.repair([(tex, display) for tex, display, _ in found], hexo=self.engine == "hexo")
        if self.engine == "hexo":
            repaired = self._hexo_unescaped(found, repaired)
        lines = text.split("\n")
        for (tex, _display, (start, end)), (new, done, error) in reversed(list(zip(found, repaired))):
            if done:
                block = "\n".join(lines[start:end])
                if tex in block:
                    lines[start:end] = block.replace(tex, new, 1).split("\n")
                    self._change(f"formula fixed for KaTeX ({', '.join(done)}): {_short(tex)} -> {_short(new)}")
            elif error:
                self._need(f"formula KaTeX rejects, left as it is: {_short(tex)} — {error}", tex.split("\n", 1)[0])
        return "\n".join(lines)

    def _hexo_unescaped(self, found: list[tuple[str, bool, tuple[int, int]]],
                        repaired: list[tuple[str, list[str], str | None]]) -> list[tuple[str, list[str], str | None]]:
        """Hexo's Markdown renderer read ``_`` and ``*`` in formulas as emphasis, so its posts write
        ``\\_`` and ``\\*``; KaTeX would show them as the characters.  Undone where KaTeX accepts the result."""
        candidates = {}
        for number, ((_tex, display, _lines), (new, _done, error)) in enumerate(zip(found, repaired)):
            unescaped = re.sub(r"(?<!\\)\\([_*])", r"\1", new)
            if error is None and unescaped != new:
                candidates[number] = (unescaped, display)
        if not candidates:
            return repaired
        errors = self.checker.errors(list(candidates.values()))
        repaired = list(repaired)
        for (number, (unescaped, _display)), error in zip(candidates.items(), errors):
            if error is None:
                repaired[number] = (unescaped, [*repaired[number][1], "Hexo's \\_ and \\* as _ and *"], None)
        return repaired

    # -- headings --

    def _headings(self, text: str) -> tuple[str, list[_Heading]]:
        lines = text.split("\n")
        found: list[_Heading] = []
        atx = re.compile(r"^([ \t]{0,3}(?:>[ \t]?)*)(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
        index = 0
        while index < len(lines):
            line = lines[index]
            match = atx.match(line)
            if match:
                found.append(_Heading(index, len(match.group(2)), match.group(3) or "", None, match.group(1)))
            elif (index + 1 < len(lines) and line.strip() and not line.lstrip().startswith(("-", "*", "+", "|", ">", ":"))
                  and not re.match(r"^\s*\d+[.)]\s", line) and "\ue000" not in line
                  and re.fullmatch(r"[ \t]{0,3}(=+|-+)[ \t]*", lines[index + 1])
                  and (index == 0 or not lines[index - 1].strip())):
                level = 1 if "=" in lines[index + 1] else 2
                found.append(_Heading(index, level, line.strip(), None, ""))
                lines[index + 1] = "\ue002"  # the underline, removed below
                self._change("setext headings (underlined) -> # headings")
                index += 1
            index += 1
        for heading in found:
            attribute = re.search(r"\s*\{#([^\s}]+)[^}]*\}\s*$", heading.text) or re.search(r"\s*\{\.[^}]*\}\s*$", heading.text)
            if attribute:
                heading.explicit_id = attribute.group(1) if attribute.re.pattern.startswith(r"\s*\{#") else None
                heading.text = heading.text[:attribute.start()]
                self._change("{#id} attributes removed from headings")
        # a # title at the top of the body is the title
        first_text = next((i for i, line in enumerate(lines) if line.strip() and not line.strip().startswith("<!--")), None)
        if found and found[0].level == 1 and found[0].line == first_text:
            heading = found.pop(0)
            text_of = self.stash.restore(heading.text).strip()
            if self.title is None:
                self.title = text_of
                self._change("the body's # heading is the title")
            elif text_of == self.title.strip():
                self._change("the body's # heading repeated the title: removed")
            else:
                found.insert(0, heading)
                heading = None
            if heading is not None:
                lines[heading.line] = "\ue002"
        if found:
            shift = 2 - min(h.level for h in found)
            previous = 1
            changed = False
            for heading in found:
                level = min(max(heading.level + shift, 2), previous + 1, 6)
                changed |= level != heading.level
                heading.level = level
                previous = level
                lines[heading.line] = f"{heading.prefix}{'#' * level} {heading.text}".rstrip()
            if changed:
                self._change("section headings start at ## and skip no level")
        if self.title is None:
            self.title = self.post.name.rsplit("/", 1)[-1]
            self._need(f"the post has no title; its file name {self.title!r} stands in: write the real one in the # heading",
                       f"# {self.title}")
        # line numbers after the removed lines
        kept = [i for i, line in enumerate(lines) if line != "\ue002"]
        new_index = {old: new for new, old in enumerate(kept)}
        for heading in found:
            heading.line = new_index[heading.line]
        return "\n".join(lines[i] for i in kept), found

    def _anchor_candidates(self, headings: list[_Heading]) -> list[set[str]]:
        """For each heading, the anchors the old engine (or any of its Markdown renderers) gave it."""
        github: set[str] = set()
        hexo: set[str] = set()
        kramdown: set[str] = set()
        result = []
        for heading in headings:
            plain = _plain_text(self.stash.restore(heading.text))
            names = {plain, plain.lower()}
            if heading.explicit_id:
                names.add(heading.explicit_id)
            slug = heading_slug(plain.strip(), github, "github")
            github.add(slug)
            hexo_slug = _unique(hexo_slugize(plain), hexo)
            classic = re.sub(r"^[^a-zA-Z]+", "", plain)
            classic = _unique(re.sub(r"[^a-zA-Z0-9 -]", "", classic).replace(" ", "-").lower() or "section", kramdown)
            names |= {slug, hexo_slug, hexo_slug.lower(), classic}
            result.append(names)
        return result

    def _links(self, text: str, headings: list[_Heading]) -> str:
        lines = text.split("\n")
        candidates = self._anchor_candidates(headings)
        # the ids the site gives: MyST's slugs of headings up to anchor_depth, the title's first
        taken: set[str] = {heading_slug(_plain_text(self.title or ""), (), self.slug_preset)}
        ours: list[str | None] = []
        for heading in headings:
            if heading.level <= self.anchor_depth:
                slug = heading_slug(_plain_text(self.stash.restore(heading.text)), taken, self.slug_preset)
                if slug:
                    taken.add(slug)
                ours.append(slug or None)
            else:
                ours.append(None)
        labels: dict[int, str] = {}

        def target_of(fragment: str) -> str | None:
            fragment = unquote(fragment)
            for number, names in enumerate(candidates):
                if fragment in names or fragment.lower() in {name.lower() for name in names}:
                    if ours[number]:
                        return ours[number]
                    if number not in labels:
                        labels[number] = self._label_for(headings[number], set(labels.values()))
                    return labels[number]
            return None

        def link(match: re.Match[str]) -> str:
            label_text, url = match.group(1), match.group(2)
            title = match.group(3) or ""
            new = self._link_target(url, target_of)
            if new is None:
                return match.group(0)
            if new.startswith(_REF):
                return _ref_role(label_text, new[len(_REF):])
            return f"[{label_text}]({new}{title})"

        pattern = re.compile(r"(?<!!)\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(\s*<?([^\s()<>]*(?:\([^\s()]*\))?)>?(\s+\"[^\"]*\")?\s*\)")
        lines = [pattern.sub(link, line) for line in lines]

        def definition(match: re.Match[str]) -> str:
            new = self._link_target(match.group(2), target_of)
            if new is not None and new.startswith(_REF):
                new = "#" + new[len(_REF):]
            return match.group(1) + (new if new is not None else match.group(2)) + match.group(3)

        lines = [re.sub(r"^([ \t]*\[[^\]]+\]:[ \t]*)(\S+)(.*)$", definition, line) for line in lines]
        # a link tag used on its own, not as a link's target: a link showing the post's title
        lines = [re.sub(re.escape(POST_LINK) + r"#([^\s)\]]+)", lambda m: _ref_role("", m.group(1)), line)
                 for line in lines]
        for number in sorted(labels, reverse=True):
            heading = headings[number]
            lines.insert(heading.line, f"{heading.prefix}({labels[number]})=")
        return "\n".join(lines)

    def _label_for(self, heading: _Heading, taken: set[str]) -> str:
        """A label for a heading too deep for an id of MyST's: the post's slug and the heading's
        own id (``{#id}``) or its text in pinyin (``demo-shen-yi-ceng``), unique in the post."""
        own = heading.explicit_id if heading.explicit_id and re.fullmatch(r"[A-Za-z0-9_-]+", heading.explicit_id) else None
        words = own.lower() if own else slug_from_title(_plain_text(self.stash.restore(heading.text))) or "section"
        label = base = f"{self.slug}-{words}"
        number = 2
        while label in taken:
            label, number = f"{base}-{number}", number + 1
        return label

    def _link_target(self, url: str, target_of: Callable[[str], str | None]) -> str | None:
        """The new target of a link to *url*; None to leave it as it is."""
        if url.startswith(POST_LINK):
            return _REF + url[len(POST_LINK) + 1:]
        if url.startswith("#"):
            if url == "#":
                return None
            target = target_of(url[1:])
            if target is None:
                self._need(f"link to #{unquote(url[1:])}: no heading of the post has that anchor; left as it is", url)
                return None
            if target != url[1:]:
                self._change("links to headings point at the ids the site gives them")
            return f"#{target}"
        parts = urlsplit(url)
        if parts.scheme in ("mailto", "tel", "ftp") or (parts.scheme and not self._own_site(url)):
            return None
        if not parts.path:
            return None
        path = unquote(parts.path)
        base = self.post.site.base_path.rstrip("/")
        label = self.index.by_address(path) or (self.index.by_address(base + path) if path.startswith("/") else None)
        if label is None and not path.startswith("/"):
            if self.address:
                label = self.index.by_address(urljoin(self.address, path))
            for folder in self.post.asset_dirs:
                label = label or self.index.by_file(folder / path)
        if label is not None:
            if parts.fragment:
                self._need(f"link to {url}: a section of another post; it now points at the post ({label})", url)
            self._change("links to other imported posts point at their labels")
            return _REF + label
        if PurePosixPath(path).suffix.lower() in (".html", ".htm", "") or path.endswith("/"):
            self._need(f"link to {url} on the old site: no imported post or file has that address; left as it is "
                       "(the build cannot resolve it)", url)
            return None
        source = self._local_file(url)
        if source is None:
            self._need(f"link to {url}: no such file in the old site; left as it is", url)
            return None
        return self._copy(source, url)

    # -- what is left --

    def _leftovers(self, text: str) -> None:
        # not math, nor the roles made here ({ref}`text <label>`, {kbd}`Ctrl`)
        prose = re.sub(r"\$\$.*?\$\$|\$[^$\n]+\$|\{[\w:-]+\}(`+).*?\1", "", text, flags=re.S)
        reported = {note.needle for note in self.result.needs}
        for match in re.finditer(r"\{%-?\s*(\w+).*?%\}|\{\{[<%]\s*/?\s*(\w+).*?[>%]\}\}|\{\{[^{}]*\}\}", prose):
            snippet = self.stash.restore(match.group(0))
            if snippet in reported:
                continue  # said already, with what it is
            kind = "Liquid tag" if match.group(1) else "Hugo shortcode" if match.group(2) else "Liquid output"
            self._need(f"{kind} {_short(snippet)} has no counterpart here; left as text, which readers see", snippet)
        for match in re.finditer(r"<(/?)([a-zA-Z][\w-]*)(\s[^<>]*)?/?>", prose):
            if match.group(1):
                continue
            tag = match.group(2).lower()
            what = ("the site allows no frames or embedded players: link to it instead"
                    if tag in ("iframe", "video", "audio", "embed", "object", "script") else
                    "the site shows HTML as code: write it in Markdown or MyST")
            self._need(f"HTML <{tag}> is left as it is; {what}", match.group(0))


_REF = "\ue003ref:"


def _punctuation(char: str) -> bool:
    return unicodedata.category(char)[0] in "PS"


def _emphasis_holds(inner: str, before: str, after: str) -> bool:
    """Whether ``**inner**`` between *before* and *after* is emphasis in CommonMark: a mark next to
    punctuation inside needs a space or punctuation outside (``**注意：**后文`` is not)."""
    if _punctuation(inner[-1]) and not (after.isspace() or _punctuation(after)):
        return False
    return not (_punctuation(inner[0]) and not (before.isspace() or _punctuation(before)))


def _unique(slug: str, taken: set[str]) -> str:
    """*slug*, or with ``-1``, ``-2``, … where an earlier heading took it (as the engines number them)."""
    unique, number = slug, 1
    while unique in taken:
        unique, number = f"{slug}-{number}", number + 1
    taken.add(unique)
    return unique


def _ref_role(text: str, label: str) -> str:
    """A ``{ref}`` role to *label* showing *text* (the target's title when empty).

    A Markdown link ``[text](#label)`` would do, but MyST also reads ``#label`` as a document
    beside the post, and a post's label is its slug: for two posts of one year it finds both."""
    text = " ".join(re.sub(r"(\*\*|__|(?<!\w)[*_](?!\s)|(?<!\s)[*_](?!\w))", "", text).split())
    text = text.replace("<", "＜").replace(">", "＞")
    content = f"{text} <{label}>" if text else label
    ticks = "`" * (max((len(run) for run in re.findall(r"`+", content)), default=0) + 1)
    return f"{{ref}}{ticks}{content}{ticks}"


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@functools.cache
def _inline_parser() -> Any:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    return MarkdownIt("commonmark").use(dollarmath_plugin, allow_space=False, allow_digits=False)


def _plain_text(markdown: str) -> str:
    """A heading's text as MyST takes it for the heading's slug: its text and inline code, not its
    markup, math, images or HTML."""
    tokens = _inline_parser().parseInline(markdown)
    children = tokens[0].children if tokens and tokens[0].children else []
    return "".join(child.content for child in children if child.type in ("text", "code_inline"))


def _formulas_of(text: str) -> list[tuple[str, bool, tuple[int, int]]]:
    """``(tex, display, (first line, end line))`` of every formula in *text*, as MyST reads them."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.amsmath import amsmath_plugin
    from mdit_py_plugins.colon_fence import colon_fence_plugin
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    parser = (MarkdownIt("commonmark").enable("table").use(colon_fence_plugin).use(amsmath_plugin)
              .use(dollarmath_plugin, allow_space=False, allow_digits=False, double_inline=False))
    found: list[tuple[str, bool, tuple[int, int]]] = []
    for token in parser.parse(text):
        if token.type in ("math_block", "math_block_label", "amsmath") and token.map:
            found.append((token.content.strip("\n") if token.type != "amsmath" else token.content.strip(),
                          True, (token.map[0], token.map[1])))
        elif token.type == "inline" and token.map:
            for child in token.children or []:
                if child.type == "math_inline":
                    found.append((child.content, False, (token.map[0], token.map[1])))
    return found


def first_heading(body: str) -> str | None:
    """The text of a ``#`` heading that opens *body* (before any other text), if there is one."""
    for line in body.split("\n"):
        if not line.strip() or line.strip().startswith("<!--"):
            continue
        match = re.match(r"[ \t]{0,3}#[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$", line)
        if match:
            return re.sub(r"\s*\{[#.][^}]*\}\s*$", "", match.group(1)).strip() or None
        return None
    return None
