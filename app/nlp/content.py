"""What a reporting cue reports: the content tokens, found on the dependency parse.

The content is the cue's clausal complement ("said *that ...*"), or for acts that take one its object
with the phrases that complete it ("accused *X of Y*", "urged *residents to report*"), or a that-clause
the parser hung on a noun beside the cue; a cue with none of these that interrupts a clause as a
parenthetical reports that clause. Nested speech acts of their own (participles, relative clauses with
their own speaker, a second verb of the speaker) are cut out, as are a leading time ("said on Monday
it ...") and an occasion ("..., speaking at a summit"), which date the saying rather than the content.
"""

from __future__ import annotations

from spacy.tokens import Token

from app.nlp.cues import cue_lemma
from app.nlp.lexicon import cues

CLAUSE_DEPS = frozenset({"ccomp"})
OBJECT_DEPS = frozenset({"dobj", "obj", "xcomp", "oprd"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
PARTICIPLE_DEPS = frozenset({"advcl", "xcomp", "acl", "pcomp", "conj", "relcl"})
NESTED_SEPARATE = frozenset({"advcl", "relcl", "acl", "conj"})
LEADING_DROP = frozenset({"that", ",", ":", "-", "\u2014", "\u2013", "whether"})
MIN_CONTENT_WORDS = 2
OBJECT_PREPS = frozenset({"of", "for", "as", "on", "over", "about"})


def content_of(verb: Token, lemma: str) -> list[Token] | None:
    """The tokens a cue reports, or None when it reports nothing we can show."""
    children = list(verb.children)
    lex = cues()
    base = lemma.split()[0]
    if verb.dep_ == "conj" and inverted_subject(verb) is not None:  # "Levels will rise, warned the institute"
        return _finish(verb, [t for t in verb.head.subtree if t.i < verb.i])
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


def inverted_subject(verb: Token) -> Token | None:
    """`"Prices will rise," added the minister.`: after the reported words, the parser often takes the
    speaker of an inverted cue for its object, and may hang the cue on the reported clause as a conjunct
    ("Water levels would recover, warned the institute")."""
    after_words = verb.i > 0 and verb.doc[verb.i - 1].is_punct
    reported_before = any(c.dep_ == "ccomp" and c.i < verb.i for c in verb.children) or (
        verb.dep_ == "conj" and verb.head.i < verb.i and verb.head.dep_ == "ROOT"
    )
    if not after_words or not reported_before:
        return None
    return next((c for c in verb.children if c.dep_ == "dobj" and c.i > verb.i), None)


def _clause_on_a_noun(verb: Token) -> list[Token]:
    """`said in a statement that ...`, `told the BBC's programme that ...`: the parser hung the
    that-clause on the noun beside the cue."""
    nouns = [c for c in verb.children if c.dep_ in ("dobj", "dative")]
    nouns += [g for c in verb.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
    return [
        clause
        for noun in nouns
        for clause in noun.children
        if clause.dep_ in ("acl", "ccomp", "relcl") and _is_that_clause(clause)
    ]


def _is_that_clause(clause: Token) -> bool:
    """A complement clause opened by "that", not a relative clause on the noun: either "that" is its
    marker, or it opens the clause and the clause has a subject of its own ("that Manila had ...")."""
    if any(m.dep_ == "mark" and m.lower_ == "that" for m in clause.children):
        return True
    first = clause.left_edge
    own_subject = any(
        c.dep_ in SUBJECT_DEPS and c.lower_ not in ("that", "which", "who") for c in clause.children
    )
    return first.lower_ == "that" and own_subject


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
        if token.i != verb.i and token.dep_ in NESTED_SEPARATE and separate_speech(token):
            drop |= {t.i for t in token.subtree}
        elif token.dep_ == "advcl" and token.tag_ == "VBG" and token.lemma_ in cues().occasion_verbs:
            drop |= {t.i for t in token.subtree}  # "..., speaking at a summit on Monday": the speaker's
    kept = sorted((t for t in tokens if t.i not in drop), key=lambda t: t.i)
    if not kept:
        return None
    run = trim(_without_leading_time(trim(_longest_run(kept))))
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


def separate_speech(token: Token) -> bool:
    """A cue that is a speech act of its own although it hangs inside another's content: a participle
    ("adding"), a relative clause with its own speaker ("which experts say"), or a second verb of the
    speaker that the parser coordinated with the reported clause ("said it was concerned and called on")."""
    if cue_lemma(token) is None:
        return False
    if token.dep_ == "relcl":
        return any(c.dep_ == "nsubj" and c.lower_ not in ("who", "which", "that") for c in token.children)
    return (token.tag_ == "VBG" and token.dep_ in PARTICIPLE_DEPS) or misplaced_conjunct(token)


def misplaced_conjunct(token: Token) -> bool:
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


def trim(tokens: list[Token]) -> list[Token]:
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
