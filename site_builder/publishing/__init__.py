"""Publishing: what maintainers do around Git and CI.

Diffs between revisions, scaffolding, new entries and CI annotations.
"""
