"""The cue lexicons of extraction: every word list a rule reads, each defined once.

Rules in data, grammar in code (as trafilatura keeps its XPath rules in one module): the words
live in ``lexicons.csv`` beside this module, one row per word (``lexicon,entry,value``), and
each list is bound here to a name, with a line saying what it is for. The stage modules say
how a list is used; none defines a word list of its own.

Lists hold lemmas or lower-cased words as the rule that reads them says; cue words of proper
names (``PARTY_CUES``, ``BODY_CUES``, ...) are case-sensitive. The shapes of list:

* :func:`_words` — a set of entries (membership);
* :func:`_ordered` — entries in file order (regular expressions are built from them);
* :func:`_mapping` — entry → value (``army`` → ``military``);
* :func:`_multimap` — entry → values in file order (``call`` → ``on``, ``upon``);
* :func:`_numbers` — entry → whole number (``march`` → 3).

To add a word, add a row to the CSV. To add a list, add its rows, bind it below with its
comment and use it from a stage. ``tests/test_lexicon.py`` fails on a duplicate row, on two
lists with the same content, on a list of the CSV not bound here (or bound twice, or never
used by a stage), and on a word list defined in a stage module instead of here.

The lists are hand-written from general English (released with the project, MIT), never
from the sentences of an article. Some are near twins, kept apart so that behaviour stays as
it was (their comments say so): merging them is a rule change, to be measured as one.

Example:
    >>> from kg_builder.extract import lexicon as lx
    >>> "urge" in lx.REPORTING_VERBS, lx.OBJECT_INFINITIVE_VERBS["call"]
    (True, ('on', 'upon'))

Why one module of over 500 lines: the issue asks for one lexicon layer, every cue list
defined once in one place; each list is a line or two of code over ``lexicons.csv``.
"""

from __future__ import annotations

import csv
import functools
from importlib import resources

from kg_builder.models import ActorKind, AgreementStatus

#: The data file, beside this module.
LEXICONS_CSV = "lexicons.csv"


@functools.cache
def _table() -> dict[str, list[tuple[str, str]]]:
    """Every row of ``lexicons.csv``: lexicon name → ``(entry, value)`` in file order."""
    text = resources.files(__package__).joinpath(LEXICONS_CSV).read_text(encoding="utf-8")
    out: dict[str, list[tuple[str, str]]] = {}
    for row in csv.DictReader(text.splitlines()):
        out.setdefault(row["lexicon"], []).append((row["entry"], row["value"]))
    return out


def _rows(name: str) -> list[tuple[str, str]]:
    rows = _table().get(name)
    if not rows:
        raise KeyError(f"no lexicon {name!r} in {LEXICONS_CSV}")
    return rows


def _words(name: str) -> frozenset[str]:
    """The entries of lexicon ``name`` as a set."""
    return frozenset(entry for entry, _ in _rows(name))


def _ordered(name: str) -> tuple[str, ...]:
    """The entries of lexicon ``name`` in file order."""
    return tuple(entry for entry, _ in _rows(name))


def _mapping(name: str) -> dict[str, str]:
    """Lexicon ``name`` as entry → value."""
    return dict(_rows(name))


def _multimap(name: str) -> dict[str, tuple[str, ...]]:
    """Lexicon ``name`` as entry → values, in file order."""
    out: dict[str, tuple[str, ...]] = {}
    for entry, value in _rows(name):
        out[entry] = (*out.get(entry, ()), value)
    return out


def _numbers(name: str) -> dict[str, int]:
    """Lexicon ``name`` as entry → whole number."""
    return {entry: int(value) for entry, value in _rows(name)}


# ---------------------------------------------------------------------------- speech and reporting

#: Reporting verbs that say what a quotation is about rather than introduce it; a short quote as
#: their object is a characterisation ("called the plan 'a trap'"), often a scare quote.
CHARACTERISING_VERBS: frozenset[str] = _words("CHARACTERISING_VERBS")
#: Verbs (lemmas) whose subject is the source of a quotation they govern or stand next to, plus the
#: characterising verbs.
QUOTE_VERBS: frozenset[str] = _words("QUOTE_VERBS") | CHARACTERISING_VERBS
#: Verbs of saying and thinking (lemmas) whose complement clause carries the subject's position: a
#: demand inside it is the subject's.
REPORTING_VERBS: frozenset[str] = _words("REPORTING_VERBS")
#: Verbs of speech whose subject is a speaker: an unknown one-word "place" as their subject is a
#: person the recogniser mislabelled.
SPEECH_LEMMAS: frozenset[str] = _words("SPEECH_LEMMAS")
#: Verbs of publishing whose organisation subject is a medium ("the Daily Courier reported").
MEDIA_REPORTING_VERBS: frozenset[str] = _words("MEDIA_REPORTING_VERBS")
#: Verbs of saying whose person subject, telling what happened at a meeting, took part in it.
WITNESS_VERBS: frozenset[str] = _words("WITNESS_VERBS")
#: Verbs of warning: "said that any failure to V would ..." voices a demand to V.
WARNING_VERBS: frozenset[str] = _words("WARNING_VERBS")
#: Nouns for what was said: in "according to a report by X" X is the source.
SPEECH_NOUNS: frozenset[str] = _words("SPEECH_NOUNS")
#: Prepositions that name the source of a speech noun ("a report by X", "remarks from X").
SOURCE_PREPS_OF_SPEECH: frozenset[str] = _words("SOURCE_PREPS_OF_SPEECH")
#: Words (as written) that, between two quotations, introduce a new speaker.
NEW_SPEAKER_CUES: tuple[str, ...] = _ordered("NEW_SPEAKER_CUES")

