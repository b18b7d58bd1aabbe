"""The briefing format: pydantic models, and the cross-reference checks that need no I/O.

Shaped after public references: STIX 2.1 (a Report of Identities and Relationships), the W3C
Web Annotation TextQuoteSelector (exact quote with optional prefix/suffix), SIPRI's arms
transfer fields (supplier, recipient, designation, number, status), ACLED's date precision,
the Admiralty source grading, and Wikidata-style dates that carry their precision.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    field_validator,
    model_validator,
)

from .safe_text import clip
from .sections import SECTIONS as REGISTRY


def _without_plugins() -> None:
    """Pydantic's plugins off, before the first model is made.

    Pydantic asks for plugins when it makes a model's validator: it imports importlib.metadata
    and reads the entry points of every installed package, 20 ms of CPU of a cold open of the
    seed briefing (165 against 185 ms to load it, imports included, median of 5). A plugin is
    code some other installed package hooks into validation: a briefing's checks are ours
    alone. `PYDANTIC_DISABLE_PLUGINS` skips the reading but not the import.
    """
    quiet = types.ModuleType("pydantic.plugin._loader")
    quiet.get_plugins = tuple  # type: ignore[attr-defined]  # no plugins: ()
    sys.modules.setdefault("pydantic.plugin._loader", quiet)


_without_plugins()

SCHEMA_VERSION = 2
"""The newest format version, which `briefing migrate` writes; a briefing declares `schema: 1`
or `schema: 2` (`SCHEMA_VERSIONS`, the Literal of `Briefing.schema_version`: a type cannot
name a constant, and a test holds them together). A field new in format 2 is marked
`json_schema_extra=SINCE_2`: a version 1 file that uses one is an error (tui/versions.py)."""
SCHEMA_VERSIONS = (1, 2)
SINCE_2: dict[str, Any] = {"since": 2}

Slug = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", min_length=1, max_length=100),
    Field(description="A lower-case slug: letters, digits and hyphens."),
]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=500)]
LongText = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
DateValue = Annotated[
    str,
    StringConstraints(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$"),
    Field(description="YYYY, YYYY-MM or YYYY-MM-DD: the precision is the form."),
]
Confidence = Literal["high", "moderate", "low"]
Stated = Literal["plainly", "unclearly", "implied"]
STATED_OF_CONFIDENCE: dict[str, Stated] = {
    "high": "plainly",
    "moderate": "unclearly",
    "low": "implied",
}
"""Format 1's `confidence` grades as format 2's `stated`: the same meaning, a plainer name."""
Credibility = Literal[1, 2, 3, 4, 5, 6]
CREDIBILITY: dict[int, str] = {
    1: "confirmed by other sources",
    2: "probably true",
    3: "possibly true",
    4: "doubtful",
    5: "improbable",
    6: "truth cannot be judged",
}
"""The Admiralty (NATO) information credibility scale."""
Tlp = Literal["clear", "green", "amber", "amber+strict", "red"]
Timestamp = Annotated[
    str,
    StringConstraints(
        pattern=r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2}))?$"
    ),
    Field(description="An ISO 8601 date, or date and time with its offset: 2014-11-06T09:30Z."),
]
Qualifier = Literal["exact", "more_than", "at_least", "about", "at_most", "less_than", "unknown"]

# ISO 3166-1 alpha-2, officially assigned codes.
COUNTRY_CODES = frozenset(
    """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ
    BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM
    DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS
    GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN
    KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ
    MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM
    PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV
    SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI
    VN VU WF WS YE YT ZA ZM ZW
    """.split()
)
# ISO 4217 codes an arms-trade briefing meets; extend when a source needs another.
CURRENCY_CODES = frozenset(
    """
    USD EUR RUB CNY GBP JPY INR KRW CHF CAD AUD BRL TRY SAR AED ILS IRR KPW UAH BYN KZT PKR EGP
    DZD VND IDR MYR SGD THB PHP ZAR NOK SEK DKK PLN CZK HUF XDR
    """.split()
)


_WIKIDATA = re.compile(r"^Q[1-9][0-9]*$")
WikidataId = Annotated[
    str, StringConstraints(max_length=40), Field(json_schema_extra={"pattern": _WIKIDATA.pattern})
]


def _quoted(text: str, limit: int = 40) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _wikidata_fix(text: str) -> str:
    """What is wrong with a would-be Wikidata item id, and the id it probably means."""
    found = re.search(r"(?i)\b([QP])0*([0-9]+)\b", text)
    if found is None:
        return "write Q and its number, as in Q159"
    letter, number = found.group(1), found.group(2)
    if letter.upper() == "P":
        return "P ids are properties; a party is an item, whose id starts with Q"
    if int(number) == 0:
        return "item ids start at Q1 (there is no Q0)"
    wanted = f"Q{int(number)}"
    if found.group(0) != text:
        return f"write the id alone: {wanted}"
    if number != found.group(0)[1:]:
        return f"no leading zeros: {wanted}"
    return f"a capital Q: {wanted}"


_FIELDS_SETS: dict[frozenset[str], set[str]] = {}
"""One set of field names for each combination met: see Model.model_post_init."""
FIELDS_SETS_CAP = 4_096
"""Combinations shared at most, for the life of the process: real briefings give a few dozen,
and a file made to give a new one for each of its models must not grow the table for ever."""


class Model(BaseModel):
    """Base for every model: unknown keys are errors, values are never coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    def model_post_init(self, context: Any, /) -> None:
        # Pydantic gives every instance a set of the fields it was given (about 360 bytes):
        # a third of a loaded briefing's memory, for a few dozen combinations in all. The
        # models are frozen, so nothing adds to it; a copy (model_copy) copies it first.
        fields = self.__pydantic_fields_set__
        key = frozenset(fields)
        shared = _FIELDS_SETS.get(key)
        if shared is None:
            if len(_FIELDS_SETS) >= FIELDS_SETS_CAP:
                return  # keeps its own set, as without sharing
            shared = _FIELDS_SETS.setdefault(key, fields)
        if shared is not fields:
            object.__setattr__(self, "__pydantic_fields_set__", shared)


def parse_date_value(value: str) -> tuple[dt.date, str]:
    """Return the first day a date value covers and its precision (year, month or day)."""
    parts = [int(p) for p in value.split("-")]
    precision = ("year", "month", "day")[len(parts) - 1]
    return dt.date(parts[0], *(parts[1:] + [1] * (3 - len(parts)))), precision


def parse_timestamp(text: str) -> dt.datetime:
    """An ISO 8601 date or date-time of the format (ValueError when not a real one)."""
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def _last_day(value: str) -> dt.date:
    first, precision = parse_date_value(value)
    if precision == "day":
        return first
    if precision == "year":
        return dt.date(first.year, 12, 31)
    following = dt.date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


class Date(Model):
    """A date as the source reports it: its words, its value at the precision they give, and
    how the value was got. A date needs a value, the reported words, or both; `end` makes it a
    span."""

    reported: ShortText | None = Field(
        None,
        description="The source's own words for the date, as they stand inside one of the "
        "item's quotes.",
        examples=["on Wednesday"],
    )
    value: DateValue | None = Field(
        None,
        description="The date, or the first of a span, as YYYY, YYYY-MM or YYYY-MM-DD: the form "
        'is the precision ("2014" is some time in 2014). Left out when only the words are '
        "known.",
        examples=["2014-11-05"],
    )
    end: DateValue | None = Field(
        None,
        description="The last date of a span, in the same form; not before value.",
        examples=["2014-11-11"],
    )
    inferred: bool = Field(
        False,
        description='true when the value is worked out, not stated ("on Wednesday" resolved to '
        "a day); basis is then required.",
        examples=[True],
    )
    basis: ShortText | None = Field(
        None,
        description="How an inferred value was worked out, so that a reader can check it.",
        examples=['"on Wednesday": the Wednesday before the summit of 7 November 2014.'],
    )

    @field_validator("value", "end")
    @classmethod
    def _real_date(cls, text: str | None) -> str | None:
        if text is not None:
            try:
                parse_date_value(text)
            except ValueError:
                raise ValueError(f"{text!r} is not a real calendar date") from None
        return text

    @model_validator(mode="after")
    def _check(self) -> Date:
        if self.end is not None:
            if self.value is None:
                raise ValueError("a span needs a value (its start) as well as an end")
            if _last_day(self.end) < parse_date_value(self.value)[0]:
                raise ValueError(f"end {self.end} is before value {self.value}")
        if self.inferred and not self.basis:
            raise ValueError("an inferred date needs a basis saying how it was inferred")
        if self.value is None and self.reported is None:
            raise ValueError("a date needs a value, the reported words, or both")
        return self

    @property
    def precision(self) -> str | None:
        return None if self.value is None else parse_date_value(self.value)[1]

    @property
    def sort_key(self) -> tuple[dt.date, dt.date]:
        if self.value is None:
            return dt.date.max, dt.date.max
        return parse_date_value(self.value)[0], _last_day(self.end or self.value)


class Quantity(Model):
    """A count as reported: "over 1,000 troops" is value 1000, qualifier more_than, unit
    troops."""

    value: int | float | None = Field(
        None,
        description='The number, written as a number (1000, not "1,000"); null when the source '
        "gives none.",
        examples=[1000],
    )
    qualifier: Qualifier = Field(
        "exact",
        description='How the number is meant: exact, more_than ("over"), at_least, about '
        '("some", "nearly"), at_most, less_than; unknown exactly when value is null.',
        examples=["more_than"],
    )
    unit: ShortText | None = Field(
        None, description="What is counted: troops, battle tanks.", examples=["troops"]
    )
    reported: ShortText | None = Field(
        None,
        description="The source's words for the count, inside one of the item's quotes.",
        examples=["over 1,000 troops"],
    )

    @model_validator(mode="after")
    def _check(self) -> Quantity:
        if (self.value is None) != (self.qualifier == "unknown"):
            raise ValueError("qualifier is 'unknown' exactly when there is no value")
        if self.value is not None and self.value < 0:
            raise ValueError("a quantity cannot be negative")
        return self


class Money(Model):
    """A sum of money as reported, with an ISO 4217 currency."""

    value: int | float | None = Field(
        None,
        description='The amount in units of the currency (7700000000 for "$7.7 billion"); null '
        "when the source gives none.",
        examples=[7700000000],
    )
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] | None = Field(
        None,
        description='ISO 4217 code: USD, EUR, RUB, CNY. A bare "$" read as USD is inferred.',
        examples=["USD"],
    )
    qualifier: Qualifier = Field(
        "exact",
        description="How the amount is meant, as for a quantity: exact, more_than, at_least, "
        "about, at_most, less_than; unknown exactly when value is null.",
        examples=["about"],
    )
    reported: ShortText | None = Field(
        None,
        description="The source's words for the sum, inside one of the item's quotes.",
        examples=["$7.7 billion"],
    )
    inferred: bool = Field(
        False,
        description="true when the value or currency is not stated as is; basis is then required.",
        examples=[True],
    )
    basis: ShortText | None = Field(
        None,
        description="How an inferred value or currency was worked out.",
        examples=['The currency is given only as "$".'],
    )

    @field_validator("currency")
    @classmethod
    def _known_currency(cls, code: str | None) -> str | None:
        if code is not None and code not in CURRENCY_CODES:
            hint = closest(code, CURRENCY_CODES)
            raise ValueError(
                f"{code!r} is not a known ISO 4217 code"
                + (f"; did you mean {hint!r}?" if hint else "")
            )
        return code

    @model_validator(mode="after")
    def _check(self) -> Money:
        if (self.value is None) != (self.qualifier == "unknown"):
            raise ValueError("qualifier is 'unknown' exactly when there is no value")
        if self.inferred and not self.basis:
            raise ValueError("an inferred amount needs a basis")
        return self


