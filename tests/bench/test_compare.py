"""bench/compare.py's judging and writing, without a server: which ratios count as slower, how
the samples pair up repeat by repeat, and what the table says."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("bench_compare", ROOT / "bench" / "compare.py")
compare = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(compare)


@pytest.mark.parametrize(
    ("ratios", "word"),
    [
        ([1.06, 1.2], "slower"),
        ([1.06, 1.05], "unclear"),  # one repeat over the bound is not enough
        ([1.2, 0.9], "unclear"),
        ([1.05, 0.96], "unchanged"),
        ([0.9, 0.94], "faster"),
        ([0.9, 0.96], "unclear"),
        ([1.3], "unclear"),  # one repeat alone is never a verdict
        ([], "unclear"),
    ],
)
def test_a_page_is_slower_only_when_every_repeat_is(ratios, word):
    assert compare.verdict(ratios) == word


def sample(key, side, repeat, cpu, size=100, errors=0):
    return compare.Sample(key, size, side, repeat, cpu, 10.0, 100, errors)


def test_samples_pair_by_page_size_and_repeat_in_the_order_measured():
    samples = [
        sample("list", "before", 0, 40.0),
        sample("list", "after", 0, 44.0),
        sample("home", "before", 0, 30.0),
        sample("home", "after", 0, 30.0, errors=2),
        sample("list", "before", 1, 50.0),
        sample("list", "after", 1, 60.0),
        sample("home", "before", 1, 20.0),
        sample("home", "after", 1, 19.5),
        sample("list", "before", 0, 10.0, size=1000),  # its after never ran: left out
    ]
    found = compare.comparisons(samples, {"list": "Public portfolio list"})
    assert [(c.key, c.size) for c in found] == [("list", 100), ("home", 100)]
    listing, home = found
    assert listing.label == "Public portfolio list"
    assert home.label == "home"  # no label known: the key
    assert listing.before == [40.0, 50.0] and listing.after == [44.0, 60.0]
    assert listing.ratios == pytest.approx([1.1, 1.2])
    assert listing.verdict == "slower"
    assert home.verdict == "unchanged"
    assert (home.errors_before, home.errors_after) == (0, 2)


def test_the_table_gives_means_each_repeat_and_the_verdict():
    c = compare.Comparison("list", "Public portfolio list", 5000, [40.0, 50.0], [44.0, 60.0])
    header, rule, row = compare.table([c])
    assert header.startswith("| page | projects | before ms/req | after ms/req | after/before")
    assert rule.count("|") == header.count("|")
    assert row == (
        "| Public portfolio list | 5000 | 45.0 | 52.0 | 1.16 | 1.10, 1.20 | **slower** | 0 / 0 |"
    )


def test_the_page_written_names_the_run_and_every_verdict(tmp_path):
    found = [
        compare.Comparison("list", "Public portfolio list", 100, [40.0, 50.0], [44.0, 60.0]),
        compare.Comparison("home", "Coordinator's home page", 100, [30.0, 20.0], [30.0, 19.5]),
    ]
    run = {
        "command": ".venv/bin/python bench/compare.py /a /b --sizes 100",
        "date": "07.12.2026 14:30 (Helsinki)",
        "load_start": "0.5, 0.4, 0.3",
        "load_end": "1.0, 0.6, 0.4",
        "data": "100 projects",
    }
    meta = {
        "date": "07.12.2026 14:40 (Helsinki)",
        "runs": [run],
        "before": "`/a` at 9157bb1 README",
        "after": "`/b` at c245807 Apps",
        "machine": "2 cores",
        "repeats": "2",
        "seconds": "10",
        "connections": "8",
    }
    path = tmp_path / "house.md"
    compare.write(path, found, meta)
    text = path.read_text()
    assert (
        "- `.venv/bin/python bench/compare.py /a /b --sizes 100` (07.12.2026 14:30 (Helsinki); "
        "load average (1, 5, 15 min, /proc/loadavg) at the start 0.5, 0.4, 0.3, at the end "
        "1.0, 0.6, 0.4; data: 100 projects)"
    ) in text
    assert "| Public portfolio list | 100 | 45.0 | 52.0 | 1.16 | 1.10, 1.20 | **slower** |" in text
    assert "- Slower after (1): Public portfolio list (100)" in text
    assert "- Unchanged after (1): Coordinator's home page (100)" in text


def test_a_page_one_checkout_never_finished_is_named_not_dropped():
    samples = [
        sample("api500", "before", 0, 300.0),
        sample("api500", "after", 0, None),  # no request finished in the timed run
        sample("api500", "before", 1, 310.0),
        sample("api500", "after", 1, None),
    ]
    found = compare.comparisons(samples, {})
    assert found == []
    assert compare.summary(found, samples) == [
        "- Not compared (no request finished in a timed run of one checkout): api500 (100)"
    ]


def test_the_work_table_gives_each_checkouts_counts_and_the_ratio_of_calls():
    before = {
        "reports": {"queries": 7.0, "calls": 40000, "status": 200, "bytes": 15360},
        "home": {"queries": 10.0, "calls": None, "status": 200, "bytes": 2048},
    }
    after = {"reports": {"queries": 8.0, "calls": 42000, "status": 200, "bytes": 15872}}
    rows = compare.work_table(1000, {"reports": "Status report list"}, before, after)
    assert rows == [  # a page the after checkout did not answer has no row
        "| Status report list | 1000 | 7 | 8 | 40000 | 42000 | 1.05 | 200 / 200 | 15.0 / 15.5 |"
    ]
    assert rows[0].count("|") == compare.WORK_HEADER[0].count("|")


def test_a_later_run_replaces_the_pages_it_measured_again_and_keeps_the_rest(tmp_path):
    earlier = [
        sample("api", "before", 0, 3.4, size=1000, errors=5467),  # throttled: measured again
        sample("api", "after", 0, 80.0, size=1000),
        sample("list", "before", 0, 30.0, size=1000),
        sample("list", "after", 0, 29.0, size=1000),
    ]
    path = tmp_path / "earlier.json"
    compare.save(path, earlier, {"list": "Public portfolio list"}, {"command": "first"})
    again = [
        sample("api", "before", 0, 90.0, size=1000),
        sample("api", "after", 0, 95.0, size=1000),
    ]
    saved, labels, runs = compare.merge([path])
    assert saved == earlier and labels == {"list": "Public portfolio list"}
    assert runs == [{"command": "first"}]
    merged = compare.combined(saved, again)
    assert [(s.key, s.side, s.cpu_ms) for s in merged] == [
        ("list", "before", 30.0),
        ("list", "after", 29.0),
        ("api", "before", 90.0),
        ("api", "after", 95.0),
    ]
