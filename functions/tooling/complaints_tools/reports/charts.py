"""Accessible bar charts as hand-written SVG (no charting library, no script, no inline style).

Each chart:
- is ``role="img"`` with ``aria-labelledby`` pointing at its ``<title>`` and ``<desc>``; the
  description lists every value, so a screen reader user gets the whole chart;
- is readable without colour: every bar carries its own label and its value in text, and
  bars of different series also differ by fill pattern (solid, stripes, dots, cross-hatch);
- uses presentation attributes only (so a strict Content-Security-Policy holds) and
  ``currentColor`` text (so it follows the page's text colour);
- is shown next to a table with the same figures (``publish``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

WIDTH = 640
PAD = 8
VALUE_SPACE = 150  # room right of the longest bar for its value
LABEL_H = 20
BAR_H = 18
ROW_GAP = 12
GROUP_H = 28
FONT = 14
INK = "#1d70b8"  # 5.2:1 against white: non-text contrast well above 3:1 (WCAG 1.4.11)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # the value as shown, e.g. "35 (12.0%)"


@dataclass(frozen=True)
class Group:
    label: str  # "" for a chart with one group
    bars: tuple[Bar, ...]


def _pattern(chart_id: str, index: int) -> str:
    """The fill pattern of series ``index``; series 0 is solid."""
    pid = f"{chart_id}-pattern-{index}"
    shapes = {
        1: f'<path d="M0 8 L8 0" stroke="{INK}" stroke-width="2"/>',
        2: f'<circle cx="4" cy="4" r="1.8" fill="{INK}"/>',
        3: f'<path d="M0 0 L8 8 M8 0 L0 8" stroke="{INK}" stroke-width="1.5"/>',
        4: f'<path d="M0 4 L8 4" stroke="{INK}" stroke-width="2"/>',
    }
    shape = shapes[(index - 1) % len(shapes) + 1]
    return (
        f'<pattern id="{pid}" width="8" height="8" patternUnits="userSpaceOnUse">{shape}</pattern>'
    )


def _fill(chart_id: str, index: int) -> str:
    return INK if index == 0 else f"url(#{chart_id}-pattern-{index})"


def description(summary: str, groups: Sequence[Group]) -> str:
    """The chart's text alternative: the summary, then every value."""
    parts = []
    for group in groups:
        values = ", ".join(f"{bar.label}: {bar.text}" for bar in group.bars)
        parts.append(f"{group.label}: {values}" if group.label else values)
    return f"{summary} " + "; ".join(parts) + "."


def bar_chart(
    chart_id: str,
    title: str,
    summary: str,
    groups: Sequence[Group],
    *,
    maximum: float | None = None,
    patterned: bool = False,
) -> str:
    """A horizontal bar chart. Each bar's label sits above it and its value after it.

    ``maximum`` fixes the scale (100 for percentages); by default the largest value.
    ``patterned`` gives the n-th bar of each group the n-th fill pattern (a series).
    """
    if not chart_id.replace("-", "").isalnum():
        raise ValueError(f"chart id must be letters, digits and hyphens: {chart_id!r}")
    top = max((bar.value for group in groups for bar in group.bars), default=0.0)
    scale_max = maximum if maximum is not None else top
    span = WIDTH - 2 * PAD - VALUE_SPACE
    body: list[str] = []
    y = PAD
    for group in groups:
        if group.label:
            y += GROUP_H - FONT
            body.append(
                f'<text x="{PAD}" y="{y + FONT}" font-weight="bold">{escape(group.label)}</text>'
            )
            y += FONT + 6
        for index, bar in enumerate(group.bars):
            body.append(f'<text x="{PAD}" y="{y + FONT}">{escape(bar.label)}</text>')
            bar_y = y + LABEL_H
            length = 0.0 if scale_max <= 0 else max(0.0, bar.value) / scale_max * span
            if length > 0:
                fill = _fill(chart_id, index if patterned else 0)
                body.append(
                    f'<rect x="{PAD}" y="{bar_y}" width="{length:.1f}" height="{BAR_H}" '
                    f'fill="{fill}" stroke="{INK}" stroke-width="1.5"/>'
                )
            value_x, value_y = PAD + length + 6, bar_y + BAR_H - 4
            body.append(f'<text x="{value_x:.1f}" y="{value_y}">{escape(bar.text)}</text>')
            y = bar_y + BAR_H + ROW_GAP
    height = y + PAD
    series = max((len(g.bars) for g in groups), default=0) if patterned else 0
    defs = "".join(_pattern(chart_id, i) for i in range(1, series))
    desc = description(summary, groups)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-family="system-ui, sans-serif" font-size="{FONT}" fill="currentColor" '
        f'class="report-chart" id={quoteattr(chart_id)}>'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>'
        + (f"<defs>{defs}</defs>" if defs else "")
        + "".join(body)
        + "</svg>"
    )