DurationUnit = Literal["day", "week", "month", "year"]


class Duration(Model):
    """How long something runs, as reported: "five-year" is value 5, unit year."""

    reported: ShortText = Field(
        description="The source's words for the length, inside one of the item's quotes.",
        examples=["five-year"],
    )
    value: int | float | None = Field(
        None,
        description='The number of units the words give (5 for "five-year"); null when they '
        'give none ("long-term").',
        examples=[5],
    )
    unit: DurationUnit | None = Field(
        None,
        description="day, week, month or year: given exactly when value is.",
        examples=["year"],
    )

    @model_validator(mode="after")
    def _check(self) -> Duration:
        if (self.value is None) != (self.unit is None):
            raise ValueError("a duration's value and unit go together: give both or neither")
        if self.value is not None and not self.value > 0:
            raise ValueError("a duration must be more than nothing")
        return self


class Anchor(Model):
    """Evidence: the exact words of a source that support an item (after the W3C
    TextQuoteSelector).

    A quote matches the source character for character, capitals and punctuation included
    (matching is case-sensitive), except that any run of whitespace (spaces, tabs, line
    breaks) matches any other run. A quote cannot cross paragraphs: it must stand inside one
    block of the source, with no blank line in it; cite each part in an anchor of its own.
    When the words occur more than once, `paragraph`, `prefix` or `suffix` says which.

    YAML folding (`>-`) joins a quote's lines with a space, and `|-` keeps the line break,
    which matches as a space too. That suits English, but breaks quotes in Chinese, Japanese,
    Thai and other scripts written without spaces: the source has no space where the line was
    broken. Write such a quote on one line, or in double quotes with each broken line ending
    in a backslash (`\\`), which joins the lines with nothing between them."""

    quote: Annotated[str, StringConstraints(min_length=1, max_length=5_000)] = Field(
        description="The source's exact words, copied rather than retyped: same letters (a "
        "Latin a in a Cyrillic word does not match), capitals and punctuation. Whitespace runs "
        "match loosely; the quote must stand inside one paragraph.",
        examples=["13 battle tanks"],
    )
    paragraph: Annotated[int, Field(ge=1)] | None = Field(
        None,
        description="The paragraph the quote is in: the source's blocks separated by blank "
        "lines, numbered from 1 (the skeleton of `briefing new` lists them). Optional; it says "
        "which place is meant when the words occur in several paragraphs.",
        examples=[12],
    )
    prefix: Annotated[str, StringConstraints(max_length=500)] | None = Field(
        None,
        description="Words just before the quote, to say which of several places is meant: the "
        "paragraph's text before the quote must end with them (whitespace between them and the "
        "quote is ignored). Case-sensitive, and in the quote's own paragraph.",
        examples=["Russia had sent over 1,000 troops,"],
    )
    suffix: Annotated[str, StringConstraints(max_length=500)] | None = Field(
        None,
        description="Words just after the quote: the paragraph's text after the quote must "
        "start with them (whitespace between is ignored). Case-sensitive, in the quote's own "
        "paragraph.",
        examples=["for joint drills"],
    )
    source: Slug | None = Field(
        None,
        description="The id of the source quoted; needed only when the briefing has several "
        "sources.",
        examples=["article"],
    )

    @model_validator(mode="after")
    def _check(self) -> Anchor:
        if not self.quote.strip():
            raise ValueError("quote is only whitespace")
        return self


Reliability = Literal["A", "B", "C", "D", "E", "F"]


class Source(Model):
    """A source text the briefing cites: a UTF-8 text file, pinned by its sha256. Its
    paragraphs are its blocks of lines separated by blank lines, numbered from 1."""

    id: Slug = Field(
        description="The source's id, which anchors name in `source` when there are several.",
        examples=["article"],
    )
    path: Annotated[str, StringConstraints(min_length=1, max_length=1_000)] = Field(
        description="Where the text file is, relative to the briefing file. It must stay inside "
        "the briefing's tree: the briefing's folder or, when that is called briefings, its "
        "parent.",
        examples=["../seeds/russia-china-military-cooperation-2014.txt"],
    )
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")] = Field(
        description="The sha256 of the file's bytes (`sha256sum FILE`). When the text changes, "
        "validate reports which quotes still resolve, moved or are lost.",
        examples=["fc06d7d8f26f9415336ab6878738f234257c32264f962b326d0aeaacc6022e01"],
    )
    title: ShortText = Field(
        description="The source's title, as it gives it.",
        examples=["Russia and China boost military cooperation"],
    )
    outlet: ShortText | None = Field(
        None, description="Who published it; null when unknown.", examples=["Xinhua"]
    )
    published: Date | None = Field(
        None, description="When it was published.", examples=[{"value": "2014-11-05"}]
    )
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")] = (
        Field(description="The language of the text, a BCP 47 tag.", examples=["zh-Hans"])
    )
    reliability: Reliability = Field(
        description="Admiralty grade of the source as a whole (item confidence is separate): "
        "A completely reliable, B usually reliable, C fairly reliable, D not usually reliable, "
        "E unreliable, F reliability cannot be judged.",
        examples=["F"],
    )
    reliability_basis: ShortText | None = Field(
        None,
        description="Why the source has that grade.",
        examples=["No outlet, byline or dateline is given."],
    )
    url: ShortText | None = None
    inferred: dict[str, ShortText] = Field(
        default_factory=dict,
        description="The source's fields not stated in its text, each named with its basis.",
        examples=[{"published": 'From "on Wednesday" and the summit dates.'}],
    )

    @field_validator("url")
    @classmethod
    def _web_address(cls, url: str | None) -> str | None:
        # The url reaches exports (STIX external_references, Markdown links): a javascript:,
        # data: or file: address there would run or open something, not cite a page.
        if url is not None and not _is_web_address(url):
            raise ValueError(
                f"{clip(url, 60)!r} is not a web address: write an http:// or https:// URL with a host"
            )
        return url


_URL_UNSAFE = re.compile(r"[\x00-\x20\x7f-\x9f\\]")
"""Blanks, controls and backslashes: browsers and parsers disagree on what these mean in a URL."""


def _is_web_address(url: str) -> bool:
    """An absolute http or https URL with a host, and nothing a parser might read two ways."""
    if _URL_UNSAFE.search(url):
        return False
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(host)


SourceNoteKind = Literal[
    "missing_word", "elided_name", "empty_lines", "stray_text", "typo", "truncated", "other"
]


class SourceNote(Model):
    """A defect of the source text itself (a missing word, an elided name, page furniture),
    so that readers do not take it for the analyst's slip."""

    kind: SourceNoteKind = Field(
        description="What kind of defect: missing_word, elided_name, empty_lines, stray_text, "
        "typo, truncated or other.",
        examples=["missing_word"],
    )
    note: LongText = Field(
        description="What is wrong, and how the briefing reads the text because of it.",
        examples=['"enhance mutual trust and between the two militaries" lacks a word.'],
    )
    evidence: list[Anchor] = Field(
        default_factory=list,
        description="Where the defect is, as anchors; none for a defect with no words to quote.",
        examples=[[{"paragraph": 8, "quote": "mutual trust and between"}]],
    )


Reference = tuple[tuple[str | int, ...], str, str]
PART_OF = "events|drills"
"""What an event's part_of may name: the sections a reference's wanted lists, "|" between
them (an event is part of another event, or of a drill: a live-fire phase of an exercise)."""
"""(sub-path in the item, the id referred to, the section it must be in or "any")."""


