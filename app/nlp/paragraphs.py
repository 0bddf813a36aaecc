"""What a paragraph is, in one place: a line of the text with something on it.

A line break ends a paragraph (news copy breaks lines only between paragraphs, and a headline or a
byline is a line of its own). A line holding only spaces, tabs or a carriage return is no paragraph, so
Windows line endings (`\r\n\r\n`) and a blank line with spaces in it (`\n \n`) part paragraphs exactly
as `\n\n` does. Quotations (`quotes.py`) and claims (`doc_cache.paragraph_of`) number paragraphs alike.
"""

from __future__ import annotations

import re
from bisect import bisect_right

_PARAGRAPH = re.compile(r"[^\n]*\S[^\n]*")


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Each paragraph's `[start, end)` in the text, in order."""
    return [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text)]


def paragraph_at(starts: list[int], offset: int) -> int:
    """The number of the paragraph that holds the character at `offset`, given the paragraphs' starts
    (a character between two paragraphs belongs to the earlier one)."""
    return max(bisect_right(starts, offset) - 1, 0)
