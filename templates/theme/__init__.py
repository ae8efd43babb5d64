"""The credcat MkDocs theme; MkDocs locates it through the `mkdocs.themes` entry point."""
