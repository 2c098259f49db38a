"""core.translated: a translated field's value from plain columns, as modeltranslation says it."""

import pytest
from django.utils import translation

from core.translated import Translated
from projects.models import Project
from tests.projects import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_same_value_as_the_model_s_attribute(org_6aika, language):
    projects = [factories.project(name=f"Hanke {n}") for n in range(4)]
    Project.objects.filter(pk=projects[0].pk).update(name_sv="Projekt", name_en="Project")
    Project.objects.filter(pk=projects[1].pk).update(name_sv="", name_en=None)
    Project.objects.filter(pk=projects[2].pk).update(name_fi="", name_sv="Bara svenska")
    Project.objects.filter(pk=projects[3].pk).update(name_fi="", name_sv="", name_en="")
    name = Translated(Project, "name")
    with translation.override(language):
        columns = name.columns()
        assert columns[0] == f"name_{language}"
        ours = {pk: name.value(v) for pk, *v in Project.objects.values_list("pk", *columns)}
        theirs = dict(Project.objects.values_list("pk", "name"))
        attributes = {p.pk: p.name for p in Project.objects.all()}
    assert ours == theirs == attributes


def test_only_a_translated_field():
    with pytest.raises(TypeError):
        Translated(Project, "status")
