"""Which language a text is in: the claim rules read English, so a text in another language gets a clear
refusal that names its language, rather than an empty list of claims.

py3langid (BSD, a maintained fork of langid.py) ships its model in the wheel: nothing is downloaded. It
reads a sample of the text; a text too short to judge, or one it is not sure of, is let through.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

SUPPORTED = "en"
SAMPLE_CHARS = 2_000  # a news article's language is plain from its first paragraphs
MIN_LETTERS = 40  # "Trump said no." is too short to tell
CONFIDENT = 0.9
# Names for the answer; a language not listed is named by its ISO 639-1 code alone.
NAMES = {
    "ar": "Arabic", "bn": "Bengali", "da": "Danish", "de": "German", "el": "Greek", "es": "Spanish",
    "fa": "Persian", "fi": "Finnish", "fr": "French", "he": "Hebrew", "hi": "Hindi", "hu": "Hungarian",
    "id": "Indonesian", "it": "Italian", "ja": "Japanese", "ko": "Korean", "nl": "Dutch", "no": "Norwegian",
    "pl": "Polish", "pt": "Portuguese", "ro": "Romanian", "ru": "Russian", "sv": "Swedish", "sw": "Swahili",
    "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu", "vi": "Vietnamese", "zh": "Chinese",
}  # fmt: skip


@dataclass(frozen=True)
class Language:
    """A detected language: its ISO 639-1 code, its English name when known, and how sure the model is."""

    code: str
    probability: float

    @property
    def name(self) -> str:
        """ "French", or the code for a language without a name here."""
        return NAMES.get(self.code, self.code)


@cache
def _identifier() -> LanguageIdentifier:
    """The model, loaded once per process (half a second)."""
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def foreign_language(text: str) -> Language | None:
    """The language of a text that is surely not English; None for English, or when unsure."""
    sample = text[:SAMPLE_CHARS]
    if sum(character.isalpha() for character in sample) < MIN_LETTERS:
        return None
    code, probability = _identifier().classify(sample)
    if code == SUPPORTED or probability < CONFIDENT:
        return None
    return Language(str(code), float(probability))


def warm_up() -> None:
    """Load the model now, so that the first request does not wait for it."""
    _identifier()