# ------------------------------------ function words: pronouns, determiners, quantifiers, negation

#: Pronouns that refer to a man.
MALE_PRONOUNS: frozenset[str] = _words("MALE_PRONOUNS")
#: Pronouns that refer to a woman.
FEMALE_PRONOUNS: frozenset[str] = _words("FEMALE_PRONOUNS")
#: Pronouns that refer to a person.
PERSON_PRONOUNS: frozenset[str] = MALE_PRONOUNS | FEMALE_PRONOUNS
#: Singular pronouns that refer to a thing, a state or an organisation.
THING_PRONOUNS: frozenset[str] = _words("THING_PRONOUNS")
#: Plural pronouns: a group, a state or an organisation.
PLURAL_PRONOUNS: frozenset[str] = _words("PLURAL_PRONOUNS")
#: First-person pronouns: inside a quotation, the speaker.
FIRST_PERSON_PRONOUNS: frozenset[str] = _words("FIRST_PERSON_PRONOUNS")
#: Personal pronouns that are never a name nor an alias (a near twin of SPEAKER_PRONOUNS, without
#: "us" and "me").
PERSONAL_PRONOUNS: frozenset[str] = _words("PERSONAL_PRONOUNS")
#: Pronouns that may be the subject of a reporting verb; the speaker is then found in the text
#: before.
SPEAKER_PRONOUNS: frozenset[str] = _words("SPEAKER_PRONOUNS")
#: Speaker pronouns that stand only for a person ("it" never does).
PERSON_SPEAKER_PRONOUNS: frozenset[str] = _words("PERSON_SPEAKER_PRONOUNS")
#: Pronoun mentions of a person that never carry a post (PERSON_PRONOUNS less the -self and "hers"
#: forms).
POST_PRONOUNS: frozenset[str] = _words("POST_PRONOUNS")
#: Possessive pronouns: "his deputy" is not a description that names a new person.
POSSESSIVE_PRONOUNS: frozenset[str] = _words("POSSESSIVE_PRONOUNS")
#: Relative pronouns as the subject of a relative clause: the clause's subject is the noun it hangs
#: on.
RELATIVE_PRONOUNS: frozenset[str] = _words("RELATIVE_PRONOUNS")
#: Words that open a relative clause after a name ("X, who ..."): no apposition follows.
RELATIVE_WORDS: frozenset[str] = _words("RELATIVE_WORDS")
#: The articles.
ARTICLES: frozenset[str] = _words("ARTICLES")
#: Definite determiners: "the deal", "these talks" point back to one already named.
DEFINITE_DETERMINERS: frozenset[str] = _words("DEFINITE_DETERMINERS")
#: Singular definite determiners: "the spokesperson", "that meeting" refer to one particular thing.
SINGULAR_DEFINITES: frozenset[str] = _words("SINGULAR_DEFINITES")
#: Determiners that make a noun refer to no particular one ("any agreement").
NON_SPECIFIC_DETERMINERS: frozenset[str] = _words("NON_SPECIFIC_DETERMINERS")
#: Quantifiers of a partitive "one of X", "some of X": the actor is X.
PARTITIVE_QUANTIFIERS: frozenset[str] = _words("PARTITIVE_QUANTIFIERS")
#: Words that negate the verb they depend on (besides the "neg" dependency).
NEGATIONS: frozenset[str] = _words("NEGATIONS")
#: Round-number nouns: "thousands of troops" counts soldiers, it names no institution.
COUNT_NOUNS: frozenset[str] = _words("COUNT_NOUNS")

# -------------------------------------------------------------- titles, posts and names of persons

