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
from typing import Annotated, Any, ClassVar, Literal
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from .safe_text import clip
from .sections import KEYS, TITLES

SCHEMA_VERSION = 1

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


class Model(BaseModel):
    """Base for every model: unknown keys are errors, values are never coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def parse_date_value(value: str) -> tuple[dt.date, str]:
    """Return the first day a date value covers and its precision (year, month or day)."""
    parts = [int(p) for p in value.split("-")]
    precision = ("year", "month", "day")[len(parts) - 1]
    return dt.date(parts[0], *(parts[1:] + [1] * (3 - len(parts)))), precision


def _last_day(value: str) -> dt.date:
    first, precision = parse_date_value(value)
    if precision == "day":
        return first
    if precision == "year":
        return dt.date(first.year, 12, 31)
    following = dt.date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


class Date(Model):
    """A date as reported, its value at year, month or day precision, and how it was got."""

    reported: ShortText | None = Field(
        None, description='The words of the source: "on Wednesday", "next year".'
    )
    value: DateValue | None = Field(None, description="Start (or only) date; null if unknown.")
    end: DateValue | None = Field(None, description="Last date of a span, same form.")
    inferred: bool = Field(False, description="True when the value is not stated in the text.")
    basis: ShortText | None = Field(None, description="Why an inferred value is what it is.")

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
    """A count as reported: "over 1,000 troops" is more_than 1000 troops."""

    value: int | float | None = Field(None, description="Null when the source gives no number.")
    qualifier: Qualifier = "exact"
    unit: ShortText | None = Field(None, description="What is counted: troops, battle tanks.")
    reported: ShortText | None = Field(None, description="The words of the source.")

    @model_validator(mode="after")
    def _check(self) -> Quantity:
        if (self.value is None) != (self.qualifier == "unknown"):
            raise ValueError("qualifier is 'unknown' exactly when there is no value")
        if self.value is not None and self.value < 0:
            raise ValueError("a quantity cannot be negative")
        return self


class Money(Model):
    """A sum of money as reported, with an ISO 4217 currency."""

    value: int | float | None = None
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] | None = None
    qualifier: Qualifier = "exact"
    reported: ShortText | None = Field(None, description='The words of the source: "$7.7 billion".')
    inferred: bool = Field(False, description="True when value or currency is not stated as is.")
    basis: ShortText | None = None

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
    """Evidence: an exact quote in a source, after the W3C TextQuoteSelector."""

    quote: Annotated[str, StringConstraints(min_length=1, max_length=5_000)]
    paragraph: Annotated[int, Field(ge=1)] | None = Field(
        None, description="Paragraph number (blank-line separated blocks, from 1)."
    )
    prefix: Annotated[str, StringConstraints(max_length=500)] | None = None
    suffix: Annotated[str, StringConstraints(max_length=500)] | None = None
    source: Slug | None = Field(None, description="Source id; needed only with several sources.")

    @model_validator(mode="after")
    def _check(self) -> Anchor:
        if not self.quote.strip():
            raise ValueError("quote is only whitespace")
        return self


Reliability = Literal["A", "B", "C", "D", "E", "F"]


class Source(Model):
    """A source text the briefing cites."""

    id: Slug
    path: Annotated[str, StringConstraints(min_length=1, max_length=1_000)] = Field(
        description="Relative to the briefing file, inside the briefing's tree."
    )
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    title: ShortText
    outlet: ShortText | None = None
    published: Date | None = None
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
    reliability: Reliability = Field(description="Admiralty grade A (reliable) to F (unknown).")
    reliability_basis: ShortText | None = None
    url: ShortText | None = None
    inferred: dict[str, ShortText] = Field(
        default_factory=dict, description="Fields not stated in the text, each with its basis."
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
    """A defect of the source text itself."""

    kind: SourceNoteKind
    note: LongText
    evidence: list[Anchor] = Field(default_factory=list)


class Item(Model):
    """Fields every briefing item has."""

    section: ClassVar[str] = ""
    id: Slug
    evidence: list[Anchor] = Field(min_length=1)
    attributed_to: Slug | None = Field(None, description="Party the source attributes it to.")
    confidence: Confidence
    notes: LongText | None = None
    inferred: dict[str, ShortText] = Field(
        default_factory=dict, description="Fields the analyst added, each with its basis."
    )

    @model_validator(mode="after")
    def _check_inferred(self) -> Item:
        for name in self.inferred:
            if name not in type(self).model_fields or name in ("id", "evidence", "inferred"):
                raise ValueError(f"inferred names {name!r}, which is not a field of this item")
        return self

    @property
    def label(self) -> str:
        return self.id


PartyKind = Literal["state", "organisation", "military", "person", "group"]


class Party(Item):
    section: ClassVar[str] = "parties"
    kind: PartyKind
    name: ShortText
    aliases: list[ShortText] = Field(default_factory=list)
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] | None = Field(
        None, description="ISO 3166-1 alpha-2."
    )
    role: ShortText | None = Field(None, description="Role or title as reported.")
    affiliation: Slug | None = Field(None, description="Party id this one belongs to.")
    wikidata: Annotated[str, StringConstraints(pattern=r"^Q[1-9][0-9]*$")] | None = None

    @field_validator("country")
    @classmethod
    def _known_country(cls, code: str | None) -> str | None:
        if code is not None and code not in COUNTRY_CODES:
            raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-2 country code")
        return code

    @property
    def label(self) -> str:
        return self.name


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
    section: ClassVar[str] = "agreements"
    title: ShortText
    parties: list[Slug] = Field(min_length=1)
    status: AgreementStatus
    date: Date | None = None
    terms: LongText = Field("undisclosed", description='What was agreed, or "undisclosed".')

    @property
    def label(self) -> str:
        return self.title


class Contribution(Model):
    """What one party brought to a drill."""

    party: Slug
    equipment: ShortText = Field(description="Type: troops, battle tank, helicopter gunship.")
    designation: ShortText | None = Field(None, description="Model as reported: Mi-8 AMTSh.")
    quantity: Quantity


class Drill(Item):
    section: ClassVar[str] = "drills"
    name: ShortText | None = Field(None, description="Null when the source does not name it.")
    framework: Slug | None = Field(None, description="Organisation party it is held under.")
    location: ShortText | None = None
    date: Date | None = None
    participants: list[Slug] = Field(min_length=1)
    contributions: list[Contribution] = Field(default_factory=list)

    @property
    def label(self) -> str:
        if self.name:
            return self.name
        where = self.location or (self.date.reported or self.date.value if self.date else None)
        return f"Unnamed drill ({where})" if where else f"Unnamed drill ({self.id})"


class SaleLine(Model):
    """One kind of equipment in an arms sale."""

    equipment: ShortText
    designation: ShortText | None = None
    quantity: Quantity | None = None


ArmsSaleStatus = Literal[
    "proposed", "negotiating", "contracted", "delivering", "delivered", "cancelled"
]


class ArmsSale(Item):
    section: ClassVar[str] = "arms_sales"
    title: ShortText
    supplier: Slug
    recipient: Slug | None = Field(None, description="Null when the source does not say.")
    recipient_reported: ShortText | None = Field(None, description='As reported: "global clients".')
    items: list[SaleLine] = Field(default_factory=list)
    value: Money | None = None
    period: Date | None = None
    status: ArmsSaleStatus

    @property
    def label(self) -> str:
        return self.title


EventKind = Literal[
    "meeting", "summit", "visit", "consultation", "celebration", "talks", "ceremony", "other"
]


class Event(Item):
    section: ClassVar[str] = "events"
    kind: EventKind
    title: ShortText
    date: Date | None = None
    location: ShortText | None = None
    participants: list[Slug] = Field(default_factory=list)
    status: Literal["held", "planned", "cancelled"]

    @property
    def label(self) -> str:
        return self.title


class Statement(Item):
    section: ClassVar[str] = "statements"
    speaker: Slug
    text: LongText
    mode: Literal["direct", "paraphrase"] = Field(description="A direct quote or a paraphrase.")
    date: Date | None = None
    about: list[Slug] = Field(default_factory=list, description="Ids of items it concerns.")

    @property
    def label(self) -> str:
        return self.text


AnyItem = Party | Agreement | Drill | ArmsSale | Event | Statement

# (section key, model, title): the order sections are shown and numbered in.
_MODELS: dict[str, type[Item]] = {
    model.section: model for model in (Party, Agreement, Drill, ArmsSale, Event, Statement)
}
SECTIONS: tuple[tuple[str, type[Item], str], ...] = tuple(
    (key, _MODELS[key], TITLES[key]) for key in KEYS
)


class Briefing(Model):
    """A structured briefing of one or more sources."""

    schema_version: Literal[1] = Field(alias="schema", description="Format version: 1.")
    id: Slug
    title: ShortText
    summary: LongText = Field(description="Bottom line up front.")
    sources: list[Source] = Field(min_length=1)
    source_notes: list[SourceNote] = Field(default_factory=list)
    parties: list[Party] = Field(default_factory=list)
    agreements: list[Agreement] = Field(default_factory=list)
    drills: list[Drill] = Field(default_factory=list)
    arms_sales: list[ArmsSale] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    statements: list[Statement] = Field(default_factory=list)

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=True)

    def items(self) -> Iterator[tuple[tuple[str | int, ...], Item]]:
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


def _refs(item: Item) -> Iterator[tuple[tuple[str | int, ...], str, str]]:
    """Each (sub-path, id, wanted section or "any") a model item refers to."""
    if item.attributed_to is not None:
        yield ("attributed_to",), item.attributed_to, "parties"
    match item:
        case Party():
            if item.affiliation is not None:
                yield ("affiliation",), item.affiliation, "parties"
        case Agreement():
            for i, ref in enumerate(item.parties):
                yield ("parties", i), ref, "parties"
        case Drill():
            if item.framework is not None:
                yield ("framework",), item.framework, "parties"
            for i, ref in enumerate(item.participants):
                yield ("participants", i), ref, "parties"
            for i, c in enumerate(item.contributions):
                yield ("contributions", i, "party"), c.party, "parties"
        case ArmsSale():
            yield ("supplier",), item.supplier, "parties"
            if item.recipient is not None:
                yield ("recipient",), item.recipient, "parties"
        case Event():
            for i, ref in enumerate(item.participants):
                yield ("participants", i), ref, "parties"
        case Statement():
            yield ("speaker",), item.speaker, "parties"
            for i, ref in enumerate(item.about):
                yield ("about", i), ref, "any"


def references(item: Item) -> list[tuple[tuple[str | int, ...], str, str]]:
    """Public form of the reference walk: (sub-path, id, wanted section)."""
    return list(_refs(item))


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
        for sub, ref, wanted in _refs(item):
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
        (loc, item.evidence) for loc, item in briefing.items()
    ]
    anchored += [(("source_notes", i), n.evidence) for i, n in enumerate(briefing.source_notes)]
    for loc, anchors in anchored:
        for j, anchor in enumerate(anchors):
            if anchor.source is not None and anchor.source not in source_ids:
                hint = closest(anchor.source, source_ids)
                problems.append(
                    Problem(
                        loc + ("evidence", j, "source"),
                        f"unknown source id {anchor.source!r}"
                        + (f"; did you mean {hint!r}?" if hint else _one_of(source_ids)),
                    )
                )
            elif anchor.source is None and len(briefing.sources) > 1:
                problems.append(
                    Problem(
                        loc + ("evidence", j),
                        "this briefing has several sources: name one with 'source:'"
                        + _one_of(source_ids),
                    )
                )
    problems.extend(_affiliation_cycles(briefing))
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


def walk_reported(item: Item) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every as-reported string of an item (quantities, money, dates) with its sub-path."""
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), item)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, Date | Quantity | Money):
            if value.reported is not None:
                yield path + ("reported",), value.reported
        elif isinstance(value, BaseModel):
            # Only the fields that can hold a date, quantity or sum (in the order of the
            # full walk): most of an item never can.
            for name in reporting_fields(type(value)):
                field_value = getattr(value, name)
                if field_value is not None:
                    stack.append((path + (name,), field_value))
        elif isinstance(value, list):
            stack.extend((path + (i,), v) for i, v in enumerate(value))


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
    schema["$id"] = "https://briefing.invalid/schema/briefing-1.schema.json"
    return schema


_SLUG_RE = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """A slug for an id made from free text."""
    return _SLUG_RE.sub("-", text.lower()).strip("-")[:100] or "item"
