"""Which verbs and phrases are reporting cues, on the parse: lexicon forms, phrasal particles
("ruled out"), naming verbs that need their complement ("called it "unacceptable""), the verbs
through which documents speak ("a study found"), and questions, which report nothing."""

from __future__ import annotations

from spacy.tokens import Token

from app.nlp.lexicon import cues, sources

QUESTION_WORDS = frozenset({"whether", "if", "what", "why", "how", "when", "who", "where", "which"})


def cue_lemma(token: Token) -> str | None:
    """The cue lemma for a verb token, with its particle for phrasal cues ("rule out"), else None."""
    lex = cues()
    if token.pos_ not in ("VERB", "AUX") and not (token.dep_ == "ROOT" and token.pos_ == "NOUN"):
        return None
    lemma = lex.lemma_of(token.text) or lex.lemma_of(token.lemma_)
    if lemma is None:
        return _document_verb(token)
    for child in token.children:
        if child.dep_ in ("prt", "prep", "dobj", "acomp") and child.lower_ in lex.phrases.get(lemma, ()):
            return f"{lemma} {child.lower_}"
    if lemma in lex.naming and not _names_as(token):
        return None
    return lemma if lemma in lex.standalone else None


def _names_as(verb: Token) -> bool:
    """`called the response "unacceptable"`, `described the move as illegal`: the object gets a name."""
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    if any(
        c.dep_ in ("oprd", "xcomp", "ccomp") or (c.dep_ == "prep" and c.lower_ == "as") for c in verb.children
    ):
        return bool(objects) or any(c.dep_ == "ccomp" for c in verb.children)
    return any(c.dep_ in ("amod", "appos") and c.i > o.i for o in objects for c in o.children)


def _document_verb(verb: Token) -> str | None:
    """`A new study has found that ...`: a study or report speaks through "find", "show"."""
    lemma = verb.lemma_.lower()
    if lemma not in cues().document_verbs:
        return None
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None or subject.lemma_.lower() not in sources().documents:
        return None
    return lemma


def is_question(verb: Token, lemma: str) -> bool:
    """A question put to someone is no claim: "when asked whether he would resign", "asked why"."""
    if lemma != "ask":
        return False
    if verb.tag_ == "VBN" and not any(c.dep_ == "aux" for c in verb.children):
        return True  # "(When) asked ...": the question, not the answer
    clauses = [c for c in verb.children if c.dep_ in ("ccomp", "xcomp", "dobj")]
    return any(t.lower_ in QUESTION_WORDS and t.i <= c.i for c in clauses for t in c.subtree)
