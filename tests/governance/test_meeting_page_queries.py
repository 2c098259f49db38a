"""The board's meeting page issues a fixed number of queries however long its agenda is."""

import pytest
from django.urls import reverse

from governance import services
from governance.demo import meetings_demo_load

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("extra_items", [0, 12])
def test_meeting_page_query_count_is_fixed(
    client_as, demo_users, django_assert_num_queries, extra_items
):
    demo = meetings_demo_load()
    office = demo_users["toimisto"]
    meeting = demo.upcoming
    for i in range(extra_items):
        services.agenda_item_add(
            meeting=meeting, title=f"Lisäasia {i}", draft_decision="Merkitään tiedoksi.", by=office
        )
    client = client_as("johtoryhma-pj")
    url = reverse("meetings:detail", args=[meeting.pk])
    client.get(url)  # warm the session and role caches
    with django_assert_num_queries(13):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert len(response.context["page"].items) == 3 + extra_items
    assert ("Lisäasia 11" in html) is bool(extra_items)
