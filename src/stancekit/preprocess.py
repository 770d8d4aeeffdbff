"""Linguistic preprocessing with spaCy: lemmas, names and their roles, negation.

A statement becomes a sequence of *feature tokens*: lower-cased lemmas (British
spellings folded into American ones), names replaced by the role they play in the
dispute the statement is about, and words in the scope of a negation cue prefixed
with ``not_``::

    "China does not recognise Kosovo's independence"
    -> ["COUNTRY", "do", "not", "not_recognize", "not_ENTITY", "not_'s", "not_independence"]

The spaCy pipeline is ``spacy.blank("en")`` with a lookup lemmatizer (tables from
``spacy-lookups-data``) and an ``entity_ruler`` holding the gazetteer of
:mod:`stancekit.disputes`; an installed trained pipeline can be used instead
(``spacy_model="en_core_web_sm"``). The pipeline is built once per process and
never pickled: a :class:`Preprocessor` drops it when pickled and rebuilds it on use.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, chain, islice
from typing import Any, NamedTuple

from .disputes import DISPUTES, DISPUTES_BY_STATE, claimants_against, countries, country_codes, organisation
from .errors import InputError, StancekitError
from .lexicon import CUES

__all__ = ["ROLE_TOKENS", "Analysis", "Preprocessor", "build_nlp", "find_names", "speaker_role"]

COUNTRY_LABEL = "SK_COUNTRY"
ENTITY_LABEL = "SK_ENTITY"
#: Tokens that replace names: the state concerned, the disputed entity, another state.
ROLE_TOKENS = ("STATE", "ENTITY", "COUNTRY", "CLAIMANT")

NEGATION_CUES = frozenset(
    {"not", "no", "never", "n't", "neither", "nor", "without", "cannot", "nobody", "nothing", "nowhere"}
)
#: Words that end a negation scope besides punctuation.
SCOPE_BREAKERS = frozenset({"but", "however", "while", "whereas", "although", "though", "yet", "instead"})
SCOPE_PUNCT = frozenset({",", ".", ";", ":", "!", "?", "(", ")", "\u2014", "\u2013"})
NEGATION_SCOPE = 5
#: The most words a comma-enclosed insertion may hold and leave a negation scope open across
#: it ("does not, and will not, recognise"; "no intention, now or later, of recognising").
PARENTHETICAL_LONGEST = 5
#: The settings of a :class:`Preprocessor` (its constructor's parameters, what it pickles).
PREPROCESS_PARAMS = (
    "spacy_model",
    "mask_names",
    "negation",
    "cues",
    "claimants",
    "pseudo_negations",
    "parentheticals",
)
#: Readings added after models were first saved: a setting pickled before one existed reads
#: as False, as that model was trained (``stancekit train --no-<reading>`` turns one off).
LATER_READINGS = ("claimants", "pseudo_negations", "parentheticals")
#: Pseudo-negations (as NegEx calls them): a negation cue followed by these words, as
#: lemmas, negates nothing after it, so it opens no scope: "not only respects",
#: "there is no doubt that", "withdraw without delay from", "nothing less than".
PSEUDO_NEGATIONS = frozenset(
    {
        ("not", "only"),
        ("not", "just"),
        ("not", "merely"),
        ("not", "little"),  # not least
        ("no", "doubt"),
        ("no", "little"),  # no less
        ("nothing", "little"),  # nothing less
        ("without", "doubt"),
        ("without", "delay"),
        ("without", "far", "delay"),  # without further delay
        ("without", "undue", "delay"),
        ("without", "any", "delay"),
    }
)
_PSEUDO_LONGEST = max(map(len, PSEUDO_NEGATIONS))
#: First-person words: with a known speaker they take the speaker's role token.
FIRST_PERSON = frozenset({"we", "us", "our", "ours", "ourselves", "i", "me", "my", "mine", "myself"})
#: Words that make a statement naming no party about its speaker's own status.
_SPEAKER_CUES = frozenset(
    (
        "sovereignty sovereign integrity territorial territory secession secede secessionist separatism "
        "separatist annex annexation occupy occupation occupier self-determination statehood reunification "
        "partition breakaway inalienable indivisible homeland motherland"
    ).split()
)
#: The same for a speaker that is a disputed entity: any status word of the lexicon.
_ENTITY_SPEAKER_CUES = _SPEAKER_CUES | frozenset(w for w, group in CUES.items() if group == "status")

#: Lemmas near which a named state is taken to be the one whose status is at issue.
STATUS_CUES = frozenset(
    {
        "sovereignty",
        "sovereign",
        "integrity",
        "territorial",
        "territory",
        "border",
        "frontier",
        "unity",
        "reunification",
        "unification",
        "secession",
        "separatism",
        "separatist",
        "independence",
        "recognize",
        "recognition",
        "annexation",
        "annex",
        "occupation",
        "occupy",
        "partition",
        "province",
        "region",
        "inalienable",
        "status",
        "breakaway",
    }
)

_BRITISH = re.compile(
    r"\b(recogn|organ|real|stabil|destabil|normal|legitim|delegitim|emphas|critic|character|jeopard|"
    r"util|mobil|author|harmon|priorit|apolog|minim|maxim|summar|modern|democrat|militar|demilitar|"
    r"colon|decolon|internation|marginal|capital|neutral|central|decentral|final|formal|"
    r"institutional|legal|penal|revital|standard|symbol|sympath|terror|scrutin|civil|special|"
    r"categor|util|privat|national|southern|polar|radical|victim|trivial|memorial)is(e|ed|es|ing|ation|ations)\b"
)
_SPELLING = {
    "favour": "favor",
    "favourable": "favorable",
    "favoured": "favored",
    "behaviour": "behavior",
    "neighbour": "neighbor",
    "neighbouring": "neighboring",
    "neighbours": "neighbors",
    "honour": "honor",
    "labour": "labor",
    "endeavour": "endeavor",
    "defence": "defense",
    "centre": "center",
    "programme": "program",
    "programmes": "programs",
    "judgement": "judgment",
    "counselling": "counseling",
    "travelling": "traveling",
    "fulfil": "fulfill",
}
#: Lemmas by surface form, where the lookup table is wrong for diplomatic text.
_LEMMA_FIXES = {
    "does": "do",
    "'s": "'s",
    "\u2019s": "'s",
    "ca": "can",
    "wo": "will",
    "sha": "shall",
    "as": "as",
    "'re": "be",
    "'m": "be",
    "'ve": "have",
    "'ll": "will",
    "'d": "would",
    "data": "data",
    "united": "united",
    "us": "us",
    "has": "have",
    "its": "its",
    "was": "be",
    "is": "be",
}
_NUMBER = re.compile(r"^[\d.,/\-]+$")
_YEAR = re.compile(r"^(1[89]|20)\d\d$")


def _spelling(word: str) -> str:
    word = _SPELLING.get(word, word)
    if "is" in word:
        word = _BRITISH.sub(lambda m: f"{m.group(1)}iz{m.group(2)}", word)
    return word


_build_lock = threading.Lock()
_pipe_lock = threading.RLock()


def build_nlp(spacy_model: str | None = None) -> Any:
    """Build (once per process, thread-safely) the spaCy pipeline stancekit uses.

    The default is ``spacy.blank("en")`` (tokenizer) plus the ``stancekit_gazetteer``
    component; lemmas come from the lookup table of ``spacy-lookups-data`` (see
    :func:`lemma_table`), applied with a per-process cache.

    Parameters
    ----------
    spacy_model : str, optional
        Name or path of an installed spaCy pipeline to use instead of
        ``spacy.blank("en")``. Its own lemmatizer (if any) provides the lemmas; the
        stancekit gazetteer is added after its named-entity recogniser.

    Returns
    -------
    spacy.language.Language

    Raises
    ------
    StancekitError
        If ``spacy_model`` is not installed.
    """
    with _build_lock:
        return _build_nlp(spacy_model)


@lru_cache(maxsize=4)
def _build_nlp(spacy_model: str | None) -> Any:
    import spacy

    if spacy_model:
        try:
            nlp = spacy.load(spacy_model, exclude=["parser", "textcat", "textcat_multilabel"])
        except OSError as exc:
            raise StancekitError(
                f"spaCy pipeline {spacy_model!r} is not installed; install it or leave "
                "spacy_model=None to use the built-in blank English pipeline"
            ) from exc
    else:
        nlp = spacy.blank("en")
    _register_gazetteer()
    nlp.add_pipe("stancekit_gazetteer", after="ner" if "ner" in nlp.pipe_names else None)
    return nlp


@lru_cache(maxsize=1)
def lemma_table() -> Any:
    """The English lemma lookup table of ``spacy-lookups-data``.

    Raises
    ------
    StancekitError
        If ``spacy-lookups-data`` is not installed.
    """
    try:
        from spacy.lookups import load_lookups

        table = load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")
    except (ValueError, OSError, ImportError) as exc:
        raise StancekitError(
            "the English lemma lookup table could not be loaded; install it with `pip install spacy-lookups-data`"
        ) from exc
    return table


class Gazetteer:
    """spaCy component: mark names of states and disputed entities as ``doc.ents``.

    Names match case-insensitively, acronyms ("US", "TRNC") case-sensitively; the
    longest match wins and disputed-entity names take precedence over state names.
    """

    def __init__(self, nlp: Any):
        from spacy.matcher import PhraseMatcher

        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.info: dict[int, tuple[str, str]] = {}
        for label, name, ident in _gazetteer_names():
            key = f"{label}|{ident}"
            self.info[nlp.vocab.strings.add(key)] = (label, ident)
            matcher = self.exact if (name.isupper() or "." in name) else self.lower
            matcher.add(key, [nlp.make_doc(name)])

    def __call__(self, doc: Any) -> Any:
        from spacy.tokens import Span
        from spacy.util import filter_spans

        spans = []
        for matcher in (self.lower, self.exact):
            for key, start, end in matcher(doc):
                label, ident = self.info[key]
                spans.append(Span(doc, start, end, label=label, kb_id=ident))
        if spans:
            kept = filter_spans(spans)
            doc.ents = [e for e in doc.ents if not any(e.start < k.end and k.start < e.end for k in kept)] + kept
        return doc


def _register_gazetteer() -> None:
    from spacy.language import Language

    if not Language.has_factory("stancekit_gazetteer"):
        Language.factory("stancekit_gazetteer", func=lambda nlp, name: Gazetteer(nlp))


def _gazetteer_names() -> list[tuple[str, str, str]]:
    """``(label, name, id)`` for every gazetteer name; entities first, so they win ties."""
    out: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for d in DISPUTES.values():
        for name in (*d.names, *d.demonyms):
            if name.lower() not in seen:
                seen.add(name.lower())
                out.append((ENTITY_LABEL, name, d.key))
    for c in countries().values():
        for name in (*c.names, *c.demonyms):
            if name.lower() not in seen:
                seen.add(name.lower())
                out.append((COUNTRY_LABEL, name, c.name))
    return out


class _NameSpan(NamedTuple):
    """The parts of a spaCy ``Span`` that analysis reads."""

    start: int
    end: int
    label_: str
    kb_id_: str
    text: str


_CHUNK_CACHE_MAX = 200_000


class _ChunkAnalyzer:
    """Normalised words and gazetteer names of a text given as its space-free chunks.

    Each chunk is tokenized by the pipeline's tokenizer once and cached: its normalised
    words (as :func:`_normalize_words` gives them) in ``cache``, its lower-cased and
    verbatim token texts in ``lowers`` and ``orths``, and in ``named``, for chunks where a
    name could end, the names found inside the chunk and where names starting in an
    earlier chunk may end (for the lower-case and the verbatim matcher; see
    :meth:`_chunk_names`). At most ``_CHUNK_CACHE_MAX`` chunks are kept (the cache starts
    afresh when full). Names are matched like :class:`Gazetteer`: by lower-cased tokens,
    acronyms by verbatim tokens, every match kept and then filtered by spaCy's
    ``filter_spans`` (longest first, then earliest).
    """

    def __init__(self) -> None:
        # A tokenizer of its own (see _blank_tokenizer): the first batch holds tens of
        # thousands of distinct chunks, which would fill the pipeline tokenizer's bounded
        # cache (10,000 chunks, first come) with rare ones and leave every later
        # ``nlp(text)`` in this process uncached.
        self.tokenizer = _blank_tokenizer()
        self.cache: dict[str, tuple[tuple[str, int], ...]] = {}  # chunk -> normalised words
        self.lowers: dict[str, tuple[str, ...]] = {}  # chunk -> its tokens, lower-cased
        self.orths: dict[str, tuple[str, ...]] = {}  # chunk -> its tokens, verbatim
        self.named: dict[str, tuple[Any, ...]] = {}  # chunk -> where names may end in it
        # Name token tuples -> (label, id), for the lower-case and the verbatim matcher.
        self.tables: tuple[dict[tuple[str, ...], tuple[str, str]], ...] = ({}, {})
        for label, name, ident in _gazetteer_names():
            doc = self.tokenizer(name)
            if name.isupper() or "." in name:
                self.tables[1].setdefault(tuple(t.text for t in doc), (label, ident))
            else:
                self.tables[0].setdefault(tuple(t.lower_ for t in doc), (label, ident))
        # Names are spotted by their last token (the distinctive one: "States", "Korea"):
        # lengths[m] maps a last token to the lengths of the names it ends.
        self.lengths: tuple[dict[str, tuple[int, ...]], ...] = tuple(
            {last: tuple(sorted({len(k) for k in table if k[-1] == last})) for last in {k[-1] for k in table}}
            for table in self.tables
        )

    def _add(self, chunks: list[str]) -> None:
        """Tokenize and cache chunks, all in one ``Doc`` (each chunk is tokenized alone)."""
        from spacy.attrs import LOWER, ORTH, SPACY

        doc = self.tokenizer(" ".join(chunks))
        strings = doc.vocab.strings
        words = _normalize_words(doc)
        attrs = doc.to_array([ORTH, LOWER, SPACY])
        orths = [strings[h] for h in attrs[:, 0].tolist()]
        lowers = [strings[h] for h in attrs[:, 1].tolist()]
        ends = (attrs[:, 2].nonzero()[0] + 1).tolist()
        ends.append(len(doc))
        start = 0
        for chunk, end in zip(chunks, ends, strict=True):
            lo, orth = tuple(lowers[start:end]), tuple(orths[start:end])
            self.cache[chunk] = tuple(words[start:end])
            self.lowers[chunk], self.orths[chunk] = lo, orth
            names = self._chunk_names(lo, orth)
            if names is not None:
                self.named[chunk] = names
            start = end

    def _chunk_names(self, lo: tuple[str, ...], orth: tuple[str, ...]) -> tuple[Any, ...] | None:
        """Per matcher, the names inside a chunk and where names from earlier chunks may end.

        Returns ``(inner, cross)`` (None if both are empty for both matchers): ``inner[m]``
        holds ``(start, end, label, ident, text)`` of each name matcher ``m`` finds within
        the chunk (positions in the chunk), ``cross[m]`` ``(position, length)`` of each
        name that would have to start in an earlier chunk.
        """
        inner: tuple[list[tuple[int, int, str, str, str]], ...] = ([], [])
        cross: tuple[list[tuple[int, int]], ...] = ([], [])
        for m, (seq, lengths) in enumerate(zip((lo, orth), self.lengths, strict=True)):
            table = self.tables[m]
            for i, t in enumerate(seq):
                for n in lengths.get(t, ()):
                    if i + 1 < n:
                        cross[m].append((i, n))
                    elif (hit := table.get(seq[i + 1 - n : i + 1])) is not None:
                        inner[m].append((i + 1 - n, i + 1, hit[0], hit[1], "".join(orth[i + 1 - n : i + 1])))
        if not (inner[0] or inner[1] or cross[0] or cross[1]):
            return None
        return tuple(map(tuple, inner)), tuple(map(tuple, cross))

    def analyze(self, texts: list[list[str]]) -> list[tuple[list[tuple[str, int]], list[_NameSpan]]]:
        """Normalised words and name spans (in token order) of texts given as chunks."""
        cache, named = self.cache, self.named
        missing = set().union(*texts).difference(cache)
        if missing:
            if len(cache) + len(missing) > _CHUNK_CACHE_MAX:  # bound memory: start afresh
                for d in (cache, self.lowers, self.orths, named):
                    d.clear()
                missing = set().union(*texts)
            self._add(sorted(missing))
        words_of = cache.__getitem__
        out = []
        for chunks in texts:
            words = list(chain.from_iterable(map(words_of, chunks)))
            if named.keys().isdisjoint(chunks):
                out.append((words, []))
            else:
                out.append((words, self._names(chunks)))
        return out

    def _names(self, chunks: list[str]) -> list[_NameSpan]:
        """The name spans of a text given as chunks."""
        named = self.named
        hits = [(k, named[c]) for k, c in enumerate(chunks) if c in named]
        offsets = list(accumulate(map(len, map(self.lowers.__getitem__, chunks)), initial=0))
        found: list[_NameSpan] = []
        for m, tokens in enumerate((self.lowers, self.orths)):  # lower-case matches first, as in Gazetteer
            table = self.tables[m]
            flat: list[str] | None = None
            for k, (inner, cross) in hits:
                base = offsets[k]
                for start, end, label, ident, text in inner[m]:
                    found.append(_NameSpan(base + start, base + end, label, ident, text))
                for i, n in cross[m]:
                    end = base + i + 1
                    if end < n:
                        continue
                    if flat is None:
                        flat = list(chain.from_iterable(map(tokens.__getitem__, chunks)))
                    hit = table.get(tuple(flat[end - n : end]))
                    if hit is not None:
                        found.append(_NameSpan(end - n, end, hit[0], hit[1], ""))
        if len(found) > 1:
            from spacy.util import filter_spans  # the rule Gazetteer applies

            found = filter_spans(found)
        if all(s.text for s in found):
            return found
        orths = [self.orths[c] for c in chunks]
        return [s if s.text else s._replace(text=_span_text(orths, offsets, s.start, s.end)) for s in found]


def _span_text(orths: list[tuple[str, ...]], offsets: list[int], start: int, end: int) -> str:
    """The text of tokens ``start:end``: tokens of a chunk joined directly, chunks by a space."""
    first = bisect_right(offsets, start) - 1
    last = bisect_right(offsets, end - 1) - 1
    return " ".join(
        "".join(orths[k][max(start, offsets[k]) - offsets[k] : min(end, offsets[k + 1]) - offsets[k]])
        for k in range(first, last + 1)
    )


_chunk_lock = threading.Lock()


def _blank_tokenizer() -> Any:
    """A new tokenizer equal to ``spacy.blank("en")``'s, built without the pipeline.

    ``spacy.blank`` resolves the language's config through spaCy's registry, which takes
    a large share of a cold start; the chunk path needs only the tokenizer, which
    ``spacy.Tokenizer.v1`` builds from the language defaults exactly like this, over a
    vocabulary made as ``spacy.blank`` makes it (its own instance, so the chunk path's
    lexemes stay out of the pipeline's). Its lexemes carry only the attributes the chunk
    path reads (lower case, ``like_num``, ``is_punct``, ``is_space``): a new lexeme runs
    every attribute getter in Python, and most of a first batch's words are new. Tests
    check the tokens and those attributes against ``spacy.blank``'s.
    """
    from spacy.attrs import IS_PUNCT, IS_SPACE, LIKE_NUM, LOWER
    from spacy.lang.en import English
    from spacy.tokenizer import Tokenizer
    from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex
    from spacy.vocab import create_vocab

    d = English.Defaults
    vocab = create_vocab(English.lang, d)
    getters = vocab.lex_attr_getters
    vocab.lex_attr_getters = {a: getters[a] for a in (LOWER, LIKE_NUM, IS_PUNCT, IS_SPACE)}
    return Tokenizer(
        vocab,
        rules=d.tokenizer_exceptions,
        prefix_search=compile_prefix_regex(d.prefixes).search,
        suffix_search=compile_suffix_regex(d.suffixes).search,
        infix_finditer=compile_infix_regex(d.infixes).finditer,
        token_match=d.token_match,
        url_match=d.url_match,
    )


@lru_cache(maxsize=1)
def _chunk_analyzer_once() -> _ChunkAnalyzer:
    return _ChunkAnalyzer()


def _chunk_analyzer() -> _ChunkAnalyzer:
    """The (per-process) :class:`_ChunkAnalyzer` of the blank English pipeline."""
    with _chunk_lock:
        return _chunk_analyzer_once()


#: A sentence ends after ".", "!" or "?" (and a closing quote or bracket) and a space, before a
#: capital, a digit or an opening quote or bracket.
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"\u201d\u2019)]))\s+(?=[\"\u201c\u2018(\[]?[A-Z0-9])")


def find_names(text: str) -> list[dict[str, Any]]:
    """The gazetteer names found in ``text``, and what each stands for.

    Parameters
    ----------
    text : str
        A name ("Pristina", "the Malvinas") or any statement.

    Returns
    -------
    list of dict
        One per name found, in order: ``text`` (as written), ``kind`` (``"entity"``, a
        disputed territory of the registry, or ``"state"``), ``state`` (the entity's state
        concerned, or the state itself) and ``disputes`` (the registry keys it belongs to: the
        entity's one, or those the state is the state concerned of).

    Examples
    --------
    >>> [(n["kind"], n["state"], n["disputes"]) for n in find_names("Pristina and Belgrade")]
    [('entity', 'Serbia', ['kosovo']), ('state', 'Serbia', ['kosovo'])]
    """
    out = []
    for name, _, ident in next(Preprocessor().analyze([text])).mentions:
        if ident in DISPUTES:
            out.append({"text": name, "kind": "entity", "state": DISPUTES[ident].state, "disputes": [ident]})
        else:
            out.append(
                {"text": name, "kind": "state", "state": ident, "disputes": list(DISPUTES_BY_STATE.get(ident, []))}
            )
    return out


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text``, by a rule on punctuation and capitals.

    A rule, not a parser: "the U.S. Government" splits after "U.S.", which costs little
    where it is used (reading long statements sentence by sentence).

    >>> split_sentences("Kosovo is Serbia. We will not recognise it! Trade grew by 3.5%.")
    ['Kosovo is Serbia.', 'We will not recognise it!', 'Trade grew by 3.5%.']
    """
    return [part for part in (p.strip() for p in _SENTENCE_END.split(text)) if part]


@dataclass
class Analysis:
    """What preprocessing found in one statement.

    Attributes
    ----------
    tokens : list of str
        Feature tokens (lemmas, role tokens, ``not_`` marks).
    state, entity, dispute : str or None
        The state concerned, the disputed entity and the dispute key, when the
        statement names them (or a dispute's names imply them).
    mentions : list of tuple
        ``(text, role, name)`` for every gazetteer name found.
    """

    tokens: list[str]
    state: str | None = None
    entity: str | None = None
    dispute: str | None = None
    mentions: list[tuple[str, str, str]] = field(default_factory=list)
    #: For a long statement read part by part (see
    #: :attr:`StanceClassifier.long_text_words <stancekit.StanceClassifier.long_text_words>`),
    #: the analyses of its sentences, in order; empty otherwise.
    parts: list[Analysis] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The feature tokens joined by spaces (the input of the vectorizers)."""
        return " ".join(self.tokens)


class Preprocessor:
    """Turn statements into :class:`Analysis` objects.

    Parameters
    ----------
    spacy_model : str, optional
        An installed spaCy pipeline to use instead of ``spacy.blank("en")``.
    mask_names : bool, default=True
        Replace names by their role (``STATE``, ``ENTITY``, ``CLAIMANT``, ``COUNTRY``) rather than
        keeping the lower-cased name.
    negation : bool, default=True
        Prefix tokens in the scope of a negation cue with ``not_``.
    cues : bool, default=False
        Add ``CUE_<group>`` tokens from :mod:`stancekit.lexicon` (and ``NOCUE_status``
        when no status cue occurs).
    claimants : bool, default=False
        Read a state with a stake against the state concerned in the statement's dispute
        (:data:`stancekit.disputes.CLAIMANTS`: Argentina on the Falklands, Russia on
        Crimea) as ``CLAIMANT`` rather than ``COUNTRY``, in the text and as the speaker.
    pseudo_negations : bool, default=False
        A negation cue that begins a phrase of :data:`PSEUDO_NEGATIONS` ("not only",
        "no doubt", "without delay") opens no negation scope.
    parentheticals : bool, default=False
        A comma right after a negation cue or its first word that opens a short insertion
        (:func:`_insertion_end`) leaves the scope open: the insertion's words stay unmarked
        and the words after it are marked, so "does not, and will not, recognise" reads
        ``not_recognize``.
    """

    def __init__(
        self,
        *,
        spacy_model: str | None = None,
        mask_names: bool = True,
        negation: bool = True,
        cues: bool = False,
        claimants: bool = False,
        pseudo_negations: bool = False,
        parentheticals: bool = False,
    ):
        self.spacy_model = spacy_model
        self.mask_names = mask_names
        self.negation = negation
        self.cues = cues
        self.claimants = claimants
        self.pseudo_negations = pseudo_negations
        self.parentheticals = parentheticals

    @property
    def nlp(self) -> Any:
        return build_nlp(self.spacy_model)

    def __getstate__(self) -> dict[str, Any]:
        # Only settings are pickled; the spaCy pipeline is rebuilt on first use.
        return {name: getattr(self, name) for name in PREPROCESS_PARAMS}

    def __setstate__(self, state: dict[str, Any]) -> None:
        # Pickled before a reading of LATER_READINGS existed: its default, False.
        self.__init__(**state)

    def analyze(
        self, texts: Iterable[str], *, actors: Iterable[str | None] | None = None, batch_size: int = 512
    ) -> Iterator[Analysis]:
        """Analyse statements, streaming.

        Parameters
        ----------
        texts : iterable of str
        actors : iterable of str or None, optional
            Who speaks, one per text (``None`` where unknown): a government or body as
            named in the gazetteer ("Serbia", "Kosovo (presidency)", "Polisario Front")
            or a three-letter code ("SRB", as UN General Debate speeches are filed).
            First-person words ("we", "our", "my") then take the speaker's role
            (``STATE``, ``ENTITY``, ``CLAIMANT`` or ``COUNTRY``), so "our territorial integrity" said
            by the breakaway entity reads like "Kosovo's territorial integrity"; see
            :func:`speaker_role`. When the text itself names no party, the speaker's
            dispute is the statement's.
        batch_size : int, default=512
            Statements handed to spaCy at once.

        Yields
        ------
        Analysis
            One per input text, in order.
        """
        # The blank pipeline itself is built only when needed (speakers, texts the chunk
        # path does not take): most input never needs it.
        nlp = self.nlp if self.spacy_model else None
        it = iter(texts)
        actor_it = iter(actors) if actors is not None else None
        while True:
            chunk = list(islice(it, batch_size))
            if not chunk:
                if actor_it is not None and next(actor_it, _END) is not _END:
                    raise InputError("got more actors than texts; give one actor (or None) per text")
                return
            speakers: list[tuple[tuple[str, str], ...]] | None = None
            # spaCy's vocabulary and string store are shared mutable state: one thread at a
            # time runs the pipeline, so a model can be used from several threads.
            with _pipe_lock:
                if actor_it is not None:
                    names = list(islice(actor_it, len(chunk)))
                    if len(names) < len(chunk):
                        raise InputError("got fewer actors than texts; give one actor (or None) per text")
                    speakers = [_speaker(self, a) for a in names]
                if nlp is not None:
                    docs = nlp.pipe(chunk, batch_size=batch_size)
                    analyses = [self.analyze_doc(doc, speaker=_at(speakers, i)) for i, doc in enumerate(docs)]
                else:
                    analyses = self._analyze_blank(chunk, batch_size, speakers)
            yield from analyses

    def _analyze_blank(
        self, texts: list[str], batch_size: int, speakers: list[Speaker] | None = None
    ) -> list[Analysis]:
        """:meth:`analyze` for the blank pipeline, without building a ``Doc`` per statement.

        The blank pipeline's tokenizer splits a text at single spaces and tokenizes each
        space-free chunk on its own, so a text whose only whitespace is single spaces is
        the concatenation of its chunks' tokens. Those are cached per chunk (as
        normalised words, lower-cased and verbatim forms), and the gazetteer matches the
        same names over them with the same longest-match rule (:class:`_ChunkAnalyzer`).
        The result equals :meth:`analyze_doc` on ``nlp(text)`` (tested on real
        statements); any other text takes that path.
        """
        out: list[Analysis | None] = [None] * len(texts)
        clean: list[int] = []
        chunks: list[list[str]] = []
        rest: list[int] = []
        for i, text in enumerate(texts):
            parts = text.split()
            if " ".join(parts) == text:
                clean.append(i)
                chunks.append(parts)
            else:
                rest.append(i)
        for i, (words, spans) in zip(clean, _chunk_analyzer().analyze(chunks), strict=True):
            out[i] = self._analysis(words, spans, _at(speakers, i))
        if rest:
            docs = self.nlp.pipe([texts[i] for i in rest], batch_size=batch_size)
            for i, doc in zip(rest, docs, strict=True):
                out[i] = self.analyze_doc(doc, speaker=_at(speakers, i))
        return out  # type: ignore[return-value]

    def analyze_doc(self, doc: Any, *, speaker: Speaker = ()) -> Analysis:
        """Analyse one spaCy ``Doc`` (already run through :attr:`nlp`).

        ``speaker`` holds the gazetteer names found in the speaker's name, as
        ``(label, ident)`` pairs (see :meth:`analyze`'s ``actors``).
        """
        if self.spacy_model:
            words = [_normalize_lemma(t.text, t.lemma_, t.like_num, t.is_punct or t.is_space) for t in doc]
        else:
            words = _normalize_words(doc)
        spans = [e for e in doc.ents if e.label_ in (COUNTRY_LABEL, ENTITY_LABEL)]
        return self._analysis(words, spans, speaker)

    def _analysis(self, words: list[tuple[str, int]], spans: list[Any], speaker: Speaker = ()) -> Analysis:
        """The :class:`Analysis` of normalised words and the gazetteer's name spans.

        ``spans`` need ``start``, ``end``, ``label_``, ``kb_id_`` and ``text``, as a
        spaCy ``Span`` has; they are in token order.
        """
        state, entity, dispute = found = _resolve(words, spans)
        speaks = False
        # The speaker counts only where the statement is about status: the text names a
        # party to a dispute, or uses a word about a territory's status. In the rest of a
        # speech "we" and "our" take no side, and reading them (or the speaker's own name)
        # as a party only invites a stance the text does not take. A breakaway authority's
        # "our independence" is about status; a state's "since our independence" is not.
        cues = _ENTITY_SPEAKER_CUES if speaker and speaker[0][0] == ENTITY_LABEL else _SPEAKER_CUES
        if speaker and (found != (None, None, None) or any(w in cues for w, _ in words)):
            role, (state, entity, dispute) = speaker_role(speaker, found, self.claimants)
            if role is not None:
                token = role if self.mask_names else "SPEAKER"
                speaks = any(w in FIRST_PERSON for w, _ in words)
                if speaks:
                    words = [(token, _WORD) if w in FIRST_PERSON else (w, kind) for w, kind in words]
        roles: dict[int, tuple[int, str]] = {}
        mentions = []
        rivals = claimants_against(state, dispute) if self.claimants else frozenset()
        for span in spans:
            ident = span.kb_id_
            if span.label_ == ENTITY_LABEL:
                role = "ENTITY"
            elif state is not None and ident == state:
                role = "STATE"
            elif ident in rivals:
                role = "CLAIMANT"
            else:
                role = "COUNTRY"
            roles[span.start] = (span.end, role if self.mask_names else span.text.lower().replace(" ", "_"))
            mentions.append((span.text, role, ident))
        tokens = _feature_tokens(words, roles, self.negation, self.pseudo_negations, self.parentheticals)
        if self.cues:
            tokens.extend(_cue_tokens(tokens, has_names=bool(spans) or speaks))
            if roles or speaks:
                tokens.extend(_role_cue_tokens(tokens))
        return Analysis(tokens, state, entity, dispute, mentions)


# Token kinds of the normalisation cache.
_WORD, _SKIP, _SCOPE_END, _NEGATION, _BREAK = range(5)
_DROPPED = frozenset({_SKIP, _SCOPE_END})
_word_cache: dict[int, tuple[str, int]] = {}
_WORD_CACHE_MAX = 500_000


def _feature_tokens(
    words: list[tuple[str, int]],
    roles: dict[int, tuple[int, str]],
    negation: bool,
    pseudo: bool = False,
    parentheticals: bool = False,
) -> list[str]:
    """Feature tokens: names replaced by their role, words in a negation scope marked.

    ``roles`` maps the first token of each name to ``(end, replacement)``. Before the
    first negation cue no scope is open, so that part is a plain filter. With ``pseudo``,
    a cue that begins a phrase of :data:`PSEUDO_NEGATIONS` is a plain word. With
    ``parentheticals``, a short comma-enclosed insertion inside a scope does not close it
    (:func:`_insertion_end`).
    """
    if roles:
        seq: list[tuple[str, int]] = []
        i = 0
        for start in sorted(roles):
            end, tok = roles[start]
            seq.extend(words[i:start])
            seq.append((tok, _WORD))
            i = end
        seq.extend(words[i:])
    else:
        seq = words
    first = -1
    if negation:
        kinds = [kind for _, kind in seq]
        if _NEGATION in kinds:
            first = kinds.index(_NEGATION)
            if pseudo:
                seq = _unmark_pseudo_negations(seq, first)
    if first < 0:
        return [tok for tok, kind in seq if kind not in _DROPPED]
    tokens = [tok for tok, kind in seq[:first] if kind not in _DROPPED]
    scope = 0
    # The closing comma of an insertion being read, and the scope left to resume after it.
    closing, left = -1, 0
    for i in range(first, len(seq)):
        tok, kind = seq[i]
        if kind == _SKIP:
            continue
        if kind == _SCOPE_END:
            if i == closing:
                scope, closing = max(scope, left), -1
                continue
            # Only right after the cue, or after its first word ("no intention, now or later, of").
            end = _insertion_end(seq, i) if parentheticals and scope >= NEGATION_SCOPE - 1 else -1
            if end > 0:
                closing, left = end, scope
            scope = 0
            continue
        if kind == _NEGATION:
            tokens.append("not")
            scope = NEGATION_SCOPE
            continue
        if kind == _BREAK:
            scope = 0
        if scope > 0:
            tok = "not_" + tok
            scope -= 1
        tokens.append(tok)
    return tokens


def _insertion_end(seq: list[tuple[str, int]], i: int) -> int:
    """Index of the comma that closes a short insertion opened by the comma at ``i``, or -1.

    An insertion holds 1 to :data:`PARENTHETICAL_LONGEST` words and no other punctuation
    or scope breaker, and begins with "and" or "or" only if it holds a negation cue: "does
    not, and will not, recognise", "will not, at this stage, recognise", but not "is not
    alone, and Kosovo, we say".
    """
    if seq[i][0] != ",":
        return -1
    words, first, cue = 0, "", False
    for j in range(i + 1, min(len(seq), i + 2 * PARENTHETICAL_LONGEST + 2)):
        tok, kind = seq[j]
        if kind == _SKIP:
            continue
        if kind == _SCOPE_END:
            return j if tok == "," and words and (cue or first not in ("and", "or")) else -1
        if kind == _BREAK or words == PARENTHETICAL_LONGEST:
            return -1
        first = first or tok
        cue = cue or kind == _NEGATION
        words += 1
    return -1


def _unmark_pseudo_negations(seq: list[tuple[str, int]], first: int) -> list[tuple[str, int]]:
    """``seq`` with each negation cue from index ``first`` on that begins a pseudo-negation
    made a plain word (the token loop then passes it through like any word)."""
    out = seq
    for i in range(first, len(seq)):
        tok, kind = seq[i]
        if kind != _NEGATION:
            continue
        following = tuple(t for t, k in seq[i + 1 : i + _PSEUDO_LONGEST] if k not in _DROPPED)
        if any((tok, *following[:n]) in PSEUDO_NEGATIONS for n in range(1, _PSEUDO_LONGEST)):
            if out is seq:
                out = list(seq)
            out[i] = (tok, _WORD)
    return out


def _normalize_lemma(text: str, lemma: str, like_num: bool, punct: bool) -> tuple[str, int]:
    """Feature token and kind of one token, given its lemma."""
    if punct:
        return text, (_SCOPE_END if text in SCOPE_PUNCT else _SKIP)
    lower = text.lower()
    tok = _LEMMA_FIXES.get(lower) or lemma.lower() or lower
    if like_num or _NUMBER.match(tok):
        return ("YEAR" if _YEAR.match(text) else "NUM"), _WORD
    tok = _spelling(tok)
    if tok in NEGATION_CUES:
        return tok, _NEGATION
    if tok in SCOPE_BREAKERS:
        return tok, _BREAK
    return tok, _WORD


def _normalize_words(doc: Any) -> list[tuple[str, int]]:
    """Feature token and kind of every token, with the lookup lemmatizer and a cache.

    The cache is keyed by the token's string hash (``ORTH``), so known tokens are looked
    up without building their strings.
    """
    from spacy.attrs import ORTH

    cache = _word_cache
    hashes = doc.to_array(ORTH).tolist()
    out = list(map(cache.get, hashes))
    if None in out:
        strings = doc.vocab.strings
        table = lemma_table()
        for i, hit in enumerate(out):
            if hit is not None:
                continue
            key = hashes[i]
            hit = cache.get(key)  # an earlier token of this doc may have added it
            if hit is None:
                text = strings[key]
                lex = doc.vocab[text]
                hit = _normalize_lemma(text, table.get(text, text), lex.like_num, lex.is_punct or lex.is_space)
                if len(cache) >= _WORD_CACHE_MAX:
                    cache.clear()
                cache[key] = hit
            out[i] = hit
    return out


def _resolve(words: list[tuple[str, int]], spans: list[Any]) -> tuple[str | None, str | None, str | None]:
    """Decide which state, entity and dispute a statement is about."""
    keys = [s.kb_id_ for s in spans if s.label_ == ENTITY_LABEL]
    if keys:
        key = Counter(keys).most_common(1)[0][0]
        d = DISPUTES[key]
        return d.state, d.entity, d.key
    # The state at issue is the one a status cue points at: "integrity of Serbia",
    # "Serbia's sovereignty"; a subject before the cue ("China respects ...") is weaker.
    n = len(words)
    best: tuple[float, str] | None = None
    for s in spans:
        before = [w for w, _ in words[max(0, s.start - 6) : s.start]]
        after = [w for w, _ in words[s.end : s.end + 6]]
        possessive = s.end < n and words[s.end][0] in ("'s", "\u2019s", "'")
        if possessive and any(w in STATUS_CUES for w in after[:4]):
            score = 4.0
        elif any(w in STATUS_CUES for w in before):
            score = 3.0
        elif any(w in STATUS_CUES for w in after):
            score = 1.0
        else:
            continue
        ident = s.kb_id_
        score += 0.5 * (ident in DISPUTES_BY_STATE)
        if best is None or score >= best[0]:
            best = (score, ident)
    if best is None:
        return None, None, None
    state = best[1]
    keys = DISPUTES_BY_STATE.get(state, [])
    return state, None, (keys[0] if len(keys) == 1 else None)


#: The gazetteer names found in a speaker's name: ``(label, ident)`` pairs, in order.
Speaker = tuple[tuple[str, str], ...]
_END = object()
_speakers: dict[tuple[str | None, str], Speaker] = {}
_CODE = re.compile(r"[A-Z]{2,3}")


def _at(speakers: list[Speaker] | None, i: int) -> Speaker:
    return speakers[i] if speakers is not None else ()


def _speaker(pre: Preprocessor, actor: str | None) -> Speaker:
    """The gazetteer names in ``actor`` (a name, or a three-letter code), cached.

    ``pre``'s pipeline finds them (built on the first actor not yet cached). A name with
    no state or entity in it that names an international organisation
    (:func:`~stancekit.disputes.organisation`) counts as a third state.
    """
    if not actor or not isinstance(actor, str):
        return ()
    key = (pre.spacy_model, actor)
    hit = _speakers.get(key)
    if hit is None:
        name = actor.strip()
        if _CODE.fullmatch(name):
            name = country_codes().get(name, name)
        doc = pre.nlp(name[:300])
        hit = tuple((e.label_, e.kb_id_) for e in doc.ents if e.label_ in (COUNTRY_LABEL, ENTITY_LABEL))
        if not hit and (org := organisation(name)) is not None:
            hit = ((COUNTRY_LABEL, org),)  # an international body: a third party to every dispute
        if len(_speakers) >= 100_000:
            _speakers.clear()
        _speakers[key] = hit
    return hit


def speaker_role(
    speaker: Speaker, found: tuple[str | None, str | None, str | None], claimants: bool = False
) -> tuple[str | None, tuple[str | None, str | None, str | None]]:
    """The role a speaker plays in the dispute a statement is about.

    Parameters
    ----------
    speaker : tuple of (label, ident)
        The gazetteer names in the speaker's name: ``("SK_ENTITY", dispute key)`` or
        ``("SK_COUNTRY", state name)`` (an international organisation's name for a body
        such as the African Union: a third party to every dispute).
    found : tuple
        ``(state, entity, dispute)`` as resolved from the text's own names.
    claimants : bool, default=False
        Whether a speaker with a stake against the state concerned
        (:func:`stancekit.disputes.claimants_against`) is ``"CLAIMANT"``.

    Returns
    -------
    role : str or None
        ``"ENTITY"`` when the speaker is the disputed entity, ``"STATE"`` when it is
        the state concerned, ``"CLAIMANT"`` (with ``claimants``) when it claims the
        territory or backs the entity, ``"COUNTRY"`` for a third party; ``None`` when
        the speaker names nothing the gazetteer knows.
    found : tuple
        ``(state, entity, dispute)``: the text's own when it names the entity; else
        the speaker's dispute where the speaker is an entity of the state named (or
        no state is named); with no party named and a state speaking, that state (and
        its dispute, if it has one in the registry).

    Examples
    --------
    >>> speaker_role((("SK_ENTITY", "kosovo"),), (None, None, None))
    ('ENTITY', ('Serbia', 'Kosovo', 'kosovo'))
    >>> speaker_role((("SK_COUNTRY", "France"),), ("Georgia", "Abkhazia", "abkhazia"))
    ('COUNTRY', ('Georgia', 'Abkhazia', 'abkhazia'))
    """
    state, _, dispute = found
    entities = [ident for label, ident in speaker if label == ENTITY_LABEL]
    states = [ident for label, ident in speaker if label == COUNTRY_LABEL]
    if not entities and not states:
        return None, found
    if dispute is not None and dispute in entities:
        return "ENTITY", found
    if dispute is None:
        # The text names no entity: the speaker's entity, if its state is the one named.
        for key in entities:
            d = DISPUTES[key]
            if state is None or d.state == state:
                return "ENTITY", (d.state, d.entity, d.key)
    if state is not None:
        if state in states:
            return "STATE", found
        rival = claimants and any(s in claimants_against(state, dispute) for s in states)
        return ("CLAIMANT" if rival else "COUNTRY"), found
    # No party named (an entity would have set the state): a state speaking of its own status.
    if states and states[0] in DISPUTES_BY_STATE:
        first = states[0]
        keys = DISPUTES_BY_STATE[first]
        only = DISPUTES[keys[0]] if len(keys) == 1 else None
        return "STATE", (first, only.entity if only else None, only.key if only else None)
    return "COUNTRY", found


_ROLE_WINDOW = 5
_ROLES_ANY = frozenset(ROLE_TOKENS) | {"not_" + r for r in ROLE_TOKENS}
_STATUS_ANY = STATUS_CUES | {"not_" + c for c in STATUS_CUES}
#: The cue token of every lexicon word, plain and in a negation scope.
_CUE_TOKENS = {w: "CUE_" + g for w, g in CUES.items()} | {"not_" + w: "not_CUE_" + g for w, g in CUES.items()}


def _role_cue_tokens(tokens: list[str]) -> list[str]:
    """``<cue>@<ROLE>``: each status cue joined to the nearest name role within a window.

    "the sovereignty and territorial integrity of Kosovo" gives ``sovereignty@ENTITY`` and
    ``integrity@ENTITY``; "... of Serbia" gives ``...@STATE``: whose sovereignty is meant,
    even when the words are not adjacent. Of two roles equally near, the earlier wins.
    """
    roles = [i for i, t in enumerate(tokens) if t in _ROLES_ANY]
    if not roles:
        return []
    out = []
    for i, tok in enumerate(tokens):
        if tok not in _STATUS_ANY:
            continue
        j = min(roles, key=lambda r: abs(r - i))
        if abs(j - i) <= _ROLE_WINDOW:
            out.append(f"{tok}@{tokens[j].removeprefix('not_')}")
    return out


def _cue_tokens(tokens: list[str], *, has_names: bool) -> list[str]:
    """``CUE_<group>`` for each lexicon word (``not_`` kept), ``NOCUE_status`` if none."""
    out = [c for c in map(_CUE_TOKENS.get, tokens) if c is not None]
    if "CUE_status" not in out and "not_CUE_status" not in out:
        out.append("NOCUE_status" if not has_names else "NOCUE_status_named")
    return out
