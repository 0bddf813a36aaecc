"""Find reported speech: reporting cues, their speakers and their content, on the dependency parse.

For each reporting verb (from the cue lexicon) the content is its clausal complement ("said *that ...*"),
or for acts that take one, its object ("ruled out *the possibility*", "urged *residents to report*").
A cue with no complement of its own that sits inside a clause as a parenthetical ("Dumps, she said,
were lower priority"; "..., said Limberg") reports the clause around it. "According to X" reports the
rest of its sentence. A participle cue ("..., adding that ...") is a speech act of its own, spoken by the
speaker of the verb it hangs from. Cues inside another claim's content are part of that content.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from app.nlp.doc_cache import sentence_of
from app.nlp.entities import EntityIndex
from app.nlp.lexicon import cues, sources
from app.nlp.sources import Source, resolve

CLAUSE_DEPS = frozenset({"ccomp"})
OBJECT_DEPS = frozenset({"dobj", "obj", "xcomp", "oprd"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
PARTICIPLE_DEPS = frozenset({"advcl", "xcomp", "acl", "pcomp", "conj", "relcl"})
NESTED_SEPARATE = frozenset({"advcl", "relcl", "acl", "conj"})
LEADING_DROP = frozenset({"that", ",", ":", "-", "\u2014", "\u2013", "whether"})
MIN_CONTENT_WORDS = 2
OBJECT_PREPS = frozenset({"of", "for", "as", "on", "over", "about"})
QUESTION_WORDS = frozenset({"whether", "if", "what", "why", "how", "when", "who", "where", "which"})
OCCASION_VERBS = frozenset({"speak", "talk", "address", "write", "appear", "testify", "brief", "respond"})


@dataclass
class Attribution:
    """A cue with its speaker and content tokens; quotes and dates are settled later."""

    cue: list[Token]
    lemma: str
    source: Source
    content: list[Token]
    sentence: Span
    separate: bool = False  # its own speech act even inside another claim's content
    quotes: list[int] = field(default_factory=list)  # indexes into the document's quotations

    @property
    def start(self) -> int:
        """Character offset where the content begins."""
        return self.content[0].idx

    @property
    def end(self) -> int:
        """Character offset where the content ends."""
        last = self.content[-1]
        return last.idx + len(last.text)


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


def find_attributions(doc: Doc, index: EntityIndex, quoted: set[int]) -> list[Attribution]:
    """All reported-speech attributions of a document, cues inside quotations excluded."""
    found: list[Attribution] = []
    for sentence in doc.sents:
        for token in sentence:
            if token.i in quoted:
                continue
            attribution = _according_to(token, index) or _from_verb(token, index)
            if attribution is not None:
                found.append(attribution)
                index.record_speaker(token.i, attribution.source.entity)
    return _drop_nested(found)


def _from_verb(token: Token, index: EntityIndex) -> Attribution | None:
    lemma = cue_lemma(token)
    if lemma is None or _is_question(token, lemma):
        return None
    source = speaker_of(token, index)
    if source is None:
        return None
    content = content_of(token, lemma)
    if content is None:
        return None
    cue = [token, *[c for c in token.children if c.dep_ in ("prt", "prep") and f" {c.lower_}" in lemma]]
    return Attribution(cue, lemma, source, content, sentence_of(token), _separate_speech(token))


def _is_question(verb: Token, lemma: str) -> bool:
    """A question put to someone is no claim: "when asked whether he would resign", "asked why"."""
    if lemma != "ask":
        return False
    if verb.tag_ == "VBN" and not any(c.dep_ == "aux" for c in verb.children):
        return True  # "(When) asked ...": the question, not the answer
    clauses = [c for c in verb.children if c.dep_ in ("ccomp", "xcomp", "dobj")]
    return any(t.lower_ in QUESTION_WORDS and t.i <= c.i for c in clauses for t in c.subtree)


def _according_to(token: Token, index: EntityIndex) -> Attribution | None:
    if token.lower_ != "according":
        return None
    to = next((c for c in token.children if c.lower_ == "to"), None)
    if to is None:
        return None
    pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
    if pobj is None:
        return None
    source = resolve(pobj, index)
    if source is None:
        return None
    root = sentence_of(token).root
    skip = {t.i for t in token.subtree}
    content = _trim([t for t in root.subtree if t.i not in skip])
    if len([t for t in content if t.is_alpha]) < MIN_CONTENT_WORDS:
        return None
    return Attribution([token, to], "according to", source, content, sentence_of(token))


def speaker_of(verb: Token, index: EntityIndex) -> Source | None:
    """The source of a reporting verb: its subject, a passive agent, or the subject it shares."""
    for child in verb.children:
        if child.dep_ == "nsubj":
            return resolve(child, index)
        if child.dep_ == "agent":
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            return resolve(pobj, index) if pobj is not None else None
    if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
        outer = governing_cue(verb) if _misplaced_conjunct(verb) else None
        return speaker_of(outer or verb.head, index)
    if verb.dep_ in PARTICIPLE_DEPS and verb.tag_ in ("VBG", "VBN"):
        return _participle_speaker(verb, index)
    return None


def governing_cue(verb: Token) -> Token | None:
    """The outermost reporting verb above a participle cue: `said` in "X said A, adding B", even when
    the parser hangs `adding` inside A."""
    reporting = [a for a in verb.ancestors if cue_lemma(a) is not None]
    return reporting[-1] if reporting else None


def _participle_speaker(verb: Token, index: EntityIndex) -> Source | None:
    """`X said A, adding that B`; `the lawmakers' letter seeking ...`; `Pakistan's reaction, terming ...`."""
    if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
        owners = [verb.head, *(c for c in verb.head.children if c.dep_ == "poss")]
        for owner in owners:  # the letter (its author), or whose reaction it was
            source = resolve(owner, index)
            if source is not None:
                return source
    outer = governing_cue(verb)
    source = speaker_of(outer, index) if outer is not None else None
    if source is not None:
        return source
    fallback = None
    for ancestor in verb.ancestors:
        for child in ancestor.children:
            if child.dep_ in ("nsubj", "poss"):
                source = resolve(child, index)
                if source is not None and (source.entity is not None or source.method != "document"):
                    return source
                fallback = fallback or source
    return _owner_to_the_left(verb, index) or fallback


def _owner_to_the_left(verb: Token, index: EntityIndex) -> Source | None:
    """`... after Pakistan's strong reaction to the letter, terming the move ...`: the nearest named
    possessor or subject before the participle in its sentence."""
    for token in reversed(list(sentence_of(verb))[: verb.i - sentence_of(verb).start]):
        if token.dep_ in ("poss", "nsubj") and index.at(token) is not None:
            return resolve(token, index)
    return None


def content_of(verb: Token, lemma: str) -> list[Token] | None:
    """The tokens a cue reports, or None when it reports nothing we can show."""
    children = list(verb.children)
    lex = cues()
    base = lemma.split()[0]
    chosen = [c for c in children if c.dep_ in CLAUSE_DEPS]
    if not chosen and " " in lemma:
        particle = lemma.split()[1]
        preps = [c for c in children if c.lower_ == particle and c.dep_ == "prep"]
        chosen = [g for p in preps for g in p.children if g.dep_ in ("pobj", "pcomp")]
        chosen += [c for c in children if c.dep_ in OBJECT_DEPS]
    if not chosen and any(c.dep_ == "xcomp" for c in children):
        chosen = [c for c in children if c.dep_ in OBJECT_DEPS]
    if not chosen and (base in lex.object_lemmas or base in lex.naming):
        chosen = [c for c in children if c.dep_ in OBJECT_DEPS]
        if chosen:  # "accused X of Y", "congratulated X on Y", "described X as Y"
            chosen += [
                c
                for c in children
                if c.dep_ == "prep" and c.lower_ in OBJECT_PREPS and c.i > verb.i and not _is_time_phrase(c)
            ]
    if not chosen:
        chosen = _clause_on_a_noun(verb)
    if not chosen:
        return _parenthetical(verb)
    chosen += _trailing_clauses(verb, chosen)
    tokens = [t for c in chosen for t in c.subtree]
    return _finish(verb, tokens)


def _clause_on_a_noun(verb: Token) -> list[Token]:
    """`said in a statement that ...`, `told the BBC's programme that ...`: the parser hung the
    that-clause on the noun beside the cue."""
    nouns = [c for c in verb.children if c.dep_ in ("dobj", "dative")]
    nouns += [g for c in verb.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
    return [
        clause
        for noun in nouns
        for clause in noun.children
        if clause.dep_ in ("acl", "ccomp", "relcl")
        and any(m.dep_ == "mark" and m.lower_ == "that" for m in clause.children)
    ]


def _trailing_clauses(verb: Token, chosen: list[Token]) -> list[Token]:
    """What the parser hung on the cue but belongs to the content after it.

    `say A and now there is B`: a full clause (with its own subject) coordinated after the content is more
    content, while `said A and left` (no subject) is the speaker's next act. `called for a push in using X`:
    a prepositional phrase after a phrasal cue's object continues the object, unless it is a time.
    """
    last = max(t.right_edge.i for t in chosen)
    extra = []
    for child in verb.children:
        if child.i <= last:
            continue
        if (
            child.dep_ == "conj"
            and cue_lemma(child) is None
            and any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in child.children)
        ):
            extra.append(child)
        elif (
            child.dep_ == "prep"
            and any(c.dep_ == "pobj" for c in chosen if c.head.dep_ == "prep")
            and not any(t.ent_type_ in ("DATE", "TIME") for t in child.subtree)
        ):
            extra.append(child)
    return extra


def _parenthetical(verb: Token) -> list[Token] | None:
    """`Dumps, she said, were lower priority`: the cue reports the clause it interrupts."""
    head = verb.head
    if verb.dep_ not in ("parataxis", "ccomp", "advcl") or head.i == verb.i:
        return None
    if cue_lemma(head) is not None:
        return None
    skip = {t.i for t in verb.subtree}
    return _finish(verb, [t for t in head.subtree if t.i not in skip])


def _finish(verb: Token, tokens: list[Token]) -> list[Token] | None:
    """Drop nested separate claims and the speaker, keep one contiguous run, trim its edges."""
    drop: set[int] = {t.i for c in verb.children if c.dep_ in SUBJECT_DEPS for t in c.subtree}
    for token in tokens:
        if token.i != verb.i and token.dep_ in NESTED_SEPARATE and _separate_speech(token):
            drop |= {t.i for t in token.subtree}
        elif token.dep_ == "advcl" and token.tag_ == "VBG" and token.lemma_ in OCCASION_VERBS:
            drop |= {t.i for t in token.subtree}  # "..., speaking at a summit on Monday": the speaker's
    kept = sorted((t for t in tokens if t.i not in drop), key=lambda t: t.i)
    if not kept:
        return None
    run = _trim(_without_leading_time(_trim(_longest_run(kept))))
    if len([t for t in run if t.is_alpha]) < MIN_CONTENT_WORDS:
        return None
    return run


def _without_leading_time(run: list[Token]) -> list[Token]:
    """`said on Monday it was watching`: a time right after the cue dates the saying, not the content."""
    while run and (
        run[0].ent_type_ in ("DATE", "TIME") or (run[0].pos_ == "ADP" and _is_time_phrase(run[0]))
    ):
        skip = {t.i for t in run[0].subtree} if run[0].pos_ == "ADP" else {run[0].i}
        run = [t for t in run if t.i not in skip]
    return run


def _is_time_phrase(prep: Token) -> bool:
    objects = [c for c in prep.children if c.dep_ == "pobj"]
    return bool(objects) and all(
        t.ent_type_ in ("DATE", "TIME") or t.is_punct for o in objects for t in o.subtree if t.dep_ != "det"
    )


def _separate_speech(token: Token) -> bool:
    """A cue that is a speech act of its own although it hangs inside another's content: a participle
    ("adding"), a relative clause with its own speaker ("which experts say"), or a second verb of the
    speaker that the parser coordinated with the reported clause ("said it was concerned and called on")."""
    if cue_lemma(token) is None:
        return False
    if token.dep_ == "relcl":
        return any(c.dep_ == "nsubj" and c.lower_ not in ("who", "which", "that") for c in token.children)
    return (token.tag_ == "VBG" and token.dep_ in PARTICIPLE_DEPS) or _misplaced_conjunct(token)


def _misplaced_conjunct(token: Token) -> bool:
    """`X said A and vowed B`, parsed with `vowed` coordinated inside A: no subject of its own, and the
    clause it joins is what another cue reports."""
    head = token.head
    return (
        token.dep_ == "conj"
        and not any(c.dep_ in SUBJECT_DEPS for c in token.children)
        and head.dep_ == "ccomp"
        and cue_lemma(head.head) is not None
    )


def _longest_run(tokens: list[Token]) -> list[Token]:
    runs: list[list[Token]] = [[tokens[0]]]
    for token in tokens[1:]:
        if token.i == runs[-1][-1].i + 1:
            runs[-1].append(token)
        else:
            runs.append([token])
    return max(runs, key=len)


def _trim(tokens: list[Token]) -> list[Token]:
    while tokens and (
        tokens[0].lower_ in LEADING_DROP
        or tokens[0].is_space
        or tokens[0].is_punct
        and tokens[0].text not in "\"'\u201c\u2018(["
    ):
        tokens = tokens[1:]
    while tokens and (
        tokens[-1].is_space
        or tokens[-1].is_punct
        and tokens[-1].text not in "\"'\u201d\u2019)]"
        or tokens[-1].lower_ in ("and", "but", "or")
    ):
        tokens = tokens[:-1]
    return tokens


def _drop_nested(found: list[Attribution]) -> list[Attribution]:
    """A cue inside another claim's content belongs to that content ("says he blames ...")."""
    kept = []
    for a in found:
        inside = any(b is not a and not a.separate and b.start <= a.cue[0].idx < b.end for b in found)
        if not inside:
            kept.append(a)
    return kept
