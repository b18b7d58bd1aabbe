"""Format 2's arms transfers and drills: an order, its first report, confirmation and deliveries
kept apart, each dated by its own words; drills with a status, exercise-wide totals and
contributions given for several parties or none. The loader, value checks, timeline, detail,
reader and the three exports, on tests/data/format2/transfers.yaml and small briefings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import stix2

from tests.conftest import MakeProject, minimal_yaml, reader
from tui.describe import describe, timeline_label, timeline_marks
from tui.export import to_data, to_markdown, to_stix
from tui.links import Links
from tui.loader import BriefingError, Loaded, load_briefing
from tui.migrate import migrate_text
from tui.reading import read_date
from tui.schema import ArmsSale, Drill
from tui.sections import TIMELINE_NUMBER
from tui.widgets.outline import TIMELINE, Outline, item_of

EXAMPLE = Path(__file__).parent / "data" / "format2" / "transfers.yaml"
MAKE_SOURCE = (
    "Title line\n\nAlice met Bob in Paris on Monday.\n\n"
    "Bob ordered 6 frigates from Alice in 2025. Deliveries are to run from 2027 to 2030.\n\n"
    "About 2,400 personnel took part. Alice and Bob together sent 9 ships; 2 boats came from "
    "an unnamed navy.\n"
)


@pytest.fixture(scope="module")
def example() -> Loaded:
    return load_briefing(EXAMPLE)


def errors(make_project: MakeProject, body: str, version: int = 2) -> list[tuple[str, str]]:
    """(severity, message) of each diagnostic of a small briefing with body appended."""
    text = minimal_yaml(MAKE_SOURCE, body)
    text = migrate_text(text).new if version == 2 else text
    try:
        loaded = load_briefing(make_project(text, MAKE_SOURCE))
    except BriefingError as error:
        return [(d.severity, d.message) for d in error.diagnostics]
    return [(d.severity, d.message) for d in loaded.diagnostics]


SALE = """arms_sales:
  - id: frigates
    title: Frigates for Bob
    supplier: alice
    recipient: bob
    items:
      - {{equipment: frigate, quantity: {{value: 6, unit: frigates, reported: 6 frigates}}}}
    ordered: {{reported: in 2025, value: "2025"}}
    deliveries:
      - status: planned
        date: {{reported: from 2027 to 2030, value: "{start}", end: "{end}"}}
        quotes: [{quote}]
    status: contracted
    confidence: high
    evidence:
      - {{paragraph: 3, quote: Bob ordered 6 frigates from Alice in 2025}}
      - {{paragraph: 3, quote: Deliveries are to run from 2027 to 2030}}
