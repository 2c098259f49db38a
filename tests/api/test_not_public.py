"""Calls, applications and their evaluation are not public: nothing of them leaves through the
API, not even the name of an organisation known only as an applicant."""

import pytest
from django.urls import reverse

from calls.models import Application, Evaluation
from governance.models import Person
from projects.api.downloads import DATASETS, FORMATS

from ..calls import factories as calls_factories
from . import factories
from .responses import text as body_text

SECRET_TITLE = "SALAINEN-HAKEMUS"
SECRET_COMMENT = "SALAINEN-ARVIOINTI"
APPLICANT = "Vain Hakijana Oy"


@pytest.mark.django_db
def test_applications_and_evaluations_never_leave(api):
    factories.project()
    the_call = calls_factories.call()
    application = calls_factories.application(
        the_call,
        title=SECRET_TITLE,
        applicant=calls_factories.org(APPLICANT, "helsinki"),
        co_applicants=[],
    )
    evaluator = Person.objects.get(first_name="Riitta", last_name="Birkstedt")
    calls_factories.evaluator_user("Riitta", "Birkstedt")
    calls_factories.score(application, evaluator, [4, 3], comment=SECRET_COMMENT)
    assert Evaluation.objects.filter(application=application).exists()
    assert Application.objects.filter(title=SECRET_TITLE).exists()

    urls = [
        reverse(name)
        for name in (
            "api:root",
            "api:project-list",
            "api:organisation-list",
            "api:body-list",
            "api:decision-list",
        )
    ] + [
        reverse("api:download", kwargs={"dataset": dataset, "fmt": fmt})
        for dataset in DATASETS
        for fmt in FORMATS
    ]
    for url in urls:
        response = api.get(url, {"page_size": 500} if "downloads" not in url else {})
        assert response.status_code == 200, url
        text = body_text(response)
        for secret in (SECRET_TITLE, SECRET_COMMENT, APPLICANT, the_call.name):
            assert secret not in text, (url, secret)
    applicant = application.applicant
    detail = api.get(reverse("api:organisation-detail", args=[applicant.pk]))
    assert detail.status_code == 404
