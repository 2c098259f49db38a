"""Quorum (päätösvaltaisuus) per agenda item: a pure function over plain data, no database.

A seat counts as present at an item when someone entitled to sit in it (the member, or the
member's personal deputy standing in) is present at that item and has not stepped aside for a
conflict of interest on it. A seat counts once, never twice, whoever of the two is there.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class QuorumRule:
    """More than ``numerator/denominator`` of the seats, and at least ``minimum`` seats if set."""

    numerator: int = 1
    denominator: int = 2
    minimum: int | None = None

    def needed(self, seat_count: int) -> int:
        """The smallest number of seats present that makes the body quorate."""
        share = seat_count * self.numerator // self.denominator + 1
        return max(share, self.minimum or 0)

    def describe(self) -> str:
        if self.numerator == 0:
            share = ""
        elif (self.numerator, self.denominator) == (1, 2):
            share = _("more than half")
        else:
            share = _("more than %(numerator)s/%(denominator)s of the seats") % {
                "numerator": self.numerator,
                "denominator": self.denominator,
            }
        minimum = (
            _("at least %(minimum)s seats") % {"minimum": self.minimum} if self.minimum else ""
        )
        if share and minimum:
            return _("%(share)s and %(minimum)s") % {"share": share, "minimum": minimum}
        return share or minimum


@dataclass(frozen=True)
class Presence:
    """One person's presence in one seat. Item positions are agenda orders (1, 2, ...).

    ``arrived_at``: the first item the person was present for (None: from the start).
    ``left_before``: the first item the person was no longer present for (None: to the end).
    """

    seat_id: int
    person_id: int
    present: bool = True
    arrived_at: int | None = None
    left_before: int | None = None

    def at(self, item_order: int) -> bool:
        if not self.present:
            return False
        if self.arrived_at is not None and item_order < self.arrived_at:
            return False
        return not (self.left_before is not None and item_order >= self.left_before)


@dataclass(frozen=True)
class QuorumResult:
    seat_count: int
    present: int
    needed: int
    rule_text: str
    present_seat_ids: frozenset[int]
    recused_person_ids: frozenset[int]

    @property
    def quorate(self) -> bool:
        return self.present >= self.needed

    @property
    def message(self) -> str:
        values = {
            "present": self.present,
            "seats": self.seat_count,
            "rule": self.rule_text,
            "needed": self.needed,
        }
        if self.quorate:
            return _("Quorate: %(present)s of %(seats)s seats present; %(needed)s needed.") % values
        return (
            _("Not quorate: %(present)s of %(seats)s seats present; %(rule)s (%(needed)s) needed.")
            % values
        )


def quorum_at_item(
    *,
    rule: QuorumRule,
    seat_ids: Iterable[int],
    presences: Iterable[Presence],
    item_order: int,
    recused_person_ids: Iterable[int] = (),
) -> QuorumResult:
    """Count the seats present at one item and compare with the rule.

    ``seat_ids`` are the body's voting seats; presences in other seats are ignored.
    """
    seats = set(seat_ids)
    recused = frozenset(recused_person_ids)
    present_seats = frozenset(
        p.seat_id
        for p in presences
        if p.seat_id in seats and p.person_id not in recused and p.at(item_order)
    )
    return QuorumResult(
        seat_count=len(seats),
        present=len(present_seats),
        needed=rule.needed(len(seats)),
        rule_text=rule.describe(),
        present_seat_ids=present_seats,
        recused_person_ids=recused,
    )