def _place_ref(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    # One message for the union, which pydantic words per member ("list[constrained-str]:
    # expected a list").
    try:
        return handler(value)
    except ValidationError:
        values = value if isinstance(value, list) else [value]
        wrong = next(
            (v for v in values if isinstance(v, str) and not _SLUG_RE_FULL.fullmatch(v)), None
        )
        if wrong is not None:
            hint = slugify(wrong)
            raise ValueError(
                f"{_quoted(wrong)} is not an id: ids are lower-case letters, digits and hyphens"
                + (f" ({hint!r}?)" if hint != "item" else "")
            ) from None
        raise ValueError("write a place id, or a list of place ids: [sarn, gulf-of-veld]") from None


_SLUG_RE_FULL = re.compile(r"^[a-z0-9][a-z0-9-]*$")
PlaceRef = Annotated[Slug | list[Slug], WrapValidator(_place_ref)]
"""One place id, or a list of them for something that happened in several places."""


def _place_field(what: str) -> Any:
    """The `place` reference field of a section: new in format 2, beside the free-text
    `location` that stays for version 1."""
    return Field(
        None,
        description=f"The id of the place {what}, an item of the places section; a list of "
        "ids for several places.",
        examples=["chelyabinsk"],
        json_schema_extra=SINCE_2,
    )


def place_ids(value: PlaceRef | None) -> list[str]:
    """The place ids a `place` field holds, one or a list."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _place_references(value: PlaceRef | None) -> Iterator[Reference]:
    if isinstance(value, str):
        yield ("place",), value, "places"
    elif value:
        for i, ref in enumerate(value):
            yield ("place", i), ref, "places"


# --- format 2: claims with sources, attribution, absence, languages -------------------------

LanguageTag = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$", max_length=35),
    Field(description="A BCP 47 language tag: en, ru, zh-Hans, sr-Latn."),
]
ClaimField = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$", max_length=100),
    Field(
        description="What is claimed: a field of the item (value, date) or a name of the "
        "analyst's for a fact it has no field for (personnel); lower case and underscores."
    ),
]


class Attribution(Model):
    """Someone a claim is credited to or passed through: a party of the briefing, or an
    unnamed source described in the source's words ("a senior official")."""

    model_config = ConfigDict(json_schema_extra=SINCE_2)
    party: Slug | None = Field(
        None, description="The id of the party; not with anonymous.", examples=["xinhua"]
    )
    anonymous: ShortText | None = Field(
        None,
        description="An unnamed source as the text describes it, in its words (they must stand "
        "inside one of the item's quotes or of this entry's evidence); not with party.",
        examples=["a senior official"],
    )
    affiliation: Slug | None = Field(
        None,
        description="For an anonymous source: the id of the party it belongs to, when said.",
        examples=["russia"],
    )
    likely: bool = Field(
        False,
        description="true when the text does not name the party and the analyst judges it "
        "likely; basis is then required.",
        examples=[True],
    )
    basis: ShortText | None = Field(
        None,
        description="Why the party is the likely one.",
        examples=['The photo is credited "© Xinhua"; the agency\'s name is elided.'],
    )
    evidence: list[Anchor] = Field(
        default_factory=list,
        description="The words that name or point to it, when they are not the item's own.",
        examples=[[{"paragraph": 2, "quote": "© Xinhua"}]],
    )

    @model_validator(mode="after")
    def _check(self) -> Attribution:
        if (self.party is None) == (self.anonymous is None):
            raise ValueError("write either party (an id) or anonymous (who, in the text's words)")
        if self.affiliation is not None and self.anonymous is None:
            raise ValueError("affiliation is for an anonymous source; a party has its own")
        if self.likely and self.party is None:
            raise ValueError("likely names a party the text does not name: write party")
        if self.likely and not self.basis:
            raise ValueError("a likely party needs a basis saying why")
        return self


Attributed = Slug | Attribution
"""An entry of attributed_to or via: a party id, or an Attribution."""
ATTRIBUTED_EXAMPLES: list[Any] = [
    "putin",
    ["russia", "china"],
    {"anonymous": "a senior official", "affiliation": "russia"},
]


def attributions(value: Attributed | list[Attributed] | None) -> list[Attribution]:
    """attributed_to or via as a list of Attribution, whichever way it is written."""
    if value is None:
        return []
    entries = value if isinstance(value, list) else [value]
    return [Attribution.model_validate({"party": e}) if isinstance(e, str) else e for e in entries]


def _attribution_refs(
    path: tuple[str | int, ...], value: Attributed | list[Attributed] | None
) -> Iterator[Reference]:
    if value is None:
        return
    if not isinstance(value, list):
        entries: list[tuple[tuple[str | int, ...], Attributed]] = [(path, value)]
    else:
        entries = [(path + (k,), e) for k, e in enumerate(value)]
    for at, entry in entries:
        if isinstance(entry, str):
            yield at, entry, "parties"
        else:
            if entry.party is not None:
                yield at + ("party",), entry.party, "parties"
            if entry.affiliation is not None:
                yield at + ("affiliation",), entry.affiliation, "parties"


def _attribution_anchors(
    path: tuple[str | int, ...], value: Attributed | list[Attributed] | None
) -> Iterator[tuple[tuple[str | int, ...], list[Anchor]]]:
    if isinstance(value, Attribution):
        if value.evidence:
            yield path, value.evidence
    elif isinstance(value, list):
        for k, entry in enumerate(value):
            if isinstance(entry, Attribution) and entry.evidence:
                yield path + (k,), entry.evidence


class Claim(Model):
    """One reported value of a fact, with its own evidence and who it comes from: an item
    holds a claim for each value its sources give, and an assessment says how they stand."""

    model_config = ConfigDict(json_schema_extra=SINCE_2)
    field: ClaimField = Field(description="What the value is of.", examples=["personnel"])
    count: Quantity | None = Field(
        None,
        description="A count, as for any quantity.",
        examples=[{"value": 2400, "qualifier": "about", "reported": "about 2,400 personnel"}],
    )
    amount: Money | None = Field(
        None, description="A sum of money.", examples=[{"value": 5e8, "currency": "USD"}]
    )
    date: Date | None = Field(None, description="A date.", examples=[{"value": "2026-03"}])
    value: ShortText | None = Field(
        None, description="Any other value, in words.", examples=["in Sarn"]
    )
    reported: ShortText | None = Field(
        None,
        description="The source's words for a value in words, inside one of the claim's quotes.",
        examples=["off the coast of Sarn"],
    )
    attributed_to: Attributed | list[Attributed] | None = Field(
        None,
        description="Who gives the value, by the source's account: a party id, several, or an "
        "anonymous source; null when the source states it itself.",
        examples=ATTRIBUTED_EXAMPLES,
    )
    via: list[Attributed] = Field(
        default_factory=list,
        description="Who passed it on, from the source's side: the first is who the source "
        "had it from, the last who had it from the claimant (outlet -> official -> agency).",
        examples=[["xinhua"]],
    )
    evidence: list[Anchor] = Field(
        min_length=1,
        description="The words that give this value (its as-reported words must stand inside "
        "them).",
        examples=[[{"paragraph": 3, "quote": "about 2,400 personnel"}]],
    )
    notes: ShortText | None = Field(
        None,
        description="The analyst's remark on this value.",
        examples=["Counts sailors only."],
    )

    @model_validator(mode="after")
    def _check(self) -> Claim:
        given = [n for n in ("count", "amount", "date", "value") if getattr(self, n) is not None]
        if len(given) != 1:
            raise ValueError("a claim gives one value: count, amount, date or value")
        if self.reported is not None and self.value is None:
            raise ValueError("reported is for a value in words; a count, sum or date has its own")
        return self

    def shown(self) -> tuple[object, ...]:
        """What two claims must share to give the same value (the words aside)."""
        if self.count is not None:
            return ("count", self.count.value, self.count.qualifier)
        if self.amount is not None:
            return ("amount", self.amount.value, self.amount.currency, self.amount.qualifier)
        if self.date is not None:
            return ("date", self.date.value, self.date.end)
        return ("value", " ".join((self.value or "").casefold().split()))


Verdict = Literal["agreed", "corroborated", "conflict", "disputed"]


class Assessment(Model):
    """The analyst's reading of the claims on one fact."""

    model_config = ConfigDict(json_schema_extra=SINCE_2)
    field: ClaimField = Field(description="The claims' field it reads.", examples=["personnel"])
    verdict: Verdict = Field(
        description="agreed: the claims give the same value; corroborated: the same value from "
        "sources whose chains share no party; conflict: different values, not settled; "
        "disputed: a party contests the value.",
        examples=["conflict"],
    )
    note: LongText | None = Field(
        None,
        description="The analyst's assessment: which value is likelier and why.",
        examples=["The navy's figure leaves out the air wing."],
    )


WithheldReason = Literal["not_disclosed", "not_released", "declined_to_comment", "did_not_respond"]


class Withheld(Model):
    """What the source says was not given: "no figures were released", "declined to comment"."""

    model_config = ConfigDict(json_schema_extra=SINCE_2)
    field: ClaimField | None = Field(
        None, description="The fact withheld; null for the item as a whole.", examples=["terms"]
    )
    reason: WithheldReason = Field(
        description="not_disclosed, not_released, declined_to_comment or did_not_respond.",
        examples=["not_disclosed"],
    )
    by: Slug | None = Field(
        None, description="The id of the party that withheld it, when said.", examples=["navy"]
    )
    evidence: list[Anchor] = Field(
        min_length=1,
        description="The words that say so.",
        examples=[[{"paragraph": 5, "quote": "without revealing details"}]],
    )


Modality = Literal["could", "may", "plans_to", "intends_to", "expected", "hopes_to", "threatens_to"]


class LangText(Model):
    """Words in a language, with its BCP 47 tag."""

    model_config = ConfigDict(json_schema_extra=SINCE_2)
    text: LongText = Field(description="The words.", examples=["Мы помним"])
    lang: LanguageTag = Field(description="Their language.", examples=["ru"])
    basis: ShortText | None = Field(
        None,
        description="Where the words come from when the source does not print them (an "
        "original the analyst found, a translation's translator).",
        examples=["Kremlin transcript of the speech."],
    )


class Alias(Model):
    """A name with its language (and script) tag."""

    model_config = ConfigDict(json_schema_extra=SINCE_2)
    name: ShortText = Field(description="The name as written.", examples=["Россия"])
    lang: LanguageTag = Field(description="Its language and script.", examples=["ru"])


class Item(Model):
    """Fields every item has, in every section, besides its own."""

    # A section's model is a direct subclass naming its registry key in `section` (the schema
    # finds it there: see `sections`); it answers its own references, roles and date.

    section: ClassVar[str] = ""
    roles: ClassVar[dict[str, str]] = {
        "attributed_to": "source of claim",
        "via": "relayed by",
        "claims": "source of claim",
        "withheld": "withheld by",
    }
    """How a reference reads, by the field it stands in: "supplier" of an arms sale. Each
    model adds its own reference fields (the registry test checks every one has a role)."""
    list_examples: ClassVar[list[Any] | None] = None
    """Examples of the section's whole list, for the JSON Schema."""
    id: Slug = Field(
        description="The item's id, unique in the briefing; other items refer to it by it.",
        examples=["putin"],
    )
    evidence: list[Anchor] = Field(
        min_length=1,
        description="The source's words that support the item, one anchor or more. Every "
        "as-reported value of the item (the reported words of its dates, counts and sums) must "
        "stand inside one of these quotes.",
        examples=[[{"paragraph": 12, "quote": "13 battle tanks"}]],
    )
    attributed_to: Attributed | list[Attributed] | None = Field(
        None,
        description="The party the source credits the item to, when it reports it as "
        "someone's claim rather than as fact: \"Putin said Moscow has secured $7.7 billion in "
        "arms contracts\" is an arms sale attributed_to putin. Not a statement's speaker: "
        "speaker is who said the words; attributed_to is who, by the source's account, says "
        'the item is so ("according to Xinhua, Putin said..." has speaker putin, attributed_to '
        'xinhua). Format 2 also takes a list ("according to a joint statement": [russia, '
        "china]) and anonymous sources ({anonymous: a senior official}).",
        examples=ATTRIBUTED_EXAMPLES,
    )
    via: list[Attributed] = Field(
        default_factory=list,
        description="Who passed the item on to the source, from the source's side: the first "
        "is who the source had it from, the last who had it from the claimant (outlet -> "
        "official -> agency). An entry the text does not name may be likely, with a basis.",
        examples=[[{"party": "xinhua", "likely": True, "basis": "Photo credited to Xinhua."}]],
        json_schema_extra=SINCE_2,
    )
    claims: list[Claim] = Field(
        default_factory=list,
        description="Values reported for a fact, each with its own evidence and attribution, "
        "when the sources give several (or one worth keeping apart). The item's own field, if "
        "it has one, holds the value the analyst favours, or is left out.",
        examples=[
            [
                {
                    "field": "personnel",
                    "count": {"value": 2400, "qualifier": "about", "reported": "about 2,400"},
                    "attributed_to": "sarn-navy",
                    "evidence": [{"paragraph": 3, "quote": "said about 2,400 personnel"}],
                },
                {
                    "field": "personnel",
                    "count": {"value": 3000, "qualifier": "about", "reported": "some 3,000"},
                    "attributed_to": {"anonymous": "A senior Veland defence official"},
                    "via": ["coastal-times"],
                    "evidence": [{"paragraph": 3, "quote": "at some 3,000 sailors"}],
                },
            ]
        ],
        json_schema_extra=SINCE_2,
    )
    assessments: list[Assessment] = Field(
        default_factory=list,
        description="How the claims on each fact stand (agreed, corroborated, conflict, "
        "disputed), with the analyst's note: one per field.",
        examples=[[{"field": "personnel", "verdict": "conflict", "note": "Neither explains it."}]],
        json_schema_extra=SINCE_2,
    )
    withheld: list[Withheld] = Field(
        default_factory=list,
        description='What the source says was not given ("not disclosed", "declined to '
        'comment"), each with its words.',
        examples=[
            [
                {
                    "field": "terms",
                    "reason": "not_disclosed",
                    "evidence": [{"paragraph": 5, "quote": "without revealing details"}],
                }
            ]
        ],
        json_schema_extra=SINCE_2,
    )
    confidence: Confidence | None = Field(
        None,
        description="Format 1's name for `stated`, with its grades high, moderate and low "
        "(plainly, unclearly and implied); required in a version 1 file, replaced by `stated` "
        "in version 2 (`briefing migrate` renames it).",
        examples=["high"],
    )
    stated: Stated | None = Field(
        None,
        description="How plainly the source states the item, not whether it is true (that is "
        "credibility): plainly, in so many words; unclearly, stated but partly unclear, elided "
        "or read from a caption or nearby text; implied, not stated at all. Required.",
        examples=["plainly"],
        json_schema_extra=SINCE_2,
    )
    credibility: Credibility | None = Field(
        None,
        description="How credible the information is, on the Admiralty scale: 1 confirmed by "
        "other sources, 2 probably true, 3 possibly true, 4 doubtful, 5 improbable, 6 truth "
        "cannot be judged. Separate from the source's reliability (A-F) and from `stated`.",
        examples=[2],
        json_schema_extra=SINCE_2,
    )
    notes: LongText | None = Field(
        None,
        description="The analyst's remarks: what is unclear, what is left out, what the text "
        "does not say.",
        examples=['Which projects were agreed is not stated ("without revealing details").'],
    )
    inferred: dict[str, ShortText] = Field(
        default_factory=dict,
        description="The item's fields the analyst added or worked out rather than read in "
        "the text, each named with its basis.",
        examples=[{"country": "Code added by the analyst."}],
    )

    @model_validator(mode="after")
    def _check_grade(self, info: ValidationInfo) -> Item:
        # Which name is required depends on the file's version (the loader's context); a
        # payload read back from the cache has no context and holds whichever was written.
        version = (info.context or {}).get("version")
        if self.stated is not None and self.confidence is not None:
            raise ValueError("give stated or confidence, not both")
        if self.stated is None and self.confidence is None:
            raise ValueError(
                f"missing required field {'confidence' if version == 1 else 'stated'!r}"
            )
        return self

    @property
    def how_stated(self) -> Stated:
        """`stated`, or format 1's `confidence` under its format 2 name."""
        return self.stated or STATED_OF_CONFIDENCE[self.confidence or "low"]

    @model_validator(mode="after")
    def _check_inferred(self) -> Item:
        for name in self.inferred:
            if name not in type(self).model_fields or name in ("id", "evidence", "inferred"):
                raise ValueError(f"inferred names {name!r}, which is not a field of this item")
        return self

    @property
    def label(self) -> str:
        return self.id

    def references(self) -> Iterator[Reference]:
        """Each (sub-path, id, wanted section or "any") this item refers to, in field order.
        A model with reference fields extends this, after the common ones."""
        if isinstance(self.attributed_to, str):
            yield ("attributed_to",), self.attributed_to, "parties"
        elif self.attributed_to is not None:
            yield from _attribution_refs(("attributed_to",), self.attributed_to)
        if not (self.via or self.claims or self.withheld):
            return  # most items (the loader, links and index ask every one)
        yield from _attribution_refs(("via",), self.via)
        for i, claim in enumerate(self.claims):
            yield from _attribution_refs(("claims", i, "attributed_to"), claim.attributed_to)
            yield from _attribution_refs(("claims", i, "via"), claim.via)
        for i, withheld in enumerate(self.withheld):
            if withheld.by is not None:
                yield ("withheld", i, "by"), withheld.by, "parties"

    def anchor_groups(self) -> Iterator[tuple[tuple[str | int, ...], list[Anchor]]]:
        """Every list of anchors in the item with its sub-path, its own evidence first: the
        order of its resolved evidence (what `[`/`]` step through, exports cite)."""
        yield (), self.evidence
        if not (self.claims or self.withheld or self.via) and not isinstance(
            self.attributed_to, Attribution | list
        ):
            return  # most items: their own evidence alone (the loader asks every item)
        yield from _attribution_anchors(("attributed_to",), self.attributed_to)
        yield from _attribution_anchors(("via",), self.via)
        for i, claim in enumerate(self.claims):
            yield ("claims", i), claim.evidence
            yield from _attribution_anchors(("claims", i, "attributed_to"), claim.attributed_to)
            yield from _attribution_anchors(("claims", i, "via"), claim.via)
        for i, withheld in enumerate(self.withheld):
            yield ("withheld", i), withheld.evidence

    def anchors(self) -> list[Anchor]:
        """All the item's anchors, in the order of anchor_groups."""
        return [a for _sub, group in self.anchor_groups() for a in group]

    def when(self) -> Date | None:
        """The date the item happened or was said, if it has one (the timeline's, the
        index's)."""
        date = getattr(self, "date", None)
        return date if isinstance(date, Date) else None


PartyKind = Literal["state", "organisation", "military", "person", "group"]


class Party(Item):
    """A state, organisation, military, person or group the source names; other items refer
    to parties by id."""

    section: ClassVar[str] = "parties"
    roles: ClassVar[dict[str, str]] = {**Item.roles, "affiliation": "member"}
    list_examples: ClassVar[list[Any] | None] = [
        [
            {
                "id": "putin",
                "kind": "person",
                "name": "Vladimir Putin",
                "role": "Russian President",
                "confidence": "high",
                "evidence": [{"paragraph": 11, "quote": "Russian President Vladimir Putin"}],
            }
        ]
    ]
    kind: PartyKind = Field(
        description="What the party is: state, organisation, military, person or group.",
        examples=["person"],
    )
    name: ShortText = Field(
        description="Its name as the source gives it.", examples=["Vladimir Putin"]
    )
    aliases: list[ShortText | Alias] = Field(
        default_factory=list,
        description="Other names the source uses for it; in format 2 an alias may carry its "
        "language and script tag ({name: Россия, lang: ru}).",
        examples=[["Moscow", {"name": "Россия", "lang": "ru"}]],
    )

    @property
    def alias_names(self) -> list[str]:
        return [a if isinstance(a, str) else a.name for a in self.aliases]

    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] | None = Field(
        None,
        description="Its country, as an ISO 3166-1 alpha-2 code.",
        examples=["RU"],
    )
    role: ShortText | None = Field(
        None,
        description="Its role or title as reported.",
        examples=["Chief of the General Staff of the Russian Armed Forces"],
    )
    affiliation: Slug | None = Field(
        None,
        description="The id of the party this one belongs to (a minister to a state); no cycles.",
        examples=["russia"],
    )
    wikidata: WikidataId | None = Field(
        None,
        description="The party's Wikidata item id: Q and a number from 1, no leading zeros.",
        examples=["Q159"],
    )

    @field_validator("wikidata")
    @classmethod
    def _wikidata_id(cls, text: str | None) -> str | None:
        if text is None or _WIKIDATA.fullmatch(text):
            return text
        raise ValueError(f"{_quoted(text)} is not a Wikidata item id: {_wikidata_fix(text)}")

    @field_validator("country")
    @classmethod
    def _known_country(cls, code: str | None) -> str | None:
        if code is not None and code not in COUNTRY_CODES:
            raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-2 country code")
        return code

    @property
    def label(self) -> str:
        return self.name

    def references(self) -> Iterator[Reference]:
        yield from super().references()
        if self.affiliation is not None:
            yield ("affiliation",), self.affiliation, "parties"


