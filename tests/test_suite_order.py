"""The suite's own order: each test process of ``make test`` starts with its share of the slow
tests (tests/conftest.py), instead of one process getting them all in its block."""

from .conftest import _dealt


def _blocks(order: list, processes: int) -> list[list]:
    """The blocks pytest-xdist's worksteal hands out first, counted as it counts them."""
    blocks, left = [], list(order)
    for i in range(processes):
        size = len(left) // (processes - i)
        blocks.append(left[:size])
        left = left[size:]
    return blocks


def test_the_slow_tests_are_dealt_to_every_process_and_none_is_lost():
    slow = [f"slow{i}" for i in range(6)]
    order = [*slow, *(f"fast{i}" for i in range(15))]  # slowest first, as the ranking leaves it
    dealt = _dealt(order, 4)
    assert sorted(dealt) == sorted(order)
    blocks = _blocks(dealt, 4)
    assert [len(b) for b in blocks] == [5, 5, 5, 6]
    assert [b[0] for b in blocks] == ["slow0", "slow1", "slow2", "slow3"]
    assert [b[1] for b in blocks[:2]] == ["slow4", "slow5"]


def test_more_processes_than_tests():
    assert _dealt(["a", "b"], 4) == ["a", "b"]
