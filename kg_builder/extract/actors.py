"""Actors: persons, states, government bodies, organisations and collective actors.

Sources of mentions, in order of trust:

1. the gazetteer EntityRuler (added before spaCy's ``ner``): states and their aliases,
   capitals (metonymy), international organisations, media, national institutions;
2. spaCy's PERSON and ORG entities, classified by cue words (Party, Union, Bank, News...);
3. token rules: demonyms of actor nouns ("Chilean officials" → Chile), plural demonyms
   ("the Peruvians"), government bodies ("Chile's Foreign Ministry", "the Ministry of
   Defence of Peru"), collective actors ("the West", "Western countries"), acronyms
   introduced in parentheses or spelled by a name's initials, and bare surnames.

A capital or country used only as a place (object of a locative preposition, or a
dateline at the start of a line) is not a mention, unless the title names that state as
the article's topic ("Statement on Ruritania"); neither are photo captions.

Why one module of over 500 lines: it is one stage: finding, keying and typing actor mentions
share the recorder's state; its cue words live in ``lexicons.csv``, personal names in
:mod:`.names`.
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from kg_builder.extract import bodies, names
from kg_builder.extract import lexicon as lx
from kg_builder.extract.context import DocContext, Stage, span_of_tokens
from kg_builder.extract.posts import is_title_word
from kg_builder.extract.tree import climb
from kg_builder.models import Actor, ActorKind, Mention
from kg_builder.nlp import gazetteer

#: Entity labels of places and bodies: a lone word that gets one of them somewhere in the
#: article and a person's label elsewhere is no person's name.
_PLACE_OR_BODY_LABELS = frozenset({"GPE", "LOC", "FAC", "ORG"})


@dataclass
class _Draft:
    key: str
    name: str
    kind: ActorKind
    aliases: list[str] = field(default_factory=list)
    wikidata: str | None = None
    part_of: str | None = None
    #: The reference names of a gazetteer entry (its name and official aliases): the
    #: forms the article may write instead of the reference name (see :func:`_as_written`).
    official: tuple[str, ...] = ()


@dataclass
class _Builder:
    """Collects actors and mentions for one document, then fills ``ctx.actors``."""

    ctx: DocContext
    drafts: dict[str, _Draft] = field(default_factory=dict)
    # token span → key; changed only by mention() and unmention(), which keep _covering
    found: dict[tuple[int, int], str] = field(default_factory=dict)
    skip: set[int] = field(default_factory=set)  # token indices that cannot be actors
    acronyms: dict[str, str] = field(default_factory=dict)
    non_actor_acronyms: set[str] = field(default_factory=set)
    # token index → key of the first span in ``found`` covering it (None: rebuild)
    _covering: dict[int, str] | None = field(default=None, repr=False)

    @property
    def doc(self) -> Doc:
        return self.ctx.doc

    @property
    def tokens(self) -> list[Token]:
        return self.ctx.tokens

    # ------------------------------------------------------------- registry
    def actor(
        self,
        key: str,
        name: str,
        kind: ActorKind,
        *,
        aliases: tuple[str, ...] = (),
        wikidata: str | None = None,
        part_of: str | None = None,
    ) -> str:
        d = self.drafts.get(key)
        if d is None:
            d = self.drafts[key] = _Draft(key, name, kind, [], wikidata, part_of)
        for a in aliases:
            if a not in d.aliases:
                d.aliases.append(a)
        d.part_of = d.part_of or part_of
        return key

    def gaz_actor(self, e: gazetteer.Entry) -> str:
        key = self.actor(e.key, e.name, e.kind, aliases=e.aliases, wikidata=e.wikidata)
        names = (e.name, *e.aliases)
        self.drafts[key].official = tuple(
            s for n in names for s in gazetteer.apostrophe_spellings(n)
        )
        return key

    def mention(self, start: int, end: int, key: str) -> None:
        if any(i in self.skip for i in range(start, end)):
            return
        for s, e in self.found:
            if s <= start and end <= e and (s, e) != (start, end):
                return  # inside a longer mention
        for s, e in [k for k in self.found if start <= k[0] and k[1] <= end]:
            del self.found[(s, e)]
        self.found[(start, end)] = key
        self._covering = None
        d = self.drafts[key]
        text = self.doc[start:end].text
        if text.lower() not in lx.PERSONAL_PRONOUNS and text != d.name and text not in d.aliases:
            d.aliases.append(text)

    def unmention(self, start: int, end: int) -> None:
        """Forget the mention of tokens ``[start, end)``, if there is one."""
        if self.found.pop((start, end), None) is not None:
            self._covering = None

    def covered(self, i: int) -> str | None:
        """Key of the first recorded mention (in order of recording) covering token ``i``."""
        # asked for nearly every token, many times, while mentions change rarely: index the
        # tokens once per change instead of scanning all mentions on every call
        if self._covering is None:
            self._covering = {}
            for (s, e), k in self.found.items():
                for j in range(s, e):
                    self._covering.setdefault(j, k)
        return self._covering.get(i)

    # ------------------------------------------------------------- skips
    def mark_skips(self) -> None:
        """Datelines at line starts and photo captions / bylines without a verb."""
        doc = self.doc
        lines: list[list[Token]] = [[]]
        for t in self.tokens:
            if "\n" in t.text_with_ws and not t.is_space:
                lines[-1].append(t)
                lines.append([])
            elif t.is_space:
                if "\n" in t.text:
                    lines.append([])
            else:
                lines[-1].append(t)
        for line in lines:
            if not line:
                continue
            has_verb = any(t.pos_ in ("VERB", "AUX") for t in line)
            first = line[0]
            if first.text in lx.CAPTION_OPENERS or first.text.startswith("\u00a9"):
                self.skip.update(t.i for t in line)
                continue
            if not has_verb and any(t.ent_type_ == "PERSON" for t in line) and len(line) < 25:
                self.skip.update(t.i for t in line)
                continue
            # dateline: "LIMA, March 4." / "OSLO—" / "Nairobi:" / "ACCRA (GNA) –"
            run = [t for t in line[:4] if t.ent_type_ == "GPE" or t.is_upper]
            if run and run[0].i == first.i:
                end = first.i
                while end + 1 < len(doc) and doc[end + 1].ent_iob_ == "I":
                    end += 1
                nxt = doc[end + 1] if end + 1 < len(doc) else None
                after = doc[end + 2] if end + 2 < len(doc) else None
                clause = (  # "Lima, which hosts the talks, ...": a sentence, not a dateline
                    nxt is not None
                    and nxt.text == ","
                    and not first.is_upper
                    and after is not None
                    and after.is_lower
                )
                if (
                    nxt is not None
                    and not clause
                    and (
                        nxt.text in (",", ":", "(", "\u2014", "\u2013", "-", "--")
                        or nxt.text.startswith("\u2014")
                    )
                ):
                    self.skip.update(range(first.i, end + 1))
                    if not has_verb:
                        self.skip.update(t.i for t in line)

    def scan_acronyms(self) -> None:
        """ "Regional Water Sharing Plan (RWSP)": an acronym of a non-actor name."""
        doc = self.doc
        for t in self.tokens:
            if (
                t.text == "("
                and t.i + 2 < len(doc)
                and doc[t.i + 2].text == ")"
                and doc[t.i + 1].text.isupper()
            ):
                j = t.i - 1
                while j >= 0 and (
                    doc[j].text[:1].isupper() or doc[j].lower_ in lx.NAME_INNER_WORDS
                ):
                    j -= 1
                if {x.text for x in doc[j + 1 : t.i]} & lx.NON_ACTOR_CUES:
                    self.non_actor_acronyms.add(doc[t.i + 1].text)
                    self.skip.update(range(j + 1, t.i + 3))

    # ------------------------------------------------------------- entities
    def entities(self) -> None:
        persons: list[SpacySpan] = []
        for ent in self.ctx.ents:
            id_ = ent.ent_id_
            kind, _, ref = id_.partition(":")
            if kind in gazetteer.NAME_ID_KINDS and self.inside_name(ent):
                continue
            if kind in ("state", "capital"):
                e = gazetteer.entry(ref)
                if (
                    kind == "capital"
                    and ent.root.dep_ == "compound"
                    and ent.root.head.lower_ not in lx.ACTOR_NOUNS
                ):
                    continue  # "the Lisbon talks", "the Nairobi Declaration": a place in a name
                if e is not None and (not self.locative(ent) or e.key == self.ctx.topic_state):
                    # the state a statement is about is acted upon, even "in" it
                    self.mention(ent.start, ent.end, self.gaz_actor(e))
            elif kind in ("org", "media"):
                e = gazetteer.entry(ref)
                if e is not None:
                    self.mention(ent.start, ent.end, self.gaz_actor(e))
            elif kind == "inst":
                inst = gazetteer.institutions()[int(ref)]
                bodies.add_body(
                    self,
                    ent.start,
                    ent.end,
                    inst.state,
                    inst.function,
                    name=ent.text.removeprefix("the ").removeprefix("The "),
                )
            elif ent.label_ == "PERSON":
                persons.append(ent)
        self.persons(persons)
        for ent in self.ctx.ents:
            if not ent.ent_id_ and ent.label_ in ("ORG", "PERSON", "NORP", "GPE"):
                self.organisation(ent)

    def inside_name(self, ent: SpacySpan) -> bool:
        """A gazetteer name inside a longer proper name: "UN Ocean Treaty", "Chile Dockers
        Federation" (then read as an organisation of its own)."""
        doc = self.doc
        j = ent.end
        while (
            j < len(doc)
            and doc[j].text[:1].isupper()
            and doc[j].pos_ == "PROPN"
            and not doc[j].ent_id_
            and not is_title_word(doc[j])
        ):
            j += 1
        if j == ent.end:
            return False
        words = {t.text for t in doc[ent.end : j]}
        if words & lx.NON_ACTOR_CUES:
            self.skip.update(range(ent.start, j))
            return True
        if doc[j - 1].text in lx.ORGANISATION_HEAD_CUES and not words & lx.BODY_CUES:
            start = ent.start
            if start > 0 and doc[start - 1].lower_ == "the":
                start -= 1
            self.organisation(doc[start:j], force=True)
            return True
        return False

    def locative(self, ent: SpacySpan) -> bool:
        t = climb(ent.root, lambda t: t.dep_ in ("conj", "appos", "compound"))
        if t.dep_ == "pobj" and t.head.lower_ in lx.LOCATIVE_PREPS:
            return True
        return t.dep_ == "dobj" and t.head.lemma_ in lx.LOCATIVE_VERBS

    # ------------------------------------------------------------- persons
    def persons(self, ents: list[SpacySpan]) -> None:
        """Persons: names of PERSON entities (and names after titles), keyed by their
        longest form; then bare surnames of the names found."""
        spans = [n for n in map(self.person_name, ents) if n is not None]
        spans.extend(self.names_after_titles(spans))
        by_key = self.full_names(spans)
        keyed = sorted(by_key.items())
        forms = names.short_forms(keyed)
        for s, e in spans:
            self.mention_person(s, e, keyed, by_key, forms)
        self.surnames(forms)

    def person_name(self, ent: SpacySpan) -> tuple[int, int] | None:
        """The name in a PERSON entity, without titles, demonyms, honorifics and a
        possessive; None when it is an organisation or a modifier ("the Hollis era")."""
        doc = self.doc
        s, e = self._name_bounds(ent)
        if s < e and {doc[i].text for i in range(s, e)} & (
            lx.PARTY_CUES | lx.ARMED_CUES | lx.UNION_CUES | lx.BODY_CUES
        ):
            return None  # an organisation that NER took for a person: see organisation()
        cut = s
        while (
            cut < e
            and doc[cut].text not in ("'s", "\u2019s")
            and doc[cut].text not in lx.BODY_CUES | lx.MEDIA_CUES | {"Press"}
        ):
            cut += 1
        e = cut
        if s >= e or not all(_name_token(doc, i, s) for i in range(s, e)):
            return None
        words = {doc[i].text for i in range(s, e)}
        if words & (lx.ARMED_CUES | lx.BODY_CUES | lx.ORGANISATION_HEAD_CUES):
            return None  # an organisation that NER took for a person
        if doc[e - 1].text in lx.NAME_STOP_WORDS | lx.NON_ACTOR_CUES:
            return None  # a place or an event named after a person ("Lind Memorial Park")
        if self.covered(s) is not None:
            return None
        nxt = doc[e] if e < len(doc) else None
        if nxt is not None and nxt.lower_ in lx.NAME_MODIFIED_NOUNS:
            return None  # a name used as modifier: see bodies()
        root = doc[s:e].root
        if root.dep_ == "compound" and root.head.pos_ == "NOUN" and root.head.i >= e:
            return None
        return s, e

    def _name_bounds(self, ent: SpacySpan) -> tuple[int, int]:
        """The entity grown to the whole name (:func:`names.complete_name`), after a
        possessor ("the Fund's Ana Lind": the person follows it) and without the titles,
        demonyms, honorifics and occupations in front."""
        doc = self.doc
        s, e = names.complete_name(doc, ent.start, ent.end)
        poss = next((i for i in range(s, e - 1) if doc[i].text in ("'s", "\u2019s")), None)
        if poss is not None and doc[poss + 1].text[:1].isupper():
            s = poss + 1
        while s < e and (
            is_title_word(doc[s])
            or gazetteer.state_by_demonym(doc[s].text)
            or doc[s].lower_ in lx.NAME_PREFIXES
            or doc[s].lower_ in lx.OCCUPATION_NOUNS
        ):
            s += 1
        return s, e

    def full_names(self, names: list[tuple[int, int]]) -> dict[str, str]:
        """Key → full name of every person named with two words or more; a shorter form
        of a longer name ("Mara Lind" of "Anna Mara Lind") gets no key of its own."""
        doc = self.doc
        full: dict[str, tuple[int, int]] = {}
        for s, e in names:
            if e - s >= 2:
                full.setdefault(doc[s:e].text, (s, e))
        by_key: dict[str, str] = {}
        for text in sorted(full, key=lambda t: (-len(t.split()), t)):
            k = gazetteer.slug(text)
            if not any(self._same_person(text, other) for other in by_key.values()):
                by_key[k] = text
        return by_key

    def mention_person(
        self,
        s: int,
        e: int,
        keyed: list[tuple[str, str]],
        by_key: dict[str, str],
        forms: names.ShortForms,
    ) -> None:
        """Record the person named by tokens ``[s, e)`` and, in a sentence with a verb,
        the mention; a single word that no full name explains must look like a name."""
        doc = self.doc
        text = doc[s:e].text
        key = next((k for k, full_name in keyed if self._same_person(text, full_name)), None)
        if key is None and e - s == 1:
            key = forms.lookup(text)
        if key is None:
            if not self._single_ok(s, e):
                return
            key = gazetteer.slug(text)
            self.actor(key, text, ActorKind.PERSON)
        else:
            self.actor(key, by_key[key], ActorKind.PERSON)
        if not self.sentence_has_verb(doc[s]):
            return
        self.mention(s, e, key)

    def surnames(self, forms: names.ShortForms) -> None:
        """Short forms of known persons' names that NER missed or mislabelled: a surname
        ("Lind" as ORG), a surname with its particle ("van der Berg"), a family name written
        first ("Park" of "Park Min-ho"), a first word no other name shares."""
        if not (forms.tails or forms.family_first or forms.firsts):
            return  # no person named in full: no short form to find
        ctx, tokens = self.ctx, self.tokens
        texts, lowers, ends = ctx.texts, ctx.lowers, ctx.sentence_ends
        for i, t in enumerate(tokens):
            if (
                not (texts[i][:1].isupper() or names.is_particle_word(lowers[i]))
                or self.covered(i) is not None
            ):
                continue
            for end in range(min(i + 4, ends[i]), i, -1):
                if not texts[end - 1][:1].isupper() or not self._free(i, end):
                    continue
                first = t.ent_type_ == "PERSON" or i > 0 and is_title_word(tokens[i - 1])
                key = forms.lookup(ctx.span_text(i, end), first=first)
                if key is None or end - i == 1 and self._pronoun_not_surname(t):
                    continue
                if self.sentence_has_verb(t):
                    self.mention(i, end, key)
                break

    def _free(self, start: int, end: int) -> bool:
        """Whether no mention and no skipped token lies in tokens ``[start, end)``."""
        return all(self.covered(i) is None and i not in self.skip for i in range(start, end))

    def _pronoun_not_surname(self, t: Token) -> bool:
        """ "He said" is a pronoun even if a "He Anwen" is known."""
        if t.lower_ not in lx.PERSONAL_PRONOUNS:
            return False
        if t.is_sent_start or t.i == 0:
            return True
        doc = self.doc
        return (
            doc[t.i + 1 : t.i + 2].text[:1].isupper() is False
            and t.dep_ in ("nsubj",)
            and t.head.i > t.i
            and t.i > 0
            and doc[t.i - 1].text not in (",",)
        )

    def names_after_titles(self, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Names NER missed right after a title: "Ministry spokesperson He Anwen said"."""
        doc = self.doc
        taken = {i for s, e in spans for i in range(s, e)}
        out = []
        for t in self.tokens:
            if not (
                t.lower_ in lx.TITLE_NOUNS
                or (
                    t.ent_type_ in ("GPE", "ORG")
                    and t.ent_id_
                    and t.i > 1
                    and doc[t.i - 1].lower_ == "to"
                )
            ):
                continue
            j = t.i + 1
            while (
                j < len(doc)
                and j - t.i <= 4
                and doc[j].pos_ in ("PROPN", "PRON")
                and names.name_word(doc[j])
                and j not in taken
            ):
                j += 1
            if j - t.i - 1 >= 2 and (j >= len(doc) or not doc[j].text[:1].isupper()):
                out.append((t.i + 1, j))
                taken.update(range(t.i + 1, j))
        return out

    @staticmethod
    def _same_person(text: str, full_name: str) -> bool:
        a, b = text.split(), full_name.split()
        if a == b[-len(a) :]:
            return True
        if len(a) >= 2 and a[0] == b[0] and _in_order(a[1:], b[1:]):
            return True  # "Ana Lind" of "Ana K. Lind Berg"
        return names.squash(text) in (names.squash(full_name), names.squash(" ".join(b[1:])))

    @functools.cached_property
    def _places_or_bodies(self) -> frozenset[str]:
        """Texts of the entities the recogniser reads as places or bodies."""
        return frozenset(x.text for x in self.ctx.ents if x.label_ in _PLACE_OR_BODY_LABELS)

    def _single_ok(self, s: int, e: int) -> bool:
        doc = self.doc
        prev = doc[s - 1] if s > 0 else None
        if prev is not None and (is_title_word(prev) or prev.lower_.rstrip(".") in lx.HONORIFICS):
            return True
        text = doc[s:e].text
        if text in self._places_or_bodies:
            return False  # a word the recogniser also reads as a place or a body: no person
        root = doc[s:e].root
        if _introduced_by_name(root):
            return True
        return root.dep_ in ("nsubj", "nsubjpass") and root.head.lemma_ not in ("be", "have")

    def sentence_has_verb(self, tok: Token) -> bool:
        """Whether the sentence of ``tok`` has a verb, or, when the parser cut a line into
        verbless pieces, the line does (a heading or a caption has none)."""
        if any(t.pos_ in ("VERB", "AUX") for t in tok.sent):
            return True
        text = self.ctx.text
        start = text.rfind("\n", 0, tok.idx) + 1
        end = text.find("\n", tok.idx)
        line = self.doc.char_span(start, len(text) if end < 0 else end, alignment_mode="expand")
        return line is not None and any(t.pos_ in ("VERB", "AUX") for t in line)

    # ------------------------------------------------------------- organisations
    def organisation(self, ent: SpacySpan, force: bool = False) -> None:
        """An organisation named by an entity (``force``: read an entity of any label as
        ORG), its kind told by cue words of the name or, unknown, by its role in the clause."""
        doc = self.doc
        label = "ORG" if force else ent.label_
        s, e = ent.start, ent.end
        if doc[s].lower_ == "the":
            s += 1
        if e - 1 > s and doc[e - 1].text in ("'s", "\u2019s"):
            e -= 1  # "the Daily Courier's editorial": the name ends before the possessive
        if not self._may_name_organisation(s, e):
            return
        e = self._person_after_organisation(s, e)
        span = doc[s:e]
        text = span.text
        if len(span) == 1 and span[0].is_upper and text in self.acronyms:
            self.mention(s, e, self.acronyms[text])
            return
        if any(t.text.lower() in lx.MINISTRY_NOUNS for t in span):
            return  # read by bodies()
        kind = self._cue_kind(span, label)
        # a name headed by its kind's word ("the Green Party", "Amnesty International")
        cued = kind is not None and (
            span[-1].text in lx.ORGANISATION_HEAD_CUES or span.text in lx.NGO_NAMES
        )
        if kind is None:
            if self._speaking_place(span, label):
                # an unknown "place" that speaks is a person NER mislabelled ("X demanded")
                key = gazetteer.slug(text)
                self.actor(key, text, ActorKind.PERSON)
                self.mention(s, e, key)
                return
            if label != "ORG":
                return
            kind = self._unknown_kind(span)
            if kind is None:
                return
        if _named_in_description(span.root, cued):
            return
        key = gazetteer.slug(text)
        self.actor(key, text, kind)
        self.mention(s, e, key)
        self.learn_acronym(s, e, key)

    def _person_after_organisation(self, s: int, e: int) -> int:
        """Where an organisation's name ends when the recogniser ran it into the name of a
        person after it ("director of the Valdora Fund Ana Rojas said"): the organisation is
        cut after its last head word ("Fund", "Association") or its known name, and the
        person recorded; ``e`` when there is no such person."""
        doc = self.doc
        for k in range(e - 2, s, -1):
            if not (doc[k - 1].text in lx.ORGANISATION_HEAD_CUES or doc[s:k].text in lx.NGO_NAMES):
                continue
            words = {t.text for t in doc[k:e]}
            if (
                not doc[k].text[:1].isupper()
                or words & (lx.ORGANISATION_HEAD_CUES | lx.BODY_CUES | lx.NON_ACTOR_CUES)
                or not all(_name_token(doc, i, k) for i in range(k, e))
                or not (any(t.ent_type_ == "PERSON" for t in doc[k:e]) or self._title_of_before(s))
            ):
                return e
            name = doc[k:e].text
            self.actor(gazetteer.slug(name), name, ActorKind.PERSON)
            self.mention(k, e, gazetteer.slug(name))
            return k
        return e

    def _title_of_before(self, s: int) -> bool:
        """Whether a title and "of" come right before token ``s`` ("director of [the]")."""
        doc = self.doc
        j = s - 1
        if j >= 0 and doc[j].lower_ == "the":
            j -= 1
        return j >= 1 and doc[j].lower_ == "of" and is_title_word(doc[j - 1])

    def _may_name_organisation(self, s: int, e: int) -> bool:
        """Whether tokens ``[s, e)`` are free and may name an organisation (not a title,
        a quoted name, a document or an event)."""
        if s >= e or self.covered(s) is not None or any(i in self.skip for i in range(s, e)):
            return False
        span = self.doc[s:e]
        text = span.text
        if any(ch in text for ch in '"“”@#') or {t.text for t in span} & lx.NON_ACTOR_CUES:
            return False  # quoted names, handles and hashtags, documents and events
        if len(span) == 1 and (
            is_title_word(span[0])
            or span[0].lower_ in lx.MINISTRY_FUNCTIONS
            or span[0].lower_ in lx.RANKS
        ):
            return False
        return text not in self.non_actor_acronyms

    @staticmethod
    def _cue_kind(span: SpacySpan, label: str) -> ActorKind | None:
        """The kind an organisation's name tells by its words ("Union", "Bank", "News")."""
        wset = {t.text for t in span}
        if span.text in lx.NGO_NAMES:
            return ActorKind.NGO
        if wset & lx.MEDIA_CUES or _acts_as_medium(span.root, label):
            return ActorKind.MEDIA_ORGANISATION
        if "Party" in wset:
            return ActorKind.POLITICAL_PARTY
        for cues, kind in (
            (lx.UNION_CUES, ActorKind.UNION),
            (lx.PARTY_CUES, ActorKind.POLITICAL_PARTY),
            (lx.COMPANY_CUES, ActorKind.COMPANY),
            (lx.ARMED_CUES, ActorKind.ARMED_GROUP),
            (lx.NGO_CUES, ActorKind.NGO),
        ):
            if wset & cues:
                return kind
        return None

    @staticmethod
    def _speaking_place(span: SpacySpan, label: str) -> bool:
        """A one-word "place" in lower or title case as the subject of a verb of speech."""
        root = span.root
        return (
            label == "GPE"
            and len(span) == 1
            and not span[0].is_upper
            and root.dep_ == "nsubj"
            and root.head.lemma_ in lx.SPEECH_LEMMAS
        )

    @staticmethod
    def _unknown_kind(span: SpacySpan) -> ActorKind | None:
        """An organisation without cue words: an institution by its name ("Council"), else
        one only when it acts or is acted upon."""
        if {t.text for t in span} & lx.BODY_CUES:
            return ActorKind.ORGANISATION
        if len(span) > 2 and span[0].text in lx.CHAMBER_HEADS and span[1].lower_ == "of":
            return ActorKind.ORGANISATION  # "the House of Delegates", "the Chamber of Mines"
        root = span.root
        if root.dep_ not in ("nsubj", "nsubjpass", "dobj", "dative", "appos") and not (
            root.dep_ == "pobj" and root.head.lower_ in lx.ORG_ARGUMENT_PREPS
        ):
            return None
        if len(span) == 1 and not span[0].is_upper and len(span.text) < 3:
            return None
        return ActorKind.ORGANISATION

    def learn_acronym(self, s: int, e: int, key: str) -> None:
        """ "Full Name (ACR)" and initials: later "ACR" is the same actor."""
        doc = self.doc
        if (
            e + 2 < len(doc)
            and doc[e].text == "("
            and doc[e + 2].text == ")"
            and doc[e + 1].text.isupper()
        ):
            self.acronyms[doc[e + 1].text] = key
        initials = "".join(t.text[0] for t in doc[s:e] if t.text[:1].isupper())
        if len(initials) >= 2:
            self.acronyms.setdefault(initials, key)

    def acronym_tokens(self) -> None:
        for t in self.tokens:
            if t.is_upper and t.text in self.acronyms and self.covered(t.i) is None:
                self.mention(t.i, t.i + 1, self.acronyms[t.text])
        # "Some Name (ACR)" where NER missed the name but the acronym is known
        for t in self.tokens:
            if t.text == "(" and t.i + 2 < len(self.doc) and self.doc[t.i + 2].text == ")":
                acr = self.doc[t.i + 1]
                key = self.covered(acr.i)
                if key and t.i > 0 and self.covered(t.i - 1) is None:
                    j = t.i - 1
                    while j >= 0 and self.doc[j].text[:1].isupper() and self.doc[j].pos_ == "PROPN":
                        j -= 1
                    span = self.doc[j + 1 : t.i]
                    initials = "".join(w.text[0] for w in span if w.text[:1].isupper())
                    if len(span) and initials == acr.text:
                        self.mention(j + 1, t.i, key)

    # ------------------------------------------------------------- demonyms
    def demonyms(self) -> None:
        doc = self.doc
        for t in self.tokens:
            if t.i in self.skip or self.covered(t.i) is not None or not t.text[:1].isupper():
                continue
            st = gazetteer.state_by_demonym(t.text)
            if st is None:
                continue
            plural = t.text not in st.demonyms
            if plural:
                self.plural_demonym(t, st)
                continue
            head = t.head if t.dep_ in ("amod", "compound", "nmod", "conj") else None
            if t.dep_ == "conj" and head is not None:
                head = head.head
            while (
                head is not None
                and head.dep_ == "compound"
                and head.head.i > head.i
                and head.pos_ in ("PROPN", "NOUN")
                and head.head.pos_ in ("PROPN", "NOUN")
                and is_title_word(head)
            ):
                head = head.head
            if head is None:
                continue
            # a title before a name ("Chilean Deputy Foreign Minister X") names the state;
            # a description of a non-state actor ("Peruvian rebel group Red Dawn") does not
            if head.lower_ in lx.ACTOR_NOUNS or is_title_word(head):
                if not any(c.lower_ in ("capital", "language") for c in [head]):
                    self.mention(t.i, t.i + 1, self.gaz_actor(st))
            elif head.pos_ == "PROPN" and any(is_title_word(x) for x in doc[t.i + 1 : head.i]):
                self.mention(t.i, t.i + 1, self.gaz_actor(st))

    def plural_demonym(self, t: Token, st: gazetteer.Entry) -> None:
        """ "The Valdorans said" speaks for the state (its side in a negotiation); a people
        named without the article ("Valdorans deserve peace", "all Valdorans") is a
        collective actor of its own, not the state."""
        has_num = any(c.dep_ == "nummod" or c.like_num for c in t.children)
        if has_num or t.dep_ not in _ARGUMENT_DEPS:
            return
        if any(c.lower_ == "the" for c in t.children):
            self.mention(t.i, t.i + 1, self.gaz_actor(st))
            return
        self.add_group(self._group_start(t), t.i + 1)

    def add_group(self, start: int, end: int) -> None:
        """Record the group named by tokens ``[start, end)`` as a collective actor."""
        doc = self.doc
        name = doc[start:end].text
        if any(ch in name for ch in "[](){}@#"):
            return
        first = doc[start]
        if (
            first.is_sent_start
            and first.pos_ != "PROPN"
            and gazetteer.state_by_demonym(first.text) is None
        ):
            name = name[:1].lower() + name[1:]  # "Striking dockworkers" at a sentence start
        key = gazetteer.slug(name)
        self.actor(key, name, ActorKind.COLLECTIVE_ACTOR)
        self.mention(start, end, key)

    # ------------------------------------------------------------- collective actors
    def groups(self) -> None:
        """Groups of people that act or are acted upon: "the protesters", "striking
        dockworkers", "like-minded partners" (the subject of a verb, or an object that is
        not counted: in "police held 40 workers" the workers are people, not a group)."""
        group_nouns = lx.GROUP_NOUNS | lx.GENERIC_GROUP_NOUNS
        for t in self.tokens:
            if (
                t.lower_ not in group_nouns
                or t.tag_ != "NNS"
                or self.covered(t.i) is not None
                or t.i in self.skip
            ):
                continue
            start = self._group_start(t)
            if t.lower_ in lx.GENERIC_GROUP_NOUNS and start == t.i:
                continue  # bare "partners": no group in particular
            role = climb(t, lambda x: x.dep_ == "conj")
            counted = any(c.dep_ == "nummod" or c.like_num for c in t.children)
            if (
                role.dep_ in ("nsubj", "nsubjpass")
                or not counted
                and (
                    role.dep_ in _ARGUMENT_DEPS
                    or role.dep_ == "pobj"
                    and role.head.lower_ in lx.ORG_ARGUMENT_PREPS
                )
            ):
                self.add_group(start, t.i + 1)

    def _group_start(self, t: Token) -> int:
        """First token of a group's name: the adjectives and nouns right before it that
        modify it ("Valdoran political prisoners", "like-minded partners"), not
        determiners, numbers or quantifiers ("other", "many")."""
        doc = self.doc
        start = t.i
        while (
            start - 1 >= t.sent.start
            and t.i - start < 4
            and doc[start - 1].head.i in range(start - 1, t.i + 1)
            and (doc[start - 1].pos_ in ("ADJ", "NOUN", "PROPN") or _joined(doc, start - 1))
            and doc[start - 1].lower_ not in lx.QUANTIFYING_WORDS
            and self.covered(start - 1) is None
        ):
            start -= 1
        while start < t.i and not doc[start].text[:1].isalnum():
            start += 1
        return start

    # ------------------------------------------------------------- fixed collective phrases
    def collectives(self) -> None:
        doc = self.doc
        lowers = self.ctx.lowers
        heads = lx.COLLECTIVE_HEADS
        head_nouns = frozenset().union(*heads.values())
        for pattern, key, name in gazetteer.collective_phrases():
            p = pattern.split()
            p_lower = [w.lower() for w in p]
            n = len(p)
            for i in range(len(doc) - n + 1):
                if lowers[i] != p_lower[0] or lowers[i : i + n] != p_lower:
                    continue
                if (
                    i + n < len(doc)
                    and doc[i + n].text[:1].isupper()
                    and doc[i + n].pos_ == "PROPN"
                ):
                    continue  # "the West Midlands"
                self.actor(key, name, ActorKind.COLLECTIVE_ACTOR)
                self.mention(i + (1 if p[0].lower() == "the" else 0), i + n, key)
        for t in self.tokens:
            # "West" on its own as a noun phrase ("Santiago expects West to ...")
            if (
                t.text == "West"
                and t.dep_ in ("nsubj", "dobj", "pobj", "conj", "nsubjpass")
                and self.covered(t.i) is None
                and not (t.i + 1 < len(doc) and doc[t.i + 1].pos_ == "PROPN")
            ):
                self.actor("the-west", "the West", ActorKind.COLLECTIVE_ACTOR)
                self.mention(t.i, t.i + 1, "the-west")
            low = lowers[t.i]
            if low not in head_nouns:
                continue
            for n in (2, 1):
                mod = " ".join(lowers[t.i - n : t.i]) if t.i - n >= 0 else ""
                if t.i - n - 1 >= 0 and lowers[t.i - n - 1] in lx.COMPASS_WORDS:
                    break  # "southern African countries": a region, not a group that acts
                if mod in heads and low in heads[mod] and self.covered(t.i) is None:
                    if any(x.like_num for x in t.children):
                        break
                    norm_head = "countries" if low in ("nations", "states") else low
                    key = gazetteer.slug(f"{mod} {norm_head}")
                    text = doc[t.i - n : t.i + 1].text
                    self.actor(key, text, ActorKind.COLLECTIVE_ACTOR)
                    self.mention(t.i - n, t.i + 1, key)
                    break

    # ------------------------------------------------------------- output
    def commit(self) -> None:
        table = self.ctx.actors
        used = sorted(set(self.found.values()))
        parents = {self.drafts[k].part_of for k in used if self.drafts[k].part_of}
        written: dict[str, list[str]] = {}
        for (s, e), key in sorted(self.found.items()):
            written.setdefault(key, []).append(self.doc[s:e].text)
        for key in sorted(set(used) | {p for p in parents if p in self.drafts}):
            d = self.drafts[key]
            name = _as_written(d, written.get(key, []))
            aliases = tuple(a for a in dict.fromkeys([d.name, *d.aliases]) if a != name)
            table.add_actor(Actor(d.key, name, d.kind, aliases, d.wikidata, d.part_of))
        for (s, e), key in sorted(self.found.items()):
            span = self.doc[s:e]
            table.add_mention(Mention(key, span.text, span_of_tokens(span)))


def _as_written(draft: _Draft, mentions: list[str]) -> str:
    """The name an article gives a gazetteer entity: its reference name if the article
    writes it, else the official name the article writes most often (first written on a
    tie), so that a report saying "Ruritania" for a state whose reference name is "Republic
    of Ruritania" names it as written; the reference name stays an alias. Demonyms,
    acronyms the gazetteer does not list, and descriptions ("the alliance") never replace
    it."""
    if not draft.official or draft.name in mentions:
        return draft.name
    counts = Counter(m for m in mentions if m in draft.official)
    if not counts:
        return draft.name
    top = max(counts.values())
    return next(m for m in mentions if counts.get(m) == top)


#: Dependencies of a noun that acts or is acted upon.
_ARGUMENT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "conj", "dative"})


