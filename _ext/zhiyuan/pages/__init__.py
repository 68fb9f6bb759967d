"""Pages made from the posts: the LATEST UPDATES index and excerpts, the post meta line,
related posts and series, ablog's archives and feeds written incrementally, archive slugs
and labels, RSS and JSON Feed, and the cache of generated pages."""
