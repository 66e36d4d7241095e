"""Bar charts as inline SVG, drawn on the server: no script, no style attribute, no outside host.

Horizontal bars, one row per label, so that long labels (a route, a rule's name) stay readable.
Each bar carries a `<title>` (the tooltip a browser shows) and its value as text; the chart is
an image with an accessible name (role="img", aria-label). Colours come from classes styled in
site.css (`chart-series-0` … `chart-series-7`), which the content security policy allows.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
LABEL_WIDTH = 190
VALUE_WIDTH = 80
ROW = 22
BAR = 16
TOP = 8
LEGEND_ROW = 20
SERIES_CLASSES = 8


def _number(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.3f}".rstrip("0").rstrip(".")


def _text(x: float, y: float, content: str, css: str, anchor: str = "start") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" class="{css}" text-anchor="{anchor}">'
        f"{escape(content)}</text>"
    )


def _frame(title: str, height: float, body: list[str]) -> SafeString:
    label = escape(title, quote=True)
    return mark_safe(  # noqa: S308 - every piece of text above went through escape()
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-label="{label}" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" width="{WIDTH}" height="{height:.0f}">'
        f"<title>{escape(title)}</title>" + "".join(body) + "</svg>"
    )


def _scale(maximum: float) -> float:
    room = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    return room / maximum if maximum > 0 else 0.0


def bar_chart(title: str, bars: Sequence[tuple[str, float]]) -> SafeString:
    """One bar per (label, value), longest value fills the width."""
    return stacked_bar_chart(title, [label for label, _ in bars], [("", [v for _, v in bars])])


def stacked_bar_chart(
    title: str, categories: Sequence[str], series: Sequence[tuple[str, Sequence[float]]]
) -> SafeString:
    """One row per category; each series adds a segment to the row (a legend names them when
    there is more than one). Negative values are drawn as nothing."""
    totals = [
        sum(max(float(values[i]), 0.0) for _, values in series) for i in range(len(categories))
    ]
    scale = _scale(max(totals, default=0.0))
    body: list[str] = []
    for row, category in enumerate(categories):
        y = TOP + row * ROW
        body.append(_text(LABEL_WIDTH - 6, y + BAR - 4, category, "chart-label", "end"))
        x = float(LABEL_WIDTH)
        for index, (name, values) in enumerate(series):
            value = max(float(values[row]), 0.0)
            if value == 0:
                continue
            width = value * scale
            tip = (
                f"{category}: {name} {_number(value)}" if name else f"{category}: {_number(value)}"
            )
            body.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{BAR}" '
                f'class="chart-bar chart-series-{index % SERIES_CLASSES}">'
                f"<title>{escape(tip)}</title></rect>"
            )
            x += width
        body.append(_text(x + 4, y + BAR - 4, _number(totals[row]), "chart-value"))
    height = TOP + len(categories) * ROW + 4
    named = [name for name, _ in series if name]
    if len(named) > 1:
        # Legend keys in columns wide enough for the longest name (about 6.5 px a character).
        column_width = max(110, int(max(len(name) for name in named) * 6.5) + 24)
        per_row = max(1, (WIDTH - LABEL_WIDTH) // column_width)
        for index, name in enumerate(named):
            column, line = index % per_row, index // per_row
            x = LABEL_WIDTH + column * column_width
            y = height + line * LEGEND_ROW
            body.append(
                f'<rect x="{x}" y="{y:.1f}" width="12" height="12" '
                f'class="chart-series-{index % SERIES_CLASSES}"></rect>'
            )
            body.append(_text(x + 16, y + 11, name, "chart-legend"))
        height += ((len(named) + per_row - 1) // per_row) * LEGEND_ROW + 4
    if not categories:
        body.append(_text(WIDTH / 2, TOP + ROW - 4, "—", "chart-label", "middle"))
        height = TOP + ROW + 4
    return _frame(title, height, body)