def _joined(doc: Doc, i: int) -> bool:
    """A hyphen inside a word ("like-minded"), or a word joined to one by it."""
    tok = doc[i]
    if tok.text in ("-", "\u2010"):
        return not tok.whitespace_ and i > 0 and not doc[i - 1].whitespace_
    return i + 1 < len(doc) and doc[i + 1].text in ("-", "\u2010") and not tok.whitespace_


def _acts_as_medium(root: Token, label: str) -> bool:
    """An organisation that something is told to, or that reports ("X reported"), is a
    medium; one that says something is not."""
    if root.dep_ == "compound" and root.head.lower_ in lx.MEDIA_NOUNS:
        return True
    if root.dep_ in ("dobj", "dative") and root.head.lemma_ == "tell":
        return True
    return (
        root.dep_ == "nsubj"
        and root.head.lemma_ in lx.MEDIA_REPORTING_VERBS
        and root.head.tag_ in ("VBZ", "VBD")
        and label == "ORG"
        and root.head.lemma_ != "say"
    )


def _introduced_by_name(root: Token) -> bool:
    """A lone name given as someone's name: "a student using the pseudonym Tomas", "a
    fisherman named Tomas", "a guard identified only as Tomas"."""
    head = root.head
    before = root.doc[root.i - 1] if root.i > 0 else None
    if before is not None and before.lemma_.lower() in lx.NAMING_NOUNS:
        return True  # "the pseudonym Tomas", however the parser hangs it
    if root.dep_ == "appos":
        return head.lemma_.lower() in lx.NAMING_NOUNS
    if root.dep_ == "oprd":
        return head.lemma_.lower() in lx.NAMING_VERBS and head.dep_ == "acl"
    if root.dep_ == "pobj" and head.lower_ == "as":
        return head.head.lemma_.lower() in lx.NAMING_VERBS
    return False