"""


def sale(start: str = "2027", end: str = "2030", quote: str = "run from 2027 to 2030") -> str:
    return SALE.format(start=start, end=end, quote=quote)


# --- loading and checking --------------------------------------------------------------------


def test_the_example_validates_with_nothing_moved_into_notes(example: Loaded) -> None:
    assert example.diagnostics == [] and example.briefing.schema_version == 2
    drill = example.briefing.drills[0]
    assert drill.status == "held" and [t.quantity.value for t in drill.totals] == [2400, 9, 2, 14]
    assert [c.contributors for c in drill.contributions] == [
        ["arlenia"],
        ["arlenia", "belmora"],
        [],
    ]
    assert example.briefing.drills[1].status == "planned"
    sale = example.briefing.arms_sales[0]
    assert sale.period is None and sale.ordered is not None and sale.ordered.value == "2025"
    assert sale.first_report is not None and sale.confirmed is not None
    assert [
        (d.status, d.date and d.date.value, d.date and d.date.end) for d in sale.deliveries
    ] == [
        ("planned", "2027", "2030"),
        ("planned", "2027", None),
    ]


def test_a_sale_with_its_order_and_deliveries_validates(make_project: MakeProject) -> None:
    assert errors(make_project, sale()) == []


def test_a_span_of_years_is_read_from_its_words() -> None:
    for words in ("from 2027 to 2030", "2027-2030", "2027–30", "between 2027 and 2030"):
        reading = read_date(words)
        assert reading is not None and reading.describe() == "2027 to 2030", words
    reading = read_date("in 2014 and 2015")  # two years, not a span: the first is read
    assert reading is not None and reading.describe() == "2014"


def test_a_delivery_date_must_agree_with_its_words(make_project: MakeProject) -> None:
    found = errors(make_project, sale(start="2027", end="2031"))
    assert found == [
        ("error", "reported 'from 2027 to 2030' reads as 2027 to 2030; value is 2027 to 2031")
    ]
    # Without its end, the value says 2027 alone: the words say more.
    found = errors(make_project, sale().replace(', end: "2030"', ""))
    assert [m for _s, m in found] == [
        "reported 'from 2027 to 2030' reads as 2027 to 2030; value is 2027"
    ]


def test_a_delivery_quotes_the_sales_evidence_and_its_words_stand_in_them(
    make_project: MakeProject,
) -> None:
    found = errors(make_project, sale(quote="run until 2031"))
    assert ("error", "'run until 2031' is not inside any of this item's quotes; a delivery's "
            "words must be quoted in the sale's evidence") in found  # fmt: skip
    # Words of the sale's quotes, but not of this delivery's: its date is not its own.
    found = errors(make_project, sale(quote="Bob ordered 6 frigates"))
    assert [m for _s, m in found] == [
        "as-reported words 'from 2027 to 2030' are not inside this delivery's quotes; quote the "
        "words that report this delivery"
    ]


def test_an_order_date_must_agree_with_its_words(make_project: MakeProject) -> None:
    found = errors(make_project, sale().replace('value: "2025"', 'value: "2024"'))
    assert [m for _s, m in found] == ["reported 'in 2025' reads as 2025; value is 2024"]


DRILL = """drills:
  - id: exercise
    status: {status}
    participants: [alice, bob]
    totals:
      - equipment: personnel
        quantity: {{value: 2400, qualifier: about, unit: personnel, reported: "About 2,400 personnel"}}
    contributions:
      - {contributors}
        equipment: ship
        quantity: {{value: 9, unit: ships, reported: 9 ships}}
      - equipment: boat
        quantity: {{value: 2, unit: boats, reported: 2 boats}}
    confidence: high
    evidence:
      - {{paragraph: 4, quote: "About 2,400 personnel took part"}}
      - {{paragraph: 4, quote: Alice and Bob together sent 9 ships; 2 boats came from an unnamed navy}}
"""


def drill(status: str = "held", contributors: str = "parties: [alice, bob]") -> str:
    return DRILL.format(status=status, contributors=contributors)


def test_a_drill_with_status_totals_and_a_joint_and_an_unnamed_contribution_validates(
    make_project: MakeProject,
) -> None:
    assert errors(make_project, drill()) == []


def test_a_contribution_names_one_party_or_several_never_both(make_project: MakeProject) -> None:
    both = errors(make_project, drill(contributors="party: alice\n        parties: [alice, bob]"))
    assert len(both) == 1 and "name one party with party, or several with parties" in both[0][1]
    one = errors(make_project, drill(contributors="parties: [alice]"))
    assert len(one) == 1 and "write party: alice instead" in one[0][1]
    unknown = errors(make_project, drill(contributors="parties: [alice, carol]"))
    assert len(unknown) == 1 and "unknown party id 'carol'" in unknown[0][1]


def test_format_1_still_needs_each_contributions_party(make_project: MakeProject) -> None:
    body = """drills:
  - id: exercise
    participants: [alice, bob]
    contributions:
      - party: alice
        equipment: ship
        quantity: {value: 9, unit: ships, reported: 9 ships}
      - equipment: boat
        quantity: {value: 2, unit: boats, reported: 2 boats}
    confidence: high
    evidence:
      - {paragraph: 4, quote: Alice and Bob together sent 9 ships; 2 boats came from an unnamed navy}