#: Head nouns of offices and roles (lower case).
TITLE_NOUNS: frozenset[str] = _words("TITLE_NOUNS")
#: Words that may stand in a title before its head noun (lower case).
TITLE_MODIFIERS: frozenset[str] = _words("TITLE_MODIFIERS")
#: Military ranks, abbreviated: titles on their own ("Lt. Gen. X").
RANKS: frozenset[str] = _words("RANKS")
#: Prepositions that may sit inside a title ("Secretary of State", "Envoy to the Arctic").
TITLE_PREPS: frozenset[str] = _words("TITLE_PREPS")
#: Verbs (lemmas) that give their subject a post named by their complement ("X became prime
#: minister", "X serves as chief negotiator").
POST_VERBS: frozenset[str] = _words("POST_VERBS")
#: Verbs (lemmas) that give a post to their object, or to their subject in the passive ("Y
#: appointed X envoy", "X was named ambassador").
APPOINT_VERBS: frozenset[str] = _words("APPOINT_VERBS")
#: Small words a title keeps in lower case ("Minister of the Interior").
TITLE_SMALL_WORDS: frozenset[str] = _words("TITLE_SMALL_WORDS")
#: Honorifics before a name, with and without the full stop.
HONORIFICS: frozenset[str] = _words("HONORIFICS")
#: Words cut from the start of a person entity (a near twin of HONORIFICS plus "the": without
#: "mrs", "dr", "sir").
NAME_PREFIXES: frozenset[str] = _words("NAME_PREFIXES")
#: Particles inside a personal name, lower case ("van der Berg", "bin Khalid", "Le Roux").
NAME_PARTICLES: frozenset[str] = _words("NAME_PARTICLES")
#: Generational suffixes that end a personal name ("Jr.", "III"): not a surname.
NAME_SUFFIXES: frozenset[str] = _words("NAME_SUFFIXES")
#: Occupations written before a name that are not offices ("blogger Ana Lind", "economist X"):
#: never part of the name, and no post.
OCCUPATION_NOUNS: frozenset[str] = _words("OCCUPATION_NOUNS")
#: Capitalised heads of names of places, buildings and events ("Base", "University"): a name
#: that goes on with one is not a person's.
NAME_STOP_WORDS: frozenset[str] = _words("NAME_STOP_WORDS")
#: Title words that rank rather than name an office: "the senior minister" may be any minister.
SENIORITY_WORDS: frozenset[str] = _words("SENIORITY_WORDS")
#: Title words of diplomatic posts: "the diplomat" can be any person who holds one.
DIPLOMATIC_TITLES: frozenset[str] = _words("DIPLOMATIC_TITLES")
#: Heads of descriptions of people besides the title nouns ("a source", "the aide").
DESCRIPTION_PERSON_NOUNS: frozenset[str] = _words("DESCRIPTION_PERSON_NOUNS")
#: Role nouns that, with "the", point back to a person already named ("the spokesperson").
PERSON_ROLE_NOUNS: frozenset[str] = _words("PERSON_ROLE_NOUNS")
#: Collective nouns that, with "the", point back to an organisation already named ("the ministry").
BODY_ROLE_NOUNS: frozenset[str] = _words("BODY_ROLE_NOUNS")
#: Heads of descriptions of organisations ("the ministry", "the bloc") → the kinds of actor they
#: may refer to.
DESCRIPTION_ORG_HEADS: dict[str, frozenset[ActorKind]] = {
    k: frozenset(ActorKind(x) for x in v) for k, v in _multimap("DESCRIPTION_ORG_HEADS").items()
}
#: Gazetteer kinds of organisation that "the alliance" or "the bloc" may refer to.
ALLIANCE_ORG_KINDS: frozenset[str] = _words("ALLIANCE_ORG_KINDS")
#: Prepositions whose object acts or is acted upon: an unnamed description there names a new actor.
DESCRIPTION_ARGUMENT_PREPS: frozenset[str] = _words("DESCRIPTION_ARGUMENT_PREPS")
#: Prepositions whose phrase restricts a description ("a source in the port").
DESCRIPTION_COMPLEMENT_PREPS: frozenset[str] = _words("DESCRIPTION_COMPLEMENT_PREPS")
#: Verbs whose subject "it" refers to nothing ("it seems that").
EXPLETIVE_VERBS: frozenset[str] = _words("EXPLETIVE_VERBS")

# ------------------------------------------------------------------------ actors and organisations