AgreementStatus = Literal[
    "proposed",
    "under_discussion",
    "agreed",
    "signed",
    "ratified",
    "in_force",
    "suspended",
    "terminated",
]


class Agreement(Item):
    """An agreement, treaty or deal between parties, at the stage the source reports."""

    section: ClassVar[str] = "agreements"
    roles: ClassVar[dict[str, str]] = {**Item.roles, "parties": "party", "place": "place"}
    title: ShortText = Field(
        description="A short title for it.", examples=["Agreements on military cooperation"]
    )
    parties: list[Slug] = Field(
        min_length=1, description="The ids of the parties to it.", examples=[["russia", "china"]]
    )
    status: AgreementStatus = Field(
        description="Its stage as reported: proposed, under_discussion, agreed (settled, not "
        "said to be signed), signed, ratified, in_force, suspended or terminated.",
        examples=["agreed"],
    )
    date: Date | None = Field(
        None,
        description="When it reached that stage.",
        examples=[
            {
                "reported": "on Wednesday",
                "value": "2014-11-05",
                "inferred": True,
                "basis": "The Wednesday before 7 November 2014.",
            }
        ],
    )
    terms: LongText = Field(
        "undisclosed",
        description='What was agreed, or "undisclosed" when the source does not say.',
        examples=["undisclosed"],
    )
    place: PlaceRef | None = _place_field("where it was reached or signed")
    duration: Duration | None = Field(
        None,
        description="How long it runs, as reported.",
        examples=[{"reported": "five-year", "value": 5, "unit": "year"}],
        json_schema_extra=SINCE_2,
    )
    modality: Modality | None = Field(
        None,
        description="How the source puts it when not as fact: could, may, plans_to, "
        "intends_to, expected, hopes_to, threatens_to.",
        examples=["could"],
        json_schema_extra=SINCE_2,
    )
    modality_reported: ShortText | None = Field(
        None,
        description="The source's words for the modality, inside one of the item's quotes.",
        examples=["could help"],
        json_schema_extra=SINCE_2,
    )

    @property
    def label(self) -> str:
        return self.title

    def references(self) -> Iterator[Reference]:
        yield from super().references()
        for i, ref in enumerate(self.parties):
            yield ("parties", i), ref, "parties"
        yield from _place_references(self.place)


class Contribution(Model):
    """What a party, several parties together, or an unnamed contributor brought to a drill:
    one kind of troops or equipment."""

    party: Slug | None = Field(
        None,
        description="The id of the party that sent it. Required in format 1; in format 2 "
        "leave it out for a figure the source gives for several parties together (parties) or "
        "for no party at all.",
        examples=["russia"],
    )
    parties: list[Slug] = Field(
        default_factory=list,
        description='The ids of the parties a combined figure is given for ("the two navies '
        'sent 9 ships"), two or more; instead of party.',
        examples=[["russia", "china"]],
        json_schema_extra=SINCE_2,
    )
    equipment: ShortText = Field(
        description="The kind: troops, battle tank, helicopter gunship.",
        examples=["helicopter gunship"],
    )
    designation: ShortText | None = Field(
        None, description="The model as reported.", examples=["Mi-8 AMTSh"]
    )
    quantity: Quantity = Field(
        description="How many, as reported.",
        examples=[{"value": 8, "unit": "helicopter gunships", "reported": "8 Mi-8 AMTSh"}],
    )

    @model_validator(mode="after")
    def _check(self) -> Contribution:
        if self.party is not None and self.parties:
            raise ValueError("name one party with party, or several with parties, not both")
        if len(self.parties) == 1:
            raise ValueError(f"parties names one party: write party: {self.parties[0]} instead")
        return self

    @property
    def contributors(self) -> list[str]:
        """The ids of the parties the figure is given for: none when the source names none."""
        return [self.party] if self.party is not None else list(self.parties)


