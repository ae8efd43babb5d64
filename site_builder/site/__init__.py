"""The site: turns the validated model into pages and published files (the MkDocs plugin)."""