#: Nouns for acting people and institutions, and every title noun: a demonym on one names the state
#: ("Ruritanian officials").
ACTOR_NOUNS: frozenset[str] = _words("ACTOR_NOUNS") | TITLE_NOUNS
#: Prepositions whose object is a place, not an actor ("talks in Valdora").
LOCATIVE_PREPS: frozenset[str] = _words("LOCATIVE_PREPS")
#: Verbs whose direct object is a destination ("will visit Valdora").
LOCATIVE_VERBS: frozenset[str] = _words("LOCATIVE_VERBS")
#: Words in an organisation name that make it a political party or movement.
PARTY_CUES: frozenset[str] = _words("PARTY_CUES")
#: Words in an organisation name that make it an armed group.
ARMED_CUES: frozenset[str] = _words("ARMED_CUES")
#: Words in an organisation name that make it a trade union.
UNION_CUES: frozenset[str] = _words("UNION_CUES")
#: Words in an organisation name that make it a company.
COMPANY_CUES: frozenset[str] = _words("COMPANY_CUES")
#: Words in an organisation name that make it a medium (news agency, paper, broadcaster).
MEDIA_CUES: frozenset[str] = _words("MEDIA_CUES")
#: Nouns an organisation name modifies when it is a medium ("the X newspaper").
MEDIA_NOUNS: frozenset[str] = _words("MEDIA_NOUNS")
#: Names of non-governmental organisations.
NGO_NAMES: frozenset[str] = _words("NGO_NAMES")
#: Words in an organisation name that make it a non-governmental organisation.
NGO_CUES: frozenset[str] = _words("NGO_CUES")
#: Words in an organisation name that make it an institution, never a person.
BODY_CUES: frozenset[str] = _words("BODY_CUES")
#: Words in a capitalised name of a document, event or place that the recogniser tags ORG: not an
#: actor.
NON_ACTOR_CUES: frozenset[str] = _words("NON_ACTOR_CUES")
#: Last words of a proper name that make it an organisation of its own even with a gazetteer name
#: inside ("Valdoran Dockers Association"), with the party, union, company, media and NGO cues.
ORGANISATION_HEAD_CUES: frozenset[str] = (
    _words("ORGANISATION_HEAD_CUES")
    | PARTY_CUES
    | UNION_CUES
    | COMPANY_CUES
    | MEDIA_CUES
    | NGO_CUES
)
#: Compass words: "southern African countries" is a region, not a group that acts.
COMPASS_WORDS: frozenset[str] = _words("COMPASS_WORDS")
#: First words of a photo caption or credit line: no mention in it is an actor.
CAPTION_OPENERS: frozenset[str] = _words("CAPTION_OPENERS")
#: Lower-case words inside a capitalised name spelled out before its acronym.
NAME_INNER_WORDS: frozenset[str] = _words("NAME_INNER_WORDS")
#: Nouns after which a person's name is a modifier, not a mention ("the Smith administration").
NAME_MODIFIED_NOUNS: frozenset[str] = _words("NAME_MODIFIED_NOUNS")
#: Prepositions whose object acts or is acted upon: an unknown organisation there counts as an
#: actor.
ORG_ARGUMENT_PREPS: frozenset[str] = _words("ORG_ARGUMENT_PREPS")
#: Nouns of bodies whose members are described: "a member of the Central Board" names the board
#: only inside a description.
MEMBERSHIP_BODY_NOUNS: frozenset[str] = _words("MEMBERSHIP_BODY_NOUNS")
#: Verbs of saying that come before their speaker in an inverted report ("..., said X").
INVERTED_QUOTE_VERBS: frozenset[str] = _words("INVERTED_QUOTE_VERBS")
#: Nouns that give a person's name ("using the pseudonym X").
NAMING_NOUNS: frozenset[str] = _words("NAMING_NOUNS")
#: Verbs that give a person's name ("a guard named X", "identified only as X").
NAMING_VERBS: frozenset[str] = _words("NAMING_VERBS")
#: Heads of a body's name of the form "X of Y" ("House of Delegates", "Chamber of Deputies").
CHAMBER_HEADS: frozenset[str] = _words("CHAMBER_HEADS")
#: Nouns for a ministry.
MINISTRY_NOUNS: frozenset[str] = _words("MINISTRY_NOUNS")

# ------------------------------------------------------------------------------- government bodies

#: Head nouns of a state's bodies → the function the body is keyed by (army → military).
BODY_HEADS: dict[str, str] = _mapping("BODY_HEADS")
#: Two-word bodies → function ("armed forces" → military).
BODY_PAIRS: dict[tuple[str, ...], str] = {
    tuple(k.split()): v for k, v in _mapping("BODY_PAIRS").items()
}
#: Words naming a ministry's field → function ("foreign affairs" → foreign).
MINISTRY_FUNCTIONS: dict[str, str] = _mapping("MINISTRY_FUNCTIONS")
#: Function → the words of "Ministry of ..." in a ministry's alias.
MINISTRY_FULL_NAMES: dict[str, str] = _mapping("MINISTRY_FULL_NAMES")
#: Lower-case words that make "ministry" after them a ministry's name ("the defence ministry").
MINISTRY_HEAD_MODIFIERS: frozenset[str] = _words("MINISTRY_HEAD_MODIFIERS")
#: Words of a ministry's field besides the function words ("Home", "Affairs").
MINISTRY_FUNCTION_WORDS: frozenset[str] = _words("MINISTRY_FUNCTION_WORDS")
#: Modifiers of a body's name that do not tie it to another owner ("the Supreme Court").
BODY_NAME_WORDS: frozenset[str] = _words("BODY_NAME_WORDS")
#: Nouns for soldiers as a group: a state's military only with its demonym.
TROOP_NOUNS: frozenset[str] = _words("TROOP_NOUNS")
#: Body functions that an unqualified mention never takes from the article's main state.
STATE_BOUND_FUNCTIONS: frozenset[str] = _words("STATE_BOUND_FUNCTIONS")
#: Modifier → plural heads that make a collective actor ("Western" + countries, powers ...).
COLLECTIVE_HEADS: dict[str, frozenset[str]] = {
    k: frozenset(v) for k, v in _multimap("COLLECTIVE_HEADS").items()
}

#: Plural nouns of groups of people that act in politics ("protesters", "mediators",
#: "partners"): as an argument of a verb, the group is a collective actor.
GROUP_NOUNS: frozenset[str] = _words("GROUP_NOUNS")
#: Plural nouns of groups too general to name one without a modifier: "like-minded partners",
#: "shipping companies" are collective actors, bare "partners" is not.
GENERIC_GROUP_NOUNS: frozenset[str] = _words("GENERIC_GROUP_NOUNS")
#: Words that count or pick from a group rather than name it ("other partners", "many
#: Valdorans"): not part of a collective actor's name.
QUANTIFYING_WORDS: frozenset[str] = _words("QUANTIFYING_WORDS")

