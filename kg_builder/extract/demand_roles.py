"""Who voices a demand and who must act: actor resolution for :mod:`.demands`.

The demander is the subject of the demand or reporting verb, "according to X", or the
speaker of the quotation the demand stands in, widened to the state or body a person
speaks for (their post's organisation). Pronouns and descriptions resolve through the
actor table (after coreference), then by kind-compatible antecedent. Media
organisations that only report are never demanders.

In an official statement (a government publisher, or an attribution line such as "The
following statement was released by X and Y" / "The below is attributable to Spokesperson
Z"), "we", "our" and "I" outside quotation marks are the issuer, and an obligation stated
without a reporting verb ("Ostland must release the crew") is the issuer's.
"""

from __future__ import annotations

import re

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from kg_builder.extract import lexicon as lx
from kg_builder.extract.clauses import is_passive
from kg_builder.extract.context import DocContext
from kg_builder.extract.tree import ancestors
from kg_builder.models import ActorKind
from kg_builder.nlp import gazetteer

_QUOTE_OPEN = "\u201c\u00ab\u201e"
_QUOTE_CLOSE = "\u201d\u00bb"
QUOTE_MARKS = '\u201c\u00ab\u201e\u201d\u00bb"'
#: Kinds of actor that report speech but do not voice demands.
NON_SPEAKERS = (ActorKind.MEDIA_ORGANISATION,)


