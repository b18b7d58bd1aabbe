"""The seed briefing: its source, every anchor, the facts it records, and the committed schema."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEED_BRIEFING, SEED_SOURCE
from tui.cli import main
from tui.loader import BriefingError, Loaded, load_briefing, parse_briefing
from tui.schema import Date, Item, json_schema, walk_reported
from tui.source import flatten

SEED_SHA256 = "fc06d7d8f26f9415336ab6878738f234257c32264f962b326d0aeaacc6022e01"
SHARED_SEED = ROOT.parent / "shared" / "seeds" / "000_6a6951fa72813674.txt"
SCHEMA_FILE = ROOT / "briefings" / "briefing.schema.json"


@pytest.fixture(scope="module")
def loaded() -> Loaded:
    return load_briefing(SEED_BRIEFING)


def by_id(loaded: Loaded, section: str, item_id: str) -> Item:
    items = {item.id: item for item in getattr(loaded.briefing, section)}
    assert item_id in items, f"{section} has no {item_id!r}; it has {sorted(items)}"
    return items[item_id]


# --- the source --------------------------------------------------------------------------------


def test_seed_source_has_the_agreed_digest() -> None:
    assert hashlib.sha256(SEED_SOURCE.read_bytes()).hexdigest() == SEED_SHA256


def test_seed_source_is_byte_identical_to_the_shared_seed() -> None:
    """Against ../shared when the checkout has it beside it (as CI does); in a clone without
    it, against the digest recorded from it, so the test never skips."""
    ours = SEED_SOURCE.read_bytes()
    if SHARED_SEED.exists():
        shared = SHARED_SEED.read_bytes()
        assert hashlib.sha256(shared).hexdigest() == SEED_SHA256
        assert ours == shared
    else:
        assert hashlib.sha256(ours).hexdigest() == SEED_SHA256


def test_briefing_names_the_seed_by_path_and_digest(loaded: Loaded) -> None:
    (source,) = loaded.briefing.sources
    assert source.path == "../seeds/russia-china-military-cooperation-2014.txt"
    assert source.sha256 == SEED_SHA256
    assert (SEED_BRIEFING.parent / source.path).resolve() == SEED_SOURCE.resolve()


def test_briefing_file_starts_with_the_schema_modeline() -> None:
    first = SEED_BRIEFING.read_text(encoding="utf-8").split("\n", 1)[0]
    assert first == "# yaml-language-server: $schema=briefing.schema.json"


# --- loading and anchoring ---------------------------------------------------------------------


def test_seed_loads_without_errors_or_warnings(loaded: Loaded) -> None:
    assert loaded.diagnostics == []
    assert loaded.warnings == []


def test_every_anchor_has_a_paragraph_and_resolves_to_its_quote(loaded: Loaded) -> None:
    source = loaded.sources["article"]
    checked = 0
    for _loc, item in loaded.briefing.items():
        resolved = loaded.evidence[item.id]
        assert len(resolved) == len(item.anchors())  # its own, then its claims' and chain's
        for evidence in resolved:
            assert evidence.anchor.paragraph is not None, f"{item.id}: anchor without paragraph"
            assert evidence.span is not None, f"{item.id}: {evidence.anchor.quote!r} unresolved"
            assert evidence.span.paragraph == evidence.anchor.paragraph
            text = source.paragraph(evidence.span.paragraph).text
            found = text[evidence.span.start : evidence.span.end]
            assert flatten(found) == flatten(evidence.anchor.quote), item.id
            checked += 1
    assert checked >= 35  # the seed has 39 item anchors; losing several is a regression


def test_every_source_note_anchor_resolves(loaded: Loaded) -> None:
    source = loaded.sources["article"]
    for note in loaded.briefing.source_notes:
        for anchor in note.evidence:
            assert anchor.paragraph is not None
            span = source.resolve(anchor)
            found = source.paragraph(span.paragraph).text[span.start : span.end]
            assert flatten(found) == flatten(anchor.quote)


def test_every_reported_string_stands_in_one_of_its_items_quotes(loaded: Loaded) -> None:
    for _loc, item in loaded.briefing.items():
        quotes = [flatten(a.quote) for a in item.evidence]
        for path, words in walk_reported(item):
            assert any(flatten(words) in q for q in quotes), (item.id, path, words)


def test_ids_are_unique_slugs_across_the_briefing(loaded: Loaded) -> None:
    ids = [item.id for _loc, item in loaded.briefing.items()]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9-]*", i) for i in ids)


# --- the tests can fail: the loader's checks bite on this very briefing ------------------------


def test_a_misquoted_anchor_is_an_error() -> None:
    raw = SEED_BRIEFING.read_text(encoding="utf-8")
    broken = raw.replace("quote: other SCO-members", "quote: other SCO members", 1)
    assert broken != raw
    with pytest.raises(BriefingError, match="not in the source"):
        parse_briefing(broken.encode(), SEED_BRIEFING)


def test_reported_words_outside_the_quotes_are_an_error() -> None:
    raw = SEED_BRIEFING.read_text(encoding="utf-8")
    broken = raw.replace('reported: "over 1,000 troops"', 'reported: "more than 1,000 troops"')
    assert broken != raw
    with pytest.raises(BriefingError, match="as-reported words"):
        parse_briefing(broken.encode(), SEED_BRIEFING)


def test_a_changed_digest_is_a_warning() -> None:
    raw = SEED_BRIEFING.read_text(encoding="utf-8")
    broken = raw.replace(SEED_SHA256, "0" * 64)
    assert broken != raw
    warnings = parse_briefing(broken.encode(), SEED_BRIEFING).warnings
    assert any("has changed since the briefing was written" in w.message for w in warnings)


# --- source metadata and notes -----------------------------------------------------------------


def test_publication_date_is_an_inferred_wednesday(loaded: Loaded) -> None:
    (source,) = loaded.briefing.sources
    published = source.published
    assert published is not None
    assert published.value == "2014-11-05" and published.inferred and published.basis
    assert dt.date(2014, 11, 5).strftime("%A") == "Wednesday"
    for cue in ("Wednesday", "Nov. 7-11", "5th Xi-Putin meeting in 2014"):
        assert cue in published.basis


def test_outlet_is_not_stated_as_fact(loaded: Loaded) -> None:
    (source,) = loaded.briefing.sources
    if source.outlet is not None:
        assert "outlet" in source.inferred
    assert source.reliability in "ABCDEF" and source.reliability_basis
    assert "Xinhua" in source.reliability_basis


def test_source_notes_record_the_texts_defects(loaded: Loaded) -> None:
    notes = loaded.briefing.source_notes
    kinds = {n.kind for n in notes}
    assert {"missing_word", "elided_name", "empty_lines", "stray_text"} <= kinds
    quotes = {a.quote for n in notes for a in n.evidence}
    assert "enhance mutual trust and between the two militaries" in quotes
    assert "said China's state agency ." in quotes
    assert "Categories:" in quotes
    assert "© Xinhua" in quotes


# --- sections and their facts ------------------------------------------------------------------


def test_every_section_has_items(loaded: Loaded) -> None:
    counts = loaded.briefing.counts()
    assert all(counts.values()), counts
    assert loaded.briefing.summary.strip()


def test_parties(loaded: Loaded) -> None:
    expected = {
        "russia": ("state", "RU", "Q159"),
        "china": ("state", "CN", "Q148"),
        "putin": ("person", "RU", "Q7747"),
        "xi-jinping": ("person", "CN", "Q15031"),
        "gerasimov": ("person", "RU", None),
        "wang-guanzhong": ("person", "CN", None),
        "russian-armed-forces": ("military", "RU", None),
        "pla": ("military", "CN", None),
        "russian-defense-ministry": ("organisation", "RU", None),
        "china-state-agency": ("organisation", "CN", None),
        "senior-military-officials": ("group", None, None),
        "sco": ("organisation", None, None),
        "apec": ("organisation", None, None),
    }
    for party_id, (kind, country, qid) in expected.items():
        party = by_id(loaded, "parties", party_id)
        assert (party.kind, party.country, party.wikidata) == (kind, country, qid), party_id
        if country is not None:
            assert "country" in party.inferred, party_id
        if qid is not None:
            assert "wikidata" in party.inferred, party_id
    assert by_id(loaded, "parties", "gerasimov").affiliation == "russian-armed-forces"
    assert by_id(loaded, "parties", "wang-guanzhong").affiliation == "pla"
    assert "PLA" in by_id(loaded, "parties", "pla").aliases
    sco = by_id(loaded, "parties", "sco")
    assert sco.name == "Shanghai Cooperation Organisation" and "name" in sco.inferred


def test_agreement(loaded: Loaded) -> None:
    agreement = by_id(loaded, "agreements", "military-cooperation-agreements")
    assert set(agreement.parties) == {"russia", "china"}
    assert agreement.status == "agreed"
    assert agreement.terms == "undisclosed"
    assert agreement.date is not None and agreement.date.value == "2014-11-05"
    assert agreement.date.inferred and agreement.date.reported == "on Wednesday"


def test_chelyabinsk_drill_from_the_photo_caption(loaded: Loaded) -> None:
    drill = by_id(loaded, "drills", "chelyabinsk-drills-2013")
    assert drill.name is None
    assert drill.location == "Chelyabinsk, Russia"
    assert drill.date is not None and drill.date.value == "2013-08-07"
    assert not drill.date.inferred
    assert {a.paragraph for a in drill.evidence} == {3}


def test_sco_drill_contributions_keep_bounds_and_unknowns(loaded: Loaded) -> None:
    drill = by_id(loaded, "drills", "sco-joint-drills-2014")
    assert drill.name is None and drill.framework == "sco"
    assert drill.date is not None
    assert (drill.date.value, drill.date.inferred) == ("2014-08", True)
    lines = {c.equipment: c for c in drill.contributions}
    assert all(c.party == "russia" for c in drill.contributions)
    troops = lines["troops"].quantity
    assert (troops.value, troops.qualifier) == (1000, "more_than")
    bm21 = lines["rocket launch system"]
    assert bm21.designation == "BM-21"
    assert (bm21.quantity.value, bm21.quantity.qualifier) == (None, "unknown")
    exact = {
        "battle tank": 13,
        "helicopter gunship": 8,
        "assault jet": 4,
        "military transport airplane": 2,
    }
    for equipment, count in exact.items():
        quantity = lines[equipment].quantity
        assert (quantity.value, quantity.qualifier) == (count, "exact"), equipment
    assert lines["military transport airplane"].quantity.reported == (
        "two Il-76 military transport airplanes"
    )


def test_arms_sale(loaded: Loaded) -> None:
    sale = by_id(loaded, "arms_sales", "russia-arms-contracts-2014")
    assert sale.supplier == "russia"
    assert sale.recipient is None and sale.recipient_reported == "global clients"
    assert sale.value is not None
    assert sale.value.value == 7.7e9 and sale.value.currency == "USD"
    assert sale.value.inferred and "value" in sale.inferred
    # Contracts "secured" this year: the year of order (format 2), not a period of deliveries.
    assert sale.period is None and not sale.deliveries
    assert sale.ordered is not None and sale.ordered.value == "2014" and sale.ordered.inferred
    assert sale.status == "contracted" and sale.attributed_to == "putin"


def test_events(loaded: Loaded) -> None:
    expected = {
        "strategic-consultation-17": ("consultation", "held"),
        "gerasimov-wang-meeting": ("meeting", "held"),
        "xi-putin-talks": ("talks", "planned"),
        "apec-leaders-summit-2014": ("summit", "planned"),
        "ww2-anniversary-celebrations": ("celebration", "planned"),
        "xi-visit-control-centre": ("visit", "held"),
    }
    for event_id, (kind, status) in expected.items():
        event = by_id(loaded, "events", event_id)
        assert (event.kind, event.status) == (kind, status), event_id
    summit = by_id(loaded, "events", "apec-leaders-summit-2014")
    assert summit.date is not None
    assert (summit.date.value, summit.date.end) == ("2014-11-07", "2014-11-11")
    assert summit.location == "Beijing"
    celebrations = by_id(loaded, "events", "ww2-anniversary-celebrations").date
    assert celebrations is not None and celebrations.value == "2015" and celebrations.inferred
    visit = by_id(loaded, "events", "xi-visit-control-centre").date
    assert visit is not None and visit.value is None and visit.reported == "recently"


def test_statements(loaded: Loaded) -> None:
    expected = {
        "officials-agreements-reached": ("senior-military-officials", "paraphrase"),
        "gerasimov-projects-agreed": ("gerasimov", "direct"),
        "gerasimov-mutual-trust": ("gerasimov", "paraphrase"),
        "state-agency-topics": ("china-state-agency", "direct"),
        "putin-arms-contracts": ("putin", "paraphrase"),
        "putin-combat-comradeship": ("putin", "paraphrase"),
        "putin-ww2-allies": ("putin", "direct"),
    }
    for statement_id, (speaker, mode) in expected.items():
        statement = by_id(loaded, "statements", statement_id)
        assert (statement.speaker, statement.mode) == (speaker, mode), statement_id
        assert statement.about, statement_id
    assert "russia-arms-contracts-2014" in by_id(loaded, "statements", "putin-arms-contracts").about
    source = loaded.sources["article"].text
    for statement in loaded.briefing.statements:
        if statement.mode == "direct":
            assert flatten(statement.text) in flatten(source), statement.id


def test_inferred_dates_have_a_basis_and_relative_words_resolve_to_the_inferred_day(
    loaded: Loaded,
) -> None:
    dates: list[Date] = []
    for _loc, item in loaded.briefing.items():
        for name in ("date", "period", "ordered"):
            value = getattr(item, name, None)
            if isinstance(value, Date):
                dates.append(value)
    assert dates
    for date in dates:
        if date.inferred:
            assert date.basis
        if date.reported in ("on Wednesday", "Wednesday"):
            assert (date.value, date.inferred) == ("2014-11-05", True)
        if date.reported and "this year" in date.reported:
            assert date.value is not None and date.value.startswith("2014") and date.inferred


# --- the committed schema and the validate command ---------------------------------------------


def test_committed_schema_is_current() -> None:
    expected = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    assert SCHEMA_FILE.read_text(encoding="utf-8") == expected


def test_validate_command_accepts_the_briefings(capsys: pytest.CaptureFixture[str]) -> None:
    folder = ROOT / "briefings"
    files = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml"))
    assert SEED_BRIEFING in files
    assert main(["validate", str(folder)]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    noun = "file" if len(files) == 1 else "files"
    assert out[-1] == f"{len(files)} {noun} checked, all valid: 0 errors, 0 warnings"


def test_validate_command_fails_on_a_broken_copy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "briefings").mkdir()
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / SEED_SOURCE.name).write_bytes(SEED_SOURCE.read_bytes())
    raw = SEED_BRIEFING.read_text(encoding="utf-8")
    broken = tmp_path / "briefings" / SEED_BRIEFING.name
    broken.write_text(raw.replace("supplier: russia", "supplier: rusia"), encoding="utf-8")
    assert main(["validate", str(broken)]) == 1
    out = capsys.readouterr().out
    assert "unknown party id 'rusia'; did you mean 'russia'?" in out
    assert "1 file checked, 1 invalid: 1 errors, 0 warnings" in out