class Total(Model):
    """An exercise-wide figure, for every force taken together ("about 2,400 personnel")."""

    equipment: ShortText = Field(
        description="What is counted: personnel, ship, submarine, aircraft.",
        examples=["personnel"],
    )
    designation: ShortText | None = Field(
        None, description="The model, when the total is of one.", examples=["Su-30"]
    )
    quantity: Quantity = Field(
        description="How many in all, as reported.",
        examples=[
            {"value": 2400, "qualifier": "about", "unit": "personnel", "reported": "about 2,400"}
        ],
    )


_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def _short_date(value: str) -> str:
    """'2014-08' as 'Aug 2014', '2013-08-07' as '7 Aug 2013', a year as itself."""
    parts = value.split("-")
    if len(parts) >= 2 and parts[1].isdigit() and 1 <= int(parts[1]) <= 12:
        month = f"{_MONTHS[int(parts[1]) - 1]} {parts[0]}"
        return f"{int(parts[2])} {month}" if len(parts) == 3 and parts[2].isdigit() else month
    return value


DrillStatus = Literal["planned", "under_way", "held", "postponed", "cancelled"]


class Drill(Item):
    """A military exercise: who took part, under what framework, where, when, and what each
    party brought."""

    section: ClassVar[str] = "drills"
    roles: ClassVar[dict[str, str]] = {
        **Item.roles,
        "framework": "framework",
        "participants": "participant",
        "contributions": "contributor",
        "place": "place",
    }
    name: ShortText | None = Field(
        None,
        description="Its name as reported; null when the source does not name it.",
        examples=["Peace Mission 2014"],
    )
    framework: Slug | None = Field(
        None,
        description="The id of the organisation party it is held under.",
        examples=["sco"],
    )
    location: ShortText | None = Field(
        None, description="Where it is held, as reported.", examples=["Chelyabinsk, Russia"]
    )
    place: PlaceRef | None = _place_field("where it is held")
    date: Date | None = Field(
        None,
        description="When it is held; a span for a drill of several days.",
        examples=[{"reported": "in August this year", "value": "2014-08"}],
    )
    status: DrillStatus | None = Field(
        None,
        description="Its stage as of the source: planned, under_way, held, postponed or "
        "cancelled; left out when the source does not say.",
        examples=["planned"],
        json_schema_extra=SINCE_2,
    )
    participants: list[Slug] = Field(
        min_length=1,
        description="The ids of the parties taking part.",
        examples=[["russia", "china"]],
    )
    totals: list[Total] = Field(
        default_factory=list,
        description="Figures for the whole exercise, every force together, one kind per line "
        "(they need not be the sum of the contributions).",
        examples=[
            [
                {
                    "equipment": "personnel",
                    "quantity": {
                        "value": 2400,
                        "qualifier": "about",
                        "unit": "personnel",
                        "reported": "about 2,400 personnel",
                    },
                }
            ]
        ],
        json_schema_extra=SINCE_2,
    )
    contributions: list[Contribution] = Field(
        default_factory=list,
        description="What each party sent, one kind per line; in format 2 a line may be "
        "given for several parties together, or for none.",
        examples=[
            [
                {
                    "party": "russia",
                    "equipment": "battle tank",
                    "quantity": {
                        "value": 13,
                        "unit": "battle tanks",
                        "reported": "13 battle tanks",
                    },
                }
            ]
        ],
    )

    @property
    def label(self) -> str:
        if self.name:
            return self.name
        # Place, else the date's value ("Aug 2014"): the as-reported words ("in August this
        # year") only when there is no value, as they read wrongly out of their sentence.
        when = None
        if self.date is not None:
            when = _short_date(self.date.value) if self.date.value else self.date.reported
        where = self.location or when
        return f"Unnamed drill ({where})" if where else f"Unnamed drill ({self.id})"

    def references(self) -> Iterator[Reference]:
        yield from super().references()
        if self.framework is not None:
            yield ("framework",), self.framework, "parties"
        for i, ref in enumerate(self.participants):
            yield ("participants", i), ref, "parties"
        for i, c in enumerate(self.contributions):
            if c.party is not None:
                yield ("contributions", i, "party"), c.party, "parties"
            for j, ref in enumerate(c.parties):
                yield ("contributions", i, "parties", j), ref, "parties"
        yield from _place_references(self.place)


class SaleLine(Model):
    """One kind of equipment in an arms sale."""

    equipment: ShortText = Field(description="The kind of equipment.", examples=["fighter jet"])
    designation: ShortText | None = Field(
        None, description="The model as reported.", examples=["Su-35"]
    )
    quantity: Quantity | None = Field(
        None,
        description="How many, as reported: the number ordered (deliveries give the numbers "
        "delivered).",
        examples=[{"value": 24, "unit": "fighter jets", "reported": "24 Su-35 fighter jets"}],
    )


DeliveryStatus = Literal["planned", "under_way", "delivered", "cancelled"]


class Delivery(Model):
    """One delivery, or one run of deliveries, of an arms sale: when, how many, and the words
    that report it (after SIPRI's years of delivery and number delivered)."""

    status: DeliveryStatus = Field(
        description="As of the source: planned, under_way, delivered or cancelled.",
        examples=["planned"],
    )
    date: Date | None = Field(
        None,
        description='When: a day, a month, a year, or a span of years with end ("from 2027 '
        'to 2030").',
        examples=[{"reported": "from 2027 to 2030", "value": "2027", "end": "2030"}],
    )
    quantity: Quantity | None = Field(
        None,
        description="How many are delivered in it, as reported.",
        examples=[{"value": 4, "unit": "frigates", "reported": "the first four frigates"}],
    )
    equipment: ShortText | None = Field(
        None,
        description="Which of the sale's kinds of equipment, when the sale has several.",
        examples=["frigate"],
    )
    designation: ShortText | None = Field(
        None, description="The model delivered, as reported.", examples=["Type 054A"]
    )
    uncertain: bool = Field(
        False,
        description="true when the source leaves the delivery's date or number in doubt "
        "(SIPRI marks such entries); say why in the sale's notes.",
        examples=[True],
    )
    quotes: list[ShortText] = Field(
        default_factory=list,
        description="The words that report this delivery, each standing inside one of the "
        "sale's own quotes; the delivery's as-reported date and count must stand inside one of "
        "these when any are given.",
        examples=[["deliveries to run from 2027 to 2030"]],
    )


ArmsSaleStatus = Literal[
    "proposed", "negotiating", "contracted", "delivering", "delivered", "cancelled"
]


class ArmsSale(Item):
    """A transfer of arms, after SIPRI's fields: supplier, recipient, equipment, number, value
    and status."""

    section: ClassVar[str] = "arms_sales"
    roles: ClassVar[dict[str, str]] = {
        **Item.roles,
        "supplier": "supplier",
        "recipient": "recipient",
        "place": "place",
    }
    title: ShortText = Field(
        description="A short title for it.", examples=["Russia's arms contracts in 2014"]
    )
    supplier: Slug = Field(description="The id of the selling party.", examples=["russia"])
    recipient: Slug | None = Field(
        None,
        description="The id of the buying party; null when the source does not say.",
        examples=["china"],
    )
    recipient_reported: ShortText | None = Field(
        None,
        description="The buyer as reported, when it is not one party.",
        examples=["global clients"],
    )
    items: list[SaleLine] = Field(
        default_factory=list,
        description="What is sold, one kind of equipment per line.",
        examples=[[{"equipment": "fighter jet", "designation": "Su-35"}]],
    )
    value: Money | None = Field(
        None,
        description="What the sale is worth.",
        examples=[{"value": 7700000000, "currency": "USD", "reported": "$7.7 billion"}],
    )
    period: Date | None = Field(
        None,
        description="The time the sale covers, not the day it was reported: the year the "
        'contracts were secured ("this year"), or the span deliveries run; often a span, '
        "with end. In format 2 prefer ordered, first_report, confirmed and deliveries, "
        "which keep those apart.",
        examples=[{"reported": "this year", "value": "2014"}],
    )
    ordered: Date | None = Field(
        None,
        description="When the order was placed or the contract signed (SIPRI's year of order).",
        examples=[{"reported": "in 2025", "value": "2025"}],
        json_schema_extra=SINCE_2,
    )
    first_report: Date | None = Field(
        None,
        description='When the sale was first reported, if the source says ("reported in '
        'February").',
        examples=[{"reported": "in February", "value": "2026-02"}],
        json_schema_extra=SINCE_2,
    )
    confirmed: Date | None = Field(
        None,
        description='When a party to it confirmed the sale ("confirmed Tuesday").',
        examples=[
            {
                "reported": "on Tuesday",
                "value": "2026-03-03",
                "inferred": True,
                "basis": "The Tuesday before publication on 5 March 2026.",
            }
        ],
        json_schema_extra=SINCE_2,
    )
    deliveries: list[Delivery] = Field(
        default_factory=list,
        description="The deliveries, done or planned, each with its date, number and words.",
        examples=[
            [
                {
                    "status": "planned",
                    "date": {"reported": "from 2027 to 2030", "value": "2027", "end": "2030"},
                    "quotes": ["deliveries to run from 2027 to 2030"],
                }
            ]
        ],
        json_schema_extra=SINCE_2,
    )
    status: ArmsSaleStatus = Field(
        description="Its stage: proposed, negotiating, contracted, delivering, delivered or "
        "cancelled.",
        examples=["contracted"],
    )
    comments: LongText | None = Field(
        None,
        description="Facts of the deal the fields above do not hold, as the source gives them "
        "(SIPRI's comments): licensed production, second-hand, part of a larger package. The "
        "analyst's own remarks go in notes.",
        examples=["Two of the frigates are to be built in the recipient's yards."],
        json_schema_extra=SINCE_2,
    )
    uncertain: bool = Field(
        False,
        description="true when the source leaves the sale itself in doubt: its numbers, its "
        "recipient or whether it was concluded (SIPRI marks such entries); say why in notes.",
        examples=[True],
        json_schema_extra=SINCE_2,
    )
    place: PlaceRef | None = _place_field("where it was agreed or delivered")

    @property
    def label(self) -> str:
        return self.title

    def references(self) -> Iterator[Reference]:
        yield from super().references()
        yield ("supplier",), self.supplier, "parties"
        if self.recipient is not None:
            yield ("recipient",), self.recipient, "parties"
        yield from _place_references(self.place)

    def when(self) -> Date | None:
        """The period (format 1), else the order, else the first date the sale has."""
        for date in (self.period, self.ordered, self.first_report, self.confirmed):
            if date is not None:
                return date
        return next((d.date for d in self.deliveries if d.date is not None), None)


EventKind = Literal[
    "meeting", "summit", "visit", "consultation", "celebration", "talks", "ceremony", "other"
]


