"""What the stance model reads about one target of one claim: named features, each a number.

The model (`models/stance.json`, trained by `training/train.py`) weighs them; this module only
describes the target's place in the statement:
- the scoped lexicon's verdict (`stance.scoped_score`) and its parts: valence in the target's own
  clause, elsewhere in the content, in the word that governs the target and in its own modifiers;
- the target's grammatical relation and the word it hangs from ("rel:nsubj:lie", "rel:dobj:annihilate",
  "mod:dictatorial"), the verb of its clause and whether that verb is negated;
- the content's words, by lemma (weighted 1 in the target's clause, 0.5 elsewhere);
- the speech act of the cue and whether the target is what the act is done to ("condemned X");
- the parser's own context vectors (`Doc.tensor`, 96 numbers a token in the small English model)
  averaged over the target, over the statement and at the target's head.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray
from spacy.tokens import Token

from app.nlp.lexicon import cues
from app.nlp.stance import (
    ContentWord,
    act_prior,
    clause_head,
    content_words,
    denied,
    is_addressee,
    polarity_factor,
    release_above,
    scoped_score,
    stance_lexicon,
    valence,
)
from app.nlp.syntax import first_conjunct, phrase_head

MODIFIER_DEPS = frozenset({"amod", "compound", "acl", "relcl", "appos"})
TENSOR_SCALE = 0.1  # the context vectors are large beside the 0/1 features; this is what training used
CONTEXT_VECTORS = ("tt", "tc", "th")  # the target's, the statement's and the target's head's
_MEANS = "claim_stance_content_means"  # Doc.user_data key


def stance_features(
    target: list[Token],
    content: list[Token],
    cue_lemma: str = "",
    cue: Token | None = None,
    speaker: frozenset[int] = frozenset(),
    vectors: dict[str, NDArray[np.float32]] | None = None,
) -> dict[str, float]:
    """The features of the speaker's stance toward `target` (its tokens) in `content`; `speaker` holds
    the tokens that name the speaker or its side inside the content. The context vectors are named
    features ("tt0" ... "th95"), or with `vectors` given, arrays put there (`LinearModel` weighs them at
    once)."""
    features: defaultdict[str, float] = defaultdict(float)
    features["bias"] = 1.0
    own = {t.i for t in target}
    root = phrase_head(target)
    clause = clause_head(root)
    words = content_words(content)  # read once: the score, the valences and the lemmas all walk them
    addressee = is_addressee(target, cue_lemma, cue)
    prior = act_prior(target, cue_lemma, cue)
    score = scoped_score(target, () if addressee else words, prior)  # step 4: an addressee's are not about it
    features["rule"] = score
    features["rule_pos"] = float(score >= 0.2)
    features["rule_neg"] = float(score <= -0.2)
    _valences(features, root, own, clause, words)
    _relations(features, root, own, clause)
    _agency(features, root, own, speaker)
    _advocacy(features, root)
    if cue is not None:
        _called_release(features, root, cue_lemma)
    _denied_judgement(features, root)
    for word in words:
        if word.feature and word.i not in own:  # "does not blame": w:not:blame
            features[word.feature] += 1.0 if word.clause == clause.i else 0.5
    if cue is not None:
        _speech_act(features, root, cue_lemma, cue, addressee, prior)
    _context_vectors(features, target, root, content, vectors)
    return dict(features)


def _valences(
    features: defaultdict[str, float], root: Token, own: set[int], clause: Token, words: Sequence[ContentWord]
) -> None:
    lex = stance_lexicon()
    for word in words:
        if word.valence and word.i not in own:
            where = "v_clause" if word.clause == clause.i else "v_other"
            features[where] += word.valence * word.polarity / 4
    head = root.head
    if head.i not in own:
        features[f"hv:{root.dep_}"] = valence(head, lex) * polarity_factor(head, lex) / 4
    for child in root.children:
        if child.dep_ in MODIFIER_DEPS and child.i not in own:
            features["v_mod"] += sum(valence(t, lex) for t in child.subtree) / 4


def _agency(features: defaultdict[str, float], root: Token, own: set[int], speaker: frozenset[int]) -> None:
    """Who does what to whom: the target as the doer of a good or bad act ("the government is telling
    lies"), or as the one it is done to, by the speaker's side ("we have annihilated the rebels") or by
    someone else ("police chased away staff": the staff are only its object). The act's valence is
    its verb's and that of its object's words."""
    lex = stance_lexicon()
    role = first_conjunct(root)
    if role.dep_ in ("nsubj", "nsubjpass"):
        verb, kind = role.head, "subj" if role.dep_ == "nsubj" else "subjpass"
    elif role.dep_ in ("dobj", "dative") or role.dep_ == "pobj" and role.head.head.pos_ == "VERB":
        verb, kind = (role.head if role.dep_ != "pobj" else role.head.head), "obj"
    else:
        return
    words = [
        verb,
        *(
            t
            for c in verb.children
            if c.dep_ in ("dobj", "acomp", "xcomp", "attr", "oprd")
            for t in c.subtree
        ),
    ]
    value = sum(valence(t, lex) * polarity_factor(t, lex) for t in words if t.i not in own)
    if not value:
        return
    sign = "pos" if value > 0 else "neg"
    if kind == "obj":
        doer = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        by_self = doer is not None and (doer.i in speaker or doer.lower_ in ("we", "i", "us"))
        kind = "obj_self" if by_self else "obj"
    features[f"agency:{kind}:{sign}"] = abs(value) / 4


def advocated(target: list[Token], cue_lemma: str) -> bool:
    """Whether the statement asks for the target's good ("our customers need ...", "must be helped",
    "sought the release of"): then it is about them, whatever else."""
    features: defaultdict[str, float] = defaultdict(float)
    root = phrase_head(target)
    _advocacy(features, root)
    _called_release(features, root, cue_lemma)
    return any(value > 0 for value in features.values())


def _advocacy(features: defaultdict[str, float], root: Token) -> None:
    """`Our customers need somewhere to park`, `these families must be helped`, `must not be left behind`:
    the statement asks for the target's good."""
    lex = stance_lexicon()
    role = first_conjunct(root)
    verb = role.head
    lemma = verb.lemma_.lower()
    negated = any(c.dep_ == "neg" for c in verb.children)
    asked = any(c.dep_ == "aux" and c.lower_ in lex.modals for c in verb.children)
    if role.dep_ == "nsubj" and lemma in lex.needs and not negated:
        features["advocacy:needs"] = 1.0
    elif role.dep_ in ("nsubjpass", "dobj") and lemma in lex.benefits and (asked or verb.dep_ == "xcomp"):
        features["advocacy:helped"] = -1.0 if negated else 1.0
    elif role.dep_ == "nsubjpass" and asked and negated and valence(verb, lex) <= 0:
        features["advocacy:spared"] = 1.0  # "must not be left behind", "should not be punished"


