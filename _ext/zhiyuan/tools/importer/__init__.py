"""``nox -s import -- SOURCE --from jekyll|hexo|hugo [--dry-run]``: posts of another blog engine into ours.

The parts, in the order a post goes through them:

* :mod:`.engines` — where each engine keeps its posts, drafts and images, its configuration
  (time zone, permalink pattern, base path), a post's front matter (YAML, TOML or JSON), its
  date in the engine's forms, and the address it was published at (the old permalink);
* :mod:`.fields` — the engine's front-matter keys mapped to ours (:mod:`zhiyuan.posts.schema`):
  ``date``, ``category``, ``tags``, ``author``, ``excerpt``, ``series``, plus ``redirect`` (ablog's
  key) for the old addresses; the title becomes the ``#`` heading;
* :mod:`.markdown` — the body: Liquid tags and Hugo shortcodes MyST has a counterpart for
  (highlight and code blocks, figures, links to other posts), HTML images, images copied next
  to the post, heading levels, links to headings rewritten to the ids the site gives them;
* :mod:`.tex` — formulas KaTeX rejects but MathJax accepted, fixed where the fix is mechanical
  (checked with the site's own KaTeX renderer, :mod:`zhiyuan.formulas.katex_ssr`);
* :mod:`.run` — the whole import: never overwrites a file, writes nothing with ``--dry-run``,
  and reports per post what changed and what needs a person.

The command is ``_ext/zhiyuan/tools/import_posts.py``; the slug of a post with a Chinese file
name comes from its title as ``nox -s new`` makes it (:func:`zhiyuan.tools.new_post.slug_from_title`).
"""
