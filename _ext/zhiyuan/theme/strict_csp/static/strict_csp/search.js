/* Focus the search page's own search field on load (strict_csp).
 *
 * pydata-sphinx-theme's search.html does this in an inline <script>, and picks
 * the first `form.bd-search input` of the page, which is the one in the closed
 * search dialog and cannot take the focus; this one focuses the field of the
 * search page itself.
 */
(() => {
  const searchInput = document.querySelector(".bd-search-container form.bd-search input");
  if (searchInput) {
    searchInput.focus();
    searchInput.select();
  }
})();
