"""Dates written in news text, resolved against the article's publication date.

News reports rarely give full dates: "on Wednesday", "yesterday", "January 10",
"Wednesday's meeting", "next Monday". This module finds such expressions in a stretch
of text and turns them into calendar dates, using the publication date as the anchor
and the tense of the clause (past or future) to pick the right side of it.

Other components reuse :func:`find_dates`, :func:`first_date`, :func:`is_future` and
:func:`year_mentions`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from kg_builder.extract import lexicon as lx
from kg_builder.extract.tree import climb

# Month and weekday names as written (capitalised), in the order of the lexicon: full names
# before their abbreviations, "Sept" before "Sep".
_MONTH_RE = r"(?P<month>" + "|".join(m.capitalize() for m in lx.MONTHS) + r")\.?"
_WEEKDAY_RE = r"(?P<weekday>" + "|".join(d.capitalize() for d in lx.WEEKDAYS) + ")"
_RELATIVE_RE = "|".join(lx.WEEKDAY_RELATIVES)
_RELDAY_RE = "|".join(lx.RELATIVE_DAYS)

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("iso", re.compile(r"\b(?P<y>(?:19|20)\d{2})-(?P<m>\d{2})-(?P<d>\d{2})\b")),
    (
        "mdy",
        re.compile(
            r"\b" + _MONTH_RE + r"\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b"
            r"(?:,?\s+(?P<year>(?:19|20)\d{2})\b)?"
        ),
    ),
    (
        "dmy",
        re.compile(
            r"\b(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?"
            + _MONTH_RE
            + r"(?:,?\s+(?P<year>(?:19|20)\d{2})\b)?"
        ),
    ),
    ("ym", re.compile(r"\b" + _MONTH_RE + r",?\s+(?P<year>(?:19|20)\d{2})\b")),
    (
        "weekday",
        re.compile(r"\b(?:(?P<rel>" + _RELATIVE_RE + r")\s+)?" + _WEEKDAY_RE + r"(?:['’]s)?\b"),
    ),
    ("relday", re.compile(r"\b(?P<relday>" + _RELDAY_RE + r")\b", re.I)),
)


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression found in text.

    Attributes:
        start: Character offset of the expression (in the text given to :func:`find_dates`,
            plus the ``offset`` passed there).
        end: End offset, exclusive.
        value: ISO string as precise as the text allows ("2022", "2022-01", "2022-01-12").
        date: The calendar day, when the expression names one.
    """

    start: int
    end: int
    value: str
    date: dt.date | None


def resolve_weekday(
    weekday: int, published: dt.date, future: bool = False, rel: str | None = None
) -> dt.date:
    """The date of a weekday named in an article published on ``published``.

    Past clauses take the latest such day on or before publication, future clauses the
    first on or after it; "last"/"next" force the side and skip publication day.

    Example:
        >>> resolve_weekday(2, dt.date(2022, 1, 13))  # Wednesday, published Thu 13 Jan
        datetime.date(2022, 1, 12)
    """
    rel = (rel or "").lower()
    if rel in {"next", "coming"} or (future and rel not in {"last", "past"}):
        delta = (weekday - published.weekday()) % 7
        if rel in {"next", "coming"} and delta == 0:
            delta = 7
        return published + dt.timedelta(days=delta)
    delta = (published.weekday() - weekday) % 7
    if rel in {"last", "past"} and delta == 0:
        delta = 7
    return published - dt.timedelta(days=delta)


def resolve_month_day(
    month: int, day: int, published: dt.date | None, future: bool = False, year: int | None = None
) -> dt.date | None:
    """A month and day without (or with) a year; the year comes from publication.

    A past-tense date that would fall after publication moves to the previous year; a
    future one that would fall before it moves to the next year.

    Example:
        >>> resolve_month_day(12, 30, dt.date(2022, 1, 5))
        datetime.date(2021, 12, 30)
    """
    if year is None:
        if published is None:
            return None
        year = published.year
        cand = _safe_date(year, month, day)
        if cand is None:
            return None
        if not future and cand > published + dt.timedelta(days=1):
            cand = _safe_date(year - 1, month, day)
        elif future and cand < published - dt.timedelta(days=1):
            cand = _safe_date(year + 1, month, day)
        return cand
    return _safe_date(year, month, day)


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def find_dates(
    text: str, published: dt.date | None, future: bool = False, offset: int = 0
) -> list[DateMention]:
    """Every date expression in ``text``, in text order, resolved where possible.

    Args:
        text: A sentence or clause.
        published: The article's publication date (anchor for relative dates).
        future: Whether the clause speaks of the future (see :func:`is_future`).
        offset: Added to the returned character offsets.

    Returns:
        Non-overlapping :class:`DateMention` values sorted by position. Expressions that
        need an anchor (weekdays, "yesterday") are dropped when ``published`` is None.

    Example:
        >>> [m.value for m in find_dates("They met on Monday.", dt.date(2022, 1, 11))]
        ['2022-01-10']
    """
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            a, b = m.span()
            if any(a < y and x < b for x, y in taken):
                continue
            mention = _resolve_match(kind, m, published, future)
            if mention is None:
                continue
            value, day = mention
            taken.append((a, b))
            found.append(DateMention(a + offset, b + offset, value, day))
    found.sort(key=lambda d: (d.start, d.end))
    return found


