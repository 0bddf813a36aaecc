"""A stance timeline as an SVG bar chart, drawn on the server: one stacked bar per week or month
(favour, neutral, against), no script, no library. Colours come from the stylesheet (classes), so the
page's content security policy needs no inline styles."""

from __future__ import annotations

from html import escape

from app.schemas.entity import StancePoint

WIDTH, HEIGHT = 640, 240
MARGIN = {"top": 16, "right": 16, "bottom": 40, "left": 40}
STACK = ("favor", "neutral", "against")  # bottom to top


def stance_chart(points: list[StancePoint], title: str, bucket: str) -> str:
    """SVG markup: stacked bars of favor, neutral and against counts per period (the page's table repeats
    the numbers for screen readers)."""
    inner_w = WIDTH - MARGIN["left"] - MARGIN["right"]
    inner_h = HEIGHT - MARGIN["top"] - MARGIN["bottom"]
    highest = max((p.favor + p.neutral + p.against for p in points), default=0) or 1
    slot = inner_w / max(len(points), 1)
    bar = min(48.0, slot * 0.7)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="chart-title" class="chart">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<line class="axis" x1="{MARGIN["left"]}" y1="{MARGIN["top"] + inner_h}" '
        f'x2="{WIDTH - MARGIN["right"]}" y2="{MARGIN["top"] + inner_h}"/>',
    ]
    for tick in sorted({0, highest // 2, highest}):
        y = MARGIN["top"] + inner_h - inner_h * tick / highest
        parts.append(
            f'<text class="tick" x="{MARGIN["left"] - 6}" y="{y + 4:.1f}" text-anchor="end">{tick}</text>'
        )
    for index, point in enumerate(points):
        x = MARGIN["left"] + slot * index + (slot - bar) / 2
        base = MARGIN["top"] + inner_h
        for stance in STACK:
            count = getattr(point, stance)
            if not count:
                continue
            height = inner_h * count / highest
            base -= height
            label = f"{_period(point, bucket)}: {count} {stance}"
            parts.append(
                f'<rect class="bar stance-{stance}" x="{x:.1f}" y="{base:.1f}" width="{bar:.1f}" '
                f'height="{height:.1f}"><title>{escape(label)}</title></rect>'
            )
        parts.append(
            f'<text class="tick" x="{x + bar / 2:.1f}" y="{HEIGHT - MARGIN["bottom"] + 16}" '
            f'text-anchor="middle">{escape(_period(point, bucket))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _period(point: StancePoint, bucket: str) -> str:
    """ "2024-11" for a month, "2024-11-04" (its Monday) for a week."""
    return point.start.strftime("%Y-%m") if bucket == "month" else point.start.isoformat()
