"""Published pages lose their indentation and nothing a reader sees or a script reads."""

from __future__ import annotations

from html.parser import HTMLParser

from site_builder.site.minify import minify_html

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'">
  <script type="application/ld+json">{"name": "A  B", "description": "x\\n  y"}</script>
</head>
<body>
    <p class="lead">Awarded by <a href="../x/" data-compare-id="x">X</a>
      <span class="muted">(Government)</span></p>
    <pre><code>cli.py
    site/      the plugin
        indented</code></pre>
  <TEXTAREA id="credential-input">
  {"kept": true}</TEXTAREA>
</body>
</html>
"""


class _Events(HTMLParser):
    """What a browser builds: tags with their attributes, and text with whitespace runs
    collapsed except inside <pre> and <textarea>."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[tuple[str, object]] = []
        self.verbatim = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.verbatim += tag in ("pre", "textarea")
        self.events.append(("start", (tag, attrs)))

    def handle_endtag(self, tag: str) -> None:
        self.verbatim -= tag in ("pre", "textarea")
        self.events.append(("end", tag))

    def handle_data(self, data: str) -> None:
        if self.verbatim:
            self.events.append(("text", data))
        elif data.strip():
            # A run of whitespace renders as one space, and around a word it stays a run.
            self.events.append(("text", (data[:1].isspace(), " ".join(data.split()),
                                         data[-1:].isspace())))


def _events(page: str) -> list[tuple[str, object]]:
    parser = _Events()
    parser.feed(page)
    return parser.events


def test_minified_page_means_the_same() -> None:
    small = minify_html(PAGE)
    assert len(small) < len(PAGE)
    assert _events(small) == _events(PAGE)
    assert "\n  <meta" not in small and "\n    <p" not in small


def test_whitespace_sensitive_text_is_kept_as_written() -> None:
    small = minify_html(PAGE)
    assert "<pre><code>cli.py\n    site/      the plugin\n        indented</code></pre>" in small
    assert '<TEXTAREA id="credential-input">\n  {"kept": true}</TEXTAREA>' in small
    assert '{"name": "A  B", "description": "x\\n  y"}' in small
