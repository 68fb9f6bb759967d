"""What the web sees of the site besides its pages: sitemap, robots.txt, social meta, and
rel="noopener" on external links."""