"""
    assert errors(make_project, body, version=2) == []
    assert errors(make_project, body, version=1) == [("error", "missing required field 'party'")]


def test_a_drill_status_is_one_of_the_known_stages(make_project: MakeProject) -> None:
    found = errors(make_project, drill(status="finished"))
    assert len(found) == 1 and "under_way" in found[0][1]


# --- timeline and detail ---------------------------------------------------------------------


def test_the_timeline_has_a_row_for_the_order_the_report_the_confirmation_and_each_delivery(
    example: Loaded,
) -> None:
    links = Links.build(example)
    sale = example.briefing.arms_sales[0]
    rows = [r for r in links.timeline() if r.item_id == sale.id]
    assert [(r.what, r.date.value, r.planned) for r in rows] == [
        ("order", "2025", False),
        ("reported", "2026-02", False),
        ("confirmed", "2026-03-03", False),
        ("delivery", "2027", True),
        ("delivery", "2027", True),
    ]
    labels = [timeline_label(r, sale, "Arms sale") for r in rows]
    assert labels[0] == "Order: Six Type 31 frigates for Belmora"
    assert labels[3] == "Delivery: Six Type 31 frigates for Belmora (2 frigates)"
    assert [timeline_marks(r, sale)[0] for r in rows] == [" ", " ", " ", "›", "›"]
    # Dated by their own dates: the order in 2025 before the drill of March 2026, the
    # deliveries after it; the planned drill of 2027 is marked planned by its status.
    order = [(r.item_id, r.what) for r in links.timeline()]
    assert order.index((sale.id, "order")) < order.index(("ocean-shield-2026", ""))
    assert order.index(("ocean-shield-2026", "")) < order.index((sale.id, "delivery"))
    planned = next(r for r in links.timeline() if r.item_id == "ocean-shield-2027")
    assert timeline_marks(planned, links.items["ocean-shield-2027"])[0] == "›"


def test_a_format_1_sale_is_one_row_at_its_period(make_project: MakeProject) -> None:
    body = """arms_sales:
  - id: frigates
    title: Frigates for Bob
    supplier: alice
    period: {reported: in 2025, value: "2025"}
    status: contracted
    confidence: high
    evidence:
      - {paragraph: 3, quote: Bob ordered 6 frigates from Alice in 2025}
