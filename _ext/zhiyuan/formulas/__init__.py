"""Math: formulas typeset by KaTeX at build time; stable ids of amsmath blocks."""