def _named_in_description(root: Token, cued: bool) -> bool:
    """ "a member of the Central Board": the body is named only inside a description of
    one person (its members, plural, act for it: "members of the Assembly protested"). A
    name whose words tell its kind ("the Green Party") names an actor after a title noun
    ("leader of the Green Party"), but not inside another proper name ("Bureau of the X
    Party")."""
    if root.dep_ != "pobj" or root.head.lower_ != "of":
        return False
    head = root.head.head
    if head.pos_ == "PROPN":
        return True
    return (
        head.tag_ not in {"NNS", "NNPS"}
        and not cued
        and (head.lower_ in lx.TITLE_NOUNS or head.lower_ in lx.MEMBERSHIP_BODY_NOUNS)
    )


def _in_order(words: list[str], within: list[str]) -> bool:
    """Whether ``words`` occur in ``within`` in the same order (not necessarily adjacent)."""
    it = iter(within)
    return all(w in it for w in words)


def _name_token(doc: Doc, i: int, start: int) -> bool:
    """Whether token ``i`` can be part of a person's name that starts at ``start``: a
    capitalised word without digits or brackets, a hyphen inside a word, a lower-case piece
    after such a hyphen ("Min-ho"), or a particle inside the name ("van der")."""
    tok = doc[i]
    text = tok.text
    if any(ch.isdigit() or ch in "[](){}<>" for ch in text):
        return False
    if text[:1].isupper():
        return True
    if names.joined_hyphen(doc, i):
        return True
    if i > start and names.joined_hyphen(doc, i - 1):
        return tok.is_alpha
    return i > start and names.is_particle(tok)


def find_actors(ctx: DocContext) -> None:
    """Find the article's actors and their mentions; fill ``ctx.actors``.

    Args:
        ctx: The article and its parse (from :func:`kg_builder.nlp.model.load_nlp`).

    Example:
        "Santiago expects the West to answer, Chilean Deputy Foreign Minister Ana Rojas
        said." gives actors ``chile`` (mentions "Santiago", "Chilean"), ``the-west`` and
        ``ana-rojas``.
    """
    b = _Builder(ctx)
    b.mark_skips()
    b.scan_acronyms()
    b.entities()
    b.acronym_tokens()
    bodies.find_bodies(b)
    b.demonyms()
    b.collectives()
    b.groups()
    b.commit()


#: The actors stage: reads the parse, fills ``ctx.actors`` with actors and named mentions.
STAGE = Stage("actors", find_actors, requires=("doc",), assigns=("actors",))

__all__ = ["STAGE", "find_actors"]