"""
    loaded = load_briefing(make_project(minimal_yaml(MAKE_SOURCE, body), MAKE_SOURCE))
    rows = [r for r in Links.build(loaded).timeline() if r.item_id == "frigates"]
    assert [(r.what, r.part, r.date.value) for r in rows] == [("", "", "2025")]
    assert timeline_label(rows[0], loaded.briefing.arms_sales[0], "Arms sale") == (
        "Arms sale: Frigates for Bob"
    )


def test_the_detail_shows_totals_and_forces_per_party_or_group(example: Loaded) -> None:
    links = Links.build(example)
    drill = example.briefing.drills[0]
    rows = [(r.label, r.text) for r in describe(drill, links, compact=True)]
    # At 80x24 the status joins the date, and the forces stay in sight.
    assert ("Date", "held 1 Mar 2026 (inferred; as reported: “on Sunday”)") in rows
    assert ("In all", "about 2,400 personnel; 9 ships; 2 submarines; 14 aircraft") in rows
    start = rows.index(("Forces", "Arlenia: 4 frigates"))
    assert rows[start + 1 : start + 3] == [
        ("", "Arlenia and Belmora together: 6 minesweepers"),
        ("", "unnamed party: 2 patrol boats"),
    ]
    full = [(r.label, r.text) for r in describe(drill, links)]
    assert ("Status", "held") in full and ("Location", "off Sarn") in full
    assert ("", "unnamed party: 2 patrol boats") in full
    assert ("In all", "about 2,400 personnel (as reported: “About 2,400 personnel”)") in full


def test_the_detail_shows_the_order_apart_from_the_deliveries(example: Loaded) -> None:
    links = Links.build(example)
    sale = example.briefing.arms_sales[0]
    rows = [(r.label, r.text) for r in describe(sale, links)]
    assert ("Ordered", "2025 (as reported: “in 2025”)") in rows
    assert ("Reported", "Feb 2026 (inferred; as reported: “in February”)") in rows
    assert ("Confirmed", "3 Mar 2026 (inferred; as reported: “on Tuesday”)") in rows
    start = rows.index(("Deliveries", "planned, 2027 – 2030 (as reported: “from 2027 to 2030”)"))
    assert rows[start + 1] == (
        "",
        "planned, 2027 (as reported: “due in 2027”): 2 frigates (as reported: “the first two "
        "frigates”)",
    )
    assert ("Comments", "The price was not disclosed.") in rows
    assert ("Inferred", "confirmed: The Tuesday before publication on Thursday 5 March 2026.") in (
        rows
    )


# --- exports ---------------------------------------------------------------------------------


def test_markdown_json_and_stix_carry_orders_deliveries_totals_and_groups(example: Loaded) -> None:
    text = to_markdown(example)
    assert "- **Deliveries:**\n  - planned, 2027 – 2030" in text
    assert "- **Ordered:** 2025" in text and "- **Confirmed:** 3 Mar 2026" in text
    assert "  - Arlenia and Belmora together: 6 minesweepers\n" in text
    assert "  - unnamed party: 2 patrol boats\n" in text
    assert "- **In all:**\n  - about 2,400 personnel" in text
    data = to_data(example)["briefing"]
    assert data["schema"] == 2
    assert data["arms_sales"][0]["deliveries"][0]["date"] == {
        "reported": "from 2027 to 2030",
        "value": "2027",
        "end": "2030",
        "inferred": False,
        "basis": None,
    }
    assert data["drills"][0]["totals"][0]["quantity"]["value"] == 2400
    assert data["drills"][0]["contributions"][1]["parties"] == ["arlenia", "belmora"]
    bundle = stix2.parse(to_stix(example), allow_custom=False)
    groupings = {o.name: o for o in bundle.objects if o.type == "grouping"}
    sale = groupings["Six Type 31 frigates for Belmora"].description
    assert "Ordered: 2025" in sale and "Deliveries: planned, 2027 – 2030" in sale
    drill = next(o for o in bundle.objects if o.type == "grouping" and "Status: held" in
                 o.description)  # fmt: skip
    assert "In all: about 2,400 personnel" in drill.description
    contributors = sorted(
        o.description
        for o in bundle.objects
        if o.type == "relationship" and "contributor" in o.description
    )
    assert contributors == ["Arlenia is contributor of Ocean Shield"] * 1 + [
        "Belmora is contributor of Ocean Shield"
    ]
    assert json.loads(to_stix(example)) == json.loads(to_stix(example))


# --- the reader ------------------------------------------------------------------------------


def test_the_reader_shows_the_order_and_deliveries_as_rows_of_the_timeline() -> None:
    import asyncio

    async def main() -> None:
        async with reader(EXAMPLE) as (app, pilot):
            outline = app.screen.query_one(Outline)
            await pilot.press("tab", str(TIMELINE_NUMBER))
            await pilot.pause()
            rows = []
            index = outline.highlighted
            assert index is not None
            for n in range(index, outline.option_count):
                option = outline.get_option_at_index(n)
                if not option.disabled:
                    rows.append((option.id, str(option.prompt)))
            ids = [row_id for row_id, _p in rows]
            assert f"{TIMELINE}:belmora-type-31-frigates/order" in ids
            assert f"{TIMELINE}:belmora-type-31-frigates/delivery-2" in ids
            delivery = next(p for i, p in rows if i and i.endswith("/delivery-2"))
            assert delivery.startswith(" › 2027") and "Delivery: Six Type 31 frigates" in delivery
            # Selecting a delivery row selects its sale: the detail shows the deliveries.
            for _ in range(outline.option_count):  # bounded: a missing row fails, not hangs
                if outline.current_item == "belmora-type-31-frigates":
                    break
                await pilot.press("j")
            assert item_of(outline.highlighted_option.id if outline.highlighted_option else None)
            screen = app.screen
            assert screen.place is not None and screen.place.item == "belmora-type-31-frigates"  # type: ignore[attr-defined]
            sale = screen.links.items["belmora-type-31-frigates"]  # type: ignore[attr-defined]
            assert isinstance(sale, ArmsSale)
            await pilot.press("3")
            await pilot.pause()
            assert isinstance(screen.links.items[outline.current_item or ""], Drill)  # type: ignore[attr-defined]

    asyncio.run(main())


def test_the_bundled_sco_drill_names_the_other_members_as_the_text_does() -> None:
    from tests.conftest import SEED_BRIEFING

    seed = load_briefing(SEED_BRIEFING)
    assert seed.briefing.schema_version == 2
    drill = next(d for d in seed.briefing.drills if d.id == "sco-joint-drills-2014")
    assert drill.status == "held" and drill.framework == "sco"
    assert drill.participants == ["russia", "china", "other-sco-members"]
    group = next(p for p in seed.briefing.parties if p.id == "other-sco-members")
    assert (group.kind, group.affiliation) == ("group", "sco")
    # Quoted from the drill's own sentence (¶12), not added from the analyst's knowledge.
    evidence = Links.build(seed).evidence(group.id)
    assert [(e.span.paragraph if e.span else None, e.anchor.quote) for e in evidence] == [
        (12, "other SCO-members")
    ]


def test_the_library_filters_a_sale_by_any_of_its_dates(tmp_path: Path) -> None:
    """from:/to: find a sale ordered in 2025 by its deliveries of 2027-2030 too."""
    import shutil

    from tui.index import LibraryIndex, parse_query

    folder = tmp_path / "library"
    shutil.copytree(EXAMPLE.parent, folder)
    with LibraryIndex() as index:
        index.refresh(folder)

        def found(text: str) -> list[str]:
            return sorted(Path(k).name for k in index.matching(folder, parse_query(text)) or [])

        assert found("from:2029 to:2029") == ["transfers.yaml"]
        assert found("from:2025 to:2025") == ["transfers.yaml"]
        assert found("from:2031") == []


def test_the_detail_pane_puts_the_stage_and_its_dates_on_one_row(example: Loaded) -> None:
    """At 80x24 an order and its deliveries fit above the source: the stage with its dates,
    items and deliveries without the words the source pane shows beside them."""
    links = Links.build(example)
    rows = [(r.label, r.text) for r in describe(example.briefing.arms_sales[0], links, True)]
    assert (
        "Status",
        "contracted: ordered 2025; reported Feb 2026 (inferred); confirmed 3 Mar 2026 (inferred)",
    ) in rows
    assert not {"Ordered", "Reported", "Confirmed"} & {label for label, _t in rows}
    assert ("Items", "6 frigates (Type 31)") in rows
    start = rows.index(("Deliveries", "planned, 2027 – 2030"))
    assert rows[start + 1] == ("", "planned, 2027: 2 frigates")


def test_a_delivery_names_one_of_the_sales_items(make_project: MakeProject) -> None:
    body = sale().replace(
        "      - status: planned\n", "      - status: planned\n        equipment: frigate\n"
    )
    assert errors(make_project, body) == []
    wrong = body.replace("equipment: frigate\n", "equipment: corvette\n")
    assert errors(make_project, wrong) == [
        ("error", "delivery equipment 'corvette' is not one of the sale's items ('frigate')")
    ]
