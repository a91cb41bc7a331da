"""Chart geometry and the culture page's words: scaled bars, hidden values, nl/en labels."""

from __future__ import annotations

from datetime import date

from integrations.culture_charts import HEIGHT, group_chart, monthly_chart, value_text
from integrations.culture_page import culture_context, month_label
from journeys.culture import CountRow, build_view, group_teams, last_months


def test_the_tallest_bar_fills_the_plot_and_the_others_scale():
    chart = monthly_chart(id="x", title="t", desc="d", labels=["a", "b", "c"],
                          values=[4, 2, None])  # fmt: skip
    heights = [b.height for b in chart.bars]
    assert heights == [HEIGHT, HEIGHT / 2, 0]
    assert [b.text for b in chart.bars] == ["4", "2", "–"]
    assert chart.bars[2].hidden and not chart.bars[0].hidden
    assert all(b.x + b.width <= chart.width for b in chart.bars)


def test_rates_scale_to_a_hundred_percent():
    chart = group_chart(id="y", title="t", desc="d", labels=["Data", "Sales"],
                        values=[0.5, 1.0], percent=True)  # fmt: skip
    assert chart.bars[0].width * 2 == chart.bars[1].width
    assert [b.text for b in chart.bars] == ["50\u00a0%", "100\u00a0%"]


def test_all_zero_values_draw_no_bar_and_do_not_divide_by_zero():
    chart = monthly_chart(id="z", title="t", desc="d", labels=["a"], values=[0])
    assert chart.bars[0].height == 0 and chart.bars[0].text == "0"


def test_values_as_text():
    assert value_text(None, percent=False, hidden="verborgen") == "verborgen"
    assert value_text(0.874, percent=True) == "87\u00a0%"


def test_month_labels_in_dutch_and_english():
    assert month_label("2027-03", "nl") == "mrt 2027"
    assert month_label("2027-03", "en") == "Mar 2027"


def test_the_context_names_other_teams_and_ignores_an_unknown_team():
    teams = group_teams({"Data": 6, "Legal": 2, "HR": 3}, min_group=5)
    months = last_months(date(2027, 3, 1), 3)
    view = build_view([CountRow("shares", "Legal", "2027-02", 2)], teams=teams, months=months)
    context = culture_context(view, lang="nl", team="Legal")
    assert context["team"] is None  # Legal is folded into the other teams, not selectable
    assert context["groups"] == [("Data", "Data"), ("*other*", "Overige teams")]
    block = next(b for p in context["practices"] for b in p["blocks"] if b.key == "shares")
    assert dict(block.team_rows) == {"Data": "0", "Overige teams": "2"}
    assert "feb 2027: 2" in block.monthly.desc
