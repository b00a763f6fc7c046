"""Demands: actor A says that actor B must or should do (or refrain from) something.

PLOVER REQUEST/DEMAND read from the dependency parse with general cue lexicons
(:mod:`kg_builder.extract.lexicon`). Frames recognised:

* demand verbs with an addressee and an infinitive: "X urged/asked/called on Y to V";
* demand verbs with a that-clause: "X demanded that Y V";
* demand verbs with a noun phrase: "X demanded the withdrawal of Y's troops", "called for";
* reported obligations: "X said that Y should/must/has to/needs to V", in quotations too;
* nominal demands: "the need for Y to V", "X's demand that Y V", "one of X's demands was
  that Y V", enumerated lists ("First, ... Second, ...") after "X listed the issues";
* demand verbs in relative clauses: "X, who urged Y to V", "a call in which X asked for Z";
* demand nouns with a source: "Y rejected calls from X to V" (X asks Y; status rejected);
* conditions: "X would consider V, provided that Y V'", "X will V only if Y V'", "X would
  lift the sanctions if Y V'", "Z depends on the release of ...";
* implied demands: "X said that any failure to V would hurt ...".

The demander is whoever voices the demand (subject of the demand or reporting verb,
"according to X", the speaker of a quotation), widened to the state or body the person
speaks for. The addressee is who must act; when the text leaves it implicit it is taken
from actors named inside the demanded act, then from the previous demand of the same
demander, then from the other participants of a call or meeting reported in the same sentence.

Why one module of over 500 lines: it is one stage: each demand frame is a small method of
one finder that shares the found demands and their roles (:mod:`.demand_roles`); cue words
live in ``lexicons.csv``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from kg_builder.extract import lexicon as lx
from kg_builder.extract.clauses import (
    directive_clause,
    has_to,
    is_passive,
    is_question,
    negated,
    opens_enumeration,
)
from kg_builder.extract.context import DocContext, Stage
from kg_builder.extract.demand_roles import RoleFinder
from kg_builder.extract.demand_roles import child as _child
from kg_builder.extract.demand_roles import merge_keys as _merge
from kg_builder.extract.tree import climb
from kg_builder.models import ActorKind, Demand, DemandStatus, Span
from kg_builder.nlp import gazetteer

_SUBJ = ("nsubj", "nsubjpass", "csubj", "csubjpass")
_NOUNISH = ("NOUN", "PROPN", "PRON")


@dataclass
class _Found:
    """A demand under construction (actor keys, content tokens)."""

    demanders: list[str]
    addressees: list[str]
    content: list[Token]
    head: Token
    conditional: bool = False
    condition: str | None = None
    status: DemandStatus = DemandStatus.MADE
    nominal: bool = False
    refrain: bool = False  # the demand is not to do the act ("consequences if Y does V")
    needs_addressee: bool = False  # kept only if someone is found to be asked


def find_demands(ctx: DocContext) -> tuple[Demand, ...]:
    """Find every demand voiced by an actor in the article.

    Args:
        ctx: The article, its parse and its actor table (after actors and coreference).

    Returns:
        Demands in text order; actor references are ``Actor.key`` values.

    Example:
        >>> find_demands(ctx)[0].content  # "Paris urged Rome to reopen the border."
        'reopen the border'
    """
    return _Finder(ctx).run()


class _Finder(RoleFinder):
    """Runs the frames over one article and assembles the demands."""

    def __init__(self, ctx: DocContext) -> None:
        super().__init__(ctx)
        self.found: dict[int, _Found] = {}

    # ------------------------------------------------------------------ driver

    def run(self) -> tuple[Demand, ...]:
        list_voice: list[str] = []
        tokens = self.ctx.tokens
        for sent in self.doc.sents:
            if is_question(sent, self.ctx.text):
                list_voice = []
                continue
            before = len(self.found)
            for tok in tokens[sent.start : sent.end]:
                if tok.pos_ in ("VERB", "AUX"):
                    self._verb_frames(tok)
                    self._ultimatum(tok)
                    self._obligation(tok)
                    self._dependence(tok)
                    self._proviso(tok)
                elif tok.pos_ == "NOUN" and tok.lemma_.lower() in lx.DEMAND_NOUNS:
                    self._nominal(tok)
                elif tok.pos_ == "ADJ" and tok.lemma_.lower() in lx.DEPENDENCE_ADJECTIVES:
                    self._dependence(tok)
                if tok.lemma_.lower() in lx.FAILURE_NOUNS and tok.pos_ == "NOUN":
                    self._failure(tok)
            if list_voice and opens_enumeration(sent):
                self._enumerated_item(sent, list_voice, before)
            else:
                list_voice = self._listing_voice(sent)
        return self._assemble()

    def _add(self, f: _Found) -> None:
        """Record a demand; one per demanded act (its head token), merging duplicates."""
        if not f.demanders:
            return
        old = self.found.get(f.head.i)
        if old is None:
            self.found[f.head.i] = f
            return
        old.demanders = _merge(old.demanders, f.demanders)
        old.addressees = _merge(old.addressees, f.addressees)
        old.conditional = old.conditional or f.conditional
        old.condition = old.condition or f.condition

    # ------------------------------------------------------------------ verb frames

    def _verb_frames(self, v: Token) -> None:
        lemma = v.lemma_.lower()
        if negated(v) or v.dep_ in ("acl", "amod", "compound"):
            return  # "the chance to ask ...": no speech act
        if v.dep_ == "relcl" and not _relative_speech_act(v):
            return  # "the aid asked for", "the plans which we expect will V"
        if any(m.dep_ == "mark" and m.lower_ in lx.CONDITION_MARKS for m in v.children):
            return  # "if Y wants closer ties, ...": a condition, not a demand
        subj = _child(v, ("nsubj",))
        if subj is not None and any(t.lower_ in lx.JUDICIAL_NOUNS for t in subj.subtree):
            return  # "Judge X ordered ...": a ruling, not a demand
        if lemma in lx.OBJECT_INFINITIVE_VERBS and self._object_infinitive(v, lemma):
            return
        if lemma in lx.THAT_CLAUSE_VERBS and self._that_clause(v, lemma):
            return
        if lemma in lx.OBJECT_NP_VERBS and self._object_np(v, lemma):
            return
        if (
            lemma in lx.THAT_CLAUSE_VERBS
            and v.dep_ == "ccomp"
            and v.head.i > v.i
            and any(m.dep_ == "mark" and m.lower_ == "that" for m in v.head.children)
        ):
            # "We expect, ..., that Y will V" parsed with the that-clause as the head
            self._that_clause(v, lemma, [v.head])
            return
        if lemma in lx.SELF_INFINITIVE_VERBS:
            for c in v.children:
                if c.dep_ == "xcomp" and has_to(c) and not negated(c):
                    self._emit_acts(c, self._voice(v), [], subject=None)

    def _object_infinitive(self, v: Token, lemma: str) -> bool:
        """ "X urged Y to V", "X called on Y to V", "Y was asked to V (by X)"."""
        addressee: Token | None = None
        for prep in lx.OBJECT_INFINITIVE_VERBS[lemma]:
            if prep == "":
                addressee = _child(v, ("dobj",))
                if addressee is None and is_passive(v):
                    addressee = _child(v, ("nsubjpass",))
            else:
                p = next(
                    (c for c in v.children if c.dep_ in ("prep", "dative") and c.lower_ == prep),
                    None,
                )
                addressee = _child(p, ("pobj",)) if p is not None else None
            if addressee is not None:
                break
        # the complement, else a later adverbial clause: "To V', X urged Y ..." says why
        inf = next(
            (
                c
                for deps in (("xcomp", "ccomp"), ("advcl",))
                for c in v.children
                if c.dep_ in deps
                and c.pos_ in ("VERB", "AUX")
                and has_to(c)
                and (c.dep_ != "advcl" or c.i > v.i)
            ),
            None,
        )
        if inf is None and addressee is not None:
            inf = next(
                (
                    c
                    for c in addressee.children
                    if c.dep_ in ("acl", "relcl", "xcomp")
                    and c.pos_ in ("VERB", "AUX")
                    and has_to(c)
                ),
                None,
            )
        if inf is not None and addressee is None:
            addressee = _child(inf, ("nsubj",))  # "wants Peru to guarantee" (ccomp subject)
            if addressee is None and lemma not in ("call", "appeal"):
                return False
        if inf is None or negated(inf):
            return False
        if lemma in ("call", "appeal") and addressee is None:
            return False
        voice = (
            (self._agent_keys(v) or self._reporting_voice(v)) if is_passive(v) else self._voice(v)
        )
        to = self.keys(addressee, exclude=voice) if addressee is not None else []
        if addressee is not None and not to:
            return False  # "requires a new charter to cover ...": no one is asked
        self._emit_acts(inf, voice, to, subject=addressee)
        # "urged Y to respect A, uphold B, and show C": a mis-attached conjunct of v
        for c in v.conjuncts:
            if (
                c.i > v.i
                and c.tag_ == "VB"
                and _child(c, _SUBJ) is None
                and c.lemma_.lower() not in lx.OBJECT_INFINITIVE_VERBS
                and not any(x.dep_ == "aux" and x.tag_ == "MD" for x in c.children)
            ):
                # ("... and will then judge": a modal makes it v's own next predicate)
                self._add(self._make(c, voice, to))
        return True

    def _that_clause(self, v: Token, lemma: str, clauses: list[Token] | None = None) -> bool:
        """ "X demanded that Y V", "We expect that Y will V"."""
        done = False
        for c in clauses or [c for c in v.children if c.dep_ == "ccomp"]:
            if c.pos_ not in ("VERB", "AUX") or has_to(c):
                continue
            if any(
                m.lower_ in lx.INTERROGATIVE_MARKS
                for m in c.children
                if m.dep_ in ("mark", "advmod")
            ):
                continue
            if self._in_quote(c) and not self._in_quote(v):
                continue
            if not directive_clause(c, lemma):
                continue
            voice = self._voice(v)
            for clause in [c, *[x for x in c.conjuncts if x.pos_ in ("VERB", "AUX")]]:
                if negated(clause) and lemma not in lx.NEGATIVE_DEMAND_VERBS:
                    continue
                subj = _child(clause, ("nsubj", "expl"))
                to = self.keys(subj, exclude=voice) if subj is not None else []
                to = to or self._agent_keys(clause)
                self._emit_acts(clause, voice, to, subject=subj, with_conj=False)
            done = True
        return done

    def _object_np(self, v: Token, lemma: str) -> bool:
        """ "X demanded the withdrawal of Y's troops", "X called for a ceasefire"."""
        obj: Token | None = None
        asked: Token | None = None  # "asked Y for X": the one asked is the direct object
        for prep in lx.OBJECT_NP_VERBS[lemma]:
            if prep == "":
                obj = _child(v, ("dobj",))
            else:
                p = next((c for c in v.children if c.dep_ == "prep" and c.lower_ == prep), None)
                obj = _child(p, ("pobj", "pcomp")) if p is not None else None
                asked = _child(v, ("dobj",)) if obj is not None else None
            if obj is not None:
                break
        if obj is None:  # "demands signed guarantees": participle mis-parsed as xcomp
            obj = next(
                (
                    c
                    for c in v.children
                    if c.dep_ == "xcomp"
                    and not has_to(c)
                    and c.tag_ in ("VBN", "VBD")
                    and _child(c, ("dobj",))
                ),
                None,
            )
        if (
            obj is None
            or obj.pos_ == "PRON"
            or (obj.dep_ == "pobj" and obj.pos_ == "VERB")  # "the aid X asked for arrived"
            or obj.lemma_.lower() in lx.FAILURE_NOUNS
            or obj.lemma_.lower() in lx.DEMAND_NOUNS
            and _demand_noun_frame(obj)
        ):
            return False  # the noun's own frame says what is asked ("a call for X")
        if is_passive(v) or any(
            c.dep_ == "aux" and c.lemma_.lower() in lx.OBLIGATION_MODALS for c in v.children
        ):
            return False  # "Y should expect consequences" is no speech act of Y
        if _asks_an_actor(v, obj) or not _demanded_thing(v, lemma, obj):
            return True  # an addressee, a thing to obtain or a gathering: no demanded act here
        voice = self._voice(v)
        own = set(self._widen(voice))
        if any(self.ctx.actors.resolve_token(t) in own for t in obj.subtree if t.i < obj.i):
            return True  # "called for a new Valdoran strategy": the speaker's own plan
        # "called for the release of X, an end to Y and free elections": one demand each
        heads = [obj] + [
            c  # "for X, Y and Z" with Y hung on the verb after the comma
            for c in v.children
            if c.dep_ in ("dep", "appos")
            and c.pos_ == "NOUN"
            and c.i > obj.i
            and c.left_edge.i > 0
            and self.doc[c.left_edge.i - 1].text == ","
        ]
        tails = _list_tail(obj)
        cut = {x.i for t in tails for x in t.subtree}
        for part, toks in [x for h in heads + tails for x in _coordinated_nps(h, self.ctx.text)]:
            if part.i not in cut:
                toks = _trim([t for t in toks if t.i not in cut])
            to = (
                self.keys(asked, exclude=voice)
                or self._from_keys(v, voice)
                or self._from_keys(part, voice)
                or self._from_keys(_child(part, ("dobj",)), voice)
            )
            f = _Found(voice, to, toks, part, nominal=True)
            self._conditions(v, f)
            self._add(f)
        return True

    # ------------------------------------------------------------------ obligations

    def _obligation(self, v: Token) -> None:
        """ "Y should/must/ought to V", "Y has/needs to V" voiced by a speaker."""
        clause = v
        modal = next(
            (c for c in v.children if c.dep_ == "aux" and c.lemma_.lower() in lx.OBLIGATION_MODALS),
            None,
        )
        if modal is not None and any(
            c.dep_ == "aux" and c.lemma_.lower() == "have" for c in v.children
        ):
            return  # "should have done": criticism of the past, not a demand
        if modal is None:
            h = v.head
            if not (
                v.dep_ == "xcomp"
                and has_to(v)
                and h.lemma_.lower() in lx.OBLIGATION_SEMI_MODALS
                and h.pos_ in ("VERB", "AUX")
                and h.i != v.i
            ):
                return
            if _child(h, ("dobj",)) is not None or any(
                (c.dep_ == "aux" and c.lower_ in lx.FORECAST_AUXILIARIES)
                or (c.dep_ == "advmod" and c.lower_ in lx.NOT_YET_ADVERBS)
                for c in h.children
            ):
                return  # "Y will need to V" forecasts; "Y has yet to V" has not done it
            clause = h
        if negated(clause) and modal is None:
            return  # "does not have to": no obligation
        subj = _child(clause, _SUBJ)
        if subj is None and clause.dep_ == "acl":
            subj = clause.head  # "the fees needed to be cut" (mis-parse)
        if (
            clause.dep_ == "relcl"
            or v.lemma_.lower() in lx.THREAT_OBLIGATION_VERBS
            or any(c.tag_ == "WRB" for c in (*clause.children, *v.children))
        ):
            return  # "the aid Y needs to V", "where it needs to be"; "they should expect X"
        if subj is not None and (
            _bare(subj) in lx.FIRST_PERSON_PRONOUNS | lx.INDEFINITE_PRONOUNS
            or _inverted_condition(clause, subj)
            or self._unresolved_group(subj)
        ):
            return  # own resolve, a generic truth, "should it V" (= if it V), "officials should"
        voice = self._clause_voice(clause, official=False)
        # an official statement's own "X must V": only when it asks someone (not "the
        # measures must continue in effect", "tips should be sent to ...")
        unreported = not voice
        voice = voice or self._clause_voice(clause)
        if not voice:
            return
        to: list[str] = []
        if subj is not None and not is_passive(v):
            own = self._widen(voice)
            to = [k for k in self.keys(subj, exclude=own) if not self._part_of(k, own)]
            if not to and subj.pos_ == "PRON" and subj.lower_ not in ("there",):
                return
            if not to and self.keys(subj):
                return  # the speaker's own side: "Chile must respond", said by its minister
        elif is_passive(v):
            to = self._agent_keys(v)
        self._emit_acts(v, voice, to, subject=subj, needs_addressee=unreported)

    def _part_of(self, key: str, own: list[str]) -> bool:
        """Whether a body (no person) belongs to one of ``own``: "the ministry must V"
        said by its state is the state's own resolve."""
        actor = self.ctx.actors.actors.get(key)
        if actor is None or actor.kind == ActorKind.PERSON:
            return False
        return bool(set(self._widen([key])[1:]) & set(own))

    def _unresolved_group(self, subj: Token) -> bool:
        """A group of people or states that names no actor ("officials", "all countries",
        "Valdorans"): the addressee is named but cannot be given."""
        if subj.pos_ not in ("NOUN", "PROPN") or self.keys(subj):
            return False
        low = subj.lower_
        return (
            subj.lemma_.lower() in lx.PEOPLE_NOUNS
            or low in lx.PEOPLE_NOUNS
            or _demonym_plural(subj)
        )

    # ------------------------------------------------------------------ nominal demands

    def _nominal(self, n: Token, default_voice: list[str] | None = None) -> None:
        """ "the need for Y to V", "X's demand that Y V", "one of X's demands was that ..."."""
        act, subj = _nominal_act(n)
        np_obj = self._nominal_object(n) if act is None else None
        if act is None and np_obj is None:
            return
        voiced = self._nominal_voice(n, default_voice)
        if voiced is None:
            return  # "the talks created conditions for ...": nobody voices it
        voice, poss, gov = voiced
        if gov is not None and negated(gov):
            return  # "is not a plea for X", "did not issue an ultimatum"
        if self._own_need(n, poss, gov, act if subj is None else None, np_obj, voice):
            return
        status, extra = self._verdict(gov, poss, voice)
        if act is not None and act.pos_ in ("VERB", "AUX"):
            inner = _causative_inner(act)
            if inner is not None:
                act, subj = inner
            to = self.keys(subj, exclude=voice) if subj is not None else []
            self._emit_acts(act, voice, to or extra, subject=subj, status=status)
            return
        obj = act if act is not None else np_obj
        if obj is None:
            return
        to = self._from_keys(n, voice) or extra
        self._add(
            _Found(voice, to, _np_tokens(obj, self.ctx.text), obj, status=status, nominal=True)
        )

    def _own_need(
        self,
        n: Token,
        poss: Token | None,
        gov: Token | None,
        bare_act: Token | None,
        np_obj: Token | None,
        voice: list[str],
    ) -> bool:
        """Whether a need is its speakers' own, not a demand on another party.

        "Valdora's need for X" (the possessor needs X); "they agreed on / recognise the need
        for X" (a commitment); "the two ministers stressed the need to V" (a joint subject
        sets its own task: the infinitive has no subject of its own); "the need for closer
        Valdoran-Ostlandic ties" stated by Valdora (the speaker is in the need).
        """
        if n.lemma_.lower() not in lx.NECESSITY_NOUNS:
            return False
        if poss is not None and poss.i in {c.i for c in n.children}:
            return True
        committed = gov is not None and gov.lemma_.lower() in lx.COMMITMENT_VERBS
        if bare_act is not None and _causative_inner(bare_act) is None:
            return committed or (gov is not None and _joint_subject(gov))
        if np_obj is not None:
            if np_obj.dep_ == "pcomp" or np_obj.pos_ == "VERB":  # "the need for improving X"
                return committed or (gov is not None and _joint_subject(gov))
            named = {self.ctx.actors.resolve_token(c) for c in np_obj.subtree if c.i < np_obj.i}
            return committed or bool(named & set(voice))
        return committed

    def _nominal_object(self, n: Token) -> Token | None:
        """What a demand noun without a clause asks for: "a call for restraint" → restraint;
        "a demand to the council", "the request from Y" → the demand itself."""
        p = next((c for c in n.children if c.dep_ == "prep" and c.lower_ == "for"), None)
        np_obj = _child(p, ("pobj", "pcomp")) if p is not None else None
        if np_obj is None and n.lemma_.lower() in lx.ADDRESSED_DEMAND_NOUNS:
            p = next(
                (c for c in n.children if c.dep_ == "prep" and c.lower_ in lx.DEMAND_NOUN_PREPS),
                None,
            )
            if p is not None and (p.lower_ in ("from", "to") or self._from_keys(n, [])):
                np_obj = n
        return np_obj

    def _nominal_voice(
        self, n: Token, default_voice: list[str] | None
    ) -> tuple[list[str], Token | None, Token | None] | None:
        """Who voices a demand noun: its possessor ("X's demand") or source ("calls from
        X"), else the subject of the verb that voices it ("X issued an ultimatum"), else the
        listing actor, "according to X" or the quotation's speaker.

        Returns:
            ``(voice, possessor or source, governing verb)``, or None when a verb that
            voices nothing governs the noun.
        """
        poss = _child(n, ("poss",))
        if (
            poss is None
            and n.dep_ == "pobj"
            and n.head.lower_ == "of"
            and n.head.head.pos_ in ("NOUN", "NUM", "PRON")
        ):
            poss = _child(n.head.head, ("poss",))  # "X's set of demands", "one of X's ..."
            gov_np = n.head.head
        else:
            gov_np = n
        if poss is None:
            poss = _source(n)  # "calls from X", "a demand by X": X voices them
        if poss is not None and (self._unresolved_group(poss) or _demonym_plural(poss)):
            return None  # "the people's calls", "Valdorans' demands": no actor voices them
        voice = self.keys(poss) if poss is not None else []
        gov = _governor(gov_np)
        if not voice and gov is not None and gov.lemma_.lower() in lx.DEMAND_VOICING_VERBS:
            voice = self._voice(gov)
        elif not voice and gov is not None and gov.lemma_.lower() != "be":
            return None
        if not voice:
            voice = default_voice or self._according_to(n.sent) or self._quote_speaker(n)
        return voice, poss, gov

    def _verdict(
        self, gov: Token | None, poss: Token | None, voice: list[str]
    ) -> tuple[DemandStatus, list[str]]:
        """Status of a demand noun under "rejected"/"met" ("Y rejected X's demand"), and the
        one who rejected or met it (an addressee)."""
        if gov is None or gov.lemma_.lower() not in lx.REJECT_VERBS | lx.ACCEPT_VERBS:
            return DemandStatus.MADE, []
        status = (
            DemandStatus.REJECTED
            if gov.lemma_.lower() in lx.REJECT_VERBS
            else DemandStatus.ACCEPTED
        )
        extra = self.keys(_child(gov, ("nsubj",)), exclude=voice) if poss is not None else []
        return status, extra

    def _failure(self, n: Token) -> None:
        """ "X said that any failure to V would hurt ..." → X demands V."""
        act = next((c for c in n.children if c.dep_ in ("acl", "relcl") and has_to(c)), None)
        if act is None or n.dep_ not in _SUBJ:
            return
        gov = climb(
            n.head,
            lambda t: (
                t.dep_ in ("ccomp", "conj", "xcomp")
                and t.head.lemma_.lower() not in lx.WARNING_VERBS
            ),
        )
        rep = gov.head if gov.head.lemma_.lower() in lx.WARNING_VERBS else None
        if rep is None and n.head.lemma_.lower() in lx.WARNING_VERBS:
            rep = n.head
        if rep is None:
            return
        voice = self._voice(rep)
        self._emit_acts(act, voice, [], subject=None)

    # ------------------------------------------------------------------ conditions

    def _ultimatum(self, v: Token) -> None:
        """ "X warned of consequences if Y does V", "X will impose costs on Y if it does V":
        a threat on condition is a demand that Y not do V."""
        if negated(v) or not any(
            c.dep_ == "dobj" and c.lemma_.lower() in lx.CONSEQUENCE_NOUNS for c in v.children
        ):
            return
        for c in v.children:
            if c.dep_ != "advcl" or not any(
                m.dep_ == "mark" and m.lower_ in lx.THREAT_CONDITION_MARKS for m in c.children
            ):
                continue
            voice = self._voice(v)
            subj = _child(c, ("nsubj",))
            to = self.keys(subj, exclude=voice) if subj is not None else []
            if not voice or not to or negated(c):
                continue
            f = self._make(c, voice, to)
            # "X would lift the sanctions if Y frees Z" offers relief: Y is to free Z
            f.refrain = v.lemma_.lower() not in lx.RELIEF_VERBS
            if not f.refrain:
                f.conditional, f.condition = True, _text([v, *_child_tokens(v, c)])
            self._add(f)

    def _dependence(self, t: Token) -> None:
        """ "Z depends on the release of the prisoners" reported by X → conditional demand."""
        if t.lemma_.lower() not in lx.DEPENDENCE_VERBS | lx.DEPENDENCE_ADJECTIVES:
            return
        p = next((c for c in t.children if c.dep_ == "prep" and c.lower_ in ("on", "upon")), None)
        obj = _child(p, ("pobj", "pcomp")) if p is not None else None
        if (
            obj is None
            or negated(t)
            or obj.pos_ == "PRON"
            or self.ctx.actors.resolve_token(obj) is not None
        ):
            return  # "can depend on Valdora": reliance on a partner, not a condition
        voice = self._clause_voice(t, official=False)
        if not voice:
            return
        subj = _child(t, _SUBJ) or (t.head if t.dep_ == "acomp" else None)
        if t.dep_ == "acomp":
            subj = _child(t.head, _SUBJ)
        cond = _text(list(subj.subtree)) if subj is not None else None
        self._add(_Found(voice, [], _np_tokens(obj, self.ctx.text), obj, True, cond, nominal=True))

    def _proviso(self, v: Token) -> None:
        """ "X would consider V, provided that Y V'" → X demands (conditionally) that Y V'."""
        mark = v.head
        if v.dep_ not in ("pcomp", "advcl", "ccomp") or not any(
            m.dep_ == "mark" and m.lower_ == "that" for m in v.children
        ):
            if not (
                v.dep_ == "advcl"
                and any(
                    m.dep_ == "mark" and m.lower_ in ("provided", "providing") for m in v.children
                )
            ) and not _sole_condition(v):
                return
            mark = next(m for m in v.children if m.dep_ == "mark")
        elif mark.lower_ not in lx.PROVISO_MARKS:
            return
        words = self.doc[max(mark.i - 2, v.sent.start) : mark.i + 1].text.lower()
        if mark.lower_ == "condition" and "on condition" not in words:
            return
        offer = _offer_clause(mark)
        if offer is None:
            return
        voice = self._voice(offer) if _child(offer, _SUBJ) else self._clause_voice(offer)
        voice = _merge(voice, self._clause_voice(offer))
        inside = {t.i for t in v.subtree}
        cond = _text(
            [
                t
                for t in offer.subtree
                if t.i < mark.i and t.dep_ != "punct" and t.sent == v.sent and t.i not in inside
            ]
        )
        subj = _child(v, ("nsubj",))
        to = self.keys(subj, exclude=voice) if subj is not None else []
        if not to and _sole_condition(v):
            return  # "only if the weather holds": no one is asked
        for act in [v, *v.conjuncts]:
            if act.pos_ in ("VERB", "AUX"):
                f = self._make(act, voice, to)
                f.conditional, f.condition = True, cond
                self._add(f)

    def _conditions(self, v: Token, f: _Found) -> None:
        """Mark ``f`` conditional when ``v`` (or its clause) has an if/unless clause."""
        for c in v.children:
            if c.dep_ == "advcl" and any(
                m.dep_ == "mark" and m.lower_ in lx.CONDITION_MARKS for m in c.children
            ):
                f.conditional = True
                f.condition = _text(list(c.subtree))
                return

    # ------------------------------------------------------------------ enumerations

    def _listing_voice(self, sent: SpacySpan) -> list[str]:
        """The demander of "X listed its conditions:" (carried to "First, ... Second, ...")."""
        root = sent.root
        if root.lemma_.lower() not in lx.LISTING_VERBS or negated(root):
            return []
        if _child(root, ("dobj",)) is None:
            return []
        return self._voice(root)

    def _enumerated_item(self, sent: SpacySpan, voice: list[str], before: int) -> None:
        """One enumerated item: a demand of the listing actor."""
        new = [f for k, f in self.found.items() if sent.start <= k < sent.end]
        if new or len(self.found) > before:
            for f in new:
                f.demanders = _merge(voice, f.demanders)
            return
        root = sent.root
        obj: Token | None = None
        p = next((c for c in root.children if c.dep_ == "prep" and c.lower_ == "about"), None)
        if p is not None:
            obj = _child(p, ("pobj", "pcomp"))
        if obj is None:
            obj = _child(root, ("attr",))
        if obj is None:
            return
        if obj.lemma_.lower() in lx.DEMAND_NOUNS:
            self._nominal(obj, voice)
            if any(sent.start <= k < sent.end for k in self.found):
                return
        self._add(_Found(list(voice), [], _np_tokens(obj, self.ctx.text), obj, nominal=True))

    # ------------------------------------------------------------------ building demands

    def _emit_acts(
        self,
        act: Token,
        voice: list[str],
        to: list[str],
        subject: Token | None,
        with_conj: bool = True,
        status: DemandStatus = DemandStatus.MADE,
        needs_addressee: bool = False,
    ) -> None:
        """One demand for ``act`` and for each coordinated act that shares its subject."""
        acts = [act]
        if with_conj:
            # "expects X to send ... and will then judge ...": a conjunct with its own modal or
            # tense auxiliary is a new predicate of the matrix subject, not a demanded act
            acts += [
                c
                for c in act.conjuncts
                if c.i > act.i
                and c.pos_ in ("VERB", "AUX")
                and _child(c, _SUBJ) is None
                and not (
                    act.tag_ == "VB"
                    and any(x.dep_ == "aux" and x.lower_ != "to" for x in c.children)
                )
                # "urged Y to V and welcomed Z": a finite verb is the speaker's next act
                and not (act.tag_ == "VB" and c.tag_ in ("VBD", "VBZ"))
            ]
        for a in acts:
            if a.i != act.i and negated(a) and not negated(act):
                continue
            f = self._make(a, voice, to)
            f.status = status
            f.needs_addressee = needs_addressee
            self._add(f)

    def _make(self, act: Token, voice: list[str], to: list[str]) -> _Found:
        f = _Found(list(voice), list(to), _act_tokens(act, self.ctx.text), act)
        self._conditions(act, f)
        return f

    def _interlocutors(self, head: Token, by: list[str]) -> list[str]:
        """The other participants of a meeting or call reported in the same sentence as a
        demand of one participant, named between the meeting and the demand ("in a call
        with Y, X asked for a truce"): the one asked."""
        for m in self.ctx.meetings:
            if m.span.sent_start != head.sent.start_char or not set(m.participants) & set(by):
                continue
            named = {x.actor for x in self.ctx.actors.mentions_in(m.span.start, head.idx)}
            return [k for k in m.participants if k not in by and k in named]
        return []

    def _topic_of_statement(self, by: list[str]) -> list[str]:
        """The state an official statement is about (its title's topic), as the one asked
        by a call its issuers make without naming anyone ("We call for the release of the
        detainees" in a "Statement on Ruritania"); nothing for anyone else's demands."""
        topic = self.ctx.topic_state
        issuers = set(self._widen(self.issuer()))
        if topic is None or topic in by or not issuers or not set(by) <= issuers:
            return []
        return [topic] if topic in self.ctx.actors.actors else []

    def _assemble(self) -> tuple[Demand, ...]:
        """Widen demanders, fill implicit addressees, and freeze the demands in text order."""
        out: list[Demand] = []
        last_to: dict[str, list[str]] = {}
        last_any: list[str] = []
        for head in sorted(self.found):
            f = self.found[head]
            by = self._widen(f.demanders)
            if not by:
                continue
            to = [k for k in f.addressees if k not in by]
            inherited = next((last_to[k] for k in by if k in last_to), [])
            passive = is_passive(f.head) or (f.head.dep_ == "conj" and is_passive(f.head.head))
            if not inherited and passive:
                inherited = [k for k in last_any if k not in by]
            if f.needs_addressee:
                inherited = []  # a statement's own "X must V" names its addressee itself
            inside = [k for k in self._keys_in(_agent_words(f)) if k not in by]
            if not to and passive:
                to = inherited  # clause with an unexpressed agent; what it names is acted upon
            elif not to:
                to = inside or inherited  # nominalisation: "withdrawal of Y's troops"
            elif f.nominal:
                to = _merge(to, inside)
            to = [k for k in to if k not in by]
            if not to and not f.needs_addressee:
                to = self._interlocutors(f.head, by) or self._topic_of_statement(by)
            if f.needs_addressee and not to or len(f.content) < 2 and not f.nominal:
                continue  # no one asked; a bare verb ("must end") says no act
            for k in by:
                if to:
                    last_to[k] = to
            last_any = to or last_any
            toks = sorted(f.content, key=lambda t: t.i) or [f.head]
            sent = f.head.sent
            start = toks[0].idx
            end = toks[-1].idx + len(toks[-1])
            out.append(
                Demand(
                    demanders=tuple(by),
                    addressees=tuple(dict.fromkeys(to)),
                    content=_refrain_text(f, toks) if f.refrain else _text(toks),
                    span=Span(start, end, sent.start_char, sent.end_char),
                    conditional=f.conditional,
                    condition=f.condition,
                    date=self.ctx.article.published,
                    status=f.status,
                )
            )
        return tuple(out)


