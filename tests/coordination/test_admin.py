"""The strategy office's admin lists the coordination records; coordinator terms are read-only
there because assigning one must also grant the city permission (done on /coordinators/)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

MODELS = [
    "citycoordinator",
    "rotatingseatturn",
    "annualclockevent",
    "visitorgroup",
    "event",
    "resultadoption",
]


@pytest.mark.parametrize("model", MODELS)
def test_office_sees_each_changelist(client_as, model):
    response = client_as("toimisto").get(reverse(f"admin:coordination_{model}_changelist"))
    assert response.status_code == 200


def test_coordinator_terms_cannot_be_added_in_the_admin(client_as):
    response = client_as("toimisto").get(reverse("admin:coordination_citycoordinator_add"))
    assert response.status_code == 403
