"""The example article of the API's contract: what "Try it out" in Swagger UI sends on first click.

Written for the project (no real article's text): a split quotation ("...," said X. "..."), a
speaker introduced with an appositive, an "according to" and a reported statement, so one request
shows each kind of claim.
"""

from __future__ import annotations

from typing import Any

ARTICLE: dict[str, Any] = {
    "text": (
        "MILLBROOK, March 4 - The town council approved a bus lane on the high street on Tuesday.\n\n"
        '"This lane will cut journeys to the station by ten minutes," said Rhea Dalton, who chairs '
        'the council\'s transport committee. "It is the first of five we have planned."\n\n'
        "According to the Millbrook Traders' Association, shop owners fear that the lane will cost "
        "them their customers' parking spaces.\n\n"
        "Dalton said the council would review the lane after six months."
    ),
    "title": "Millbrook council approves bus lane",
    "url": "https://news.example/millbrook-bus-lane",
    "source": "Millbrook Gazette",
    "published_at": "2025-03-05",
}

SECOND_ARTICLE: dict[str, Any] = {
    "text": (
        "The harbour authority said on Monday that the north pier would reopen in May, after repairs "
        "to its deck."
    ),
    "published_at": "2025-03-10",
}