JUDGING_ACTS = frozenset({"criticise", "praise"})


def _called_release(features: defaultdict[str, float], root: Token, cue_lemma: str) -> None:
    """`sought the release of X`, `urged Y to free X`: a call to free someone is in their favour."""
    if not cue_lemma or cues().speech_act.get(cue_lemma.split()[0]) != "urge":
        return
    release = release_above(root)
    if release is not None and not denied(release):
        features["advocacy:release"] = 1.0


def _denied_judgement(features: defaultdict[str, float], root: Token) -> None:
    """`does not blame X`, `did not praise X`: a judgement the statement denies. A denied criticism
    clears X ("he did not blame the referee": in X's favour, as both annotators of our articles had it
    each of the 3 times); a denied praise says nothing either way."""
    verb = root.head if root.dep_ in ("dobj", "pobj", "dative") else None
    if verb is not None and root.dep_ == "pobj":
        verb = verb.head
    if verb is None or cues().speech_act.get(verb.lemma_.lower()) not in JUDGING_ACTS:
        return
    if any(c.dep_ == "neg" for c in verb.children):
        features["denied_judgement"] = 1.0
        features[f"denied:{cues().speech_act[verb.lemma_.lower()]}"] = 1.0


def _negated(token: Token) -> str:
    """ "not:" for a word a negation governs, so that "blame" and "does not blame" weigh apart."""
    return _not(polarity_factor(token, stance_lexicon()))


def _not(polarity: float) -> str:
    return "not:" if polarity < 0 else ""


def _relations(features: defaultdict[str, float], root: Token, own: set[int], clause: Token) -> None:
    head = root.head
    features[f"dep:{root.dep_}"] = 1.0
    features[f"rel:{root.dep_}:{_negated(head)}{head.lemma_.lower()}"] = 1.0
    if root.dep_ == "pobj":
        features[f"rel:pobj:{head.lower_}:{head.head.lemma_.lower()}"] = 1.0
    for child in root.children:
        if child.dep_ in MODIFIER_DEPS and child.i not in own:
            features[f"mod:{child.lemma_.lower()}"] = 1.0
    features[f"clv:{_negated(clause)}{clause.lemma_.lower()}"] = 1.0
    features["clv_neg"] = float(any(c.dep_ == "neg" for c in clause.children))


def _speech_act(
    features: defaultdict[str, float], root: Token, cue_lemma: str, cue: Token, addressee: bool, prior: float
) -> None:
    act = cues().speech_act.get(cue_lemma.split()[0], "")
    features[f"act:{act}"] = 1.0
    governed = root.head.i == cue.i or (
        (root.head.dep_ == "prep" or root.dep_ == "poss") and root.head.head.i == cue.i
    )
    if governed:
        features[f"actgov:{act}"] = 1.0
    if addressee:
        features["addressee"] = 1.0
    features["prior"] = prior


def _context_vectors(
    features: defaultdict[str, float],
    target: list[Token],
    root: Token,
    content: list[Token],
    vectors: dict[str, NDArray[np.float32]] | None,
) -> None:
    tensor = root.doc.tensor
    if tensor is None or not len(tensor) or tensor.shape[0] != len(root.doc):
        return
    rows = (
        tensor[target[0].i] if len(target) == 1 else tensor[[t.i for t in target]].mean(axis=0),
        _content_mean(content, tensor),
        tensor[root.head.i],
    )
    for prefix, vector in zip(CONTEXT_VECTORS, rows, strict=True):
        if vectors is not None:
            vectors[prefix] = vector * TENSOR_SCALE
        else:
            for k, value in enumerate(vector.tolist()):
                features[f"{prefix}{k}"] = value * TENSOR_SCALE


def _content_mean(content: list[Token], tensor: NDArray[np.floating[Any]]) -> NDArray[np.floating[Any]]:
    """The mean context vector of the content's own tokens (a split quotation's parts, not the cue
    between them), once per content of a document."""
    if not content:
        return np.zeros(tensor.shape[1], dtype=tensor.dtype)
    table: dict[tuple[int, ...], NDArray[np.floating[Any]]] = content[0].doc.user_data.setdefault(_MEANS, {})
    key = tuple(t.i for t in content)
    mean = table.get(key)
    if mean is None:
        mean = table[key] = tensor[list(key)].mean(axis=0)
    return mean
