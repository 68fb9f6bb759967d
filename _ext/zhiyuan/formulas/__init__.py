"""Math: formulas typeset by KaTeX at build time."""