class RoleFinder:
    """Resolves the demanders and addressees of one article's demands."""

    def __init__(self, ctx: DocContext) -> None:
        self.ctx = ctx
        self.doc = ctx.doc
        self.text = ctx.article.text
        self.quotes = quote_regions(self.text)
        # the same as a set of offsets: _in_quote() is asked for many tokens
        self.quoted_chars = {i for s, e in self.quotes for i in range(s, e)}
        self._issuer: list[str] | None = None

    def _widen(self, keys: list[str]) -> list[str]:
        """The demanders plus the state or body each speaks for."""
        base: list[str] = []
        for k in keys:
            actor = self.ctx.actors.actors.get(k)
            if actor is None or actor.kind in NON_SPEAKERS:
                continue
            base.append(k)
            if actor.kind == ActorKind.PERSON:
                base.extend(self._affiliation(k))
        out: list[str] = []
        for base_key in base:
            cur: str | None = base_key
            while cur and cur not in out:
                out.append(cur)
                parent = self.ctx.actors.actors.get(cur)
                cur = parent.part_of if parent is not None else None
        return out

    def _affiliation(self, person: str) -> list[str]:
        """States or bodies named in the descriptions of a person ("Chile's FM X")."""
        found: list[str] = []
        for m in self.ctx.actors.mentions:
            if m.actor != person:
                continue
            span = self.doc.char_span(m.span.start, m.span.end, alignment_mode="expand")
            if span is None or not len(span):
                continue
            head = span.root
            toks = list(span)
            for c in head.lefts:
                if c.dep_ in ("poss", "compound", "amod", "nmod") and c.i < span.start:
                    toks += [x for x in c.subtree if x.i < span.start]
            for t in sorted(toks, key=lambda x: x.i):
                if (
                    t.dep_ in ("det", "punct", "case")
                    or "\n" in self.text[min(t.idx, m.span.start) : max(t.idx, m.span.start)]
                ):
                    continue
                k = self.ctx.actors.resolve_token(t)
                if k and k != person:
                    a = self.ctx.actors.actors.get(k)
                    if a is not None and a.kind not in (ActorKind.PERSON, *NON_SPEAKERS):
                        found.append(k)
                        continue
                names = gazetteer.demonym_states().get(t.text.casefold())
                if names:
                    found.extend(self._actor_named(names))
        return list(dict.fromkeys(found))

    def _actor_named(self, names: tuple[str, ...]) -> list[str]:
        wanted = {n.casefold() for n in names}
        for key in sorted(self.ctx.actors.actors):
            a = self.ctx.actors.actors[key]
            if {a.name.casefold(), *(x.casefold() for x in a.aliases)} & wanted:
                return [key]
        return []

    # ------------------------------------------------------------------ who speaks

    def _voice(self, v: Token) -> list[str]:
        """Who voices the act of verb ``v``: its subject, else that of its governing verb."""
        t = v
        keys: list[str] = []
        for _ in range(4):
            subjs = [c for c in t.children if c.dep_ == "nsubj"]
            subj = next((c for c in subjs if self.keys(c)), subjs[0] if subjs else None)
            if subj is None and is_passive(t):
                agent = self._agent_keys(t)
                if agent:
                    keys = agent
                    break
                subj = child(t, ("nsubjpass",))
            if subj is not None and subj.lower_ == "who" and t.dep_ == "relcl":
                subj = t.head  # "X, who urged Y to V": the relative pronoun is X
            if subj is not None:
                keys = self.keys(subj)
                if (
                    not keys
                    and subj.pos_ != "PRON"
                    or subj.tag_ in ("WDT", "WP")
                    or self._thing_of_actor(subj)  # "Ostland's violation demands a response"
                ):
                    return []  # a thing, not an actor, does the asking
                break
            if t.dep_ in ("xcomp", "advcl", "conj", "ccomp", "acl", "pcomp") and t.head.i != t.i:
                t = t.head
                continue
            break
        keys = merge_keys(keys, self._reporting_voice(v))
        if not keys:
            keys = self._according_to(v.sent) or (
                self._quote_speaker(v) if self._in_quote(v) else []
            )
        return keys

    def _thing_of_actor(self, subj: Token) -> bool:
        """A common noun that is no actor, named only through its possessor or modifier."""
        return (
            subj.pos_ == "NOUN"
            and self.ctx.actors.resolve_token(subj) is None
            and subj.lemma_.lower() not in lx.PEOPLE_NOUNS
            and subj.lower_ not in lx.PEOPLE_NOUNS
        )

    def _clause_voice(self, v: Token, official: bool = True) -> list[str]:
        """Who voices a clause that is not itself a speech act (an obligation); with
        ``official``, the issuer of an official statement voices its unreported clauses."""
        keys = self._reporting_voice(v)
        if not keys:
            keys = self._according_to(v.sent)
        if not keys and (self._in_quote(v) or sentence_quoted(self, v.sent)):
            keys = self._quote_speaker(v)
        elif not keys and official and not self._in_quote(v):
            keys = self.issuer()  # an official statement speaks in its own voice
        return keys

    # ------------------------------------------------------------------ official statements

    def issuer(self) -> list[str]:
        """Who issues the article when it is an official statement, else nothing.

        The actors named after an attribution cue in the opening lines ("The following
        statement was released by X and Y", "attributable to Spokesperson Z"), and the state
        of a government publisher ("Ministry of Foreign Affairs of Ostland"); both must be
        actors of the article.
        """
        if self._issuer is None:
            self._issuer = merge_keys(self._byline(), self._publisher_state())
        return self._issuer

    def _byline(self) -> list[str]:
        """Actors named after an attribution cue in the article's first sentences."""
        for n, sent in enumerate(self.doc.sents):
            if n >= 3:
                break
            low = sent.text.lower()
            at = min((i for i in (low.find(c) for c in lx.ATTRIBUTION_CUES) if i >= 0), default=-1)
            if at < 0:
                continue
            start = sent.start_char + at
            # to the end of the line: the sentence splitter may stop at an initial ("J.")
            end = self.text.find("\n", start)
            end = len(self.text) if end < 0 else end
            keys = [m.actor for m in self.ctx.actors.mentions_in(start, end)]
            return [k for k in dict.fromkeys(keys) if self._speaks(k)]
        return []

    def _publisher_state(self) -> list[str]:
        """The state whose government body publishes the article ("The White House")."""
        source = self.ctx.article.source or ""
        for inst in gazetteer.institutions():
            if inst.surface in source and inst.state in self.ctx.actors.actors:
                return [inst.state]
        return []

    def _speaks(self, key: str) -> bool:
        actor = self.ctx.actors.actors.get(key)
        return actor is not None and actor.kind not in NON_SPEAKERS

    def _reporting_voice(self, v: Token) -> list[str]:
        """Subjects of the reporting verbs that govern ``v`` ("X said that ... v ...")."""
        keys: list[str] = []
        for t in ancestors(v):
            if t.lemma_.lower() in lx.REPORTING_VERBS and not self._in_quote(t):
                subj = child(t, ("nsubj",)) or (child(t, ("nsubjpass",)) if is_passive(t) else None)
                if subj is not None:
                    keys = merge_keys(keys, self.keys(subj))
        chain = {v.i, *(a.i for a in v.ancestors)}
        sent = v.sent
        for r in sent:
            # "X warned that <clause>" with the clause attached elsewhere by the parser
            nxt = r.nbor() if r.i + 1 < sent.end else None
            if (
                r.lemma_.lower() in lx.REPORTING_VERBS
                and r.pos_ == "VERB"
                and nxt is not None
                and nxt.lower_ == "that"
                and nxt.dep_ == "mark"
                and nxt.head.i in chain
                and not self._in_quote(r)
            ):
                keys = merge_keys(keys, self.keys(child(r, ("nsubj",))))
        root = sent.root
        for c in root.children if root.i != v.i else v.children:
            if (
                c.dep_ == "advcl"
                and c.lemma_.lower() in lx.REPORTING_VERBS
                and any(m.lower_ == "as" for m in c.children if m.dep_ == "mark")
            ):
                keys = merge_keys(keys, self.keys(child(c, ("nsubj",))))
        return keys

    def _according_to(self, sent: SpacySpan) -> list[str]:
        for t in sent:
            if t.lower_ == "according" and t.i + 1 < sent.end and t.nbor().lower_ == "to":
                obj = child(t.nbor(), ("pobj",))
                if obj is not None:
                    return self.keys(obj)
        return []

    def _quote_speaker(self, t: Token) -> list[str]:
        """Speaker of the quotation around ``t``: a reporting verb outside the quotes nearby."""
        sents = list(self.doc.sents)
        idx = next(i for i, s in enumerate(sents) if s.start <= t.i < s.end)
        order = [idx, idx + 1, idx - 1, idx - 2]
        for j in order:
            if not 0 <= j < len(sents):
                continue
            s = sents[j]
            if j != idx and not any(ch in s.text for ch in QUOTE_MARKS):
                continue
            for v in s:
                if (
                    v.lemma_.lower() in lx.REPORTING_VERBS
                    and v.pos_ in ("VERB", "AUX")
                    and not self._in_quote(v)
                ):
                    subj = child(v, ("nsubj",))
                    if subj is not None and subj.lower_ not in lx.FIRST_PERSON_PRONOUNS:
                        keys = self.keys(subj)
                        if keys:
                            return keys
        return []

    # ------------------------------------------------------------------ actor lookup

    def keys(self, tok: Token | None, exclude: list[str] | None = None) -> list[str]:
        """Actor keys a noun phrase refers to (its head, modifiers, coordinated nouns)."""
        if tok is None:
            return []
        out: list[str] = []
        for t in [tok, *tok.conjuncts]:
            if t.lower_ in lx.FIRST_PERSON_PRONOUNS and not self._in_quote(t) and self.issuer():
                out += [k for k in self.issuer() if k not in (exclude or [])]
                continue
            if _people(t):
                continue  # "Valdorans", "the Valdoran people": a citizenry, not its state
            k = self.ctx.actors.resolve_token(t)
            if k is None and t.pos_ == "PRON":
                k = self._pronoun(t, exclude or [])
            if k is None:
                for c in t.children:
                    if c.dep_ != "poss" and t.lemma_.lower() not in (
                        lx.PEOPLE_NOUNS | lx.DEMANDED_ACT_NOUNS
                    ):
                        continue  # "the Council resolutions" name no actor; "Council members" do
                    if c.dep_ in ("compound", "poss", "amod", "nmod") and c.i < t.i:
                        k = self.ctx.actors.resolve_token(c)
                        if k is None and c.dep_ in ("amod", "compound"):
                            names = gazetteer.demonym_states().get(c.text.casefold())
                            k = next(iter(self._actor_named(names)), None) if names else None
                        if k:
                            break
            if (
                k is None
                and t.pos_ == "NOUN"
                and t.tag_ != "NNS"  # "the countries" are not the one last named
                and any(c.dep_ == "det" and c.lower_ in lx.SINGULAR_DEFINITES for c in t.children)
            ):
                k = self._description(t, exclude or [])
            if k is None and t.lemma_ in lx.PARTITIVE_QUANTIFIERS:
                p = next((c for c in t.children if c.dep_ == "prep" and c.lower_ == "of"), None)
                pobj = child(p, ("pobj",)) if p is not None else None
                k = self.ctx.actors.resolve_token(pobj) if pobj is not None else None
            if k and k not in (exclude or []):
                out.append(k)
        return list(dict.fromkeys(out))

    def _description(self, t: Token, exclude: list[str]) -> str | None:
        """ "the spokesperson" / "the ministry": the nearest earlier actor of that sort."""
        lemma = t.lemma_.lower()
        if lemma in lx.PERSON_ROLE_NOUNS:
            return self._antecedent(t, {ActorKind.PERSON}, exclude)
        if lemma in lx.BODY_ROLE_NOUNS:
            ok = set(ActorKind) - {ActorKind.PERSON, *NON_SPEAKERS}
            kinds = lx.DESCRIPTION_ORG_HEADS.get(lemma, frozenset())
            if ActorKind.GOVERNMENT_BODY in kinds:  # "the government" is a state's, no alliance's
                ok = {*kinds, ActorKind.STATE}
            return self._antecedent(t, ok, exclude)
        return None

    def _pronoun(self, t: Token, exclude: list[str]) -> str | None:
        """Nearest earlier actor compatible with an unresolved pronoun."""
        low = t.lower_
        if low in lx.FIRST_PERSON_PRONOUNS:
            if self._in_quote(t):
                ks = [k for k in self._quote_speaker(t) if k not in exclude]
                return ks[0] if ks else None
            return None
        if low in lx.PERSON_PRONOUNS:
            ok = {ActorKind.PERSON}
        elif low in lx.THING_PRONOUNS | lx.PLURAL_PRONOUNS:
            ok = set(ActorKind) - {ActorKind.PERSON, *NON_SPEAKERS}
        else:
            return None
        return self._antecedent(t, ok, exclude)

    def _antecedent(self, t: Token, ok: set[ActorKind], exclude: list[str]) -> str | None:
        """Nearest earlier mention of an allowed kind, preferring sentence subjects."""
        fallback: str | None = None
        for m in reversed(self.ctx.actors.mentions):
            if m.span.start >= t.idx or m.actor in exclude:
                continue
            if t.idx - m.span.start > 600:
                break
            a = self.ctx.actors.actors.get(m.actor)
            if a is None or a.kind not in ok:
                continue
            root = self.ctx.root_at(m.span.start, m.span.end)
            if root is not None and root.dep_ in ("nsubj", "nsubjpass"):
                return m.actor  # subjects are the likeliest antecedents
            fallback = fallback or m.actor
        return fallback

    def _agent_keys(self, v: Token) -> list[str]:
        agent = child(v, ("agent",))
        return self.keys(child(agent, ("pobj",))) if agent is not None else []

    def _from_keys(self, t: Token | None, exclude: list[str]) -> list[str]:
        """Actors in "from Y" / "of Y" / "by Y" / "to Y" attached to ``t``."""
        out: list[str] = []
        if t is None:
            return out
        for c in t.children:
            if c.lower_ == "of" and t.lemma_.lower() in lx.PATIENT_ACT_NOUNS:
                continue  # "the release of X": X is acted upon
            if c.dep_ in ("prep", "agent", "dative") and c.lower_ in lx.SOURCE_PREPS:
                out += self.keys(child(c, ("pobj",)), exclude=exclude)
        return [k for k in dict.fromkeys(out) if k not in exclude]

    def _keys_in(self, toks: list[Token]) -> list[str]:
        """Actors named inside a demanded act; a people stands for its state there."""
        out: list[str] = []
        for t in sorted(toks, key=lambda x: x.i):
            k = self.ctx.actors.resolve_token(t)
            a = self.ctx.actors.actors.get(k) if k else None
            if a is not None and a.kind == ActorKind.COLLECTIVE_ACTOR:
                # "free elections for all Valdorans": a people's rights are asked of its state
                k = next(iter(self._people_state(t)), k)
                a = self.ctx.actors.actors.get(k) if k else None
            if k and k not in out and a is not None and a.kind not in NON_SPEAKERS:
                out.append(k)
        return out

    def _people_state(self, t: Token) -> list[str]:
        """The state (named in the article) whose people a demonym plural names."""
        low = t.text.casefold()
        demonyms = gazetteer.demonym_states()
        names = demonyms.get(low) or demonyms.get(low[:-1])
        return self._actor_named(names) if names else []

    def _in_quote(self, t: Token) -> bool:
        return t.idx in self.quoted_chars