# ----------------------------------------------------------------------------------------- demands

#: Verbs whose object is asked to act, with an infinitive ("X urged Y to V") → the preposition
#: before Y ("" = direct object).
OBJECT_INFINITIVE_VERBS: dict[str, tuple[str, ...]] = _multimap("OBJECT_INFINITIVE_VERBS")
#: Verbs with a that-clause saying what another party must do ("X demanded that Y V").
THAT_CLAUSE_VERBS: frozenset[str] = _words("THAT_CLAUSE_VERBS")
#: Verbs whose that-clause is always a directive, whatever its verb form.
MANDATIVE_VERBS: frozenset[str] = _words("MANDATIVE_VERBS")
#: Verbs that may demand an act not be done ("demanded that Y not V").
NEGATIVE_DEMAND_VERBS: frozenset[str] = _words("NEGATIVE_DEMAND_VERBS")
#: Words that open an indirect question: such a clause states no demand.
INTERROGATIVE_MARKS: frozenset[str] = _words("INTERROGATIVE_MARKS")
#: Verbs whose noun-phrase object is the thing demanded ("X demanded the release of ...") → the
#: preposition before it ("" = direct object).
OBJECT_NP_VERBS: dict[str, tuple[str, ...]] = _multimap("OBJECT_NP_VERBS")
#: Demand verbs with a bare infinitive of the speaker's own side ("We demand to see the accounts").
SELF_INFINITIVE_VERBS: frozenset[str] = _words("SELF_INFINITIVE_VERBS")
#: Causative verbs: in "stressed the need to get Y to pay", Y must act.
CAUSATIVE_VERBS: frozenset[str] = _words("CAUSATIVE_VERBS")
#: Modal auxiliaries of obligation ("Y should V").
OBLIGATION_MODALS: frozenset[str] = _words("OBLIGATION_MODALS")
#: Semi-modals of obligation with a to-infinitive ("Y has to V").
OBLIGATION_SEMI_MODALS: frozenset[str] = _words("OBLIGATION_SEMI_MODALS")
#: Auxiliaries that make a semi-modal a forecast, not a demand ("Y will have to V").
FORECAST_AUXILIARIES: frozenset[str] = _words("FORECAST_AUXILIARIES")
#: Adverbs that make "have to" mean "not done so far" ("Y has yet to V").
NOT_YET_ADVERBS: frozenset[str] = _words("NOT_YET_ADVERBS")
#: Auxiliaries (besides the modals of obligation) that belong to the frame of a demand, not to the
#: act.
FRAME_AUXILIARIES: frozenset[str] = _words("FRAME_AUXILIARIES")
#: Verbs of expectation that make a future clause a demand ("We expect that Y will V").
EXPECTATION_VERBS: frozenset[str] = _words("EXPECTATION_VERBS")
#: Nouns that name a demand; their complement is the demanded act.
DEMAND_NOUNS: frozenset[str] = _words("DEMAND_NOUNS")
#: Demand nouns whose from/to/on phrase names a party ("a demand to Y").
ADDRESSED_DEMAND_NOUNS: frozenset[str] = _words("ADDRESSED_DEMAND_NOUNS")
#: Prepositions after an addressed demand noun that name a party.
DEMAND_NOUN_PREPS: frozenset[str] = _words("DEMAND_NOUN_PREPS")
#: Prepositions that open what a demand noun asks for ("a call for talks", "a demand to
#: leave", "pressure on Y", "a plea from Y"): the noun frames a demand of its own.
DEMAND_FRAME_PREPS: frozenset[str] = _words("DEMAND_FRAME_PREPS")
#: Verbs whose subject voices the demand noun they govern ("issued an ultimatum", "laid down a
#: Verbs that say a demand was turned down ("rejected X's demand").
REJECT_VERBS: frozenset[str] = _words("REJECT_VERBS")
#: Verbs that say a demand was granted ("met X's demand").
ACCEPT_VERBS: frozenset[str] = _words("ACCEPT_VERBS")
#: Subordinators that open the condition of a conditional demand.
CONDITION_MARKS: frozenset[str] = _words("CONDITION_MARKS")
#: Words that head a proviso ("provided that", "on condition that").
PROVISO_MARKS: frozenset[str] = _words("PROVISO_MARKS")
#: Adverbs that make an if-clause the one condition of an offer ("X will V only if Y V').
RESTRICTIVE_ADVERBS: frozenset[str] = _words("RESTRICTIVE_ADVERBS")
#: Verbs that take a consequence away ("X would lift the sanctions if Y V"): an offer.
RELIEF_VERBS: frozenset[str] = _words("RELIEF_VERBS")
#: Verbs of dependence: "the merger depends on the approval of ...".
DEPENDENCE_VERBS: frozenset[str] = _words("DEPENDENCE_VERBS")
#: Adjectives of dependence: "conditional on ...".
DEPENDENCE_ADJECTIVES: frozenset[str] = _words("DEPENDENCE_ADJECTIVES")
#: Openers of an enumerated item ("First, ...", "2. ...").
ENUMERATION_OPENERS: frozenset[str] = _words("ENUMERATION_OPENERS")
#: Verbs that introduce a list of demands ("The council listed three conditions").
LISTING_VERBS: frozenset[str] = _words("LISTING_VERBS")
#: condition"), with the reporting and listing verbs.
DEMAND_VOICING_VERBS: frozenset[str] = (
    _words("DEMAND_VOICING_VERBS") | REPORTING_VERBS | LISTING_VERBS
)
#: Nouns of failure: "said that any failure to V would ..." implies a demand to V.
FAILURE_NOUNS: frozenset[str] = _words("FAILURE_NOUNS")
#: Phrases of an attribution line that name who issues an official statement ("The following
#: statement was released by X", "attributable to Spokesperson Y"), lower case.
ATTRIBUTION_CUES: tuple[str, ...] = _ordered("ATTRIBUTION_CUES")
#: Prepositions before the topic in a statement's title ("Joint Statement on Ruritania").
TOPIC_PREPOSITIONS: frozenset[str] = _words("TOPIC_PREPOSITIONS")
#: Nouns of necessity ("the need to V", "the necessity of V-ing"): their possessor needs, it does
#: not demand, and an infinitive without a subject is the act of whoever states the need.
NECESSITY_NOUNS: frozenset[str] = _words("NECESSITY_NOUNS")
#: Verbs by which the subjects bind themselves ("agreed on the need to V", "recognise the need
#: for V"): the need is their own commitment, not a demand on others.
COMMITMENT_VERBS: frozenset[str] = _words("COMMITMENT_VERBS")
#: Demand verbs whose noun-phrase object is only a demand when it names an act another party must
#: do ("sought the withdrawal of", "wants guarantees"), not a thing to obtain ("seek investment",
#: "sought the nomination").
ACQUISITIVE_DEMAND_VERBS: frozenset[str] = _words("ACQUISITIVE_DEMAND_VERBS")
#: Nouns of acts one party asks another to do: the objects that make "seek" or "want" a demand.
DEMANDED_ACT_NOUNS: frozenset[str] = _words("DEMANDED_ACT_NOUNS")
#: Nouns of gatherings: "called for a summit" convenes one, it asks nobody to act.
CONVENED_EVENT_NOUNS: frozenset[str] = _words("CONVENED_EVENT_NOUNS")
#: Indefinite pronouns: "someone has to V" states no one's obligation.
INDEFINITE_PRONOUNS: frozenset[str] = _words("INDEFINITE_PRONOUNS")
#: Nouns for groups of people or states ("nations", "officials"): an obligation of such a group that
#: names no actor has an addressee the text leaves unresolved.
PEOPLE_NOUNS: frozenset[str] = _words("PEOPLE_NOUNS") | ACTOR_NOUNS
#: Nouns of courts and judges: what they order is a ruling, not a demand.
JUDICIAL_NOUNS: frozenset[str] = _words("JUDICIAL_NOUNS")
#: Nouns of acts done to someone ("the release of X", "the extradition of X"): X is not who must
#: act.
PATIENT_ACT_NOUNS: frozenset[str] = _words("PATIENT_ACT_NOUNS")
#: Verbs of an obligation that foretells, not demands: "they should expect consequences".
THREAT_OBLIGATION_VERBS: frozenset[str] = _words("THREAT_OBLIGATION_VERBS")
#: Quantifiers of a plural noun: "many Valdorans" are people, not their state.
QUANTIFIERS: frozenset[str] = _words("QUANTIFIERS")
#: Nouns of what a threat holds out ("consequences", "costs"): with an if-clause, a demand that
#: the one threatened not do what the clause says.
CONSEQUENCE_NOUNS: frozenset[str] = _words("CONSEQUENCE_NOUNS")
#: Subordinators of the condition of a threat ("if", "should").
THREAT_CONDITION_MARKS: frozenset[str] = _words("THREAT_CONDITION_MARKS")
#: Nouns of documents: "the Council resolutions", "the ministry's report" name their author,
#: not who must act.
DOCUMENT_NOUNS: frozenset[str] = _words("DOCUMENT_NOUNS")
#: Prepositions that name who must act in "a demand from Y", "the release of Y".
SOURCE_PREPS: frozenset[str] = _words("SOURCE_PREPS")

