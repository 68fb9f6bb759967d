/* 知源 search: results as the reader types, from the index _ext/zhiyuan/search builds.
 *
 * Loaded (deferred) by every page; it fetches nothing until the reader opens search (focuses
 * a search field: the header's dialog, Ctrl+K, or search.html, which opens with it).  Then it
 * reads _search/index.json (pages, shard names, the glossary's synonyms) and, for each query,
 * the shards holding its terms and the texts of the results shown, each once.
 *
 * A query is cut into concepts: a phrase of the glossary (with its synonyms as alternatives),
 * an identifier, a run of Chinese.  Terms are made as tokens.py makes them (bigrams for
 * Chinese); a page scores the sum of its best alternative per concept, scaled by the share of
 * concepts it matches (so a partial match still ranks) and by its kind (articles first).
 * Everything shown is built as DOM text: nothing from the index is parsed as HTML.
 */
(() => {
  "use strict";

  // -- terms (tokens.py) ---------------------------------------------------------------
  const CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff";
  const CJK_RUN = new RegExp(`[${CJK}]+`, "gu");
  const CJK_CHAR = new RegExp(`[${CJK}]`, "u");
  const IDENTIFIER = /[a-z0-9_]+(?:[.\-][a-z0-9_]+)*/g;
  const SEPARATORS = /[._\-]+/;
  const DASHES = /[\u2010\u2011\u2012\u2013\u2014\u2212]/g;

  const normalize = (text) => text.normalize("NFKC").toLowerCase().replace(DASHES, "-");
  const squeeze = (text) =>
    text.split(/\s+/).filter(Boolean).join(" ").replace(new RegExp(`\\s*([${CJK}])\\s*`, "gu"), "$1");

  function identifierTerms(identifier) {
    const found = identifier.length > 1 ? [identifier] : [];
    const parts = identifier.split(SEPARATORS).filter(Boolean);
    if (parts.length > 1 || parts[0] !== identifier) found.push(...parts.filter((part) => part.length > 1));
    if (identifier.includes("-") && parts.length > 1) found.push(parts.join(""));
    const dotted = identifier.split(".");
    for (let start = 1; start < dotted.length - 1; start++) found.push(dotted.slice(start).join("."));
    return found;
  }

  function cjkTerms(run) {
    const chars = Array.from(run);
    if (chars.length === 1) return [run];
    const found = [];
    for (let i = 0; i + 1 < chars.length; i++) found.push(chars[i] + chars[i + 1]);
    return found;
  }

  function terms(text) {
    const normal = normalize(text);
    const found = [];
    for (const match of normal.matchAll(IDENTIFIER)) found.push(...identifierTerms(match[0]));
    for (const match of normal.matchAll(CJK_RUN)) found.push(...cjkTerms(match[0]));
    return found;
  }

  const shardKey = (term) => (CJK_CHAR.test(term[0]) ? Array.from(term)[0] : term.slice(0, 2));

  function fnv1a(text) {
    let value = 0x811c9dc5;
    for (const char of text) {
      value ^= char.codePointAt(0);
      value = Math.imul(value, 0x01000193) >>> 0;
    }
    return value >>> 0;
  }

  // -- queries -------------------------------------------------------------------------
  // A lone character that only joins or asks ("和", "的", "吗") is no concept of its own.
  const FUNCTION_CHARS = new Set(Array.from("的了和与及或是在吗呢啊吧把被对也都就而又还有等个这那用怎么为"));
  // Pairs that only make a question ("显存不够怎么办", "有什么区别"): not what the reader looks for.
  const QUESTION_PAIRS = new Set(["怎么", "么办", "怎样", "什么", "为什", "如何", "哪个", "哪些", "有什", "有何",
    "是否", "能否", "么样", "区别", "好吗", "请问", "么选", "不同"]);
  // English words that only join ("how to", "of"); a query of nothing else keeps them.
  const STOP_WORDS = new Set(["the", "an", "of", "to", "in", "on", "for", "and", "or", "with", "how", "what",
    "why", "vs", "does", "do", "are"]);
  const SYNONYM_WEIGHT = 0.85; // a synonym of what the reader typed, a little below it
  const PART_WEIGHT = 0.7; // the parts of an identifier, without the identifier
  const PREFIX_WEIGHT = 0.6; // a word the reader has not finished typing
  const MAX_PREFIX_TERMS = 24;
  const KIND_WEIGHT = [1, 0.45, 0.3]; // article, glossary, other page (index.py)

  /** Concepts of *query*: {alternatives: [{terms, weight, prefix?}], marks: [strings]}. */
  function parseQuery(query, synonyms) {
    const text = squeeze(normalize(query));
    const open = query.length > 0 && !/\s$/.test(query); // the last word may be unfinished
    const concepts = [];
    const covered = Array.from(text, () => false);
    const chars = Array.from(text);
    const isWordChar = (char) => char !== undefined && /[a-z0-9_]/.test(char);

    // glossary phrases, longest first: 混合专家 ↔ mixture of experts ↔ moe
    const phrases = [];
    synonyms.forEach((group, index) => group.forEach((phrase) => phrases.push([phrase, index])));
    phrases.sort((a, b) => b[0].length - a[0].length);
    const taken = new Set();
    for (const [phrase, index] of phrases) {
      if (taken.has(index)) continue;
      const target = Array.from(phrase);
      for (let start = 0; start + target.length <= chars.length; start++) {
        if (target.some((char, i) => chars[start + i] !== char || covered[start + i])) continue;
        const end = start + target.length;
        const latinEdge = (isWordChar(target[0]) && isWordChar(chars[start - 1])) ||
          (isWordChar(target[target.length - 1]) && isWordChar(chars[end]));
        if (latinEdge) continue;
        for (let i = start; i < end; i++) covered[i] = true;
        taken.add(index);
        concepts.push({
          alternatives: synonyms[index].map((other) => ({
            terms: terms(other), weight: other === phrase ? 1 : SYNONYM_WEIGHT })),
          marks: synonyms[index].flatMap((other) => [other, ...terms(other)]),
          typed: phrase,
        });
        break;
      }
    }
    const rest = chars.map((char, i) => (covered[i] ? " " : char)).join("");
    const identifiers = Array.from(rest.matchAll(IDENTIFIER), (match) => [match.index, match[0]]);
    const runs = Array.from(rest.matchAll(CJK_RUN), (match) => [match.index, match[0]]);
    const lastEnd = Math.max(-1, ...[...identifiers, ...runs].map(([at, word]) => at + word.length));
    const unfinished = (at, word) => open && at + word.length === lastEnd && lastEnd === rest.length;
    const meaningful = identifiers.some(([, word]) => !STOP_WORDS.has(word)) || runs.length > 0;
    for (const [at, identifier] of identifiers) {
      const whole = identifierTerms(identifier);
      if (!whole.length || (meaningful && STOP_WORDS.has(identifier) && !unfinished(at, identifier))) continue;
      const alternatives = [{ terms: [whole[0]], weight: 1 }];
      if (whole.length > 1) alternatives.push({ terms: whole.slice(1), weight: PART_WEIGHT });
      if (unfinished(at, identifier) && identifier.length >= 2) {
        alternatives.push({ terms: [identifier], weight: PREFIX_WEIGHT, prefix: true });
      }
      concepts.push({ alternatives, marks: [identifier, ...whole.slice(1)], typed: identifier });
    }
    const cjkConcepts = [];
    for (const [at, run] of runs) {
      const length = Array.from(run).length;
      // a lone character beside the rest of a query ("爆" of 爆显存 once 显存 is a glossary phrase)
      // narrows nothing down; alone, it is a prefix
      if (length === 1 && (FUNCTION_CHARS.has(run) || concepts.length + identifiers.length + runs.length > 1)) continue;
      const pairs = cjkTerms(run);
      const wanted = pairs.filter((pair) => !QUESTION_PAIRS.has(pair));
      if (!wanted.length && (runs.length > 1 || identifiers.length)) continue;
      const alternatives = [{ terms: wanted.length ? wanted : pairs, weight: 1 }];
      if (length === 1) alternatives.push({ terms: [run], weight: PREFIX_WEIGHT, prefix: true });
      else if (unfinished(at, run)) {
        // the last character may start a word: its bigrams, a little weaker
        alternatives.push({ terms: [Array.from(run).pop()], weight: PREFIX_WEIGHT / 2, prefix: true, extra: true });
      }
      cjkConcepts.push({ alternatives, marks: [run, ...cjkTerms(run)], typed: run });
    }
    concepts.push(...cjkConcepts);
    return concepts;
  }

  // -- the index -----------------------------------------------------------------------
  class Index {
    constructor(base) {
      this.base = base;
      this.meta = null;
      this.shards = new Map(); // number → Promise<{term: postings}>
      this.texts = new Map(); // file → Promise<sections>
      this.bytes = 0;
    }

    async fetchJSON(path) {
      const response = await fetch(this.base + path, { credentials: "same-origin" });
      if (!response.ok) throw new Error(`${path}: ${response.status}`);
      return response.json();
    }

    load() {
      if (!this.meta) this.meta = this.fetchJSON("_search/index.json");
      return this.meta;
    }

    shard(number) {
      if (!this.shards.has(number)) {
        const meta = this.metaNow;
        this.shards.set(number, this.fetchJSON("_search/" + meta.shards[number]).then((data) => {
          this.shardsNow.set(number, data);
          return data;
        }));
      }
      return this.shards.get(number);
    }

    text(file) {
      if (!this.texts.has(file)) this.texts.set(file, this.fetchJSON("_search/" + file));
      return this.texts.get(file);
    }

    shardOf(term) {
      return fnv1a(shardKey(term)) & (this.metaNow.shards.length - 1);
    }

    /** Load the shards *concepts* need. */
    async prepare(concepts) {
      const numbers = new Set();
      for (const concept of concepts) {
        for (const alternative of concept.alternatives) {
          for (const term of alternative.terms) numbers.add(this.shardOf(term));
        }
      }
      await Promise.all(Array.from(numbers, (number) => this.shard(number)));
    }

    postings(term) {
      return this.shardsNow.get(this.shardOf(term))?.[term];
    }

    prefixed(prefix) {
      const shard = this.shardsNow.get(this.shardOf(prefix)) || {};
      const found = [];
      for (const term in shard) {
        if (term.startsWith(prefix) && term !== prefix) found.push(term);
      }
      found.sort((a, b) => shard[b].length - shard[a].length || (a < b ? -1 : 1));
      return found.slice(0, MAX_PREFIX_TERMS);
    }

    /** Scores of pages for one alternative: Map page → [score, {section: weight}, rarity held]. */
    alternativeScores(alternative) {
      const scores = new Map();
      const add = (term, factor, rarity) => {
        const postings = this.postings(term);
        if (!postings) return;
        for (let i = 0; i < postings.length; i += 3) {
          const page = postings[i];
          const value = postings[i + 1] * factor;
          let entry = scores.get(page);
          if (!entry) scores.set(page, (entry = [0, new Map(), 0]));
          entry[0] += value;
          entry[2] += rarity;
          const [sum, terms] = entry[1].get(postings[i + 2]) || [0, 0];
          entry[1].set(postings[i + 2], [sum + value, terms + 1]);
        }
      };
      if (alternative.prefix) {
        // the best page of each completion counts once per page, not once per completion
        const best = new Map();
        for (const term of this.prefixed(alternative.terms[0])) {
          const postings = this.postings(term);
          for (let i = 0; i < postings.length; i += 3) {
            const page = postings[i];
            if ((best.get(page)?.[0] || 0) < postings[i + 1]) best.set(page, [postings[i + 1], postings[i + 2]]);
          }
        }
        for (const [page, [value, section]] of best) {
          scores.set(page, [value * alternative.weight, new Map([[section, value * alternative.weight]]), 1]);
        }
        return scores;
      }
      // Pages that hold every term of a Chinese run (or of an identifier's parts) rank above
      // those with some, each term weighing as it is rare; a pair no page holds (one that
      // straddles two words, "够怎") weighs nothing.
      const pages = this.metaNow.pages.length;
      const rarity = (term) => {
        const postings = this.postings(term);
        return postings ? Math.log(1 + pages / (postings.length / 3)) : 0;
      };
      const weights = new Map(alternative.terms.map((term) => [term, rarity(term)]));
      const share = 1 / alternative.terms.length;
      for (const term of alternative.terms) add(term, alternative.weight * share, weights.get(term));
      if (alternative.terms.length > 1) {
        const total = Array.from(weights.values()).reduce((a, b) => a + b, 0);
        for (const entry of scores.values()) entry[0] *= (entry[2] / total) ** 2;
      }
      // a section where more of the terms weigh most is where the words stand together
      for (const entry of scores.values()) {
        for (const [section, [sum, terms]] of entry[1]) entry[1].set(section, sum * terms);
      }
      return scores;
    }

    /** Ranked results: [{page, score, section}] for *concepts*. */
    rank(concepts, category) {
      const meta = this.metaNow;
      const totals = new Map();
      for (const concept of concepts) {
        const best = new Map();
        for (const alternative of concept.alternatives) {
          for (const [page, [score, sections]] of this.alternativeScores(alternative)) {
            if (!alternative.extra && (best.get(page)?.score || 0) >= score) continue;
            if (alternative.extra && best.has(page)) {
              best.get(page).score += score;
              continue;
            }
            best.set(page, { score, sections });
          }
        }
        for (const [page, { score, sections }] of best) {
          let total = totals.get(page);
          if (!total) totals.set(page, (total = { score: 0, matched: 0, sections: new Map() }));
          total.score += score;
          total.matched += 1;
          for (const [section, value] of sections) total.sections.set(section, (total.sections.get(section) || 0) + value);
        }
      }
      const results = [];
      for (const [page, total] of totals) {
        const [, , pageCategory, , kind] = meta.pages[page];
        if (category && pageCategory !== category) continue;
        const coverage = total.matched / concepts.length;
        const score = total.score * coverage * coverage * KIND_WEIGHT[kind];
        let section = 0;
        let weight = -1;
        for (const [number, value] of total.sections) {
          if (value > weight || (value === weight && number < section)) [section, weight] = [number, value];
        }
        results.push({ page, score, section });
      }
      results.sort((a, b) => b.score - a.score || a.page - b.page);
      return results;
    }

    async search(query, category) {
      this.metaNow = await this.load();
      this.shardsNow = this.shardsNow || new Map();
      const concepts = parseQuery(query, this.metaNow.synonyms);
      if (!concepts.length) return { concepts, results: [] };
      await this.prepare(concepts);
      // a prefix's completions live in the shard of the prefix itself, loaded above
      return { concepts, results: this.rank(concepts, category) };
    }
  }

  // -- snippets ------------------------------------------------------------------------
  const SNIPPET_BEFORE = 24;
  const SNIPPET_LENGTH = 110;
  const FORMULA = /\ue000/g; // where documents.py left a formula out

  /** The part of *text* around the first mark, and where each mark falls in it. */
  function snippet(text, marks) {
    const lower = text.toLowerCase();
    const found = marks.filter(Boolean).sort((a, b) => b.length - a.length);
    let first = -1;
    for (const mark of found) {
      const at = lower.indexOf(mark);
      if (at >= 0 && (first < 0 || at < first)) first = at;
    }
    const start = Math.max(0, first < 0 ? 0 : first - SNIPPET_BEFORE);
    const end = Math.min(text.length, start + SNIPPET_LENGTH);
    const part = text.slice(start, end);
    const lowerPart = lower.slice(start, end);
    const ranges = [];
    for (let at = 0; at < part.length; ) {
      const mark = found.find((candidate) => lowerPart.startsWith(candidate, at));
      if (mark) {
        ranges.push([at, at + mark.length]);
        at += mark.length;
      } else at += 1;
    }
    return { text: part, ranges, before: start > 0, after: end < text.length };
  }

  function appendMarked(element, { text, ranges, before, after }) {
    if (before) element.append("…");
    let at = 0;
    for (const [start, end] of ranges) {
      element.append(text.slice(at, start));
      const mark = document.createElement("mark");
      mark.textContent = text.slice(start, end);
      element.append(mark);
      at = end;
    }
    element.append(text.slice(at));
    if (after) element.append("…");
  }

  // for tests/search/test_tokens.py, which runs this file in Node.js
  if (typeof document === "undefined") {
    module.exports = { terms, normalize, squeeze, fnv1a, shardKey, parseQuery, snippet };
    return;
  }

  // -- the interface -------------------------------------------------------------------
  const base = document.documentElement.dataset.content_root || "./";
  const index = new Index(base);
  const KIND_LABEL = ["", "术语表", "页面"];
  let panels = 0;

  class Panel {
    /** Results for the search field *input*, shown in *container* (made if not given). */
    constructor(input, container, { limit, onPage }) {
      this.input = input;
      this.limit = limit;
      this.onPage = onPage;
      this.serial = 0;
      const id = `zs-results-${++panels}`;
      this.root = container || document.createElement("div");
      this.root.classList.add("zs-panel");
      this.root.hidden = !onPage;
      if (!container) input.form.after(this.root);

      const bar = document.createElement("div");
      bar.className = "zs-bar";
      this.status = document.createElement("p");
      this.status.className = "zs-status";
      this.status.setAttribute("role", "status");
      const label = document.createElement("label");
      label.className = "zs-filter";
      label.append("分类 ");
      this.category = document.createElement("select");
      this.category.name = "category";
      const all = document.createElement("option");
      all.value = "";
      all.textContent = "全部";
      this.category.append(all);
      label.append(this.category);
      bar.append(this.status, label);
      this.list = document.createElement("ol");
      this.list.className = "zs-results";
      this.list.id = id;
      this.list.setAttribute("aria-label", "搜索结果");
      this.root.append(bar, this.list);
      input.setAttribute("aria-controls", id);

      input.addEventListener("input", () => this.update());
      this.category.addEventListener("change", () => this.update());
      input.addEventListener("keydown", (event) => this.keydown(event, -1));
      this.list.addEventListener("keydown", (event) => {
        const links = Array.from(this.list.querySelectorAll("a.zs-link"));
        this.keydown(event, links.indexOf(document.activeElement));
      });
    }

    async open() {
      const meta = await index.load();
      if (this.category.options.length === 1) {
        for (const name of meta.categories) {
          const option = document.createElement("option");
          option.value = option.textContent = name;
          this.category.append(option);
        }
        const wanted = new URLSearchParams(location.search).get("category");
        if (this.onPage && wanted && meta.categories.includes(wanted)) this.category.value = wanted;
      }
    }

    keydown(event, position) {
      const links = Array.from(this.list.querySelectorAll("a.zs-link"));
      if (event.key === "ArrowDown" && links.length) {
        links[Math.min(position + 1, links.length - 1)].focus();
        event.preventDefault();
      } else if (event.key === "ArrowUp" && position >= 0) {
        (position === 0 ? this.input : links[position - 1]).focus();
        event.preventDefault();
      } else if (event.key === "Escape" && position >= 0) {
        this.input.focus(); // back to the field (a second Esc closes the header's dialog)
        event.preventDefault();
        event.stopPropagation();
      } else if (event.key === "Enter" && position < 0 && links.length && !this.onPage) {
        links[0].click();
        event.preventDefault();
      }
    }

    async update() {
      const serial = ++this.serial;
      const started = performance.now();
      const query = this.input.value;
      this.root.dataset.state = "busy";
      this.root.dataset.snippets = "busy";
      if (this.onPage) {
        const url = new URL(location.href);
        url.searchParams.set("q", query);
        if (this.category.value) url.searchParams.set("category", this.category.value);
        else url.searchParams.delete("category");
        history.replaceState(null, "", url);
      }
      let found;
      try {
        await this.open();
        found = await index.search(query, this.category.value);
      } catch (error) {
        if (serial !== this.serial) return;
        this.status.textContent = "搜索索引加载失败，请稍后重试。";
        this.root.dataset.state = "failed";
        return;
      }
      if (serial !== this.serial) return;
      this.render(query, found);
      this.root.dataset.query = query;
      this.root.dataset.ms = String(Math.round(performance.now() - started));
      this.root.dataset.state = "done";
      await this.fillSnippets(serial, found);
    }

    render(query, { concepts, results }) {
      const meta = index.metaNow;
      this.root.hidden = !query.trim() && !this.onPage;
      this.list.replaceChildren();
      if (!query.trim()) {
        this.status.textContent = this.onPage ? "输入关键词开始搜索。" : "";
        return;
      }
      this.status.textContent = results.length
        ? `找到 ${results.length} 个结果${results.length > this.limit ? `，显示前 ${this.limit} 个` : ""}。`
        : "没有找到结果。试试更短的关键词，或换一个说法。";
      this.marks = concepts.flatMap((concept) => concept.marks);
      this.typed = concepts.map((concept) => concept.typed);
      this.shown = results.slice(0, this.limit);
      for (const result of this.shown) {
        const [url, title, category, date, kind] = meta.pages[result.page];
        const item = document.createElement("li");
        item.className = "zs-result";
        const link = document.createElement("a");
        link.className = "zs-link";
        link.href = base + url;
        link.dataset.page = url;
        const heading = document.createElement("span");
        heading.className = "zs-title";
        appendMarked(heading, snippet(title, this.marks));
        link.append(heading);
        const info = document.createElement("span");
        info.className = "zs-meta";
        info.textContent = [category || KIND_LABEL[kind], date].filter(Boolean).join(" · ");
        link.append(info);
        const text = document.createElement("span");
        text.className = "zs-snippet";
        link.append(text);
        item.append(link);
        this.list.append(item);
        result.element = link;
      }
    }

    async fillSnippets(serial, { results }) {
      const meta = index.metaNow;
      await Promise.all((this.shown || []).map(async (result) => {
        const folder = meta.pages[result.page][5];
        let section;
        try {
          section = await index.text(`${folder}/${result.section}.json`);
          // the section where the terms weigh most may hold them apart, or hold only a synonym;
          // the page's top, if it holds the longest of the words as typed, is the better snippet
          const longest = this.typed.reduce((a, b) => (b.length > a.length ? b : a), "");
          const whole = (part) => (part[2] + part[3]).toLowerCase().includes(longest);
          if (result.section > 0 && !whole(section)) {
            const top = await index.text(`${folder}/0.json`);
            if (whole(top)) [section, result.section] = [top, 0];
          }
        } catch (error) {
          return;
        }
        if (serial !== this.serial || !result.element.isConnected) return;
        const [anchor, heading, text, code] = section;
        if (anchor) result.element.href += "#" + encodeURIComponent(anchor);
        const target = result.element.querySelector(".zs-snippet");
        if (heading && result.section > 0) {
          const where = document.createElement("span");
          where.className = "zs-section";
          where.textContent = heading;
          target.before(where);
        }
        const source = (text || code || "").replace(FORMULA, "[公式]");
        const lower = source.toLowerCase();
        const inCode = !this.marks.some((mark) => lower.includes(mark)) && code &&
          this.marks.some((mark) => code.toLowerCase().includes(mark));
        appendMarked(target, snippet(inCode ? code : source, this.marks));
      }));
      if (serial === this.serial) this.root.dataset.snippets = "done";
    }
  }

  function attach(input, options) {
    if (input.dataset.zsAttached) return null;
    input.dataset.zsAttached = "1";
    input.setAttribute("autocomplete", "off");
    const panel = new Panel(input, options.container, options);
    const start = () => panel.open().catch(() => {});
    input.addEventListener("focus", start, { once: true });
    return panel;
  }

  function init() {
    const page = document.querySelector(".zs-search-page");
    if (page) {
      const input = page.querySelector("form.bd-search input[name=q]");
      const panel = attach(input, { container: page.querySelector("#search-results"), limit: 20, onPage: true });
      // what a reader typed before this script ran (it loads after the first paint) stays
      const query = new URLSearchParams(location.search).get("q");
      if (query && !input.value) input.value = query;
      input.focus();
      panel.update();
    }
    for (const input of document.querySelectorAll("#pst-search-dialog form.bd-search input[name=q]")) {
      attach(input, { limit: 8, onPage: false });
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
