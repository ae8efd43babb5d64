"""Pathway diagrams drawn at build time as plain SVG, so browsers need no diagram library.

Stages become columns from left to right, each credential a linked box, and the goal a box at
the end. Text is XML-escaped and wrapped here because SVG has no automatic line breaking.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from xml.sax.saxutils import escape, quoteattr

from site_builder.catalog.model import Credential, Pathway
from site_builder.site.presentation import stage_rule

BOX_W, BOX_H, COL_GAP, ROW_GAP, HEAD_H, PAD = 200, 64, 56, 16, 44, 16
LINE_CHARS, MAX_LINES = 26, 3


def _text_lines(text: str) -> list[str]:
    lines = textwrap.wrap(text, LINE_CHARS) or [""]
    if len(lines) > MAX_LINES:
        lines = [*lines[: MAX_LINES - 1], lines[MAX_LINES - 1][: LINE_CHARS - 1] + "…"]
    return lines


def _label(x: float, y: float, text: str, css: str) -> str:
    lines = _text_lines(text)
    first = y - (len(lines) - 1) * 8
    spans = "".join(
        f'<tspan x="{x:g}" y="{first + i * 16:g}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return f'<text class="{css}" text-anchor="middle">{spans}</text>'


def pathway_svg(pathway: Pathway, link: Callable[[Credential], str]) -> str:
    """SVG markup; `link` gives the (relative) URL of a credential's page."""
    columns = len(pathway.stages) + 1
    tallest = max(len(stage.credentials) for stage in pathway.stages)
    width = PAD * 2 + columns * BOX_W + (columns - 1) * COL_GAP
    height = PAD * 2 + HEAD_H + tallest * BOX_H + (tallest - 1) * ROW_GAP
    body_top = PAD + HEAD_H
    parts: list[str] = []
    centres: list[list[float]] = []
    for s, stage in enumerate(pathway.stages):
        x = PAD + s * (BOX_W + COL_GAP)
        parts.append(_label(x + BOX_W / 2, PAD + 12, stage.name, "stage-name"))
        parts.append(
            f'<text class="stage-rule" x="{x + BOX_W / 2:g}" y="{PAD + 32}" '
            f'text-anchor="middle">{escape(stage_rule(stage))}</text>'
        )
        ys = []
        for r, credential in enumerate(stage.credentials):
            y = body_top + r * (BOX_H + ROW_GAP)
            ys.append(y + BOX_H / 2)
            css = "box retired" if not credential.active else "box"
            parts.append(
                f"<a href={quoteattr(link(credential))}>"
                f'<rect class="{css}" x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="8"/>'
                + _label(x + BOX_W / 2, y + BOX_H / 2 + 5, credential.name, "box-label")
                + "</a>"
            )
        centres.append(ys)
    goal_x = PAD + len(pathway.stages) * (BOX_W + COL_GAP)
    goal_y = body_top + (tallest * BOX_H + (tallest - 1) * ROW_GAP - BOX_H) / 2
    parts.append(_label(goal_x + BOX_W / 2, PAD + 20, "Goal", "stage-name"))
    parts.append(f'<rect class="goal" x="{goal_x}" y="{goal_y:g}" width="{BOX_W}" '
                 f'height="{BOX_H}" rx="8"/>')
    parts.append(_label(goal_x + BOX_W / 2, goal_y + BOX_H / 2 + 5,
                        pathway.goal_role or pathway.name, "box-label"))
    centres.append([goal_y + BOX_H / 2])
    arrows = []
    for s in range(len(centres) - 1):
        x1 = PAD + s * (BOX_W + COL_GAP) + BOX_W
        x2 = x1 + COL_GAP
        mid_from = sum(centres[s]) / len(centres[s])
        for y2 in centres[s + 1]:
            arrows.append(f'<path class="arrow" d="M{x1} {mid_from:g} C{x1 + COL_GAP / 2} '
                          f'{mid_from:g} {x2 - COL_GAP / 2} {y2:g} {x2 - 4} {y2:g}" '
                          'marker-end="url(#arrowhead)"/>')
    title = escape(f"Stages of the pathway {pathway.name}")
    return (
        f'<svg class="pathway-diagram" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {width} {height:g}" width="{width}" height="{height:g}" role="img" '
        f'aria-labelledby="pathway-diagram-title"><title id="pathway-diagram-title">{title}'
        '</title><defs><marker id="arrowhead" viewBox="0 0 10 10" refX="8" refY="5" '
        'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        '<path d="M0 0L10 5L0 10z" class="arrowhead"/></marker></defs>'
        + "".join(arrows) + "".join(parts) + "</svg>"
    )