# -------------------------------------------------------------------------------------- agreements

#: Head nouns of agreements (lower case, singular) → kind.
AGREEMENT_NOUNS: dict[str, str] = _mapping("AGREEMENT_NOUNS")
#: Heads that name an agreement only inside a capitalised name ("the Harbour Act") → kind.
AGREEMENT_NAME_NOUNS: dict[str, str] = _mapping("AGREEMENT_NAME_NOUNS")
#: Words in a name that show an agreement between parties ("Joint Comprehensive Plan", "Founding
#: Act"), lower case: with them an "Act", "Plan" or "Declaration" is no one side's document.
JOINT_NAME_CUES: frozenset[str] = _words("JOINT_NAME_CUES")
#: Modifiers of a "framework" that make it one side's rules ("a regulatory framework").
ONE_SIDED_MODIFIERS: frozenset[str] = _words("ONE_SIDED_MODIFIERS")
#: Nouns of decisions of an international body that bind its members ("Security Council
#: resolution 2259") → kind; an agreement only with the body and a number.
RESOLUTION_NOUNS: dict[str, str] = _mapping("RESOLUTION_NOUNS")
#: Words for the bodies whose resolutions bind states ("Council", "Assembly"), lower case.
RESOLUTION_BODIES: frozenset[str] = _words("RESOLUTION_BODIES")
#: Well-known treaty acronyms → full name.
TREATY_ACRONYMS: dict[str, str] = _mapping("TREATY_ACRONYMS")
#: Agreement kinds that may name the same agreement ("the deal" / "the accord").
GENERIC_AGREEMENT_KINDS: frozenset[str] = _words("GENERIC_AGREEMENT_KINDS")
#: Modifiers that do not tell one agreement from another ("the new deal").
AGREEMENT_WEAK_MODIFIERS: frozenset[str] = _words("AGREEMENT_WEAK_MODIFIERS")
#: Small words inside an agreement's name ("Treaty on the Limitation of ...").
AGREEMENT_NAME_CONNECTORS: frozenset[str] = _words("AGREEMENT_NAME_CONNECTORS")
#: Prepositions of an agreement's topic or place ("a deal on fisheries").
AGREEMENT_TOPIC_PREPS: frozenset[str] = _words("AGREEMENT_TOPIC_PREPS")
#: Prepositions that name an agreement's parties ("a pact between X and Y").
PARTY_PREPS: frozenset[str] = _words("PARTY_PREPS")
#: Verbs that make an agreement (signed, or under negotiation when irrealis).
SIGN_VERBS: frozenset[str] = _words("SIGN_VERBS")
#: Verbs that say an agreement is in force.
IN_FORCE_VERBS: frozenset[str] = _words("IN_FORCE_VERBS")
#: Phrases after an agreement that say it is in force.
IN_FORCE_PHRASES: tuple[str, ...] = _ordered("IN_FORCE_PHRASES")
#: Verbs that say an agreement was violated.
VIOLATE_VERBS: frozenset[str] = _words("VIOLATE_VERBS")
#: Verbs that say an agreement was suspended.
SUSPEND_VERBS: frozenset[str] = _words("SUSPEND_VERBS")
#: Verbs that say an agreement was ended.
TERMINATE_VERBS: frozenset[str] = _words("TERMINATE_VERBS")
#: Verbs that end an agreement with "out of" / "from" ("pulled out of the pact").
PULL_OUT_VERBS: frozenset[str] = _words("PULL_OUT_VERBS")
#: Verbs that say an agreement was proposed.
PROPOSE_VERBS: frozenset[str] = _words("PROPOSE_VERBS")
#: Verbs that say an agreement is under negotiation.
NEGOTIATE_VERBS: frozenset[str] = _words("NEGOTIATE_VERBS")
#: Nouns that give an agreement its status ("the renewal of the deal") → status.
STATUS_NOUNS: dict[str, AgreementStatus] = {
    k: AgreementStatus(v) for k, v in _mapping("STATUS_NOUNS").items()
}
#: Auxiliaries that make a clause irrealis: "would sign" has not signed.
IRREALIS_AUXILIARIES: frozenset[str] = _words("IRREALIS_AUXILIARIES")
#: Subordinators that make a clause irrealis ("until they sign").
IRREALIS_MARKS: frozenset[str] = _words("IRREALIS_MARKS")
#: Verbs whose complement is wished for, not done ("hope to sign").
DESIRE_VERBS: frozenset[str] = _words("DESIRE_VERBS")
#: Nouns of aims: "the goal is reaching X" (X not reached).
GOAL_NOUNS: frozenset[str] = _words("GOAL_NOUNS")

