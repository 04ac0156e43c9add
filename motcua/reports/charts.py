"""Server-rendered SVG bar charts: a pure function from figures to markup, no JavaScript.

Horizontal bars, one per label, scaled to the largest value (or mark); an optional mark per bar draws a
reference line on it (the legal limit beside the average processing time, the maximum beside a score).
Text is escaped; the chart carries a title for screen readers, and every figure stays in the table
beside it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, LABEL, ROW, VALUE = 640, 220, 22, 70


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    mark: float | None = None


def _number(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".").replace(",", " ")


def bar_chart(bars: list[Bar], *, title: str, unit: str = "") -> SafeString:
    """An SVG of `bars`; an empty string when there is nothing to draw."""
    if not bars:
        return mark_safe("")
    top = max(max(b.value, b.mark or 0) for b in bars) or 1.0
    span = WIDTH - LABEL - VALUE
    height = ROW * len(bars) + 4
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    for i, bar in enumerate(bars):
        y = i * ROW + 2
        width = max(bar.value, 0) / top * span
        label = bar.label if len(bar.label) <= 32 else bar.label[:31] + "…"
        parts.append(
            f'<text x="{LABEL - 6}" y="{y + 15}" text-anchor="end">{escape(label)}</text>'
            f'<rect x="{LABEL}" y="{y + 3}" width="{width:.1f}" height="{ROW - 6}" class="bar"/>'
            f'<text x="{LABEL + width + 4:.1f}" y="{y + 15}">{escape(_number(bar.value))}{escape(unit)}</text>'
        )
        if bar.mark is not None:
            x = LABEL + bar.mark / top * span
            parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y}" y2="{y + ROW}" class="mark"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
