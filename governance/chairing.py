"""Who chairs each agenda item (puheenjohtaja): a pure function over plain data, no database.

The chair of the body chairs; when the chair is absent from the item or has stepped aside for a
conflict of interest on it, the vice-chair does; after them the members of the seats the body has
put in order (``Seat.chairing_order``). A personal deputy sits as a member, never as the chair.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .quorum import Presence


@dataclass(frozen=True)
class ChairCandidate:
    seat_id: int
    person_id: int


def chair_order(seats: Iterable) -> list[ChairCandidate]:
    """The body's order of chairs from its seats (objects with role, member_id, chairing_order)."""
    seats = [s for s in seats if s.member_id is not None]
    chair = [s for s in seats if s.role == "chair"]
    vice = [s for s in seats if s.role == "vice_chair"]
    ordered = [s for s in seats if s.role not in ("chair", "vice_chair")]
    rest = sorted(
        (s for s in ordered if s.chairing_order is not None),
        key=lambda s: (s.chairing_order, s.order),
    )
    return [ChairCandidate(seat_id=s.pk, person_id=s.member_id) for s in [*chair, *vice, *rest]]


def chair_at_item(
    *,
    candidates: Sequence[ChairCandidate],
    presences: Iterable[Presence],
    item_order: int,
    recused_person_ids: Iterable[int] = (),
) -> int | None:
    """The id of the person who chairs the item, or None when nobody in the order can."""
    recused = set(recused_person_ids)
    present = {(p.seat_id, p.person_id) for p in presences if p.at(item_order)}
    for candidate in candidates:
        if (candidate.seat_id, candidate.person_id) in present and (
            candidate.person_id not in recused
        ):
            return candidate.person_id
    return None