# ---------------------------------------------------------------------------------------- meetings

#: Meeting nouns (lemma) → kind.
MEETING_NOUNS: dict[str, str] = _mapping("MEETING_NOUNS")
#: Meeting verbs (lemma) → kind.
MEETING_VERBS: dict[str, str] = _mapping("MEETING_VERBS")
#: Meeting verbs of hosting: a meeting only with people as object ("received the envoy", not
#: "received Patriot missiles", "hosted refugees").
HOSTING_VERBS: frozenset[str] = _words("HOSTING_VERBS")
#: Meeting kind → family: a back reference joins a meeting of the same family.
MEETING_FAMILIES: dict[str, str] = _mapping("MEETING_FAMILIES")
#: Meeting kind → the name of a meeting told by a verb ("meeting" otherwise).
MEETING_VERB_NAMES: dict[str, str] = _mapping("MEETING_VERB_NAMES")
#: Nouns of a call: a meeting only by phone or video, or with a partner.
CALL_NOUNS: frozenset[str] = _words("CALL_NOUNS")
#: Verbs of calling someone: "X called Y" is a phone call when Y is someone.
CALL_VERBS: frozenset[str] = _words("CALL_VERBS")
#: Particles that give a verb of calling another sense ("called off", "called out").
CALL_OTHER_SENSE_PARTICLES: frozenset[str] = _words("CALL_OTHER_SENSE_PARTICLES")
#: Nouns of effort or stance whose to-infinitive is only aimed at ("efforts to resume talks").
ATTEMPT_NOUNS: frozenset[str] = _words("ATTEMPT_NOUNS")
#: Verbs of conversation: "X spoke with Y" (a readout's call), "talked by phone".
CONVERSATION_VERBS: frozenset[str] = _words("CONVERSATION_VERBS")
#: Intransitive verbs of coming together: "the ministers gathered in Lisbon" is a meeting.
GATHERING_VERBS: frozenset[str] = _words("GATHERING_VERBS")
#: Verbs of a trip: "will travel to Lima on May 3 to meet X" gives the meeting its day and place.
TRAVEL_VERBS: frozenset[str] = _words("TRAVEL_VERBS")
#: Prepositions of a trip's destination ("travel to Lima", "arrive in Lima").
DESTINATION_PREPS: frozenset[str] = _words("DESTINATION_PREPS")
#: Prepositions that put an act inside a meeting ("spoke with X during the summit").
WITHIN_EVENT_PREPS: frozenset[str] = _words("WITHIN_EVENT_PREPS")
#: Modifiers that make a call or conversation a meeting at a distance.
CALL_MODIFIERS: frozenset[str] = _words("CALL_MODIFIERS")
#: Modifiers of a press event: not a meeting between actors.
PRESS_WORDS: frozenset[str] = _words("PRESS_WORDS")
#: Verbs whose subject takes part in the meeting that is their object.
ATTEND_VERBS: frozenset[str] = _words("ATTEND_VERBS")
#: Verbs (besides the attend verbs) whose argument is an event named by an acronym ("closed
#: ASF12").
NAMED_EVENT_VERBS: frozenset[str] = _words("NAMED_EVENT_VERBS")
#: Prepositions before an event named by an acronym ("at G99").
EVENT_PREPS: frozenset[str] = _words("EVENT_PREPS")
#: Measure nouns that stand in for a meeting ("hours of talks").
MEASURE_NOUNS: frozenset[str] = _words("MEASURE_NOUNS")
#: Modifiers that name another occasion ("the next round"): no back reference.
OTHER_OCCASION_WORDS: frozenset[str] = _words("OTHER_OCCASION_WORDS")
#: Complementisers that make a clause irrealis ("whether to continue talks").
INDIRECT_QUESTION_MARKS: frozenset[str] = _words("INDIRECT_QUESTION_MARKS")
#: Prepositions after a meeting noun that name participants ("talks with X").
MEETING_PARTNER_PREPS: frozenset[str] = _words("MEETING_PARTNER_PREPS")
#: Participles after a meeting noun whose agent takes part ("talks hosted by X").
MEETING_PARTICIPLES: frozenset[str] = _words("MEETING_PARTICIPLES")
#: Prepositions after a meeting noun that give its place.
MEETING_PLACE_PREPS: frozenset[str] = _words("MEETING_PLACE_PREPS")
#: Prepositions after a meeting noun that give its date.
MEETING_DATE_PREPS: frozenset[str] = _words("MEETING_DATE_PREPS")
#: Prepositions that date another event than the meeting ("after the vote on Monday").
OTHER_TIME_PREPS: frozenset[str] = _words("OTHER_TIME_PREPS")
#: Prepositions whose phrase belongs to a meeting's name ("talks on fisheries").
MEETING_NAME_PREPS: frozenset[str] = _words("MEETING_NAME_PREPS")

