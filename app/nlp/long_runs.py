"""Tokenizing text whose whitespace-free runs are too long for spaCy's tokenizer.

The tokenizer strips prefixes and suffixes off each whitespace-free run one character at a time,
re-slicing and re-matching what is left, so a run of symbols is quadratic: 8,000 `"` took 6 s and
100,000 never finished. Such runs are cut into pieces that are tokenized one by one and joined again
(`Doc.from_docs`), so the document's text, and every character offset into it, stay exactly the
submitted text. A run of symbols becomes tokens of `MAX_SYMBOL_RUN` symbols each, which also spares
the parser a token per symbol. Only runs that no article holds are cut: more than `MAX_SYMBOL_RUN`
symbols in a row (no letter, digit or space; the longest in our annotated articles and NewsMTSC is 3),
or more than `MAX_RUN` characters without whitespace (the longest there is 24; a long URL has a few
hundred).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from spacy.tokens import Doc
from spacy.vocab import Vocab

MAX_SYMBOL_RUN = 32
MAX_RUN = 1_000
SYMBOL_RUN = re.compile(rf"(?:[^\w\s]|_){{{MAX_SYMBOL_RUN + 1},}}")
LONG_RUN = re.compile(rf"\S{{{MAX_RUN + 1},}}")


def segments(text: str) -> Iterator[tuple[str, bool]]:
    """`text` in consecutive pieces, each with whether it is a piece of a long run of symbols (kept as one
    token of at most `MAX_SYMBOL_RUN` characters) or text to tokenize (cut every `MAX_RUN` characters
    inside a run without whitespace that is longer)."""
    start = 0
    for run in SYMBOL_RUN.finditer(text):
        yield from _cut(text[start : run.start()])
        for piece in range(run.start(), run.end(), MAX_SYMBOL_RUN):
            yield text[piece : min(piece + MAX_SYMBOL_RUN, run.end())], True
        start = run.end()
    yield from _cut(text[start:])


def _cut(text: str) -> Iterator[tuple[str, bool]]:
    """Ordinary text, cut only inside runs without whitespace longer than `MAX_RUN`."""
    start = 0
    for run in LONG_RUN.finditer(text):
        for cut in range(run.start() + MAX_RUN, run.end(), MAX_RUN):
            yield text[start:cut], False
            start = cut
    if start < len(text):
        yield text[start:], False


class RunCuttingTokenizer:
    """Wraps a pipeline's tokenizer: the same tokens for ordinary text, linear time for any text."""

    def __init__(self, tokenizer: Callable[[str], Doc], vocab: Vocab) -> None:
        self.tokenizer, self.vocab = tokenizer, vocab

    def __call__(self, text: str) -> Doc:
        """The tokens of `text`; a long run is tokenized in pieces, a run of symbols in tokens of
        `MAX_SYMBOL_RUN` symbols (no article has one, and a token each would only slow the parser)."""
        if not SYMBOL_RUN.search(text) and not LONG_RUN.search(text):
            return self.tokenizer(text)
        docs = [
            Doc(self.vocab, words=[piece], spaces=[False]) if symbols else self.tokenizer(piece)
            for piece, symbols in segments(text)
        ]
        return Doc.from_docs(docs, ensure_whitespace=False)

    def __getattr__(self, name: str) -> object:
        """Everything else (vocab, rules, serialisation) is the wrapped tokenizer's."""
        if name in ("tokenizer", "vocab"):  # not yet set (a copy being built): no recursion
            raise AttributeError(name)
        return getattr(self.tokenizer, name)
