"""Direct quotations and who said them.

Quotations are found on the raw text (straight, curly and guillemet marks; single curly
marks when they enclose speech; quotes that run over paragraphs), then attributed by
syntax: the subject of a reporting verb governing or next to the quote in its sentence
("..., Rojas said"; "X said: ..."; "according to X"; "the statement quoted X as
saying"), else the speaker of the previous quotation in the paragraph when the sentence
is all quotation, else the nearest preceding subject of a reporting verb in the paragraph.

Why one module of over 500 lines: it is one stage: finding quotations on the raw text and
attributing them by syntax share the quote table; cue words live in ``lexicons.csv``.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from kg_builder.extract import lexicon as lx
from kg_builder.extract.context import DocContext, Stage, span_of
from kg_builder.extract.dates import first_date, is_future
from kg_builder.extract.tree import ancestors, climb, is_root
from kg_builder.models import ActorKind, Statement

_OPENERS = {"“": "”", "«": "»", "„": "”", "‘": "’"}
_CLOSERS_DOUBLE = {"”", "»", '"'}
_MIN_WORDS = 4
#: Most characters between the two pieces of a quotation split by its reporting clause.
_SPLIT_GAP = 60
#: A word that, between two quotations, introduces a new speaker.
_NEW_SPEAKER = re.compile(r"\b(" + "|".join(lx.NEW_SPEAKER_CUES) + r")\b")


@dataclass(frozen=True, slots=True)
class Quote:
    """Offsets of the words inside a pair of quotation marks (one paragraph's part)."""

    start: int
    end: int
    continues: bool = False  # continues a quotation left open in the previous paragraph


# ---------------------------------------------------------------- finding quotations


def find_quotes(text: str) -> list[Quote]:
    """Quoted stretches of ``text``, each within one paragraph, in order.

    A paragraph that ends inside a quotation closes that fragment there; the next
    paragraph's opening mark continues it (``continues=True``). Apostrophes inside words
    ("Chile's", "Chile’s") never end a quotation.

    Example:
        >>> [text[q.start:q.end] for q in find_quotes(text := 'He said: "We will go."')]
        ['We will go.']
    """
    quotes: list[Quote] = []
    pos = 0
    carried = False
    for line in text.split("\n"):
        if line.strip():
            quotes.extend(_quotes_in_paragraph(line, pos, carried))
            carried = _opens_unclosed(line)
        pos += len(line) + 1
    return quotes


def _opens_unclosed(line: str) -> bool:
    """Whether the paragraph leaves a double quotation open at its end."""
    return _scan_double(line)[1]


def _is_opener_pos(s: str, i: int) -> bool:
    before = s[i - 1] if i > 0 else " "
    after = s[i + 1] if i + 1 < len(s) else " "
    return (before.isspace() or before in "([{—–-:;,/") and not after.isspace()


def _is_closer_pos(s: str, i: int) -> bool:
    before = s[i - 1] if i > 0 else " "
    after = s[i + 1] if i + 1 < len(s) else " "
    return not before.isspace() and (after.isspace() or not after.isalnum())


#: The characters :func:`_scan_double` acts on (the scan jumps from one to the next).
_DOUBLE_MARKS = re.compile('[“«„”»"]')


def _scan_double(s: str) -> tuple[list[tuple[int, int]], bool]:
    """Double-mark quotations in one paragraph: ``(pairs, left_open)``."""
    pairs: list[tuple[int, int]] = []
    open_at: int | None = None
    for mark in _DOUBLE_MARKS.finditer(s):
        i, ch = mark.start(), mark.group()
        if ch in "“«„" and open_at is None:
            open_at = i
        elif ch in "”»" and open_at is not None:
            pairs.append((open_at + 1, i))
            open_at = None
        elif ch == '"':
            if open_at is None:
                if _is_opener_pos(s, i) or not _is_closer_pos(s, i):
                    open_at = i
            elif _is_closer_pos(s, i) or not _is_opener_pos(s, i):
                pairs.append((open_at + 1, i))
                open_at = None
    if open_at is not None:
        pairs.append((open_at + 1, len(s.rstrip())))
        return pairs, True
    return pairs, False


def _scan_single(s: str, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """‘...’ quotations outside double ones; unclosed ones run to the sentence end."""
    pairs: list[tuple[int, int]] = []
    if "‘" not in s:
        return pairs  # the usual case: skip the character-by-character scan
    i = 0
    while i < len(s):
        if s[i] == "‘" and _is_opener_pos(s, i) and not any(a <= i < b for a, b in taken):
            j = i + 1
            end = None
            while j < len(s):
                if (
                    s[j] == "’"
                    and _is_closer_pos(s, j)
                    and not (j + 1 < len(s) and s[j + 1].isalpha())
                ):
                    end = j
                    break
                if s[j] == "‘":
                    break
                j += 1
            if end is None:
                # unclosed: up to the end of the sentence (a common typo in news copy)
                m = re.search(r"[.!?](?=\s|$)", s[i + 1 :])
                end = i + 1 + m.start() if m else len(s.rstrip())
            pairs.append((i + 1, end))
            i = end + 1
        else:
            i += 1
    return pairs


def _quotes_in_paragraph(line: str, pos: int, carried: bool) -> list[Quote]:
    doubles, _ = _scan_double(line)
    pairs = doubles + _scan_single(line, [(a - 1, b + 1) for a, b in doubles])
    pairs.sort()
    out = []
    for k, (a, b) in enumerate(pairs):
        inner = line[a:b]
        lead = len(inner) - len(inner.lstrip())
        trail = len(inner) - len(inner.rstrip())
        if b - a - lead - trail <= 0:
            continue
        continues = carried and k == 0 and line[: a - 1].strip() == ""
        out.append(Quote(pos + a + lead, pos + b - trail, continues))
    return out


# ---------------------------------------------------------------- attribution


def _word_count(s: str) -> int:
    return len(re.findall(r"[\w’'-]+", s))


def _looks_like_title(s: str) -> bool:
    """Headline-style capitalisation ("Automation Hurts Families"): a name, not speech."""
    words = re.findall(r"[A-Za-z][\w’'-]*", s.strip().rstrip(".,;:!?"))
    content = [w for w in words if len(w) > 3]
    return bool(content) and all(w[0].isupper() for w in content) and len(content) >= 2


def _tokens_in(doc: Doc, start: int, end: int) -> list[Token]:
    span = doc.char_span(start, end, alignment_mode="expand")
    return list(span) if span is not None else []


def _is_reporting(tok: Token) -> bool:
    return (
        tok.pos_ in {"VERB", "AUX"}
        and tok.lemma_.lower() in lx.QUOTE_VERBS
        or (tok.lemma_.lower() == "point" and any(c.lower_ == "out" for c in tok.children))
    )


def _subject(verb: Token) -> Token | None:
    """The speaker token of a reporting verb, climbing through participles and xcomps."""
    verb = _quoting_verb(verb)
    if verb.lemma_ == "quote":
        quoted = _quoted_speaker(verb)
        if quoted is not None:
            return quoted
    seen = 0
    cur = verb
    while seen < 4:
        subj = _own_subject(cur)
        if subj is not None:
            return subj
        if cur.dep_ == "acl" and cur.head.pos_ in {"NOUN", "PROPN"}:
            return cur.head  # "a letter stating ...", "a banner reading ..."
        if cur.dep_ in {"advcl", "xcomp", "conj", "pcomp"} and not is_root(cur):
            # "X said a truce would be short, insisting ...": the participle hangs off the
            # reported clause; its implied subject is the reporter's
            cur = climb(
                cur.head,
                lambda t: t.dep_ == "ccomp" and not _is_reporting(t) and _is_reporting(t.head),
            )
            seen += 1
            continue
        break
    return None


def _quoting_verb(verb: Token) -> Token:
    """ "the statement quoted X as saying", "X was quoted as saying": the verb "quote"."""
    if verb.lemma_ == "say" and verb.dep_ in {"advcl", "pcomp", "xcomp", "prep"}:
        head = verb.head if verb.head.lemma_ != "as" else verb.head.head
        if head.lemma_ == "quote":
            return head
    return verb


def _quoted_speaker(quote: Token) -> Token | None:
    """Who "quote" quotes: its object ("quoted X"), else its passive subject."""
    for c in quote.children:
        if c.dep_ == "dobj":
            return c
    for c in quote.children:
        if c.dep_ == "nsubjpass":
            return c
    return None


def _own_subject(verb: Token) -> Token | None:
    """A verb's own subject, the agent of a passive, or the antecedent of a relative."""
    for c in verb.children:
        if c.dep_ in {"nsubj", "nsubjpass"} and c.lower_ not in {"that", "which"}:
            return c
        if c.dep_ == "agent":
            for g in c.children:
                if g.dep_ == "pobj":
                    return g
    return _inverted_subject(verb) or _relative_antecedent(verb)


def _inverted_subject(verb: Token) -> Token | None:
    """The speaker after the verb in an inverted report ("..., said a fisherman"), which
    the parser may read as an object: someone right after a verb of saying."""
    if verb.lemma_.lower() not in lx.INVERTED_QUOTE_VERBS:
        return None
    for c in verb.children:
        if (
            c.dep_ == "dobj"
            and c.left_edge.i == verb.i + 1
            and (
                verb.lemma_ == "say"  # says nothing but its quote: the object is the speaker
                or c.ent_type_ == "PERSON"
                or c.lemma_.lower() in lx.PEOPLE_NOUNS
            )
        ):
            return c
    return None


def _relative_antecedent(verb: Token) -> Token | None:
    if verb.dep_ == "relcl" and any(
        c.dep_ == "nsubj" and c.lower_ in lx.RELATIVE_PRONOUNS for c in verb.children
    ):
        return verb.head
    return None


def _according_to(tokens: list[Token]) -> Token | None:
    for tok in tokens:
        if tok.lower_ == "according":
            for c in tok.children:
                if c.lower_ == "to":
                    for g in c.children:
                        if g.dep_ == "pobj":
                            return _by_agent(g)
    return None


def _by_agent(tok: Token) -> Token:
    """ "a report by the Health Ministry" → the ministry; "his words" → his."""
    if tok.lemma_ in lx.SPEECH_NOUNS:
        for c in tok.children:
            if c.dep_ == "poss":
                return c
            if c.dep_ == "prep" and c.lower_ in lx.SOURCE_PREPS_OF_SPEECH:
                for g in c.children:
                    if g.dep_ == "pobj":
                        return g
    return tok


def _possessor_chars(tok: Token) -> set[int]:
    """Character offsets where the possessors of ``tok`` and of its appositions begin."""
    heads = [tok] + [c for c in tok.children if c.dep_ == "appos"]
    return {t.idx for h in heads for c in h.children if c.dep_ == "poss" for t in c.subtree}


class _Speakers:
    """Speaker lookup for one article."""

    def __init__(self, ctx: DocContext, quotes: list[Quote]):
        self.ctx = ctx
        self.doc = ctx.doc
        # offsets inside a quotation or on its marks, as a set: asked for most tokens
        self.quoted_chars = {i for q in quotes for i in range(q.start - 1, q.end + 1)}

    def inside_quote(self, tok: Token) -> bool:
        return tok.idx in self.quoted_chars

    def resolve(self, tok: Token | None) -> str | None:
        """The actor a speaker token stands for ("the paper's editorial said": the paper)."""
        if tok is None:
            return None
        tok = _by_agent(tok)
        actors = self.ctx.actors
        key = actors.resolve_token(tok)
        if key and self._is_person(key):
            return key
        # "Chilean Envoy to the OSCE Ana Rojas": the person named in the
        # subject phrase speaks, not the state or body qualifying the title
        person = self._person_in(tok) or self._named_person(tok)
        if person:
            return person
        if key:
            return key
        # a name whose head token is not itself a mention: try its compound name span (not
        # a possessor: in "his father said" the father speaks, not "his")
        left = min(
            (c.i for c in tok.children if c.dep_ in {"compound", "amod"} and c.i < tok.i),
            default=tok.i,
        )
        key = actors.resolve_span(self.doc[left : tok.i + 1])
        if key:
            return key
        for c in tok.children:
            if c.dep_ in {"appos", "compound"}:
                key = actors.resolve_token(c)
                if key:
                    return key
        return None

    def _named_person(self, tok: Token) -> str | None:
        """The person a speaker phrase gives by name: "a fisherman named Tomas", "a guard
        identified only as Tomas", "a student using the pseudonym Tomas"."""
        names: list[Token] = []
        for c in tok.children:
            if c.dep_ != "acl":
                continue
            for g in c.children:
                if c.lemma_.lower() in lx.NAMING_VERBS and g.dep_ == "oprd":
                    names.append(g)
                if c.lemma_.lower() in lx.NAMING_VERBS and g.dep_ == "prep" and g.lower_ == "as":
                    names += [x for x in g.children if x.dep_ == "pobj"]
                if g.dep_ == "dobj" and g.lemma_.lower() in lx.NAMING_NOUNS:
                    names += [x for x in g.children if x.dep_ == "appos"]
                    names += [x for x in self.doc[g.i + 1 : g.i + 2] if x.pos_ == "PROPN"]
        for n in names:
            key = self.ctx.actors.resolve_token(n)
            if key and self._is_person(key):
                return key
        return None

    def _is_person(self, key: str) -> bool:
        actor = self.ctx.actors.actors.get(key)
        return actor is not None and actor.kind == ActorKind.PERSON

    def _person_in(self, tok: Token) -> str | None:
        """A person mentioned in the subject phrase's name part (compounds, appositions)."""
        parts = [tok] + [c for c in tok.children if c.dep_ in {"compound", "appos", "flat"}]
        lo = min(t.left_edge.i for t in parts)
        hi = max((t.right_edge.i for t in parts if t.dep_ == "appos"), default=tok.i)
        span = self.doc[lo : hi + 1]
        possessors = _possessor_chars(tok)
        for m in self.ctx.actors.mentions_in(span.start_char, span.end_char):
            if m.span.start in possessors:
                continue  # "the minister's aide said": the aide speaks
            if self._is_person(m.actor) and m.text.lower() not in lx.SPEAKER_PRONOUNS:
                return m.actor
        # "Envoy to the OSCE Ana X": the parser glues the name to the title's
        # complement; a person named right after an organisation there is the speaker
        if tok.lower_ in lx.TITLE_NOUNS:
            for c in tok.children:
                if c.dep_ != "prep":
                    continue
                for g in c.children:
                    sub = self.doc[g.left_edge.i : g.i + 1]
                    ms = self.ctx.actors.mentions_in(sub.start_char, sub.end_char)
                    for a, b in zip(ms, ms[1:], strict=False):
                        if not self._is_person(a.actor) and self._is_person(b.actor):
                            return b.actor
        return None

    def reporting_verbs(self, tokens: list[Token]) -> list[Token]:
        return [t for t in tokens if _is_reporting(t) and not self.inside_quote(t)]

    def attribute(self, q: Quote) -> tuple[Token | None, bool]:
        """Speaker token for a quotation, and whether the sentence had a cue of its own."""
        qtoks = _tokens_in(self.doc, q.start, q.end)
        if not qtoks:
            return None, False
        # qtoks run in text order: the first and last sentences are those of the end tokens
        first, last = qtoks[0].sent, qtoks[-1].sent
        around = [t for t in self.doc[first.start : last.end] if not self.inside_quote(t)]
        # the sentence right before, when it ends with a colon: 'X said: "..."'
        if first.start > 0:
            prev = self.doc[first.start - 1].sent
            tail = [t for t in prev if not t.is_space]
            if tail and tail[-1].text == ":" and not self.inside_quote(tail[-1]):
                around = [t for t in prev if not self.inside_quote(t)] + around
        # 1. a reporting verb that governs a quoted token, nearest first
        for tok in qtoks:
            for hops, cur in enumerate(ancestors(tok)):
                if hops >= 8:
                    break
                if not self.inside_quote(cur) and _is_reporting(cur):
                    subj = _subject(cur)
                    if subj is not None:
                        return subj, True
            break
        # 2. any reporting verb next to the quote in its sentence(s), nearest first
        verbs = self.reporting_verbs(around)
        verbs.sort(key=lambda v: min(abs(v.idx - q.start), abs(v.idx - q.end)))
        for verb in verbs:
            subj = _subject(verb)
            if subj is not None:
                return subj, True
        # 3. "according to X"
        acc = _according_to(around)
        if acc is not None:
            return acc, True
        return None, False

    def preceding(self, q: Quote, para_start: int) -> Token | None:
        """Nearest preceding subject of a reporting verb in the paragraph."""
        starts = self.ctx.starts
        within = self.ctx.tokens[
            bisect.bisect_left(starts, para_start) : bisect.bisect_left(starts, q.start)
        ]
        toks = [t for t in within if not self.inside_quote(t)]
        for t in reversed(toks):
            if _is_reporting(t):
                subj = _subject(t)
                if subj is not None:
                    return subj
        return None


def _keep(text: str, q: Quote, quotes: list[Quote]) -> bool:
    """Whether the marks enclose a quotation to record: four words or more (the annotation
    guidelines cite 4-10 words of a quotation; shorter quoted phrases are scare quotes,
    names and mentioned words: "the so-called 'reform'"), or a short piece of a quotation
    split by its reporting clause ('"We will," she said, "and soon."'); not a title."""
    inner = text[q.start : q.end]
    if _looks_like_title(inner):
        return False
    return _word_count(inner) >= _MIN_WORDS or any(
        o != q and _split_pair(text, q, o) for o in quotes
    )


def _split_pair(text: str, a: Quote, b: Quote) -> bool:
    """Whether two quotations are the pieces of one, around a short reporting clause in
    the same paragraph, the other of four words or more."""
    first, second = (a, b) if a.start < b.start else (b, a)
    between = text[first.end : second.start]
    return (
        len(between) <= _SPLIT_GAP
        and "\n" not in between
        and bool(_NEW_SPEAKER.search(between))
        and _word_count(text[b.start : b.end]) >= _MIN_WORDS
    )


def _paragraph_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def find_statements(ctx: DocContext) -> tuple[Statement, ...]:
    """Every direct quotation in the article with its speaker and date.

    Args:
        ctx: The article under extraction; ``ctx.actors`` resolves speakers.

    Returns:
        Statements in text order; ``quote`` is exactly the text inside the marks and
        ``span`` its offsets. Quotations whose speaker cannot be resolved to an actor are
        left out (the knowledge graph only records attributed speech).

    Example:
        ``"We will respond," Mara Lindqvist said.`` → ``Statement(quote="We will
        respond,", speaker="mara-lindqvist", ...)``
    """
    text = ctx.article.text
    doc = ctx.doc
    quotes = find_quotes(text)
    spk = _Speakers(ctx, quotes)
    out: list[Statement] = []
    said: list[tuple[int, str]] = []  # (offset, speaker) of statements so far
    for q in quotes:
        para = _paragraph_start(text, q.start)
        tok, cued = spk.attribute(q)
        if not _keep(text, q, quotes):
            continue
        speaker = spk.resolve(tok)
        if speaker is None and tok is not None and tok.lower_ in lx.SPEAKER_PRONOUNS:
            speaker = _latest_speaker(spk, said, q, text, para, _pronoun_kinds(tok))
        if speaker is None and not cued:
            prev_para = _paragraph_start(text, said[-1][0]) if said else -1
            between = text[said[-1][0] : q.start] if said else ""
            all_quote = _paragraph_is_quote(text, para, quotes)
            if said and (
                q.continues
                or all_quote
                and _previous_paragraph(text, para) <= prev_para
                or prev_para == para
                and not _has_own_cue(between)
            ):
                speaker = said[-1][1]
            else:
                speaker = spk.resolve(spk.preceding(q, para))
        if speaker is None:
            continue
        date = _statement_date(ctx, q)
        out.append(
            Statement(
                quote=text[q.start : q.end],
                span=span_of(doc, q.start, q.end),
                speaker=speaker,
                date=date,
            )
        )
        said.append((q.end, speaker))
    return tuple(out)


def _pronoun_kinds(tok: Token) -> tuple[bool, bool]:
    """(persons allowed, non-persons allowed) as the speaker a pronoun may stand for."""
    low = tok.lower_
    if low in lx.PERSON_SPEAKER_PRONOUNS:
        return True, False
    if low == "it":
        return False, True
    return True, True


def _latest_speaker(
    spk: _Speakers,
    said: list[tuple[int, str]],
    q: Quote,
    text: str,
    para: int,
    kinds: tuple[bool, bool] = (True, True),
) -> str | None:
    """For an unresolved pronoun speaker: the latest named source before the quote.

    Candidates are the previous statement's speaker and resolvable subjects of reporting
    verbs in this and the two previous paragraphs; the one nearest the quote wins. "He"
    and "she" only stand for persons, "it" never does (``kinds``).
    """

    def fits(key: str) -> bool:
        return kinds[0] if spk._is_person(key) else kinds[1]

    said = [s for s in said if fits(s[1])]
    best: tuple[int, str] | None = said[-1] if said else None
    start = _previous_paragraph(text, _previous_paragraph(text, para))
    toks = [t for t in spk.doc if start <= t.idx < q.start and not spk.inside_quote(t)]
    for t in reversed(toks):
        if _is_reporting(t) and not (
            t.dep_ in {"ccomp", "xcomp", "advcl", "relcl"}
            and any(_is_reporting(a) for a in t.ancestors)
        ):
            subj = _subject(t)
            if subj is None or subj.lower_ in lx.SPEAKER_PRONOUNS:
                continue
            key = spk.resolve(subj)
            if key and fits(key):
                if best is None or t.idx > best[0]:
                    best = (t.idx, key)
                break
    return best[1] if best else None


def _paragraph_is_quote(text: str, para: int, quotes: list[Quote]) -> bool:
    """Whether the paragraph holds nothing but quotations (and punctuation)."""
    end = text.find("\n", para)
    end = len(text) if end < 0 else end
    rest = text[para:end]
    for q in quotes:
        if para <= q.start < end:
            rest = rest[: q.start - para] + " " * (q.end - q.start) + rest[q.end - para :]
    return not re.search(r"\w", rest)


def _previous_paragraph(text: str, para: int) -> int:
    """Start offset of the non-blank paragraph before the one starting at ``para``."""
    i = para - 1
    while i > 0 and text[i - 1] in "\n \t\r":
        i -= 1
    return text.rfind("\n", 0, i) + 1 if i > 0 else 0


def _has_own_cue(between: str) -> bool:
    """Whether text between two quotations introduces a new speaker (a reporting clause)."""
    return bool(_NEW_SPEAKER.search(between)) and bool(re.search(r"\b[A-Z][a-z]+", between))


def _statement_date(ctx: DocContext, q: Quote) -> dt.date | None:
    """Publication date unless the reporting clause dates the remark ("said on Friday")."""
    published = ctx.article.published
    toks = _tokens_in(ctx.doc, q.start, q.end)
    if not toks:
        return published
    sent = toks[0].sent
    outside = [(t.idx, t.idx + len(t)) for t in sent if not (q.start - 1 <= t.idx < q.end + 1)]
    if not outside or published is None:
        return published
    a, b = outside[0][0], outside[-1][1]
    clause = ctx.article.text[a:b]
    # remove the quoted words themselves before looking for dates
    rel_a, rel_b = max(q.start - a, 0), max(q.end - a, 0)
    clause = clause[:rel_a] + " " * (rel_b - rel_a) + clause[rel_b:]
    d = first_date(clause, published, is_future(sent.root))
    return d.date if d is not None and d.date is not None else published


def add_statements(ctx: DocContext) -> None:
    """Run :func:`find_statements` and keep the result as ``ctx.statements``."""
    ctx.statements = find_statements(ctx)


#: The statements stage: direct quotations and their speakers.
STAGE = Stage(
    "statements",
    add_statements,
    requires=("article", "doc", "actors", "coreference"),
    assigns=("statements",),
)
