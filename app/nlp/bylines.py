"""Bylines: "By Karen Delgado, Staff Writer", "Achieng Otieno, Health Correspondent" on a line of their own.

The author of an article is never a speaker or a target of its claims, and a byline must not make them
the antecedent of a later "she said": names on a byline line are left out of the article's entities.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

BYLINE = re.compile(
    r"^[ \t]*(?:"
    r"[Bb][Yy][ \t]+[A-Z][^\n]{0,80}"  # "By Jane Mwangi", "BY JANE MWANGI and Tom Ode"
    r"|[A-Z][\w.'\u2019-]+(?:[ \t]+[A-Z][\w.'\u2019-]+){1,3},[ \t]*[^\n]{0,40}?"
    r"\b(?:[Cc]orrespondent|[Ww]riter|[Rr]eporter|[Ee]ditor|[Ss]taff|[Bb]ureau|[Cc]ontributor|[Cc]olumnist)\b[^\n]{0,20}"
    r")[ \t]*$",
    re.MULTILINE,
)
MAX_WORDS = 12  # a longer line, or one ending a sentence ("By Friday, Ortega said."), is the story


def bylines(text: str) -> Iterator[tuple[int, int]]:
    """Character ranges of the byline lines of a text."""
    for match in BYLINE.finditer(text):
        line = match.group(0).rstrip()
        if len(line.split()) <= MAX_WORDS and not line.endswith((".", "!", "?", '"', "\u201d")):
            yield match.start(), match.end()
