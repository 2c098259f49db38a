"""tests/waiting.py: waits woken by events, failing at the deadline with what was said."""

import subprocess
import sys
import threading

import psycopg
import pytest

from governance.models import City
from tests.waiting import Events, row_changes, start


def test_output_wakes_on_the_line_keeps_the_log_and_knows_when_the_process_ended(tmp_path):
    log = tmp_path / "out.log"
    code = "import sys; print('starting'); print('ready now', flush=True); sys.stdin.read()"
    process, output = start([sys.executable, "-c", code], log, stdin=subprocess.PIPE)
    output.wait_for(r"^ready", 30, "the ready line")
    assert process.poll() is None  # woken by the line, not by the process's end
    process.stdin.close()
    process.wait(timeout=30)
    with pytest.raises(AssertionError, match="a line never written: the process ended without it"):
        output.wait_for(r"^never", 30, "a line never written")
    output.close()
    assert log.read_text() == "starting\nready now\n"


def test_a_condition_that_never_holds_fails_at_its_deadline_naming_it():
    with pytest.raises(AssertionError, match=r"the thing: not within 0\.2 s\ntold"):
        Events().until(lambda: False, 0.2, "the thing", tell=lambda: "told")


def test_an_event_from_another_thread_wakes_the_wait():
    events, state = Events(), {"done": False}

    def work():
        state["done"] = True
        events.happened()

    threading.Thread(target=work).start()
    events.until(lambda: state["done"], 30, "the thread's work")


@pytest.mark.django_db(transaction=True)
def test_a_commit_by_another_connection_wakes_row_changes(org_6aika):
    from tests.waiting import _conninfo

    city = City.objects.get(slug="oulu")
    with row_changes(City) as changes:
        other = psycopg.connect(_conninfo(), autocommit=True)
        thread = threading.Thread(
            target=other.execute,
            args=("UPDATE governance_city SET name_en = 'Oulu!' WHERE id = %s", [city.pk]),
        )
        thread.start()
        changes.until(
            lambda: City.objects.filter(pk=city.pk, name_en="Oulu!").exists(), 30, "the update"
        )
        thread.join()
        other.close()
