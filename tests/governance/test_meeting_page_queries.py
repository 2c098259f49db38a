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
    # the session is read from Redis; the user and their roles are one statement (core/auth.py)
    with django_assert_num_queries(11):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert len(response.context["page"].items) == 3 + extra_items
    assert ("Lisäasia 11" in html) is bool(extra_items)


def test_the_meeting_s_data_is_kept_until_governance_changes(
    client_as, demo_users, django_assert_num_queries, settings
):
    """Kept (core.page_cache.shared_data) where pages are kept: the same page from fewer
    queries, and a change shows on the next request."""
    settings.SIXAIKA_PAGE_CACHE = True
    demo = meetings_demo_load()  # a governance write: versions nothing else has kept under
    meeting = demo.upcoming
    client = client_as("johtoryhma-pj")
    url = reverse("meetings:detail", args=[meeting.pk])
    assert client.get(url).status_code == 200
    with django_assert_num_queries(5):  # 11 without: none of meeting_page's, nor the panel's
        again = client.get(url)
    assert [item.title for item in again.context["page"].items] == [
        item.title for item in meeting.items.order_by("order")
    ]
    services.agenda_item_add(
        meeting=meeting,
        title="Lisäasia",
        draft_decision="Merkitään tiedoksi.",
        by=demo_users["toimisto"],
    )
    assert "Lisäasia" in client.get(url).content.decode()
    # Who may see the meeting is decided on every request: the data kept is not a pass.
    assert client_as("koordinaattori-tampere").get(url).status_code in (403, 404)
