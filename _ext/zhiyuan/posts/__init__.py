"""Posts: front matter (drafts, validation, normalisation) and checks of a post's body."""
