"""Quorum per item: the pure function, its edge cases and its message."""

import pytest

from governance.quorum import Presence, QuorumRule, quorum_at_item

SEATS = list(range(1, 9))  # eight voting seats, as on the board
HALF = QuorumRule()


def present(*seat_ids, **kw):
    return [Presence(seat_id=s, person_id=100 + s, **kw) for s in seat_ids]


def test_more_than_half_needed():
    assert HALF.needed(8) == 5
    assert HALF.needed(9) == 5
    assert HALF.needed(1) == 1


def test_exactly_half_is_not_quorate_by_default():
    result = quorum_at_item(rule=HALF, seat_ids=SEATS, presences=present(1, 2, 3, 4), item_order=1)
    assert (result.present, result.needed, result.quorate) == (4, 5, False)
    assert result.message == (
        "Ei päätösvaltainen: 4 paikkaa 8:sta edustettuna; tarvitaan yli puolet (5)."
    )


def test_one_more_than_half_is_quorate():
    result = quorum_at_item(
        rule=HALF, seat_ids=SEATS, presences=present(1, 2, 3, 4, 5), item_order=1
    )
    assert result.quorate
    assert result.message == "Päätösvaltainen: 5 paikkaa 8:sta edustettuna; tarvitaan 5."


def test_deputy_counts_for_the_members_seat_and_never_twice():
    deputy_for_5 = [Presence(seat_id=5, person_id=205)]
    result = quorum_at_item(
        rule=HALF, seat_ids=SEATS, presences=present(1, 2, 3, 4) + deputy_for_5, item_order=1
    )
    assert result.present == 5 and result.quorate
    both_in_seat_4 = present(1, 2, 3, 4) + [Presence(seat_id=4, person_id=204)]
    result = quorum_at_item(rule=HALF, seat_ids=SEATS, presences=both_in_seat_4, item_order=1)
    assert result.present == 4 and not result.quorate


def test_recusal_tips_the_item_below_quorum():
    people = present(1, 2, 3, 4, 5)
    assert quorum_at_item(rule=HALF, seat_ids=SEATS, presences=people, item_order=2).quorate
    result = quorum_at_item(
        rule=HALF, seat_ids=SEATS, presences=people, item_order=2, recused_person_ids=[103]
    )
    assert result.present == 4 and not result.quorate
    assert 3 not in result.present_seat_ids


def test_a_deputy_present_keeps_the_seat_when_the_member_steps_aside():
    people = present(1, 2, 3, 4, 5) + [Presence(seat_id=3, person_id=203)]
    result = quorum_at_item(
        rule=HALF, seat_ids=SEATS, presences=people, item_order=1, recused_person_ids=[103]
    )
    assert result.present == 5 and result.quorate


def test_arrival_and_departure_follow_the_agenda_order():
    people = present(1, 2, 3, 4) + [
        Presence(seat_id=5, person_id=105, arrived_at=3),
        Presence(seat_id=6, person_id=106, left_before=4),
    ]

    def count(order):
        return quorum_at_item(rule=HALF, seat_ids=SEATS, presences=people, item_order=order).present

    assert [count(o) for o in (1, 2, 3, 4, 5)] == [5, 5, 6, 5, 5]
    late_only = present(1, 2, 3) + [Presence(seat_id=5, person_id=105, arrived_at=2)]
    leaves = [Presence(seat_id=6, person_id=106, left_before=2)]
    assert [
        quorum_at_item(
            rule=HALF, seat_ids=SEATS, presences=late_only + leaves, item_order=o
        ).present
        for o in (1, 2)
    ] == [4, 4]


def test_member_leaves_and_deputy_takes_over_the_seat():
    people = present(1, 2, 3, 4) + [
        Presence(seat_id=5, person_id=105, left_before=3),
        Presence(seat_id=5, person_id=205, arrived_at=3),
    ]
    counts = [
        quorum_at_item(rule=HALF, seat_ids=SEATS, presences=people, item_order=o).present
        for o in (1, 2, 3, 4)
    ]
    assert counts == [5, 5, 5, 5]


def test_absent_rows_and_other_bodies_seats_do_not_count():
    people = present(1, 2, 3, 4) + [
        Presence(seat_id=5, person_id=105, present=False),
        Presence(seat_id=99, person_id=199),
    ]
    result = quorum_at_item(rule=HALF, seat_ids=SEATS, presences=people, item_order=1)
    assert result.present == 4 and not result.quorate


@pytest.mark.parametrize(
    ("rule", "seats", "needed"),
    [
        (QuorumRule(numerator=2, denominator=3), 9, 7),
        (QuorumRule(numerator=2, denominator=3), 8, 6),
        (QuorumRule(numerator=0, denominator=1, minimum=3), 8, 3),
        (QuorumRule(numerator=1, denominator=2, minimum=6), 8, 6),
        (QuorumRule(numerator=1, denominator=3), 6, 3),
    ],
)
def test_configurable_rules(rule, seats, needed):
    assert rule.needed(seats) == needed
    ids = list(range(seats))
    below = quorum_at_item(
        rule=rule, seat_ids=ids, presences=present(*ids[: needed - 1]), item_order=1
    )
    at = quorum_at_item(rule=rule, seat_ids=ids, presences=present(*ids[:needed]), item_order=1)
    assert not below.quorate and at.quorate


def test_rule_descriptions_in_the_refusal():
    assert QuorumRule(numerator=2, denominator=3).describe() == "yli 2/3 paikoista"
    assert QuorumRule(numerator=0, denominator=1, minimum=3).describe() == "vähintään 3 paikkaa"
    assert QuorumRule(minimum=6).describe() == "yli puolet ja vähintään 6 paikkaa"
