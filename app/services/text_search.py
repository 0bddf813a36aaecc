"""Word search in claim texts, through each database's own full-text index (migration 0003).

`lower(text) LIKE '%word%'` per word scanned every claim once per word (3,000 words took a minute
on PostgreSQL) and, on SQLite, grew past the expression depth limit. The indexes find claims that
hold every word, and rank them. The user's text is never handed to a search syntax: it is cut into
words here (runs of letters and digits, as the indexes cut claim texts), and each word becomes one
quoted prefix term, so quotes, `NEAR`, `*`, `-`, `:`, `&`, `!` or brackets in `q` are only separators.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Integer, bindparam, cast, false, func, literal_column, table
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.sql.expression import ColumnClause, TableClause, column

from app.db.models import CLAIM_SEARCH_VECTOR, CLAIMS_FTS

# A word: letters and digits in any script (what PostgreSQL's parser and SQLite's unicode61 keep).
WORD = re.compile(r"[^\W_]+")
# PostgreSQL indexes no word longer than this (bytes of UTF-8), so such a word is in no claim.
PG_MAX_WORD_BYTES = 2047
# ts_rank's normalization 1: divide by 1 + log(length), so a short claim that is all about the words
# outranks a long one mentioning them once, as SQLite's bm25 does.
TS_RANK_BY_LENGTH = 1

_fts: TableClause = table(CLAIMS_FTS, column("rowid", Integer))
FTS_ROWID: ColumnClause[Any] = _fts.c.rowid


def search_words(q: str) -> list[str]:
    """The words of `q`, lowercased, in order, repeats kept (what the word limit counts)."""
    return WORD.findall(unicodedata.normalize("NFC", q).lower())


@dataclass(frozen=True)
class TextMatch:
    """What restricts a claims query to those holding every word, and how to rank them (best first)."""

    condition: ColumnElement[bool]
    rank: ColumnElement[Any] | None = None
    # SQLite: the FTS table to join on `claims.id == rowid` (its MATCH and bm25 need it in the FROM).
    fts: TableClause | None = None


def text_match(dialect: str, words: Sequence[str]) -> TextMatch:
    """The match for `words` (each one a prefix, all required) on this database."""
    unique = list(dict.fromkeys(words))
    if not unique:
        return TextMatch(false())  # `q` held no word, only punctuation: no claim holds "no word"
    if dialect == "sqlite":
        return _fts5_match(unique)
    return _tsvector_match(unique)


def _fts5_match(words: list[str]) -> TextMatch:
    """SQLite: `claims_fts MATCH '"w1"* "w2"*'`, ranked by bm25 (lower is better)."""
    terms = " ".join('"' + word.replace('"', '""') + '"*' for word in words)
    table_column: ColumnClause[Any] = literal_column(CLAIMS_FTS)
    condition = table_column.bool_op("MATCH")(bindparam("fts_query", terms))
    return TextMatch(condition, func.bm25(table_column).asc(), _fts)


def _tsvector_match(words: list[str]) -> TextMatch:
    """PostgreSQL: `search_vector @@ 'w1':* & 'w2':*`, ranked by ts_rank (higher is better).

    The query is cast, not parsed by `to_tsquery`: the words are already the index's lexemes.
    """
    if any(len(word.encode()) > PG_MAX_WORD_BYTES for word in words):
        return TextMatch(false())
    terms = " & ".join("'" + word.replace("\\", "\\\\").replace("'", "''") + "':*" for word in words)
    query = cast(bindparam("ts_query", terms), TSQUERY)
    condition = CLAIM_SEARCH_VECTOR.bool_op("@@")(query)
    return TextMatch(condition, func.ts_rank(CLAIM_SEARCH_VECTOR, query, TS_RANK_BY_LENGTH).desc())