def _resolve_match(
    kind: str, m: re.Match[str], published: dt.date | None, future: bool
) -> tuple[str, dt.date | None] | None:
    if kind == "iso":
        day = _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
        return (day.isoformat(), day) if day else None
    if kind in {"mdy", "dmy"}:
        month = lx.MONTHS[m["month"].lower().rstrip(".")]
        year = int(m["year"]) if m["year"] else None
        day = resolve_month_day(month, int(m["day"]), published, future, year)
        return (day.isoformat(), day) if day else None
    if kind == "ym":
        month = lx.MONTHS[m["month"].lower().rstrip(".")]
        return f"{int(m['year']):04d}-{month:02d}", None
    if published is None:
        return None
    if kind == "weekday":
        day = resolve_weekday(lx.WEEKDAYS[m["weekday"].lower()], published, future, m["rel"])
        return day.isoformat(), day
    word = m["relday"].lower()
    day = published + dt.timedelta(days=lx.RELATIVE_DAYS[word])
    return day.isoformat(), day


def first_date(
    text: str, published: dt.date | None, future: bool = False, offset: int = 0
) -> DateMention | None:
    """The first day-precise date in ``text`` ("on Monday and Tuesday" → Monday).

    Example:
        >>> first_date("from June 3 to 5", dt.date(2025, 6, 2), future=True).value
        '2025-06-03'
    """
    for d in find_dates(text, published, future, offset):
        if d.date is not None:
            return d
    return None


def year_mentions(text: str) -> list[str]:
    """Four-digit years (1900–2099) written in ``text``, in order."""
    return re.findall(r"(?<![\d-])((?:19|20)\d{2})(?![\d-])", text)


def is_future(anchor: Token | SpacySpan) -> bool:
    """Whether the clause around ``anchor`` speaks of the future.

    Looks at the governing verb's auxiliaries ("will", "shall", "is to", "going to")
    and future cue words in the clause ("upcoming", "scheduled", "next week").

    Example:
        ``is_future(doc[3])`` is True for "meet" in "They will meet on Friday."
    """
    token = anchor.root if isinstance(anchor, SpacySpan) else anchor
    verb = climb(token, lambda t: t.pos_ not in {"VERB", "AUX"})
    # "the meeting scheduled for Monday": amod/acl participles carry the cue themselves
    for tok in list(token.children) + [token]:
        if tok.lower_ in lx.FUTURE_MODIFIERS:
            return True
    clause = [verb] + list(verb.children)
    for tok in clause:
        low = tok.lower_
        if tok.dep_ in {"aux", "auxpass"} and low in lx.FUTURE_AUXILIARIES:
            return True
        if low in lx.SCHEDULED_WORDS and tok.dep_ in {
            "ROOT",
            "acl",
            "relcl",
            "advcl",
            "ccomp",
            "xcomp",
            "conj",
        }:
            return True
        if tok.dep_ in {"npadvmod", "advmod"} and low in lx.FUTURE_ADVERBS:
            return True
    if verb.lemma_ in lx.SCHEDULE_VERBS and verb.tag_ == "VBN":
        return True
    # "will travel to Lima to meet X": the purpose of a planned trip is planned
    if verb.dep_ in {"xcomp", "advcl"} and any(
        c.dep_ == "aux" and c.lower_ in lx.FUTURE_AUXILIARIES for c in verb.head.children
    ):
        return True
    # "is to visit", "are going to meet"
    head = verb.head
    if verb.dep_ == "xcomp" and head.lemma_ in lx.FUTURE_CONTROL_VERBS:
        if head.lemma_ == "be" or head.tag_ in {"VBZ", "VBP", "VBN", "VBG"}:
            return True
        if any(c.lower_ in {"will", "shall"} for c in head.children):
            return True
    return any(tok.lower_ == "next" and tok.head.lower_ in lx.NEXT_UNITS for tok in verb.subtree)
