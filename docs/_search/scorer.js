// Search ranking for the portal (html_search_scorer).  Sphinx's defaults, plus:
// a reader who searches 梯度检查点 wants the article, so articles outrank the
// glossary entry, index entries and object matches that merely name the word.
var Scorer = {
  score: (result) => {
    const [docname, , , , score, , kind] = result;
    if (kind === "object" || kind === "index") return Math.min(score, 4);
    if (docname.startsWith("posts/")) return score + 5;
    return score;
  },
  objNameMatch: 11,
  objPartialMatch: 6,
  objPrio: { 0: 15, 1: 5, 2: -5 },
  objPrioDefault: 0,
  title: 15,
  partialTitle: 7,
  term: 5,
  partialTerm: 2,
};
