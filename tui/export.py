"""Exporting a loaded briefing: Markdown for people, JSON and STIX 2.1 for tools.

No UI here. Each exporter takes a `Loaded` briefing and returns text; `files.write_atomically`
puts it in a file without ever leaving half a file behind.

Markdown
    Title, bottom line, the source (outlet, date, Admiralty reliability with its basis, what
    the analyst inferred), notes on the source text, then every section with every item in
    plain language. Each item's evidence is footnoted: `[^n]: "quote" (source title, ¶12)`.
    Text from the briefing is backslash-escaped where Markdown would read it as markup, and
    the whole document passes through `safe_text.clean` (so it is safe to print).

JSON (`"format": "briefing-export"`, `"version": 1`)::

    {
      "format": "briefing-export", "version": 1,
      "schema": 2,                      # the briefing format version (1 or 2)
      "id": "...",
      "sources": [{"id", "path", "title",
                   "sha256",            # pinned in the briefing
                   "sha256_read",       # of the file as read now
                   "changed",           # true when they differ (anchors were relocated)
                   "paragraphs"}],      # how many paragraphs the source has
      "briefing": {...}                 # the validated model, field names as in the YAML,
    }

    A version 1 briefing's dump leaves out the fields and sections new in format 2 that it
    does not use, so its export is what it was before they existed.

    Every anchor (`evidence` of items and of source notes) inside "briefing" gains a
    "resolved" member: null when it does not resolve, else
    `{"source", "status": "resolves"|"moved", "paragraph", "start", "end", "text_start",
    "text_end", "text"}`. start/end are offsets into the paragraph's text, text_start/text_end
    into the whole source text; both count Unicode code points of the text after the
    byte-order mark is dropped and CRLF/CR line ends are read as LF. `text` is the exact
    slice, which equals the quote up to whitespace runs (or, for a quote relocated after the
    source changed, the words now standing there).

STIX 2.1 (a bundle; every id a uuid5 of the briefing id and the item id, every timestamp the
source's publication date, so exporting twice gives the same bytes)
    - Report: title, summary, published = the first source's publication date (else the
      earliest item date, else 1970-01-01), object_refs = every other object, an external
      reference per source (title, outlet, reliability, url, sha256 in `hashes`).
    - Identity per party. identity_class from kind: person -> individual,
      group -> group, organisation -> organization, state -> organization with sector
      government-national, military -> organization with sectors defense and
      government-national. role -> roles; aliases, country and kind go in the description;
      wikidata -> an external reference.
    - Location per country named by a party (id from the country code alone, so bundles of
      several briefings share it), with a `located-at` Relationship from the party.
    - Location per place (format 2): name, description (its names in every script, kind,
      precision in words), country, region, latitude and longitude; a precision given in
      km becomes `precision` in metres, a word ("city") stays in the description. Each item
      naming a place has a `located-at` Relationship to it.
    - Relationship per relationship between parties (format 2): STIX defines none between
      two identities beyond `related-to`, so every kind is `related-to` from party to other,
      labelled `["relationship", "<kind>"]` ("member-of") and described in words; start ->
      `start_time` (the first day it covers), stop -> `stop_time` (the last moment of the
      last day it covers); dates given only in words are left out of both.
    - Grouping (context "unspecified") per agreement, drill, arms sale and event, its
      object_refs the parties it names; Note per statement (content = the statement,
      authors = the speaker's name, object_refs = speaker and the items it is about); Note
      per source note, referring to the Report.
    - Relationship `related-to` from each party to each item naming it, its description the
      role (participant, supplier, speaker...), and from a party to its affiliation
      ("member of").
    - confidence: from the item's credibility when it has one (1 90, 2 70, 3 50, 4 30,
      5 10, 6 none: STIX 2.1 appendix A's Admiralty Credibility), else from how plainly it
      is stated: high/plainly 85, moderate/unclearly 50, low/implied 15 (Low/Med/High).
    - Format 2: the TLP 2.0 marking-definition (the official OASIS object and id) first in
      the bundle and in every other object's object_marking_refs; an identity for the
      analyst, every object's created_by_ref; created/modified from the briefing's.
    - Each object's description is its plain-language detail; its external_references cite
      each quote with its paragraph and the source's sha256.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from typing import Any

from .describe import (
    DetailRow,
    claim_source,
    claim_value,
    describe,
    evidence_starts,
    format_date,
)
from .links import Links, role_name
from .loader import Evidence, Loaded
from .safe_text import clean, clip, is_clean
from .schema import (
    PART_OF,
    RELATIONSHIP_WORDS,
    SECTIONS,
    Briefing,
    Date,
    Item,
    Party,
    Place,
    Relationship,
    Source,
    Statement,
    parse_date_value,
    parse_timestamp,
    references,
)
from .schema import _last_day as last_day
from .sections import SECTIONS as REGISTRY
from .source import flatten
from .versions import dump_for_version

FORMATS = ("markdown", "json", "stix")
EXPORT_VERSION = 1

ADMIRALTY = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "reliability cannot be judged",
}


LOST_NOTE = "quote lost: the source changed"
"""Said of a quote in place of its paragraph when the briefing was read after its source
changed and the quote is no longer found (BriefingError.openable): never a paragraph."""


def _source_by_id(briefing: Briefing) -> dict[str, Source]:
    return {s.id: s for s in briefing.sources}


# --- Markdown -------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>&$#~|])")


def md(text: str) -> str:
    """Inline Markdown for untrusted text: whitespace runs to one space, markup escaped."""
    return _MD_SPECIAL.sub(r"\\\1", flatten(text))


def _merge_rows(rows: list[DetailRow]) -> list[tuple[str, list[str]]]:
    """Rows with an empty label continue the one before: (label, texts)."""
    merged: list[tuple[str, list[str]]] = []
    for row in rows:
        if row.quote:
            continue
        if row.label or not merged:
            merged.append((row.label or "", [row.text]))
        else:
            merged[-1][1].append(row.text)
    return merged


class _Footnotes:
    def __init__(self, loaded: Loaded) -> None:
        self.loaded = loaded
        self.notes: list[str] = []
        self.titles = {s.id: s.title for s in loaded.briefing.sources}

    def cite(self, evidence: Evidence) -> str:
        """A footnote for a resolved anchor; returns "¶12[^n]"."""
        anchor, span = evidence.anchor, evidence.span
        paragraph = span.paragraph if span else anchor.paragraph
        where = f"¶{paragraph}" if paragraph else "¶?"
        title = self.titles.get(evidence.source, evidence.source)
        if evidence.lost:  # a briefing read after its source changed: cite no paragraph
            where = "¶?"
            self.notes.append(f"“{md(anchor.quote)}” ({md(title)}, {LOST_NOTE})")
        else:
            self.notes.append(f"“{md(anchor.quote)}” ({md(title)}, {where})")
        return f"{where}[^{len(self.notes)}]"

    def render(self) -> list[str]:
        return [f"[^{n}]: {note}" for n, note in enumerate(self.notes, 1)]


def _item_lines(item: Item, links: Links, notes: _Footnotes) -> list[str]:
    """One item as a Markdown heading and its fields, evidence footnoted."""
    out = [f"### {md(_clip(links.name(item.id), 100))}", ""]
    for label, texts in _merge_rows(describe(item, links)):
        if len(texts) == 1:
            out.append(f"- **{md(label)}:** {md(texts[0])}")
        else:  # one line each: joined with "; ", texts ending in a full stop read ".;"
            out.append(f"- **{md(label)}:**")
            out.extend(f"  - {md(t)}" for t in texts)
    cites = ", ".join(notes.cite(e) for e in links.evidence(item.id))
    return [*out, f"- **Evidence:** {cites}", ""]


def item_markdown(loaded: Loaded, links: Links, item_id: str) -> str:
    """One item of a briefing as Markdown, its quotes footnoted (the reader's export of it)."""
    notes = _Footnotes(loaded)
    out = _item_lines(links.items[item_id], links, notes)
    out += ["---", "", *notes.render(), ""]
    return clean("\n".join(out), keep_lines=True)


def to_markdown(loaded: Loaded) -> str:
    """A readable briefing with every item's evidence footnoted by quote and paragraph."""
    briefing = loaded.briefing
    links = Links.build(loaded)
    notes = _Footnotes(loaded)
    summary = md(briefing.summary)
    # A summary that already opens with its label is not labelled twice.
    lead = "" if summary.casefold().startswith("bottom line") else "**Bottom line.** "
    out: list[str] = [f"# {md(briefing.title)}", ""]
    if briefing.tlp:  # TLP 2.0: the label first, where a reader sees it before the text
        out += [f"**{tlp_label(briefing.tlp)}**", ""]
    provenance = _provenance(briefing)
    if provenance:
        out += [md(provenance), ""]
    out += [lead + summary, ""]
    out += ["## Sources" if len(briefing.sources) > 1 else "## Source", ""]

    for source in briefing.sources:
        outlet = md(source.outlet) if source.outlet else "outlet not stated"
        published = md(format_date(source.published)) if source.published else "date not stated"
        out.append(f"**{md(source.title)}**, {outlet}, published {published}.")
        out.append("")
        grade = f"**{source.reliability}** ({ADMIRALTY[source.reliability]})"
        out.append(
            f"- **Reliability:** {grade}"
            + (f". {md(source.reliability_basis)}" if source.reliability_basis else "")
        )
        out.append(f"- **Language:** {md(source.language)}")
        if source.url:
            out.append(f"- **URL:** {md(source.url)}")
        out.append(f"- **File:** {md(source.path)} (sha256 {source.sha256})")
        for name, basis in source.inferred.items():
            out.append(f"- **Inferred {md(name.replace('_', ' '))}:** {md(basis)}")
        out.append("")
    if briefing.source_notes:
        out += ["### Notes on the source text", ""]
        for note, resolved in zip(briefing.source_notes, loaded.note_evidence, strict=True):
            cites = ", ".join(notes.cite(e) for e in resolved)
            line = f"- **{md(note.kind.replace('_', ' '))}:** {md(note.note)}"
            out.append(line + (f" ({cites})" if cites else ""))
        out.append("")
    for key, _model, title in SECTIONS:
        items: list[Item] = getattr(briefing, key)
        if not items:
            continue
        out += [f"## {title} ({len(items)})", ""]
        for item in items:
            out += _item_lines(item, links, notes)
    footnotes = notes.render()
    if footnotes:
        out += ["---", "", *footnotes, ""]
    return clean("\n".join(out), keep_lines=True)


def tlp_label(tlp: str) -> str:
    """The TLP 2.0 label as written on a document: TLP:AMBER+STRICT."""
    return f"TLP:{tlp.upper()}"


def _provenance(briefing: Briefing) -> str:
    """'Analyst: J. Doe; created 2014-11-06T09:30Z; modified 2014-11-07', or ''."""
    parts = []
    if briefing.analyst:
        parts.append(f"Analyst: {flatten(briefing.analyst)}")
    if briefing.created:
        parts.append(f"created {briefing.created}")
    if briefing.modified:
        parts.append(f"modified {briefing.modified}")
    return "; ".join(parts)


# --- JSON -------------------------------------------------------------------------------------


_NOT_ASCII = re.compile(r"[^\x20-\x7e\n]")


def _escape_unsafe(match: re.Match[str]) -> str:
    character = match.group()
    if is_clean(character):
        return character
    code = ord(character)
    if code > 0xFFFF:  # JSON escapes astral characters as a surrogate pair
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def dumps(data: Any) -> str:
    """JSON that is safe on a terminal and loses nothing: unsafe characters become escapes."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    # json.dumps escapes C0 controls; outside strings there is only ASCII and the indenting
    # newlines, so any other unsafe character stands inside a string, where an escape means
    # the same.
    return _NOT_ASCII.sub(_escape_unsafe, text) + "\n"


def _resolved(evidence: Evidence, loaded: Loaded) -> dict[str, Any] | None:
    span = evidence.span
    text = loaded.sources.get(evidence.source)
    if span is None or text is None:
        return None
    paragraph = text.paragraph(span.paragraph)
    return {
        "source": evidence.source,
        "status": evidence.status,
        "paragraph": span.paragraph,
        "start": span.start,
        "end": span.end,
        "text_start": paragraph.start + span.start,
        "text_end": paragraph.start + span.end,
        "text": paragraph.text[span.start : span.end],
    }


def to_data(loaded: Loaded) -> dict[str, Any]:
    """The JSON export as plain data (see the module docstring for its shape)."""
    briefing = loaded.briefing
    dumped = dump_for_version(
        briefing.model_dump(mode="json", by_alias=True), briefing.schema_version
    )
    for key, _model, _title in SECTIONS:
        for item, data in zip(getattr(briefing, key), dumped.get(key, []), strict=True):
            stream = iter(loaded.evidence[item.id])
            # Claims' and attributions' anchors follow the item's own, in anchor_groups order.
            for sub, anchors in item.anchor_groups():
                node: Any = data
                for part in sub:
                    node = node[part]
                for _anchor, anchor_data in zip(anchors, node["evidence"], strict=True):
                    anchor_data["resolved"] = _resolved(next(stream), loaded)
    for resolved, data in zip(loaded.note_evidence, dumped["source_notes"], strict=True):
        for evidence, anchor_data in zip(resolved, data["evidence"], strict=True):
            anchor_data["resolved"] = _resolved(evidence, loaded)
    sources = []
    for source in briefing.sources:
        text = loaded.sources.get(source.id)
        sources.append(
            {
                "id": source.id,
                "path": source.path,
                "title": source.title,
                "sha256": source.sha256,
                "sha256_read": text.digest if text else None,
                "changed": bool(text and text.digest != source.sha256),
                "paragraphs": len(text.paragraphs) if text else 0,
            }
        )
    return {
        "format": "briefing-export",
        "version": EXPORT_VERSION,
        "schema": briefing.schema_version,
        "id": briefing.id,
        "sources": sources,
        "briefing": dumped,
    }


def to_json(loaded: Loaded) -> str:
    return dumps(to_data(loaded))


# --- STIX 2.1 -------------------------------------------------------------------------------

STIX_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://briefing.invalid/stix/2.1")
CONFIDENCE = {"high": 85, "moderate": 50, "low": 15}
CONFIDENCE_OF_STATED = {"plainly": 85, "unclearly": 50, "implied": 15}
ADMIRALTY_CONFIDENCE = {1: 90, 2: 70, 3: 50, 4: 30, 5: 10}
"""Information credibility as STIX confidence (STIX 2.1 appendix A, the Admiralty
Credibility scale); 6, truth cannot be judged, has no confidence value."""
TLP_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
TLP_MARKINGS = {
    "clear": "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    "green": "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    "amber": "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    "amber+strict": "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    "red": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}
"""The official TLP 2.0 marking-definition ids (OASIS cti-stix-common-objects, tlp-2.0)."""


def tlp_marking(tlp: str) -> dict[str, Any]:
    """The official TLP 2.0 marking-definition object, exactly as OASIS publishes it."""
    return {
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": TLP_MARKINGS[tlp],
        "created": "2022-10-01T00:00:00.000Z",
        "name": tlp_label(tlp),
        "extensions": {
            TLP_EXTENSION: {"extension_type": "property-extension", "tlp_2_0": tlp},
        },
    }


def _stix_confidence(item: Item) -> int | None:
    if item.credibility is not None:
        return ADMIRALTY_CONFIDENCE.get(item.credibility)
    if item.confidence is not None:
        return CONFIDENCE[item.confidence]
    return CONFIDENCE_OF_STATED[item.how_stated]


def _stix_time(text: str) -> str:
    """A briefing's ISO time as a STIX timestamp (UTC, milliseconds); a bare date is midnight."""
    moment = parse_timestamp(text)
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


IDENTITY = {
    "person": ("individual", []),
    "group": ("group", []),
    "organisation": ("organization", []),
    "state": ("organization", ["government-national"]),
    "military": ("organization", ["defense", "government-national"]),
}
KIND_LABEL = {section.key: section.stix_label for section in REGISTRY}
STIX_TYPE = {section.key: section.stix_type for section in REGISTRY}
"""The STIX object each section's items export as (the registry's): identity (parties only),
grouping or note."""


def stix_id(kind: str, *names: str) -> str:
    """A deterministic STIX id: uuid5 of the names joined by '/'."""
    return f"{kind}--{uuid.uuid5(STIX_NAMESPACE, '/'.join(names))}"


def _timestamp(value: str) -> str:
    first, _precision = parse_date_value(value)
    return first.strftime("%Y-%m-%dT00:00:00.000Z")


def _stop_timestamp(date: Date) -> str:
    """The last moment a date covers: a relationship that stopped "in 2014" held until the
    end of 2014 at the latest (STIX stop_time is the latest time it exists)."""
    last = last_day(date.end or date.value or "")
    return last.strftime("%Y-%m-%dT23:59:59.999Z")


def _published(briefing: Briefing, links: Links) -> str:
    for source in briefing.sources:
        if source.published is not None and source.published.value is not None:
            return _timestamp(source.published.value)
    timeline = links.timeline()
    if timeline and timeline[0][0].value is not None:
        return _timestamp(timeline[0][0].value)
    return dt.datetime(1970, 1, 1).strftime("%Y-%m-%dT00:00:00.000Z")


def _description(rows: list[DetailRow]) -> str:
    return "\n".join(
        f"{label}: {'; '.join(texts)}" if label else "; ".join(texts)
        for label, texts in _merge_rows(rows)
    )


def _clip(text: str, limit: int = 200) -> str:
    return clip(flatten(text), limit)


def to_stix_bundle(loaded: Loaded) -> dict[str, Any]:
    """A STIX 2.1 bundle of the briefing (see the module docstring for the mapping)."""
    briefing = loaded.briefing
    links = Links.build(loaded)
    bid = briefing.id
    sources = _source_by_id(briefing)
    stamp = _published(briefing, links)
    common: dict[str, Any] = {"spec_version": "2.1", "created": stamp, "modified": stamp}
    if briefing.created:  # the briefing's own times, when it gives them
        created = _stix_time(briefing.created)
        modified = _stix_time(briefing.modified) if briefing.modified else created
        common.update(created=created, modified=max(created, modified))
    analyst_id = stix_id("identity", bid, "analyst") if briefing.analyst else None
    if analyst_id:
        common["created_by_ref"] = analyst_id
    if briefing.tlp:
        common["object_marking_refs"] = [TLP_MARKINGS[briefing.tlp]]
    report_id = stix_id("report", bid)
    object_ids: dict[str, str] = {}  # item id -> STIX id
    for (section, _i), item in briefing.items():
        object_ids[item.id] = stix_id(STIX_TYPE[section], bid, item.id)

    def evidence_refs(resolved: list[Evidence]) -> list[dict[str, Any]]:
        refs = []
        for evidence in resolved:
            anchor, span = evidence.anchor, evidence.span
            source = sources[evidence.source]
            paragraph = span.paragraph if span else anchor.paragraph
            where = LOST_NOTE if evidence.lost else f"¶{paragraph or '?'}"
            ref: dict[str, Any] = {
                "source_name": _clip(source.title, 100),
                "description": f'{where}: "{flatten(anchor.quote)}"',
                "hashes": {"SHA-256": source.sha256},
            }
            if source.url:
                ref["url"] = source.url
            refs.append(ref)
        return refs

    objects: list[dict[str, Any]] = []
    locations: dict[str, dict[str, Any]] = {}
    relationships: dict[str, dict[str, Any]] = {}

    def relate(source_ref: str, target_ref: str, kind: str, role: str, description: str) -> None:
        rid = stix_id("relationship", bid, source_ref, kind, role, target_ref)
        relationships.setdefault(
            rid,
            {
                "type": "relationship",
                "id": rid,
                **common,
                "relationship_type": kind,
                "description": description,
                "source_ref": source_ref,
                "target_ref": target_ref,
            },
        )

    for (section, _i), item in briefing.items():
        oid = object_ids[item.id]
        confidence = _stix_confidence(item)
        base: dict[str, Any] = {
            "id": oid,
            **common,
            **({} if confidence is None else {"confidence": confidence}),
            "labels": [KIND_LABEL[section]],
            "external_references": evidence_refs(loaded.evidence[item.id]),
        }
        description = _description(describe(item, links))
        party_refs = list(
            dict.fromkeys(
                ref for _sub, ref, wanted in references(item) if wanted in ("parties", "places")
            )
        )
        stix_type = STIX_TYPE[section]
        if stix_type == "identity":
            if not isinstance(item, Party):
                raise TypeError(f"section {section!r}: a STIX identity is made of parties only")
            identity_class, sectors = IDENTITY[item.kind]
            obj = {"type": "identity", **base, "name": item.name}
            obj["description"] = description
            obj["identity_class"] = identity_class
            if sectors:
                obj["sectors"] = sectors
            if item.role:
                obj["roles"] = [item.role]
            obj["labels"] = [item.kind]
            if item.wikidata:
                obj["external_references"].append(
                    {
                        "source_name": "wikidata",
                        "external_id": item.wikidata,
                        "url": f"https://www.wikidata.org/wiki/{item.wikidata}",
                    }
                )
            if item.country:
                lid = stix_id("location", "country", item.country)
                locations.setdefault(
                    lid,
                    {"type": "location", "id": lid, **common, "country": item.country},
                )
                relate(oid, lid, "located-at", "country", f"{item.name}: country {item.country}")
            if item.affiliation and item.affiliation in object_ids:
                relate(
                    oid,
                    object_ids[item.affiliation],
                    "related-to",
                    "member",
                    f"{item.name} is a member of {links.name(item.affiliation)}",
                )
        elif stix_type == "note":
            extra: dict[str, Any] = {}
            if isinstance(item, Statement):
                refs = [object_ids[item.speaker]] + [
                    object_ids[r] for r in item.about if r in object_ids
                ]
                said = "said" if item.mode == "direct" else "paraphrased"
                abstract = _clip(f"{links.name(item.speaker)} ({said}): {item.text}")
                extra["authors"] = [links.name(item.speaker)]
            else:
                refs = [object_ids[r] for _sub, r, _w in references(item) if r in object_ids]
                abstract = _clip(item.label)
            obj = {
                "type": "note",
                **base,
                "abstract": abstract,
                "content": description,
                **extra,
                "object_refs": list(dict.fromkeys(refs)) or [report_id],
            }
        elif stix_type == "grouping":
            refs = [object_ids[r] for r in party_refs if r in object_ids]
            obj = {
                "type": "grouping",
                **base,
                "name": _clip(item.label, 250),
                "description": description,
                "context": "unspecified",
                "object_refs": refs or [report_id],
            }
        elif stix_type == "location":
            if not isinstance(item, Place):
                raise TypeError(f"section {section!r}: a STIX location is made of places only")
            obj = {"type": "location", **base, "name": _clip(item.name, 250)}
            obj["description"] = description
            if item.country:
                obj["country"] = item.country
            if item.region:
                obj["region"] = item.region
            if item.coordinates:
                obj["latitude"] = float(item.coordinates.latitude)
                obj["longitude"] = float(item.coordinates.longitude)
                precision = item.coordinates.precision
                # STIX precision is metres; a word ("city") has no number, and stays in the
                # description rather than be given one the briefing does not state.
                if not isinstance(precision, str):
                    obj["precision"] = float(precision) * 1000
        elif stix_type == "relationship":
            if not isinstance(item, Relationship):
                raise TypeError(
                    f"section {section!r}: a STIX relationship is made of relationships"
                )
            words = RELATIONSHIP_WORDS[item.kind]
            said = f"{links.name(item.party)}: {words.forward.lower()} {links.name(item.other)}"
            # STIX 2.1 defines no relationship between two identities beyond related-to: the
            # kind goes in the labels and the description, never a custom relationship_type.
            obj = {
                "type": "relationship",
                **base,
                "labels": [KIND_LABEL[section], item.kind.replace("_", "-")],
                "relationship_type": "related-to",
                "description": f"{said}\n{description}",
                "source_ref": object_ids[item.party],
                "target_ref": object_ids[item.other],
            }
            if item.start is not None and item.start.value is not None:
                obj["start_time"] = _timestamp(item.start.value)
            if item.stop is not None and item.stop.value is not None:
                obj["stop_time"] = _stop_timestamp(item.stop)
        else:
            raise ValueError(f"section {section!r}: no STIX mapping for {stix_type!r}")
        objects.append(obj)
        for _sub, ref, wanted in references(item):
            if wanted == "places" and ref in object_ids:
                relate(
                    oid,
                    object_ids[ref],
                    "located-at",
                    "place",
                    f"{_clip(item.label, 120)} at {links.name(ref)}",
                )
        # A STIX relationship joins objects, never other relationships: a relationship item's
        # parties are its own source_ref and target_ref.
        objects.extend(_claim_objects(item, oid, loaded, links, common, evidence_refs))
        objects.extend(_language_contents(item, oid, stamp, common))
        if not isinstance(item, Party | Relationship):
            for sub, ref, wanted in references(item):
                if wanted == PART_OF and ref in object_ids:
                    relate(
                        oid,
                        object_ids[ref],
                        "related-to",
                        "part of",
                        f"{_clip(item.label, 120)} is part of {_clip(links.name(ref), 120)}",
                    )
                elif wanted == "parties" and ref in object_ids:
                    role = role_name(item, sub)
                    relate(
                        object_ids[ref],
                        oid,
                        "related-to",
                        role,
                        f"{links.name(ref)} is {role} of {_clip(item.label, 120)}",
                    )
    for n, (note, resolved) in enumerate(
        zip(briefing.source_notes, loaded.note_evidence, strict=True)
    ):
        nid = stix_id("note", bid, "source-note", str(n))
        objects.append(
            {
                "type": "note",
                "id": nid,
                **common,
                "abstract": f"Source note: {note.kind.replace('_', ' ')}",
                "content": note.note,
                "labels": ["source-note"],
                "object_refs": [report_id],
                **({"external_references": evidence_refs(resolved)} if resolved else {}),
            }
        )
    objects += locations.values()
    objects += relationships.values()
    if analyst_id and briefing.analyst:
        objects.append(
            {
                "type": "identity",
                "id": analyst_id,
                **common,
                "name": _clip(briefing.analyst, 250),
                "description": "The analyst who wrote the briefing.",
                "roles": ["analyst"],
            }
        )
    report = {
        "type": "report",
        "id": report_id,
        **common,
        "name": briefing.title,
        "description": briefing.summary,
        "report_types": ["threat-report"],
        "published": stamp,
        # A language-content object is neither SDO, SRO nor SCO: a report cannot refer to it.
        "object_refs": [o["id"] for o in objects if o["type"] != "language-content"],
        "lang": briefing.sources[0].language,
        "external_references": [_source_reference(s) for s in briefing.sources],
    }
    markings = [tlp_marking(briefing.tlp)] if briefing.tlp else []
    return {
        "type": "bundle",
        "id": stix_id("bundle", bid),
        "objects": [*markings, report, *objects],
    }


OPINION = {
    "agreed": "agree",
    "corroborated": "strongly-agree",
    "conflict": "neutral",
    "disputed": "disagree",
}
"""An assessment's verdict as a STIX opinion of the item's claims on that fact."""


def _claim_objects(
    item: Item,
    oid: str,
    loaded: Loaded,
    links: Links,
    common: dict[str, Any],
    evidence_refs: Any,
) -> list[dict[str, Any]]:
    """A Note per claim (its value, who gives it and through whom, its quotes) and an Opinion
    per assessment, referring to the item and the claims it reads."""
    if not item.claims:
        return []
    bid = loaded.briefing.id
    starts = evidence_starts(item)
    resolved = loaded.evidence[item.id]
    objects: list[dict[str, Any]] = []
    by_field: dict[str, list[str]] = {}
    for i, claim in enumerate(item.claims):
        nid = stix_id("note", bid, item.id, "claim", str(i))
        by_field.setdefault(claim.field, []).append(nid)
        first = starts[("claims", i)]
        value = claim_value(claim)
        objects.append(
            {
                "type": "note",
                "id": nid,
                **common,
                "abstract": _clip(f"Claim on {claim.field.replace('_', ' ')}: {value}"),
                "content": f"{value}. Source: {claim_source(claim, links)}."
                + (f" {claim.notes}" if claim.notes else ""),
                "labels": ["claim"],
                "object_refs": [oid],
                "external_references": evidence_refs(resolved[first : first + len(claim.evidence)]),
            }
        )
    for assessment in item.assessments:
        explanation = f"{assessment.field.replace('_', ' ')}: {assessment.verdict}" + (
            f". {assessment.note}" if assessment.note else ""
        )
        objects.append(
            {
                "type": "opinion",
                "id": stix_id("opinion", bid, item.id, assessment.field),
                **common,
                "opinion": OPINION[assessment.verdict],
                "explanation": explanation,
                "labels": [assessment.verdict],
                "object_refs": [oid, *by_field.get(assessment.field, [])],
            }
        )
    return objects


def _language_contents(
    item: Item, oid: str, stamp: str, common: dict[str, Any]
) -> list[dict[str, Any]]:
    """A statement's original and translations, a party's tagged aliases: one
    language-content object of the item's own STIX object (its abstract, its name)."""
    contents: dict[str, dict[str, str]] = {}
    if isinstance(item, Statement):
        for words in ([item.original] if item.original else []) + item.translations:
            contents.setdefault(_stix_lang(words.lang), {"abstract": _clip(words.text)})
    elif isinstance(item, Party):
        for alias in item.aliases:
            if not isinstance(alias, str):
                contents.setdefault(_stix_lang(alias.lang), {"name": alias.name})
    if not contents:
        return []
    return [
        {
            "type": "language-content",
            "id": stix_id("language-content", oid),
            **common,
            "object_ref": oid,
            "object_modified": stamp,
            "contents": contents,
        }
    ]


def _stix_lang(tag: str) -> str:
    """A BCP 47 tag as a language-content key: language and region, the script dropped
    (zh-Hans -> zh). STIX's validator reads the keys against a list of language[-REGION]
    codes; the whole tag stays in the object's description."""
    parts = tag.split("-")
    region = [p for p in parts[1:] if len(p) == 2 and p.isalpha()]
    return "-".join([parts[0].lower(), *[r.upper() for r in region[:1]]])


def _source_reference(source: Source) -> dict[str, Any]:
    parts = [source.title]
    if source.outlet:
        parts.append(f"outlet: {source.outlet}")
    parts.append(f"reliability {source.reliability} ({ADMIRALTY[source.reliability]})")
    if source.reliability_basis:
        parts.append(source.reliability_basis)
    ref: dict[str, Any] = {
        "source_name": _clip(source.title, 100),
        "description": ". ".join(flatten(p) for p in parts),
        "external_id": source.path,
        "hashes": {"SHA-256": source.sha256},
    }
    if source.url:
        ref["url"] = source.url
    return ref


def to_stix(loaded: Loaded) -> str:
    return dumps(to_stix_bundle(loaded))


def export(loaded: Loaded, form: str) -> str:
    """The briefing in one of FORMATS."""
    if form == "markdown":
        return to_markdown(loaded)
    if form == "json":
        return to_json(loaded)
    if form == "stix":
        return to_stix(loaded)
    raise ValueError(f"unknown export format {form!r}; expected one of {', '.join(FORMATS)}")


__all__ = [
    "FORMATS",
    "export",
    "item_markdown",
    "to_data",
    "to_markdown",
    "to_stix_bundle",
]
