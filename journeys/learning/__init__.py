"""Learning in the journey: catalog, playlists, spacing, forms, prompts and credentials (pure)."""
