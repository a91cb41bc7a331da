"""Learning adapters: signed form links, badges (VC-JWT), xAPI in and out, catalog files."""
