"""Posts: who holds which office ("Chilean Deputy Foreign Minister Ana Rojas").

Three syntactic shapes are read, each around a person mention found by the actor stage:

* a title run before the name: ``[qualifier] title-words Name`` where the qualifier is a
  demonym ("Chilean"), a possessive state ("Peru's") or an organisation ("ASEAN");
* an apposition after the name: ``Name, [the|a] [qualifier] title [of X],``;
* a title phrase before the name, set off by a comma: ``the head of X, Name``.

The title keeps the words as written (title-cased, without the person's name and the
qualifier); the organisation is the qualifier's actor key.

Example:
    >>> # "Chilean Deputy Foreign Minister Ana Rojas said ..." gives
    >>> # Post("ana-rojas", "Deputy Foreign Minister", "chile", span)

Why one module of over 500 lines: it is one stage: the three title shapes share the
candidate and merging code around one person mention.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from kg_builder.extract import lexicon as lx
from kg_builder.extract.context import DocContext, Stage, span_of_tokens
from kg_builder.models import ActorKind, Mention, Post
from kg_builder.nlp import gazetteer

#: A title's words and the actor key of its organisation.
_Candidate = tuple[list[Token], str | None]


def is_title_word(tok: Token) -> bool:
    """True for a word that can belong to an office title ("Deputy", "Minister", "Gen.")."""
    low = tok.lower_
    return low in lx.TITLE_NOUNS or low in lx.TITLE_MODIFIERS


def title_case(words: list[str]) -> str:
    """Title-case the words of a title, keeping small words and acronyms as they are.

    Args:
        words: The title's words as written.

    Returns:
        E.g. ``["deputy", "secretary", "of", "state"]`` → ``"Deputy Secretary of State"``.
    """
    out = []
    for i, w in enumerate(words):
        if w.isupper() or (i and w.lower() in lx.TITLE_SMALL_WORDS) or not w[:1].isalpha():
            out.append(w if not (i and w.lower() in lx.TITLE_SMALL_WORDS) else w.lower())
        else:
            out.append(w[:1].upper() + w[1:])
    return " ".join(out).replace(" - ", "-").replace(" \u2010 ", "-")


def _qualifier(ctx: DocContext, tok: Token) -> str | None:
    """Actor key a title qualifier token stands for (demonym, state, organisation)."""
    st = gazetteer.state_by_demonym(tok.text)
    if st is not None and tok.text[:1].isupper():
        return st.key if st.key in ctx.actors.actors else None
    key = ctx.actors.resolve_token(tok)
    if key is None:
        return None
    actor = ctx.actors.actors.get(key)
    if actor is None or actor.kind == ActorKind.PERSON:
        return None
    return key


def _part_of(ctx: DocContext, key: str, state: str) -> bool:
    """Whether actor ``key`` belongs to ``state`` ("the Knesset" to Israel)."""
    actor = ctx.actors.actors.get(key)
    return actor is not None and actor.part_of == state


def _is_body(ctx: DocContext, key: str) -> bool:
    """Whether actor ``key`` is an organisation or body, not a state."""
    actor = ctx.actors.actors.get(key)
    return actor is not None and actor.kind not in {ActorKind.STATE, ActorKind.PERSON}


def _title_before(ctx: DocContext, start: Token) -> tuple[list[Token], str | None]:
    """The title run right before a name, and the qualifier's actor key.

    Walks left from the name over title words ("Deputy Finance Minister Mara Lind"); stops
    at a qualifier (a demonym, a state or an organisation: "Valdoran", "Valdora's",
    "ACME"), which becomes the post's organisation unless a preposition makes it part of the
    title ("Envoy to Valdora").
    """
    doc = ctx.doc
    i = start.i - 1
    sent_start = start.sent.start
    toks: list[Token] = []
    org: str | None = None
    of_org: str | None = None
    while i >= sent_start:
        t = doc[i]
        if t.text in ("'s", "\u2019s", "\u2019", "'") and i - 1 >= sent_start:
            org = _qualifier(ctx, doc[i - 1])
            break
        if t.lower_ in lx.HONORIFICS:
            i -= 1
            continue
        q = _qualifier(ctx, t)
        if _split_title_piece(t, toks, sent_start) or (
            is_title_word(t) and not q and t.pos_ != "VERB"
        ):
            toks.append(t)
            i -= 1
            continue
        if q is not None:
            first, go_on = _around_qualifier(ctx, t, sent_start, bool(toks))
            if of_org is not None and first is None and not _part_of(ctx, of_org, q):
                # "Valdora director of the Fund": the place is the post's scope, the body
                # after "of" its organisation
                m = ctx.actors.mention_at(t.idx, t.idx + len(t))
                lo = t.i
                while m is not None and lo - 1 >= sent_start and doc[lo - 1].idx >= m.span.start:
                    lo -= 1
                toks.extend(reversed(doc[lo : i + 1]))
                org = of_org
                break
            if first is not None:
                toks.extend(reversed(doc[first : i + 1]))
            if go_on and first is not None:
                if doc[first].lower_ == "of" and _is_body(ctx, q):
                    of_org = q
                i = first - 1
                continue
            org = q
            break
        if _name_word_in_title(t, toks, start):
            toks.append(t)
            i -= 1
            continue
        break
    toks.reverse()
    while toks and toks[0].lower_ in lx.TITLE_PREPS | {"the"}:
        toks.pop(0)
    return toks, org


def _split_title_piece(t: Token, toks: list[Token], sent_start: int) -> bool:
    """A piece of a title the tokenizer split off: the hyphen of "Director-General", the
    stop of "Lt. Gen.", the preposition of "Secretary of State" (``toks``: the title words
    found so far, right to left)."""
    doc = t.doc
    i = t.i
    if i - 1 < sent_start:
        return False
    if t.text in ("-", "\u2010") and toks and is_title_word(doc[i - 1]):
        return True
    if t.text == "." and doc[i - 1].lower_ in lx.RANKS:
        return True
    return bool(
        toks
        and t.lower_ in lx.TITLE_PREPS
        and is_title_word(doc[i - 1])
        and _title_noun_before(doc, i - 1, sent_start)
        and not any(x.lower_ in lx.TITLE_NOUNS for x in toks)
    )


def _title_noun_before(doc: Doc, i: int, sent_start: int) -> bool:
    """Whether a title noun ends the title words that end at token ``i`` ("Secretary of
    State" before "for ...": "State" is a modifier, "Secretary" the noun before it)."""
    for j in range(i, max(sent_start, i - 4) - 1, -1):
        if doc[j].lower_ in lx.TITLE_NOUNS:
            return True
        if not (is_title_word(doc[j]) or doc[j].lower_ in lx.TITLE_PREPS):
            return False
    return False


def _around_qualifier(
    ctx: DocContext, t: Token, sent_start: int, after_title: bool
) -> tuple[int | None, bool]:
    """How the title run goes on at a qualifier ``t`` (the whole mention it is part of).

    Returns:
        ``(first, go_on)``: the first token of the words to add to the title (None: none)
        and whether the walk goes on left of them. "Envoy to (the) Valdora": the
        preposition makes the qualifier part of the title, go on; "Local ACME president"
        (``after_title``): a title word before the organisation joins the title, stop.
    """
    doc = ctx.doc
    m = ctx.actors.mention_at(t.idx, t.idx + len(t))
    j = t.i
    if m is not None:
        while j - 1 >= sent_start and doc[j - 1].idx >= m.span.start:
            j -= 1
    k = j - 1
    if k >= sent_start and doc[k].lower_ == "the":
        k -= 1
    if (
        k - 1 >= sent_start
        and doc[k].lower_ in lx.TITLE_PREPS
        and doc[k - 1].lower_ in lx.TITLE_NOUNS
    ):
        return k, True
    if (
        after_title
        and j - 1 >= sent_start
        and doc[j - 1].lower_ in lx.TITLE_MODIFIERS
        and doc[j - 1].text[:1].isupper()
    ):
        return j - 1, False
    return None, False


def _name_word_in_title(t: Token, toks: list[Token], start: Token) -> bool:
    """A capitalised word inside a title: a place ("Arctic envoy") or an unknown head
    after known title words ("Affairs Chief")."""
    if t.text[:1].isupper() and t.pos_ == "PROPN" and toks and t.ent_type_ in ("LOC", ""):
        return True
    i = t.i
    return (
        t.text[:1].isupper()
        and t.pos_ in ("PROPN", "NOUN")
        and not toks
        and i == start.i - 1
        and i - 1 >= start.sent.start
        and t.doc[i - 1].lower_ in lx.TITLE_MODIFIERS
    )


def _has_head(toks: list[Token]) -> bool:
    words = [t.lower_ for t in toks]
    if any(w in lx.TITLE_NOUNS for w in words):
        return True
    caps = [t for t in toks if t.text[:1].isupper()]
    return len(caps) >= 3 and sum(w in lx.TITLE_MODIFIERS for w in words) >= 1


def _phrase_title(ctx: DocContext, toks: list[Token]) -> tuple[list[Token], str | None]:
    """Split a title phrase ("Chile's deputy foreign minister") into title words and org."""
    org = None
    out: list[Token] = []
    skip_until = -1
    for n, t in enumerate(toks):
        if t.i <= skip_until:
            continue
        if not out and (t.lower_ in lx.ARTICLES or t.pos_ in _NOT_TITLE_OPENERS or t.is_punct):
            continue  # "currently the ambassador", "as well as the administrator"
        if t.text in ("'s", "\u2019s"):
            out = []  # "Ana Lind's chief of staff": the possessor is not part of the title
            continue
        q = _qualifier(ctx, t) if not is_title_word(t) else None
        if q is not None:
            m = ctx.actors.mention_at(t.idx, t.idx + len(t))
            end = m.span.end if m else t.idx + len(t)
            skip_until = max(x.i for x in toks if x.idx < end)
            prev = out[-1] if out else None
            rest = [x for x in toks if x.i > skip_until and not x.is_punct]
            if prev is not None and prev.lower_ == "of" and rest and rest[0].text[:1].isupper():
                # "the Workers' Party of Laos Central Committee": part of a longer name
                out.extend(x for x in toks[n:] if x.i <= skip_until)
            elif prev is not None and prev.lower_ == "of" and org is None:
                out.pop()  # "Foreign Minister of Peru": the organisation, not the title
                org = q
            elif prev is not None and prev.lower_ in lx.TITLE_PREPS:
                out.extend(x for x in toks[n:] if x.i <= skip_until)
            elif org is None:
                org = q
            continue
        out.append(t)
    while out and out[-1].lower_ in lx.TITLE_PREPS | {"the", ","}:
        out.pop()
    return out, org


#: Parts of speech that open the phrase around a title, not the title ("currently the
#: ambassador", "and prime minister", "as well as the administrator").
_NOT_TITLE_OPENERS = frozenset({"ADV", "CCONJ", "SCONJ", "ADP", "PART"})
#: Participles that may follow an apposition ("X, the envoy appointed in May"); a finite verb
#: after it makes it the subject of a new clause ("X, the council voted").
_PARTICIPLES = frozenset({"VBG", "VBN"})
#: Marks that close an apposition.
_CLOSERS = frozenset({",", ".", ";", ":", "(", ")", "[", "]", "\u2014", "\u2013"})


def _names_another_person(ctx: DocContext, phrase: list[Token], key: str) -> bool:
    """Whether a title phrase holds a name or pronoun of a person other than ``key`` after
    its last possessive: then it is another list item's title ("X, Minister Y and ...")."""
    last_poss = max((n for n, t in enumerate(phrase) if t.text in ("'s", "\u2019s")), default=-1)
    rest = phrase[last_poss + 1 :]
    if not rest:
        return False
    lo, hi = rest[0].idx, rest[-1].idx + len(rest[-1])
    for m in ctx.actors.mentions_in(lo, hi):
        actor = ctx.actors.actors.get(m.actor)
        if actor is not None and actor.kind == ActorKind.PERSON and m.actor != key:
            return True
    return False


def _appositions(ctx: DocContext, first: Token, last: Token) -> list[list[Token]]:
    """Title phrases next to a name: "Name, a title ...," and "title ..., Name"."""
    doc = ctx.doc
    sent = first.sent
    phrases: list[list[Token]] = []
    # after the name: ", [det] phrase ," up to a comma, verb or clause
    i = last.i + 1
    if i < sent.end and doc[i].text == ",":
        j = i + 1
        if (
            j < sent.end
            and doc[j].lower_ in ("who", "which")
            and j + 1 < sent.end
            and doc[j + 1].lemma_ == "be"
        ):
            j += 2
        phrase: list[Token] = []
        if j < sent.end and (
            doc[j].pos_ in ("ADP", "SCONJ", "PRON", "VERB", "AUX")
            or doc[j].lower_ in lx.RELATIVE_WORDS
        ):
            j = sent.end
        while j < sent.end and doc[j].text not in _CLOSERS and doc[j].pos_ not in ("VERB", "AUX"):
            phrase.append(doc[j])
            j += 1
        if (
            j == sent.end
            or doc[j].text in _CLOSERS
            or doc[j].is_space
            or doc[j].tag_ in _PARTICIPLES
        ):
            # an apposition is closed by a mark; "X, the council voted" is a new clause
            phrases.extend(_split_conj(phrase))
    # before the name: "phrase, Name"
    if first.i - 1 > sent.start and doc[first.i - 1].text == ",":
        j = first.i - 2
        phrase = []
        while (
            j >= sent.start
            and doc[j].text not in _CLOSERS
            and doc[j].pos_ not in ("VERB", "AUX", "ADP")
            or (j >= sent.start and (doc[j].lower_ in lx.TITLE_PREPS or is_title_word(doc[j])))
        ):
            phrase.insert(0, doc[j])
            j -= 1
        while phrase and phrase[0].lower_ in lx.TITLE_PREPS:
            phrase.pop(0)
        if j < sent.start or doc[j].pos_ not in ("VERB", "AUX"):
            phrases.append(phrase)  # not the object of a verb ("holding the post of ...")
    return [p for p in phrases if p]


def _split_conj(phrase: list[Token]) -> list[list[Token]]:
    """Two titles joined by "and" ("deputy premier and finance minister"), not a title whose
    field has two words ("minister for trade and industry")."""
    out: list[list[Token]] = [[]]
    for n, t in enumerate(phrase):
        if t.lower_ == "and" and _title_follows(phrase[n + 1 :]):
            out.append([])
            continue
        out[-1].append(t)
    return out


def _title_follows(rest: list[Token]) -> bool:
    """Whether the words after "and" are a title of their own: title words up to a title
    noun."""
    for t in rest[:5]:
        if t.lower_ in lx.TITLE_NOUNS or t.lower_.rsplit("-", 1)[-1] in lx.TITLE_NOUNS:
            return True
        # "and the current speaker": articles, adjectives and names may come first
        if not (
            is_title_word(t) or t.lower_ in lx.ARTICLES or t.text[:1].isupper() or t.pos_ == "ADJ"
        ):
            return False
    return False


def _apposition_title(ctx: DocContext, phrase: list[Token], key: str) -> _Candidate | None:
    """The title in an apposition phrase, if the phrase is one: it names no other person
    and is headed by a title noun ("the head of the agency", not "official statements")."""
    if _names_another_person(ctx, phrase, key):
        return None
    words, org = _phrase_title(ctx, phrase)
    if not words or words[-1].lower_ in ("'s",) or len(words) > 14 or not _headed(words):
        return None
    return words, org


def _headed(words: list[Token]) -> bool:
    """Whether the title's head (its last word before an "of/for/to ..." complement) is a
    title noun ("head of the agency", "special assistant to the mayor")."""
    head = words[-1]
    for n, w in enumerate(words[1:], start=1):
        if w.lower_ in lx.TITLE_PREPS:
            head = words[n - 1]
            break
    return head.lower_.rsplit("-", 1)[-1] in lx.TITLE_NOUNS


def _membership(title: str, org: str | None, ctx: DocContext) -> bool:
    """A bare "member", or membership of a party itself ("Member of the Labour Party"; a
    seat on one of its bodies is a post): not a post."""
    words = title.split()
    if words[0].lower() != "member":
        return False
    actor = ctx.actors.actors.get(org) if org else None
    if len(words) == 1:
        return actor is None or actor.kind == ActorKind.POLITICAL_PARTY
    return words[-1] in lx.PARTY_CUES


def _candidates(ctx: DocContext, m: Mention, span: SpacySpan) -> list[_Candidate]:
    """Title phrases around one mention of a person: a title run before it, appositions."""
    out: list[_Candidate] = []
    toks, org = _title_before(ctx, span[0])
    if toks and _has_head(toks):
        out.append((toks, org))
    for phrase in _appositions(ctx, span[0], span[-1]):
        cand = _apposition_title(ctx, phrase, m.actor)
        if cand is not None:
            out.append(cand)
    out.extend(_predicate_titles(ctx, span))
    return out


def _predicate_titles(ctx: DocContext, span: SpacySpan) -> list[_Candidate]:
    """Titles a clause gives the person: "X became prime minister", "X serves as chief
    negotiator", "X was appointed envoy to Y", "Y named X ambassador" (each title of a
    coordination apart)."""
    subj = span.root
    verb = subj.head
    holds = (
        subj.dep_ in ("nsubj", "nsubjpass")
        and verb.lemma_ in lx.POST_VERBS
        or subj.dep_ == "nsubjpass"
        and verb.lemma_ in lx.APPOINT_VERBS
        or subj.dep_ == "dobj"
        and verb.lemma_ in lx.APPOINT_VERBS
    )
    if not holds:
        return []
    out: list[_Candidate] = []
    for head in _complements(verb):
        for part in [head, *(c for c in head.children if c.dep_ == "conj")]:
            words = [t for t in part.subtree if not _in_conj(t, part)]
            cut = next((n for n, t in enumerate(words) if t.i > part.i and t.pos_ == "CCONJ"), None)
            words = words[:cut]
            if not words or len(words) > 14 or any(t.pos_ in ("VERB", "AUX") for t in words):
                continue
            if _names_another_person(ctx, words, ctx.actors.resolve_token(subj) or ""):
                continue
            title, org = _phrase_title(ctx, words)
            if title and _headed(title) and part.lower_ in lx.TITLE_NOUNS | {"head"}:
                out.append((title, org))
    return out


def _complements(verb: Token) -> list[Token]:
    """The nouns that name what a post verb's subject is or becomes: an attribute or object
    predicate, or the object of "as"."""
    out = [c for c in verb.children if c.dep_ in ("attr", "oprd") and c.pos_ in ("NOUN", "PROPN")]
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ == "as":
            out.extend(g for g in c.children if g.dep_ == "pobj" and g.pos_ in ("NOUN", "PROPN"))
        if c.dep_ == "xcomp" and c.pos_ in ("NOUN", "PROPN"):
            out.append(c)
    return out


def _in_conj(t: Token, part: Token) -> bool:
    """Whether ``t`` belongs to a conjunct of ``part`` (another title of the coordination)."""
    return any(
        c.dep_ in ("conj", "cc") and c.left_edge.i <= t.i <= c.right_edge.i for c in part.children
    )


def _post_mention(ctx: DocContext, m: Mention) -> SpacySpan | None:
    """The tokens of a person's mention that can carry a post (a name, not a pronoun)."""
    actor = ctx.actors.actors.get(m.actor)
    if actor is None or actor.kind != ActorKind.PERSON:
        return None
    span = ctx.doc.char_span(m.span.start, m.span.end, alignment_mode="expand")
    if (
        span is None
        or not len(span)
        or not span[0].text[:1].isupper()
        or span[0].lower_ in lx.ARTICLES
        or len(span) == 1
        and span[0].lower_ in lx.POST_PRONOUNS
    ):
        return None
    return span


def find_posts(ctx: DocContext) -> tuple[Post, ...]:
    """Posts held by the persons of ``ctx.actors``.

    Args:
        ctx: The article with its actors found (and coreference resolved).

    Returns:
        Posts in text order, one per (person, title) pair.
    """
    found: dict[tuple[str, str], Post] = {}
    doc = ctx.doc
    for m in ctx.actors.mentions:
        span = _post_mention(ctx, m)
        if span is None:
            continue
        for words, org_key in _candidates(ctx, m, span):
            title = title_case([w.text for w in words])
            if not title or title.lower() in lx.HONORIFICS or _membership(title, org_key, ctx):
                continue
            key = (m.actor, title.lower())
            if key in found:
                continue
            lo = min([w.idx for w in words] + [m.span.start])
            hi = max([w.idx + len(w) for w in words] + [m.span.end])
            char_span = doc.char_span(lo, hi, alignment_mode="expand")
            if char_span is None:
                continue
            found[key] = Post(m.actor, title, org_key, span_of_tokens(char_span))
    return tuple(sorted(found.values(), key=lambda p: (p.span.start, p.person, p.title)))


def add_posts(ctx: DocContext) -> None:
    """Run :func:`find_posts` and keep the result as ``ctx.posts``."""
    ctx.posts = find_posts(ctx)


#: The posts stage: the posts held by the persons of the actor table.
STAGE = Stage("posts", add_posts, requires=("doc", "actors", "coreference"), assigns=("posts",))