# ---------------------------------------------------------------------- parse helpers


def _nominal_act(n: Token) -> tuple[Token | None, Token | None]:
    """The act a demand noun asks for and who must do it: its clause ("the need for Y to V",
    "the demand that Y V") or the clause or noun after a copula ("one of X's demands was that
    Y V", "the condition is a ceasefire").

    Returns:
        ``(act, subject)``; the act is a verb or a noun, or None.
    """
    for c in n.children:
        if (
            c.dep_ in ("acl", "advcl", "relcl", "ccomp")
            and c.pos_ in ("VERB", "AUX")
            and (
                has_to(c)
                or any(m.dep_ == "mark" and m.lower_ in ("that", "for") for m in c.children)
            )
        ):
            return c, _child(c, ("nsubj",))
    if n.dep_ == "dobj" and _source(n) is not None:
        # "Y ignored calls from X to V": the infinitive hangs on the verb
        for c in n.head.children:
            if c.dep_ in ("advcl", "xcomp") and c.i > n.i and c.pos_ == "VERB" and has_to(c):
                return c, None
    cop = n.head if n.dep_ in _SUBJ else None
    if n.dep_ == "pobj" and n.head.head.dep_ in _SUBJ and n.head.head.lemma_ == "one":
        cop = n.head.head.head  # "one of X's demands was that ..."
    if cop is None or cop.lemma_ != "be":
        return None, None
    act = next((c for c in cop.children if c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX")), None)
    if act is not None:
        return act, _child(act, ("nsubj",))
    attr = _child(cop, ("attr",))
    if attr is not None and attr.pos_ in ("NOUN", "PROPN"):
        return attr, None
    return None, None


def _child_tokens(v: Token, skip: Token) -> list[Token]:
    """The words of ``v``'s objects and particles, without the clause ``skip``."""
    return [
        t
        for c in v.children
        if c.i != skip.i and c.dep_ in ("dobj", "prt", "dative")
        for t in c.subtree
    ]


def _relative_speech_act(v: Token) -> bool:
    """Whether a relative clause is a speech act of its own: "X, who urged Y to V" or "a
    call in which X asked for Z" (the relative word is the subject or in a prepositional
    phrase of the verb), not "the plans which we expect will V" (it is part of the act)."""
    subj = _child(v, ("nsubj",))
    if subj is not None and subj.lower_ == "who":
        return True
    return subj is not None and any(
        c.dep_ == "prep" and any(x.tag_ in ("WDT", "WP") for x in c.children) for c in v.children
    )


def _sole_condition(v: Token) -> bool:
    """Whether ``v`` heads an "only if" clause ("X will V only if Y V'")."""
    return (
        v.dep_ == "advcl"
        and any(m.dep_ == "mark" and m.lower_ == "if" for m in v.children)
        and any(m.dep_ == "advmod" and m.lower_ in lx.RESTRICTIVE_ADVERBS for m in v.children)
    )


def _source(n: Token) -> Token | None:
    """The actor a demand noun comes from: "calls from X", "a demand by X"."""
    for c in n.children:
        if c.dep_ == "prep" and c.lower_ in lx.SOURCE_PREPS_OF_SPEECH and c.lower_ != "of":
            obj = _child(c, ("pobj",))
            if obj is not None and obj.pos_ in ("NOUN", "PROPN"):
                return obj
    return None


def _agent_words(f: _Found) -> list[Token]:
    """The words of a demanded act that may name who must do it: not the subject of a
    passive ("the crew be released"), not "there must be ...", not the name of a document
    ("the UN Council resolutions") and not whom an act is done to ("the release of X")."""
    head = f.head
    if any(c.dep_ == "expl" for c in head.children) or (
        head.dep_ == "attr" and any(c.dep_ == "expl" for c in head.head.children)
    ):
        return []
    drop = {x.i for c in head.children if c.dep_ == "nsubjpass" for x in c.subtree}
    out = []
    for t in f.content:
        top = climb(t, lambda x: x.dep_ in ("compound", "nmod", "flat"))
        if t.i in drop or (top.i != t.i and not _agent_modifier(t, top)):
            continue  # a modifier of a thing: "the Council resolutions"
        top = climb(top, lambda x: x.dep_ in ("compound", "nmod", "flat", "appos", "conj"))
        if (
            top.dep_ == "pobj"
            and top.head.lower_ == "of"
            and top.head.head.lemma_.lower() in lx.PATIENT_ACT_NOUNS
        ):
            continue
        out.append(t)
    return out


def _agent_modifier(t: Token, top: Token) -> bool:
    """Whether ``t``, a modifier of noun ``top``, may name an actor: a group or named actor
    ("the Valdoran army", "the Valdora government"), or a state or organisation that does
    the act ("Valdoran guarantees", "League action"), never the author of a document ("the
    Council resolutions")."""
    low = top.lemma_.lower()
    if low in lx.DOCUMENT_NOUNS:
        return False
    return low in lx.PEOPLE_NOUNS or bool(top.ent_type_) or t.ent_type_ in ("GPE", "ORG")


def _bare(t: Token) -> str:
    """The lower-case word without editorial brackets ("[W]e" → "we")."""
    return t.lower_.replace("[", "").replace("]", "")


def _demonym_plural(t: Token) -> bool:
    """ "Valdorans": the people of a state by its demonym, in the plural."""
    low = t.lower_
    return low.endswith("s") and low[:-1] in gazetteer.demonym_states()


def _joint_subject(v: Token) -> bool:
    """Whether verb ``v`` (or the verb it hangs on) has a plural or coordinated subject
    ("they", "the two leaders", "X and Y"): speakers who share the task they state."""
    for t in (v, v.head):
        subj = _child(t, ("nsubj",))
        if subj is not None:
            return (
                bool(list(subj.conjuncts))
                or subj.tag_ in ("NNS", "NNPS")
                or subj.lower_ in lx.PLURAL_PRONOUNS
                or subj.lower_ == "we"
            )
    return False


def _inverted_condition(clause: Token, subj: Token) -> bool:
    """ "..., should it V": a modal before its subject outside a question opens a condition."""
    return any(
        c.dep_ == "aux" and c.lower_ == "should" and c.i < subj.i and c.i < clause.i
        for c in clause.children
    ) and not is_question(clause.sent)


def _asks_an_actor(v: Token, obj: Token) -> bool:
    """Whether the direct object of a demand verb is the one asked, with the act in an
    infinitive ("urged partners to act", "wants the agency to apologise"): not the demand."""
    if obj.dep_ != "dobj":
        return False
    return any(
        c.dep_ in ("xcomp", "ccomp", "acl", "relcl") and has_to(c)
        for c in (*v.children, *obj.children)
        if c.pos_ in ("VERB", "AUX")
    )


def _demanded_thing(v: Token, lemma: str, obj: Token) -> bool:
    """Whether the noun-phrase object of demand verb ``v`` is something demanded of another.

    "Called for a summit" convenes it; "seek"/"want" obtain a thing ("sought the nomination",
    "seeking investment") unless the object is an act of another party ("sought the
    withdrawal of the troops", "wants guarantees").
    """
    heads = [obj, *obj.conjuncts]
    if all(h.lemma_.lower() in lx.CONVENED_EVENT_NOUNS for h in heads):
        return False
    subj = _child(v, ("nsubj",))
    if subj is not None and any(
        c.dep_ == "poss" and c.lower_ in lx.PLURAL_PRONOUNS | lx.THING_PRONOUNS | {"our"}
        for c in obj.children
    ):
        return False  # "pressed for its own priorities": the speaker's aims
    if lemma in lx.ACQUISITIVE_DEMAND_VERBS:
        return any(h.lemma_.lower() in lx.DEMANDED_ACT_NOUNS for h in heads)
    return not obj.like_num  # "(1) the prevention of ...": a list marker


def _demand_noun_frame(n: Token) -> bool:
    """Whether a demand noun says itself what is asked: a clause or "for"/"to" phrase
    ("a call for talks", "the demand that Y go"), not "fair conditions that hold"."""
    return _nominal_act(n)[0] is not None or any(
        c.dep_ == "prep" and c.lower_ in lx.DEMAND_FRAME_PREPS for c in n.children
    )


def _governor(n: Token) -> Token | None:
    """The verb a noun phrase depends on (through prepositions and coordination)."""
    t = n
    for _ in range(6):
        if t.head.i == t.i:
            return t if t.pos_ in ("VERB", "AUX") else None
        t = t.head
        if t.pos_ in ("VERB", "AUX"):
            return t
    return None


def _causative_inner(act: Token) -> tuple[Token, Token | None] | None:
    """ "make Y V" → (V, Y)."""
    if act.lemma_.lower() not in lx.CAUSATIVE_VERBS:
        return None
    inner = next(
        (c for c in act.children if c.dep_ in ("ccomp", "xcomp") and c.pos_ in ("VERB", "AUX")),
        None,
    )
    if inner is None:
        return None
    subj = _child(inner, ("nsubj",)) or _child(act, ("dobj",))
    return inner, subj


def _offer_clause(mark: Token) -> Token | None:
    """The clause whose realisation hangs on the proviso (the nearest non-reporting verb)."""
    sent = mark.sent
    for t in reversed(list(sent[: mark.i - sent.start])):
        if (
            t.pos_ in ("VERB", "AUX")
            and t.dep_ not in ("aux", "auxpass")
            and (t.lemma_.lower() not in lx.REPORTING_VERBS)
        ):
            return climb(t, lambda x: x.dep_ == "xcomp")
    return None


def _act_tokens(v: Token, text: str) -> list[Token]:
    """The demanded act: ``v`` with its objects, without subject, frame or coordination.

    ``text`` is the text of ``v``'s doc (passed in: ``Doc.text`` is rebuilt on each access).
    """
    drop: set[int] = set()
    for c in v.children:
        if _frame_child(c):
            drop.update(x.i for x in c.subtree)
    toks = _same_line(v, [t for t in v.subtree if t.i not in drop], text)
    while toks and (toks[-1].is_punct or toks[-1].dep_ == "cc"):
        toks.pop()
    while toks and (toks[0].is_punct or toks[0].dep_ == "cc"):
        toks.pop(0)
    return toks


def _frame_child(c: Token) -> bool:
    """Whether a dependent of the demanded verb belongs to the frame, not to the act."""
    if c.dep_ == "nsubjpass":
        return False  # "the border be reopened": what is to be done names its object
    if c.dep_ in (*_SUBJ, "expl", "mark", "conj", "cc", "punct", "parataxis", "intj", "preconj"):
        return True
    if c.dep_ == "aux":
        return c.lemma_.lower() in lx.OBLIGATION_MODALS | lx.FRAME_AUXILIARIES or (c.lower_ == "to")
    if c.dep_ == "advcl" and any(
        m.dep_ == "mark" and m.lower_ in lx.CONDITION_MARKS for m in c.children
    ):
        return True
    if c.dep_ == "prep" and c.lower_ == "according":
        return True
    if c.dep_ == "advmod" and c.lower_ in lx.RESTRICTIVE_ADVERBS and c.i < c.head.i:
        return any(m.dep_ == "mark" for m in c.head.children)  # "only if Y V"
    return c.dep_ in ("ccomp", "advcl") and c.lemma_.lower() in lx.REPORTING_VERBS


def _coordinated_nps(n: Token, text: str) -> list[tuple[Token, list[Token]]]:
    """The noun phrases coordinated with ``n`` ("X, Y and Z"), each with its own words.

    A phrase without a noun of its own (a lone adjective or number) stays with ``n``.
    """
    parts = [n] + [c for c in n.conjuncts if c.i > n.i and c.pos_ in _NOUNISH]
    doc = n.doc
    if len(parts) == 1 or any(  # "a de-escalation": a word the tokenizer cut at its hyphen
        p.i + 1 < len(doc) and doc[p.i + 1].text == "-" and not p.whitespace_ for p in parts
    ):
        return [(n, _np_tokens(n, text))]
    taken = {p.i for p in parts}
    out = []
    for p in parts:
        drop = {x.i for c in p.children if c.i in taken or c.dep_ == "cc" for x in c.subtree}
        toks = [t for t in _np_tokens(p, text) if t.i not in drop]
        while toks and (toks[-1].is_punct or toks[-1].dep_ in ("cc", "preconj")):
            toks.pop()
        out.append((p, toks))
    return out


def _list_tail(obj: Token) -> list[Token]:
    """The rest of a list the parser hung inside its first item as an apposition:
    "the release of the crew, the return of the ship and an end to the raids" with
    "return" an apposition of "crew" (a list ends with a coordinator and names an act)."""
    for t in obj.subtree:
        if t.dep_ != "appos" or t.i <= obj.i or t.pos_ != "NOUN":
            continue
        items = [t, *t.conjuncts]
        if (
            len(items) > 1
            and t.i > 0
            and t.doc[t.left_edge.i - 1].text == ","
            and any(c.dep_ == "cc" for i in items for c in i.children)
            and any(i.lemma_.lower() in lx.DEMANDED_ACT_NOUNS for i in items)
        ):
            return [t]
    return []


def _trim(toks: list[Token]) -> list[Token]:
    """``toks`` without punctuation or coordinators at either end."""
    while toks and (toks[-1].is_punct or toks[-1].dep_ in ("cc", "preconj")):
        toks.pop()
    while toks and (toks[0].is_punct or toks[0].dep_ == "cc"):
        toks.pop(0)
    return toks


def _np_tokens(n: Token, text: str) -> list[Token]:
    toks = _same_line(n, list(n.subtree), text)
    while toks and (toks[-1].is_punct or toks[-1].dep_ == "cc"):
        toks.pop()
    return toks


def _same_line(head: Token, toks: list[Token], text: str) -> list[Token]:
    """Keep the tokens on the head's line (headlines are often glued to the next line).

    ``text`` is the text of the head's doc.
    """
    return [t for t in toks if "\n" not in text[min(t.idx, head.idx) : max(t.idx, head.idx)]]


def _refrain_text(f: _Found, toks: list[Token]) -> str:
    """ "not provide arms to X" for the condition "if Y provides arms to X"."""
    words = [
        (t.lemma_ + t.whitespace_) if t.i == f.head.i else t.text_with_ws
        for t in sorted(toks, key=lambda t: t.i)
    ]
    return "not " + re.sub(r"\s+", " ", "".join(words).strip())


def _text(toks: list[Token]) -> str:
    toks = sorted(toks, key=lambda t: t.i)
    # a left-out word took the space with it ("land, amongst" without the comma): keep one
    out = "".join(
        t.text_with_ws
        if t.whitespace_ or n + 1 < len(toks) and toks[n + 1].i == t.i + 1
        else t.text + " "
        for n, t in enumerate(toks)
    ).strip()
    return re.sub(r"\s+", " ", out)


def add_demands(ctx: DocContext) -> None:
    """Run :func:`find_demands` and keep the result as ``ctx.demands``."""
    ctx.demands = find_demands(ctx)


#: The demands stage: demands, their demanders and addressees.
STAGE = Stage(
    "demands",
    add_demands,
    requires=("article", "doc", "actors", "coreference", "meetings"),
    assigns=("demands",),
)
