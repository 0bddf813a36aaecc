"""Datelines: "ISLAMABAD:", "LONDON, March 14 (Reuters) -", "NAIROBI \u2014" at the start of a paragraph.

A dateline is not part of the first sentence (the parser would make the city its subject) and names the
place the story is filed from, whose government a quoted official usually speaks for.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

DATELINE = re.compile(
    r"^[ \t]*(?P<place>[A-Z][A-Z.'\u2019\-]{3,}(?: [A-Z][A-Z.'\u2019\-]+){0,3})"  # an upper-case place
    r"(?:,[ \t]*[A-Za-z][A-Za-z. ]{1,25}?(?:[ \t]+\d{1,2})?)?"  # ", March 14" or ", Kenya"
    r"(?:[ \t]*\([^)\n]{2,40}\))?"  # "(Reuters)"
    r"[ \t]*(?::|\u2014|\u2013|-{1,2})[ \t]+",
    re.MULTILINE,
)


def datelines(text: str) -> Iterator[tuple[str, int]]:
    """Each dateline's place and the offset where the story after it begins."""
    for match in DATELINE.finditer(text):
        yield match.group("place"), match.end()