def _people(t: Token) -> bool:
    """Whether a noun names a people by its demonym ("Valdorans", "the Valdoran people")."""
    if t.dep_ in ("amod", "compound"):
        return False
    if t.lemma_.lower() == "people" and any(
        c.dep_ in ("amod", "compound") and c.text[:1].isupper() for c in t.children
    ):
        return True
    # "many Valdorans", "young Valdorans"; "the Valdorans" may stand for their government
    if not any(c.dep_ in ("amod", "nummod") or c.lower_ in lx.QUANTIFIERS for c in t.children):
        return False
    low = t.text.casefold()
    names = gazetteer.demonym_states().get(low) or gazetteer.demonym_states().get(low[:-1])
    if not names:
        return False
    return t.text[:1].isupper() and low not in {n.casefold() for n in names}


def child(t: Token | None, deps: tuple[str, ...]) -> Token | None:
    """The first child of ``t`` whose dependency label is in ``deps``."""
    if t is None:
        return None
    return next((c for c in t.children if c.dep_ in deps), None)


def merge_keys(a: list[str], b: list[str]) -> list[str]:
    """``a`` then the keys of ``b`` not in ``a``, in order."""
    return list(dict.fromkeys([*a, *b]))


def sentence_quoted(finder: RoleFinder, sent: SpacySpan) -> bool:
    """Whether most of the sentence lies inside quotation marks."""
    inside = sum(1 for t in sent if finder._in_quote(t))
    return inside * 2 > len(sent)