class Event(Item):
    """A meeting, summit, visit or other event the source reports."""

    section: ClassVar[str] = "events"
    roles: ClassVar[dict[str, str]] = {
        **Item.roles,
        "participants": "participant",
        "place": "place",
        "part_of": "part",
    }
    kind: EventKind = Field(
        description="What kind: meeting, summit, visit, consultation, celebration, talks, "
        "ceremony or other.",
        examples=["summit"],
    )
    title: ShortText = Field(description="A short title for it.", examples=["APEC summit"])
    date: Date | None = Field(
        None,
        description="When it takes place.",
        examples=[{"reported": "from Nov. 7-11", "value": "2014-11-07", "end": "2014-11-11"}],
    )
    location: ShortText | None = Field(
        None, description="Where, as reported.", examples=["Beijing"]
    )
    place: PlaceRef | None = _place_field("where it takes place")
    participants: list[Slug] = Field(
        default_factory=list,
        description="The ids of the parties taking part.",
        examples=[["putin", "xi"]],
    )
    status: Literal["held", "planned", "cancelled"] = Field(
        description="held, planned or cancelled, as of the source.", examples=["planned"]
    )
    modality: Modality | None = Field(
        None,
        description="How the source puts it when not as fact: could, may, plans_to, "
        "intends_to, expected, hopes_to, threatens_to.",
        examples=["could"],
        json_schema_extra=SINCE_2,
    )
    modality_reported: ShortText | None = Field(
        None,
        description="The source's words for the modality, inside one of the item's quotes.",
        examples=["could help"],
        json_schema_extra=SINCE_2,
    )
    part_of: Slug | None = Field(
        None,
        description="The id of the event or drill this one is part of (talks on the sidelines "
        "of a summit, a live-fire phase of an exercise); no cycles.",
        examples=["apec-leaders-summit-2014"],
        json_schema_extra=SINCE_2,
    )

    @property
    def label(self) -> str:
        return self.title

    def references(self) -> Iterator[Reference]:
        yield from super().references()
        for i, ref in enumerate(self.participants):
            yield ("participants", i), ref, "parties"
        yield from _place_references(self.place)
        if self.part_of is not None:
            yield ("part_of",), self.part_of, PART_OF


class Statement(Item):
    """Something a party said, quoted directly or paraphrased by the source."""

    section: ClassVar[str] = "statements"
    roles: ClassVar[dict[str, str]] = {**Item.roles, "speaker": "speaker", "about": "subject"}
    speaker: Slug = Field(
        description="The id of the party who said it (compare attributed_to: who the source "
        "says reports it).",
        examples=["gerasimov"],
    )
    text: LongText = Field(
        description="What was said: the speaker's words for a direct quote, the sense for a "
        "paraphrase.",
        examples=["Many cooperation projects in critical areas were agreed upon"],
    )
    mode: Literal["direct", "paraphrase"] = Field(
        description="direct when the source quotes the words, paraphrase when it reports their "
        "sense.",
        examples=["direct"],
    )
    date: Date | None = Field(
        None, description="When it was said.", examples=[{"reported": "on Wednesday"}]
    )
    about: list[Slug] = Field(
        default_factory=list,
        description="The ids of the items it concerns, in any section.",
        examples=[["military-cooperation-agreements"]],
    )
    modality: Modality | None = Field(
        None,
        description="How the source puts it when not as fact: could, may, plans_to, "
        "intends_to, expected, hopes_to, threatens_to.",
        examples=["could"],
        json_schema_extra=SINCE_2,
    )
    modality_reported: ShortText | None = Field(
        None,
        description="The source's words for the modality, inside one of the item's quotes.",
        examples=["could help"],
        json_schema_extra=SINCE_2,
    )
    lang: LanguageTag | None = Field(
        None,
        description="The language of text, when it is not the source's.",
        examples=["en"],
        json_schema_extra=SINCE_2,
    )
    original: LangText | None = Field(
        None,
        description="The words as first said, in their language, when text is a translation: "
        "inside one of the item's quotes, or with a basis saying where they come from.",
        examples=[{"text": "Мы помним", "lang": "ru", "basis": "Kremlin transcript."}],
        json_schema_extra=SINCE_2,
    )
    translations: list[LangText] = Field(
        default_factory=list,
        description="text in other languages, each with its tag (the analyst's unless a basis "
        "says whose).",
        examples=[[{"text": "We remember", "lang": "en"}]],
        json_schema_extra=SINCE_2,
    )

    @property
    def label(self) -> str:
        return self.text

    def references(self) -> Iterator[Reference]:
        yield from super().references()
        yield ("speaker",), self.speaker, "parties"
        for i, ref in enumerate(self.about):
            yield ("about", i), ref, "any"


CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]


def _known_country_code(code: str | None) -> str | None:
    if code is not None and code not in COUNTRY_CODES:
        raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-2 country code")
    return code


class PlaceName(Model):
    """A name of a place in one language or script: "Челябинск" (ru), "车里雅宾斯克" (zh-Hans)."""

    name: ShortText = Field(description="The name, in its own script.", examples=["Челябинск"])
    language: LanguageTag | None = Field(
        None,
        description="Its language (and script), a BCP 47 tag: ru, zh-Hans, ru-Latn.",
        examples=["ru"],
    )


PlaceKind = Literal["city", "region", "country", "base", "port", "facility", "sea", "area", "other"]
PlacePrecision = Literal["exact", "site", "city", "region", "country"]
PRECISION_WORDS: dict[str, str] = {
    "exact": "the point itself",
    "site": "somewhere on the site",
    "city": "somewhere in the city",
    "region": "somewhere in the region",
    "country": "somewhere in the country",
}
"""What each precision word says of a pair of coordinates, in the detail and the exports."""

# The STIX 2.1 region vocabulary (region-ov): a place with no one country, such as a sea.
StixRegion = Literal[
    "africa", "eastern-africa", "middle-africa", "northern-africa", "southern-africa",
    "western-africa", "americas", "caribbean", "central-america", "latin-america-caribbean",
    "northern-america", "south-america", "asia", "central-asia", "eastern-asia", "southern-asia",
    "south-eastern-asia", "western-asia", "europe", "eastern-europe", "northern-europe",
    "southern-europe", "western-europe", "middle-east", "oceania", "antarctica",
    "australia-new-zealand", "melanesia", "micronesia", "polynesia",
]  # fmt: skip