# -------------------------------------------------------------------------------------------- time

#: Weekday names → weekday number (Monday = 0).
WEEKDAYS: dict[str, int] = _numbers("WEEKDAYS")
#: Month names and abbreviations → month number (the regular expressions take them in this order).
MONTHS: dict[str, int] = _numbers("MONTHS")
#: Words for a day relative to publication → days from it.
RELATIVE_DAYS: dict[str, int] = _numbers("RELATIVE_DAYS")
#: Words before a weekday that pick its week ("last Monday").
WEEKDAY_RELATIVES: tuple[str, ...] = _ordered("WEEKDAY_RELATIVES")
#: Modifiers of a noun that put it in the future ("the upcoming summit").
FUTURE_MODIFIERS: frozenset[str] = _words("FUTURE_MODIFIERS")
#: Auxiliaries of the future tense.
FUTURE_AUXILIARIES: frozenset[str] = _words("FUTURE_AUXILIARIES")
#: Participles and adjectives of a clause about what is to come ("scheduled for").
SCHEDULED_WORDS: frozenset[str] = _words("SCHEDULED_WORDS")
#: Adverbs of the future.
FUTURE_ADVERBS: frozenset[str] = _words("FUTURE_ADVERBS")
#: Verbs whose past participle puts a clause in the future ("is planned").
SCHEDULE_VERBS: frozenset[str] = _words("SCHEDULE_VERBS")
#: Verbs whose to-infinitive is in the future ("is to visit", "plans to meet").
FUTURE_CONTROL_VERBS: frozenset[str] = _words("FUTURE_CONTROL_VERBS")
#: Nouns that "next" puts in the future ("next week", "next Friday").
NEXT_UNITS: frozenset[str] = _words("NEXT_UNITS")
