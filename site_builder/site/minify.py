"""Every published page without the indentation its templates carry.

Static hosts count a site's bytes (issue 16). Measured on 400 credential pages of a 1,000
credential demo catalog: tdewolff/minify (Go) saves 3 % with attribute quotes and end tags
kept, but its Go runtime deadlocks in a render worker forked after the parent process used it
(`render` forks to share the loaded catalog); minify-html (Rust) saves 5 % only by unquoting
attributes and dropping end tags, markup that the tests and other readers match on; htmlmin
(pure Python) takes 10 ms a page. Indentation is most of what they remove: dropping the
whitespace that starts a line saves 1.6 % at 0.06 ms a page and changes nothing a browser
shows, since a run of whitespace between words or tags renders as the newline alone, except
in `<pre>` and `<textarea>`, whose text is kept as written. JSON-LD blocks hold no raw
newlines (JSON strings escape them), and the theme writes no attribute value over several
lines (`tests/test_minify.py` checks the built pages).
"""

from __future__ import annotations

import re

_INDENT = re.compile(r"\n\s+")
_VERBATIM = re.compile(r"(<(pre|textarea)\b.*?</\2>)", re.DOTALL | re.IGNORECASE)


def minify_html(page: str) -> str:
    """The page as published: the same document, without leading whitespace on its lines."""
    pieces = _VERBATIM.split(page)
    # split() yields text, then each verbatim element and its tag name, then text again.
    for index in range(0, len(pieces), 3):
        pieces[index] = _INDENT.sub("\n", pieces[index])
    return "".join(pieces[index] if index % 3 != 2 else "" for index in range(len(pieces)))
