"""Scores and ranks without a database: the scale, ties, labels, rank changes, most improved."""

from bot.figures import TopPerson, UnitFigures, UnitRef
from bot.ranking import (
    activity_total,
    rank_board,
    rank_rows,
    score_label,
    uses_targets,
)

COMMUNE = UnitRef("commune", "1", "Xã Thử")


def hamlet(name: str, counts: dict, *, members=1, reports=1, targets=None) -> UnitFigures:
    ref = UnitRef("hamlet", f"1-{name}", f"Thôn {name}")
    return UnitFigures(ref, [], counts, targets or {}, members=members, reports=reports)


def test_activity_leaves_out_households():
    assert activity_total({"vneid": 5, "dvc": 2, "ho": 30}) == 7


def test_targets_only_when_every_row_has_one():
    with_target = hamlet("A", {"vneid": 5}, targets={"vneid": 10})
    assert uses_targets([with_target])
    assert not uses_targets([with_target, hamlet("B", {"vneid": 5})])
    assert not uses_targets([])


def test_ties_go_to_the_larger_activity_then_the_name():
    rows = [
        hamlet("C", {"vneid": 4}, members=2),
        hamlet("B", {"vneid": 2}, members=1),
        hamlet("A", {"vneid": 2, "ho": 9}, members=1),
        hamlet("D", {"vneid": 1}, members=0),  # at least one member
    ]
    ranked = rank_rows(rows, by_target=False)
    assert [(row.unit.name, value) for row, value in ranked] == [
        ("Thôn C", 2.0),
        ("Thôn A", 2.0),
        ("Thôn B", 2.0),
        ("Thôn D", 1.0),
    ]


def test_score_labels():
    assert score_label(0.865, by_target=True) == "87%"
    assert score_label(2.0, by_target=True) == "200%"
    assert score_label(4.25, by_target=False) == "4,3/người"
    assert score_label(6.0, by_target=False) == "6,0/người"


def test_board_ranks_who_reported_with_changes_and_the_most_improved():
    now = [
        hamlet("A", {"vneid": 10}),
        hamlet("B", {"vneid": 30}),
        hamlet("C", {"vneid": 20}),
        hamlet("D", {}, reports=0),  # not ranked
    ]
    before = [hamlet("A", {"vneid": 40}), hamlet("B", {"vneid": 5}), hamlet("C", {}, reports=0)]
    board = rank_board(
        COMMUNE, now, before, period_label="Tuần", top_people=[TopPerson("An", 3, "Ấp A")]
    )
    assert [(e.rank, e.unit.name, e.score_label, e.rank_change) for e in board.entries] == [
        (1, "Thôn B", "30,0/người", 1),
        (2, "Thôn C", "20,0/người", None),
        (3, "Thôn A", "10,0/người", -2),
    ]
    assert board.most_improved == UnitRef("hamlet", "1-B", "Thôn B")
    assert (board.unit, board.period_label, board.top_people) == (
        COMMUNE,
        "Tuần",
        [TopPerson("An", 3, "Ấp A")],
    )
    assert board.rows == now


def test_board_by_target_only_if_both_periods_have_targets():
    target = {"vneid": 10}
    now = [hamlet("A", {"vneid": 5}, targets=target), hamlet("B", {"vneid": 9}, targets=target)]
    alone = rank_board(COMMUNE, now, None, period_label="", top_people=[])
    assert [e.score_label for e in alone.entries] == ["90%", "50%"]
    assert alone.most_improved is None
    without = [hamlet("A", {"vneid": 1}), hamlet("B", {"vneid": 1})]
    compared = rank_board(COMMUNE, now, without, period_label="", top_people=[])
    assert [e.score_label for e in compared.entries] == ["9,0/người", "5,0/người"]
    assert compared.most_improved == UnitRef("hamlet", "1-B", "Thôn B")
