"""The look: our templates over sphinx-book-theme and ablog, their compiled cache, the icon
font, and pages that work under a strict Content-Security-Policy."""