#: The characters :func:`quote_regions` acts on: quotation marks and paragraph breaks.
_QUOTE_REGION_MARKS = re.compile(f'[{_QUOTE_OPEN}{_QUOTE_CLOSE}"]|\n(?=\n)')
#: Characters after which a straight quotation mark opens a quotation.
_BEFORE_OPENING = "([{\u2018\u2014-"


def quote_regions(text: str) -> list[tuple[int, int]]:
    """Character ranges inside quotation marks (curly, guillemets or straight).

    A straight mark opens a quotation when it follows a space, the start of the text or an
    opening bracket and a word follows it, and closes one otherwise; a quotation opened with
    a curly mark may close with a straight one. A quotation ends at a paragraph break: a
    quotation that runs over several paragraphs reopens each with a mark of its own.
    """
    regions: list[tuple[int, int]] = []
    start: int | None = None
    for mark in _QUOTE_REGION_MARKS.finditer(text):
        i, ch = mark.start(), mark.group()
        if ch == "\n":
            if start is not None:
                regions.append((start, i))
                start = None
            continue
        opening = ch in _QUOTE_OPEN or (ch == '"' and _opens(text, i, start is not None))
        if start is None and opening:
            start = i + 1
        elif start is not None and not opening:
            regions.append((start, i))
            start = None
    if start is not None:
        regions.append((start, len(text)))
    return regions


def _opens(text: str, i: int, inside: bool) -> bool:
    """Whether the straight quotation mark at ``i`` opens a quotation."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if not (before.isspace() or before in _BEFORE_OPENING):
        return False  # 'said."' or 'war".': it closes
    if after.isspace():
        return not inside  # a lone mark between spaces: the other one of a pair
    return True
