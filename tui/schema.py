"""The briefing format: pydantic models, and the cross-reference checks that need no I/O.

Shaped after public references: STIX 2.1 (a Report of Identities and Relationships), the W3C
Web Annotation TextQuoteSelector (exact quote with optional prefix/suffix), SIPRI's arms
transfer fields (supplier, recipient, designation, number, status), ACLED's date precision,
the Admiralty source grading, and Wikidata-style dates that carry their precision.
"""

from __future__ import annotations

import datetime as dt
import re
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
    ValidationInfo,
    field_validator,
    model_validator,
)

from .safe_text import clip
from .sections import SECTIONS as REGISTRY

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


class Model(BaseModel):
    """Base for every model: unknown keys are errors, values are never coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


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
"""(sub-path in the item, the id referred to, the section it must be in or "any")."""


class Item(Model):
    """Fields every item has, in every section, besides its own."""

    # A section's model is a direct subclass naming its registry key in `section` (the schema
    # finds it there: see `sections`); it answers its own references, roles and date.

    section: ClassVar[str] = ""
    roles: ClassVar[dict[str, str]] = {"attributed_to": "source of claim"}
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
    attributed_to: Slug | None = Field(
        None,
        description="The party the source credits the item to, when it reports it as "
        "someone's claim rather than as fact: \"Putin said Moscow has secured $7.7 billion in "
        "arms contracts\" is an arms sale attributed_to putin. Not a statement's speaker: "
        "speaker is who said the words; attributed_to is who, by the source's account, says "
        'the item is so ("according to Xinhua, Putin said..." has speaker putin, attributed_to '
        "xinhua).",
        examples=["putin"],
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
        if self.attributed_to is not None:
            yield ("attributed_to",), self.attributed_to, "parties"

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
    aliases: list[ShortText] = Field(
        default_factory=list,
        description="Other names the source uses for it.",
        examples=[["Moscow"]],
    )
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
    roles: ClassVar[dict[str, str]] = {**Item.roles, "parties": "party"}
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

    @property
    def label(self) -> str:
        return self.title

    def references(self) -> Iterator[Reference]:
        yield from super().references()
        for i, ref in enumerate(self.parties):
            yield ("parties", i), ref, "parties"


class Contribution(Model):
    """What one party brought to a drill: one kind of troops or equipment."""

    party: Slug = Field(description="The id of the party that sent it.", examples=["russia"])
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


_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def _short_date(value: str) -> str:
    """'2014-08' as 'Aug 2014', '2013-08-07' as '7 Aug 2013', a year as itself."""
    parts = value.split("-")
    if len(parts) >= 2 and parts[1].isdigit() and 1 <= int(parts[1]) <= 12:
        month = f"{_MONTHS[int(parts[1]) - 1]} {parts[0]}"
        return f"{int(parts[2])} {month}" if len(parts) == 3 and parts[2].isdigit() else month
    return value


class Drill(Item):
    """A military exercise: who took part, under what framework, where, when, and what each
    party brought."""

    section: ClassVar[str] = "drills"
    roles: ClassVar[dict[str, str]] = {
        **Item.roles,
        "framework": "framework",
        "participants": "participant",
        "contributions": "contributor",
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
    date: Date | None = Field(
        None,
        description="When it is held; a span for a drill of several days.",
        examples=[{"reported": "in August this year", "value": "2014-08"}],
    )
    participants: list[Slug] = Field(
        min_length=1,
        description="The ids of the parties taking part.",
        examples=[["russia", "china"]],
    )
    contributions: list[Contribution] = Field(
        default_factory=list,
        description="What each party sent, one kind per line.",
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
            yield ("contributions", i, "party"), c.party, "parties"


class SaleLine(Model):
    """One kind of equipment in an arms sale."""

    equipment: ShortText = Field(description="The kind of equipment.", examples=["fighter jet"])
    designation: ShortText | None = Field(
        None, description="The model as reported.", examples=["Su-35"]
    )
    quantity: Quantity | None = Field(
        None,
        description="How many, as reported.",
        examples=[{"value": 24, "unit": "fighter jets", "reported": "24 Su-35 fighter jets"}],
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
        "with end.",
        examples=[{"reported": "this year", "value": "2014"}],
    )
    status: ArmsSaleStatus = Field(
        description="Its stage: proposed, negotiating, contracted, delivering, delivered or "
        "cancelled.",
        examples=["contracted"],
    )

    @property
    def label(self) -> str:
        return self.title

    def references(self) -> Iterator[Reference]:
        yield from super().references()
        yield ("supplier",), self.supplier, "parties"
        if self.recipient is not None:
            yield ("recipient",), self.recipient, "parties"

    def when(self) -> Date | None:
        return self.period


EventKind = Literal[
    "meeting", "summit", "visit", "consultation", "celebration", "talks", "ceremony", "other"
]


class Event(Item):
    """A meeting, summit, visit or other event the source reports."""

    section: ClassVar[str] = "events"
    roles: ClassVar[dict[str, str]] = {**Item.roles, "participants": "participant"}
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
    participants: list[Slug] = Field(
        default_factory=list,
        description="The ids of the parties taking part.",
        examples=[["putin", "xi"]],
    )
    status: Literal["held", "planned", "cancelled"] = Field(
        description="held, planned or cancelled, as of the source.", examples=["planned"]
    )

    @property
    def label(self) -> str:
        return self.title

    def references(self) -> Iterator[Reference]:
        yield from super().references()
        for i, ref in enumerate(self.participants):
            yield ("participants", i), ref, "parties"


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

    @property
    def label(self) -> str:
        return self.text

    def references(self) -> Iterator[Reference]:
        yield from super().references()
        yield ("speaker",), self.speaker, "parties"
        for i, ref in enumerate(self.about):
            yield ("about", i), ref, "any"


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
    else:
        for _section in REGISTRY:
            _model = MODELS[_section.key]
            __annotations__[_section.key] = list[_model]
            vars()[_section.key] = Field(
                default_factory=list,
                description=_section.description,
                **({"examples": _model.list_examples} if _model.list_examples else {}),
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
    parties = {p.id: p for p in briefing.parties}
    for loc, item in briefing.items():
        for sub, ref, wanted in item.references():
            if ref == item.id and wanted == "parties" and isinstance(item, Party):
                problems.append(Problem(loc + sub, f"{item.id!r} refers to itself"))
                continue
            found = section_of.get(ref)
            if found is None:
                pool = set(parties) if wanted == "parties" else set(section_of)
                hint = closest(ref, pool)
                where = "party" if wanted == "parties" else "item"
                message = f"unknown {where} id {ref!r}"
                problems.append(
                    Problem(
                        loc + sub,
                        message + (f"; did you mean {hint!r}?" if hint else _one_of(pool)),
                    )
                )
            elif wanted != "any" and found != wanted:
                hint = closest(ref, set(parties))
                problems.append(
                    Problem(
                        loc + sub,
                        f"{ref!r} is in {found}, but a party id is expected here"
                        + (f"; did you mean {hint!r}?" if hint else _one_of(set(parties))),
                    )
                )
    anchored: list[tuple[tuple[str | int, ...], list[Anchor]]] = [
        ((section, index), item.evidence) for (section, index), item in briefing.items()
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
) -> Iterator[tuple[tuple[str | int, ...], Date | Quantity | Money]]:
    """Every date, quantity and sum in an item (its evidence aside) with its sub-path."""
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), item)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, Date | Quantity | Money):
            yield path, value
        elif isinstance(value, BaseModel):
            # Only the fields that can hold a date, quantity or sum (in the order of the
            # full walk): most of an item never can.
            for name in reporting_fields(type(value)):
                field_value = getattr(value, name)
                if field_value is not None:
                    stack.append((path + (name,), field_value))
        elif isinstance(value, list):
            stack.extend((path + (i,), v) for i, v in enumerate(value))


def walk_reported(item: BaseModel) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every as-reported string of an item (quantities, money, dates) with its sub-path."""
    for path, value in walk_values(item):
        if value.reported is not None:
            yield path + ("reported",), value.reported


_REPORTED = (Date, Quantity, Money)
_reporting: dict[type[BaseModel], tuple[str, ...]] = {}


def reporting_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of a model (evidence aside) whose values can hold a Date, Quantity or Money."""
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
    stack: list[object] = [
        getattr(item, name) for name in type(item).model_fields if name != "evidence"
    ]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            parts.append(value)
        elif isinstance(value, BaseModel):
            stack.extend(getattr(value, name) for name in type(value).model_fields)
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