class Coordinates(Model):
    """Where a place is on the map, and how closely: a city's centre is not the drill's field."""

    latitude: Annotated[int | float, Field(ge=-90, le=90)] = Field(
        description="Degrees north (negative: south), WGS 84.", examples=[55.16]
    )
    longitude: Annotated[int | float, Field(ge=-180, le=180)] = Field(
        description="Degrees east (negative: west), WGS 84.", examples=[61.4]
    )
    precision: PlacePrecision | Annotated[int | float, Field(gt=0, le=20_000)] = Field(
        description="How closely the point stands for the place: exact (the point itself), "
        "site, city, region or country (somewhere in it), or a radius in kilometres (at most "
        "20,000).",
        examples=["city"],
    )

    @field_validator("precision", mode="wrap")
    @classmethod
    def _precision(cls, value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        # The union's own message names only one of its members ("expected 'exact', ...")
        # when a number is as good.
        try:
            return handler(value)
        except ValidationError:
            shown = _quoted(value) if isinstance(value, str) else clip(repr(value), 40)
            raise ValueError(
                f"precision {shown} is neither exact, site, city, region or country nor a "
                "radius in kilometres (a number more than 0, at most 20,000)"
            ) from None


class Place(Item):
    """A place the source names: a city, base, sea or region, with its names in several
    scripts; drills, events, agreements and arms sales refer to it by id."""

    section: ClassVar[str] = "places"
    list_examples: ClassVar[list[Any] | None] = [
        [
            {
                "id": "chelyabinsk",
                "name": "Chelyabinsk",
                "aliases": [{"name": "Челябинск", "language": "ru"}],
                "kind": "city",
                "country": "RU",
                "confidence": "high",
                "evidence": [{"paragraph": 3, "quote": "Chelyabinsk, Russia"}],
            }
        ]
    ]
    name: ShortText = Field(
        description="Its name as the source gives it.", examples=["Chelyabinsk"]
    )
    language: LanguageTag | None = Field(
        None,
        description="The language of that name, a BCP 47 tag; null for the source's own.",
        examples=["en"],
    )
    aliases: list[ShortText | PlaceName] = Field(
        default_factory=list,
        description="Other names for it: plain text, or a name with its language tag, in any "
        "script.",
        examples=[[{"name": "Челябинск", "language": "ru"}, "Chelyabinsk Oblast capital"]],
    )
    kind: PlaceKind | None = Field(
        None,
        description="What it is: city, region, country, base, port, facility, sea, area or other.",
        examples=["city"],
    )
    country: CountryCode | None = Field(
        None,
        description="The country it is in, as an ISO 3166-1 alpha-2 code (as parties write it).",
        examples=["RU"],
    )
    region: StixRegion | None = Field(
        None,
        description="A world region from the STIX vocabulary (eastern-asia, northern-europe...), "
        "for a place in no one country, such as a sea.",
        examples=["eastern-asia"],
    )
    coordinates: Coordinates | None = Field(
        None,
        description="Its latitude and longitude with their precision; mostly the analyst's, "
        "named in inferred with the gazetteer used.",
        examples=[{"latitude": 55.16, "longitude": 61.4, "precision": "city"}],
    )

    _country = field_validator("country")(_known_country_code)

    @model_validator(mode="after")
    def _somewhere(self) -> Place:
        if self.country is None and self.region is None and self.coordinates is None:
            raise ValueError(
                "a place needs a country, a region or coordinates, to say where it is (when "
                "the text does not say, give the analyst's and its basis in inferred)"
            )
        return self

    @property
    def label(self) -> str:
        return self.name


RelationshipKind = Literal[
    "member_of",
    "part_of",
    "allied_with",
    "partner_of",
    "counterpart_of",
    "commands",
    "supplies",
    "represents",
    "opposes",
]


@dataclass(frozen=True, slots=True)
class RelationshipWords:
    """How a relationship kind reads from each side: "Member of" / "Members"."""

    forward: str
    backward: str
    symmetric: bool = False


RELATIONSHIP_WORDS: dict[str, RelationshipWords] = {
    "member_of": RelationshipWords("Member of", "Members"),
    "part_of": RelationshipWords("Part of", "Has as part"),
    "allied_with": RelationshipWords("Allied with", "Allied with", symmetric=True),
    "partner_of": RelationshipWords("Partner of", "Partner of", symmetric=True),
    "counterpart_of": RelationshipWords("Counterpart", "Counterpart", symmetric=True),
    "commands": RelationshipWords("Commands", "Commanded by"),
    "supplies": RelationshipWords("Supplies", "Supplied by"),
    "represents": RelationshipWords("Represents", "Its agents"),
    "opposes": RelationshipWords("Opposes", "Opposed by"),
}
"""Each relationship kind as its party's detail reads it (party first, then other): labels
of the detail's label column, 12 cells at most."""


class Relationship(Item):
    """A typed link between two parties, at the times the source gives: Russia member_of the
    SCO, Xi counterpart_of Putin. Read as "party kind other"; allied_with, partner_of and
    counterpart_of read the same both ways."""

    section: ClassVar[str] = "relationships"
    roles: ClassVar[dict[str, str]] = {
        **Item.roles,
        "party": "related party",
        "other": "related party",
    }
    list_examples: ClassVar[list[Any] | None] = [
        [
            {
                "id": "russia-in-sco",
                "party": "russia",
                "kind": "member_of",
                "other": "sco",
                "confidence": "moderate",
                "evidence": [{"paragraph": 15, "quote": "China and other SCO-members"}],
            }
        ]
    ]
    party: Slug = Field(
        description="The id of the party the relationship is of.", examples=["russia"]
    )
    kind: RelationshipKind = Field(
        description="What the link is, read as party kind other: member_of (of an organisation, "
        "alliance or bloc), part_of (a component: a fleet of a navy, a ministry of a "
        "government), allied_with (the source calls them allies or reports an alliance), "
        "partner_of (partners short of an alliance), counterpart_of (holds the matching post "
        "on the other side), commands (a person or headquarters over a force), supplies (with "
        "arms or equipment over time; one deal is an arms sale), represents (speaks or acts "
        "for the other), opposes (in conflict or rivalry). allied_with, partner_of and "
        "counterpart_of read the same both ways.",
        examples=["member_of"],
    )
    other: Slug = Field(description="The id of the party at the other end.", examples=["sco"])
    start: Date | None = Field(
        None,
        description="When it began, as reported.",
        examples=[{"reported": "since 2001", "value": "2001"}],
    )
    stop: Date | None = Field(
        None,
        description="When it ended, as reported; null while it lasts.",
        examples=[{"reported": "until 2014", "value": "2014"}],
    )
    title: ShortText | None = Field(
        None,
        description="A short title; by default the two parties' ids and the kind.",
        examples=["Russia in the SCO"],
    )

    @model_validator(mode="after")
    def _check(self) -> Relationship:
        if self.party == self.other:
            raise ValueError("a relationship links two different parties")
        if (
            self.start is not None
            and self.stop is not None
            and self.start.value is not None
            and self.stop.value is not None
            and self.stop.sort_key[1] < self.start.sort_key[0]
        ):
            raise ValueError(f"stop {self.stop.value} is before start {self.start.value}")
        return self

    @property
    def label(self) -> str:
        if self.title:
            return self.title
        return f"{self.party} {plain_kind(self.kind)} {self.other}"

    def references(self) -> Iterator[Reference]:
        yield from super().references()
        yield ("party",), self.party, "parties"
        yield ("other",), self.other, "parties"

    def when(self) -> Date | None:
        return self.start or self.stop


def plain_kind(kind: str) -> str:
    """A relationship kind as words: member_of -> member of."""
    return kind.replace("_", " ")


def _section_models() -> dict[str, type[Item]]:
    """Each registry section's model, found by its `section`: loudly, at import, when a
    section has no model, two, or a model names no section of the registry."""
    found: dict[str, list[type[Item]]] = {}
    for model in Item.__subclasses__():
        found.setdefault(model.section, []).append(model)
    keys = {section.key for section in REGISTRY}
    problems = [f"section {k!r} has no model" for k in keys if k not in found]
    problems += [f"section {k!r} has {len(m)} models" for k, m in found.items() if len(m) > 1]
    problems += [
        f"model {m[0].__name__} names no section ({k!r})" for k, m in found.items() if k not in keys
    ]
    if problems:
        raise RuntimeError("the section registry and the models disagree: " + "; ".join(problems))
    return {section.key: found[section.key][0] for section in REGISTRY}


MODELS: dict[str, type[Item]] = _section_models()
"""Section key to its model, in registry order."""
SECTIONS: tuple[tuple[str, type[Item], str], ...] = tuple(
    (section.key, MODELS[section.key], section.title) for section in REGISTRY
)
"""(section key, model, title): the order sections are shown and numbered in."""


class Briefing(Model):
    """A structured briefing of one or more sources: what they report, each item tied to the
    words that support it."""

    schema_version: Literal[1, 2] = Field(
        alias="schema",
        description=f"The format version: 1 or {SCHEMA_VERSION}, the newest "
        "(`briefing migrate` rewrites a version 1 file).",
        examples=[SCHEMA_VERSION],
    )
    id: Slug = Field(
        description="The briefing's id.", examples=["russia-china-military-cooperation-2014"]
    )
    title: ShortText = Field(
        description="The briefing's title.", examples=["Russia and China boost military ties"]
    )
    summary: LongText = Field(
        description="The bottom line up front: what the sources report and how far they can be "
        "trusted, in a paragraph.",
        examples=["Russian and Chinese military leaders announced agreements but no terms."],
    )
    sources: list[Source] = Field(
        min_length=1,
        description="The source texts cited, one or more; anchors quote the first unless they "
        "name another.",
        examples=[
            [
                {
                    "id": "article",
                    "path": "../seeds/article.txt",
                    "sha256": "0" * 64,
                    "title": "Article",
                    "language": "en",
                    "reliability": "F",
                }
            ]
        ],
    )
    analyst: ShortText | None = Field(
        None,
        description="Who wrote the briefing: a name, or a team.",
        examples=["J. Analyst"],
        json_schema_extra=SINCE_2,
    )
    created: Timestamp | None = Field(
        None,
        description="When the briefing was first written, ISO 8601.",
        examples=["2014-11-06T09:30Z"],
        json_schema_extra=SINCE_2,
    )
    modified: Timestamp | None = Field(
        None,
        description="When it was last changed, ISO 8601; not before created.",
        examples=["2014-11-07"],
        json_schema_extra=SINCE_2,
    )
    tlp: Tlp | None = Field(
        None,
        description="Its Traffic Light Protocol 2.0 marking, who it may be shared with: clear "
        "(anyone), green (the community), amber (the organisation and its clients), "
        "amber+strict (the organisation only), red (the named recipients only).",
        examples=["amber"],
        json_schema_extra=SINCE_2,
    )
    source_notes: list[SourceNote] = Field(
        default_factory=list,
        description="Defects of the source texts themselves.",
        examples=[[{"kind": "typo", "note": '"Gerasimove" for "Gerasimov".'}]],
    )
    # One list per section, in registry order: its key, model and description come from the
    # registry (the class body's namespace is a plain dict, so the loop adds fields as if
    # written out). The type checker sees only the section code names directly.
    if TYPE_CHECKING:
        parties: list[Party]
        drills: list[Drill]
        arms_sales: list[ArmsSale]
        places: list[Place]
        relationships: list[Relationship]
    else:
        for _section in REGISTRY:
            _model = MODELS[_section.key]
            __annotations__[_section.key] = list[_model]
            vars()[_section.key] = Field(
                default_factory=list,
                description=_section.description,
                **({"examples": _model.list_examples} if _model.list_examples else {}),
                **({"json_schema_extra": {"since": _section.since}} if _section.since > 1 else {}),
            )
        del _section, _model

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=True)

    @field_validator("created", "modified")
    @classmethod
    def _real_time(cls, text: str | None) -> str | None:
        if text is not None:
            try:
                parse_timestamp(text)
            except ValueError:
                raise ValueError(f"{text!r} is not a real date and time") from None
        return text

    def items(self) -> Iterator[tuple[tuple[str, int], Item]]:
        """Every item with its location path, in section order."""
        for key, _model, _title in SECTIONS:
            for index, item in enumerate(getattr(self, key)):
                yield (key, index), item

    def counts(self) -> dict[str, int]:
        return {key: len(getattr(self, key)) for key, _m, _t in SECTIONS}


@dataclass(frozen=True, slots=True)
class Problem:
    """A finding about a briefing, located by its path in the document."""

    loc: tuple[str | int, ...]
    message: str
    severity: Literal["error", "warning"] = "error"
    at_key: bool = False


def closest(word: str, choices: list[str] | set[str] | frozenset[str]) -> str | None:
    """The closest of choices to word, or None if nothing is close."""
    import difflib

    found = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return found[0] if found else None


def references(item: Item) -> list[Reference]:
    """Each (sub-path, id, wanted section or "any") an item refers to: the model's own walk."""
    return list(item.references())


def check_references(briefing: Briefing) -> list[Problem]:
    """Unique ids, every reference resolving to the right section, no affiliation cycles."""
    problems: list[Problem] = []
    section_of: dict[str, str] = {}
    for loc, item in briefing.items():
        if item.id in section_of:
            problems.append(
                Problem(
                    loc + ("id",), f"duplicate id {item.id!r} (first used in {section_of[item.id]})"
                )
            )
        else:
            section_of[item.id] = str(loc[0])
    source_ids = {s.id for s in briefing.sources}
    seen_sources: set[str] = set()
    for i, source in enumerate(briefing.sources):
        if source.id in seen_sources:
            problems.append(Problem(("sources", i, "id"), f"duplicate source id {source.id!r}"))
        seen_sources.add(source.id)
    for loc, item in briefing.items():
        for sub, ref, wanted in item.references():
            if ref == item.id and wanted == "parties" and isinstance(item, Party):
                problems.append(Problem(loc + sub, f"{item.id!r} refers to itself"))
                continue
            found = section_of.get(ref)
            sections = wanted.split("|")
            if found is None:
                pool = (
                    set(section_of)
                    if wanted == "any"
                    else {i for i, s in section_of.items() if s in sections}
                )
                hint = closest(ref, pool)
                where = (
                    "item"
                    if wanted == "any"
                    else " or ".join(_SINGULAR_WORD.get(s, "item") for s in sections)
                )
                message = f"unknown {where} id {ref!r}"
                if ref == "anonymous" and wanted == "parties":
                    message += "; for an unnamed source write {anonymous: who, in the text's words}"
                    hint = None
                problems.append(
                    Problem(
                        loc + sub,
                        message + (f"; did you mean {hint!r}?" if hint else _one_of(pool)),
                    )
                )
            elif wanted != "any" and found not in sections:
                pool = {i for i, s in section_of.items() if s in sections}
                hint = closest(ref, pool)
                word = " or ".join(_SINGULAR_WORD.get(s, "item") for s in sections)
                article = "an" if word[:1] in ("a", "e", "i", "o", "u") else "a"
                problems.append(
                    Problem(
                        loc + sub,
                        f"{ref!r} is in {found}, but {article} {word} id is expected here"
                        + (f"; did you mean {hint!r}?" if hint else _one_of(pool)),
                    )
                )
    anchored: list[tuple[tuple[str | int, ...], list[Anchor]]] = [
        ((section, index) + sub, anchors)
        for (section, index), item in briefing.items()
        for sub, anchors in item.anchor_groups()
    ]
    anchored += [(("source_notes", i), n.evidence) for i, n in enumerate(briefing.source_notes)]
    for place, anchors in anchored:
        for j, anchor in enumerate(anchors):
            if anchor.source is not None and anchor.source not in source_ids:
                hint = closest(anchor.source, source_ids)
                problems.append(
                    Problem(
                        place + ("evidence", j, "source"),
                        f"unknown source id {anchor.source!r}"
                        + (f"; did you mean {hint!r}?" if hint else _one_of(source_ids)),
                    )
                )
            elif anchor.source is None and len(briefing.sources) > 1:
                problems.append(
                    Problem(
                        place + ("evidence", j),
                        "this briefing has several sources: name one with 'source:'"
                        + _one_of(source_ids),
                    )
                )
    problems.extend(_affiliation_cycles(briefing))
    problems.extend(_contributors(briefing))
    problems.extend(_part_of_cycles(briefing))
    for loc, item in briefing.items():
        problems.extend(check_claims(item, loc))
    if briefing.schema_version < 2:
        problems.extend(_format2_forms(briefing))
    if briefing.created and briefing.modified:
        first, last = parse_timestamp(briefing.created), parse_timestamp(briefing.modified)
        if first.tzinfo is None or last.tzinfo is None:  # a bare date: compare days
            before = last.date() < first.date()
        else:
            before = last < first
        if before:
            message = f"modified {briefing.modified} is before created {briefing.created}"
            problems.append(Problem(("modified",), message))
    return problems


def _part_of_cycles(briefing: Briefing) -> list[Problem]:
    events = {e.id: (i, e.part_of) for i, e in enumerate(getattr(briefing, "events", []))}
    problems: list[Problem] = []
    reported: set[str] = set()
    for start in events:
        chain: list[str] = []
        node: str | None = start
        while node is not None and node in events and node not in chain:
            chain.append(node)
            node = events[node][1]
        if node is not None and node in chain and node not in reported:
            cycle = chain[chain.index(node) :]
            reported.update(cycle)
            path = " -> ".join([*cycle, node])
            problems.append(
                Problem(("events", events[node][0], "part_of"), f"part_of cycle: {path}")
            )
    return problems


def conflicts(item: Item) -> list[str]:
    """The fields whose claims are in conflict or disputed: so assessed, or giving different
    values with no assessment."""
    verdicts = {a.field: a.verdict for a in item.assessments}
    found: list[str] = []
    for name, claims in claims_by_field(item).items():
        verdict = verdicts.get(name)
        differ = len({c.shown() for c in claims}) > 1
        if verdict in ("conflict", "disputed") or (verdict is None and differ):
            found.append(name)
    return found


def claims_by_field(item: Item) -> dict[str, list[Claim]]:
    grouped: dict[str, list[Claim]] = {}
    for claim in item.claims:
        grouped.setdefault(claim.field, []).append(claim)
    return grouped


def chain_parties(claim: Claim) -> set[str]:
    """The named parties a claim comes from or through."""
    return {
        a.party
        for a in [*attributions(claim.attributed_to), *attributions(claim.via)]
        if a.party is not None
    }


def check_claims(item: Item, loc: tuple[str | int, ...]) -> list[Problem]:
    """An item's assessments against its claims: a verdict must fit the values."""
    if not item.claims and not item.assessments:
        return []
    problems: list[Problem] = []
    grouped = claims_by_field(item)
    seen: set[str] = set()
    for i, assessment in enumerate(item.assessments):
        at = loc + ("assessments", i)
        claims = grouped.get(assessment.field)
        if assessment.field in seen:
            problems.append(
                Problem(at + ("field",), f"a second assessment of {assessment.field!r}")
            )
            continue
        seen.add(assessment.field)
        if not claims:
            problems.append(
                Problem(
                    at + ("field",),
                    f"no claim of this item is on {assessment.field!r}" + _one_of(set(grouped)),
                )
            )
            continue
        values = {c.shown() for c in claims}
        verdict = assessment.verdict
        if verdict in ("agreed", "corroborated") and len(values) > 1:
            problems.append(
                Problem(
                    at + ("verdict",),
                    f"verdict {verdict}, but the claims on {assessment.field!r} give different "
                    f"values: {_values_text(claims)}",
                )
            )
        elif verdict == "conflict" and len(values) < 2:
            problems.append(
                Problem(
                    at + ("verdict",),
                    f"verdict conflict, but the claims on {assessment.field!r} give one value",
                )
            )
        elif verdict == "corroborated" and not _independent(claims):
            problems.append(
                Problem(
                    at + ("verdict",),
                    "verdict corroborated needs two claims whose sources share no party "
                    "(attributed_to and via); write agreed",
                )
            )
        elif verdict in ("agreed", "corroborated", "disputed") and len(claims) < 2:
            problems.append(
                Problem(
                    at + ("verdict",), f"verdict {verdict} reads two claims or more; there is one"
                )
            )
    assessed = {a.field for a in item.assessments}
    for name, claims in grouped.items():
        if name not in assessed and len({c.shown() for c in claims}) > 1:
            index = item.claims.index(claims[0])
            problems.append(
                Problem(
                    loc + ("claims", index, "field"),
                    f"the claims on {name!r} differ ({_values_text(claims)}) and no assessment "
                    "reads them: add one to assessments (verdict conflict or disputed)",
                    "warning",
                )
            )
    return problems


def _independent(claims: list[Claim]) -> bool:
    chains = [chain_parties(c) for c in claims]
    for a in range(len(chains)):
        for b in range(a + 1, len(chains)):
            if chains[a] and chains[b] and not chains[a] & chains[b]:
                return True
    return False


def _values_text(claims: list[Claim]) -> str:
    shown = []
    for claim in claims:
        value = claim.shown()[1:]
        text = " ".join(str(v) for v in value if v not in (None, "exact"))
        if text not in shown:
            shown.append(text)
    return clip(" vs ".join(shown), 120)


def _format2_forms(briefing: Briefing) -> list[Problem]:
    """Forms of version-1 fields that only format 2 reads: a list or an anonymous source in
    attributed_to, an alias with a language tag."""
    problems: list[Problem] = []
    hint = "is new in format 2: write `schema: 2` at the top"
    for loc, item in briefing.items():
        if item.attributed_to is not None and not isinstance(item.attributed_to, str):
            what = "a list" if isinstance(item.attributed_to, list) else "an anonymous source"
            problems.append(Problem(loc + ("attributed_to",), f"attributed_to as {what} {hint}"))
        if isinstance(item, Party):
            for k, alias in enumerate(item.aliases):
                if not isinstance(alias, str):
                    problems.append(
                        Problem(loc + ("aliases", k), f"an alias with a language tag {hint}")
                    )
    return problems


def _contributors(briefing: Briefing) -> list[Problem]:
    """Format 1 needs each contribution's party; a figure for several parties together or for
    none is new in format 2 (the model allows both, so the version decides here)."""
    if briefing.schema_version != 1:
        return []
    return [
        Problem(("drills", d, "contributions", c), "missing required field 'party'")
        for d, drill in enumerate(briefing.drills)
        for c, contribution in enumerate(drill.contributions)
        if contribution.party is None and not contribution.parties
    ]


_SINGULAR_WORD = {section.key: section.singular.lower() for section in REGISTRY}
"""A section's items in a message: "party", "place"."""


def _one_of(ids: set[str], limit: int = 8) -> str:
    """'; expected one of: a, b, c' for a message, or '' when there is nothing to offer."""
    if not ids:
        return "; there are none"
    shown = sorted(ids)
    more = f" (and {len(shown) - limit} more)" if len(shown) > limit else ""
    return f"; expected one of: {', '.join(shown[:limit])}{more}"


def _affiliation_cycles(briefing: Briefing) -> list[Problem]:
    # A party that is its own affiliation is reported as referring to itself, not here.
    parent = {p.id: p.affiliation for p in briefing.parties if p.affiliation not in (None, p.id)}
    index = {p.id: i for i, p in enumerate(briefing.parties)}
    problems: list[Problem] = []
    reported: set[str] = set()
    for start in parent:
        chain: list[str] = []
        node: str | None = start
        while node in parent and node not in chain:
            chain.append(node)
            node = parent[node]
        if node in chain and node not in reported:
            cycle = chain[chain.index(node) :]
            reported.update(cycle)
            path = " -> ".join([*cycle, node])
            problems.append(
                Problem(("parties", index[node], "affiliation"), f"affiliation cycle: {path}")
            )
    return problems


def walk_values(
    item: BaseModel,
) -> Iterator[tuple[tuple[str | int, ...], Date | Quantity | Money | Duration]]:
    """Every date, quantity and sum in an item (its evidence aside) with its sub-path."""
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), item)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, Date | Quantity | Money | Duration):
            yield path, value
        elif isinstance(value, BaseModel):
            # Only the fields that can hold a date, quantity or sum (in the order of the
            # full walk): most of an item never can.
            for name in reporting_fields(type(value)):
                field_value = getattr(value, name)
                # An empty list (most items' claims) holds nothing to walk.
                if field_value is not None and not (type(field_value) is list and not field_value):
                    stack.append((path + (name,), field_value))
        elif isinstance(value, list):
            stack.extend((path + (i,), v) for i, v in enumerate(value))


def walk_reported(item: BaseModel) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every as-reported string of an item (quantities, money, dates) with its sub-path."""
    for path, value in walk_values(item):
        if value.reported is not None:
            yield path + ("reported",), value.reported


_REPORTED = (Date, Quantity, Money, Duration)
_reporting: dict[type[BaseModel], tuple[str, ...]] = {}


def reporting_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of a model (evidence aside) whose values can hold a Date, Quantity, Money or
    Duration."""
    found = _reporting.get(model)
    if found is None:
        _reporting[model] = ()  # a model that holds itself does not recurse forever
        found = _reporting[model] = tuple(
            name
            for name, info in model.model_fields.items()
            if name != "evidence" and _can_report(info.annotation)
        )
    return found


def _can_report(annotation: Any) -> bool:
    """Whether a value of this type can be, or contain in models and lists, a reported value."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return issubclass(annotation, _REPORTED) or bool(reporting_fields(annotation))
    origin = typing.get_origin(annotation)
    if origin is dict:
        return False  # the walk does not look inside mappings
    return any(_can_report(arg) for arg in typing.get_args(annotation))


def item_strings(item: Item) -> list[str]:
    """An item's label and every string in its fields but the evidence: what search reads."""
    parts: list[str] = [item.label]
    # A model's __dict__ holds its fields, in their order (extra keys are forbidden, and no
    # model caches anything there): read at once rather than one getattr a field. The types
    # met most are tested first; the fallbacks keep subclasses (str enums, ...) as before.
    stack: list[Any] = [value for name, value in item.__dict__.items() if name != "evidence"]
    while stack:
        value = stack.pop()
        kind = type(value)
        if kind is str:
            parts.append(value)
        elif value is None or kind is int or kind is bool:
            continue
        elif kind is list:
            stack.extend(value)
        elif isinstance(value, BaseModel):
            stack.extend(value.__dict__.values())
        elif isinstance(value, str):
            parts.append(value)
        elif isinstance(value, list | tuple):
            stack.extend(value)
        elif isinstance(value, dict):
            stack.extend(value.values())
    return parts


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the format, for editors (yaml-language-server) and tools."""
    schema = Briefing.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://briefing.invalid/schema/briefing-{SCHEMA_VERSION}.schema.json"
    return schema


_SLUG_RE = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """A slug for an id made from free text."""
    return _SLUG_RE.sub("-", text.lower()).strip("-")[:100] or "item"
