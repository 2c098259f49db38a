"""The portfolio import's django-import-export resource and the widgets every import reads its
cells with (projects/resources.py): one parser for amounts and dates, messages by column in
the reader's language, a dry run and all or nothing through import-export's own result."""

import datetime as dt
from decimal import Decimal

import pytest
import tablib
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import override

from governance.models import Organisation
from projects.imports import projects_import
from projects.models import Project
from projects.resources import (
    COLUMNS,
    OPTIONAL_COLUMNS,
    AmountWidget,
    CellProblems,
    DateWidget,
    ListWidget,
    ProjectResource,
    TextWidget,
    not_a_date,
    not_an_amount,
)

HEADERS = [*COLUMNS, *OPTIONAL_COLUMNS]


def row(n: int, **changes: str) -> list[str]:
    good = {
        "code": f"R7700{n}",
        "name_fi": f"Resurssihanke {n}",
        "programme": "6aika",
        "lead_organisation": "Tampereen kaupunki",
        "partner_organisations": "Turun kaupunki",
        "cities": "Tampere; Turku",
        "instrument": "ESR",
        "funder": "Hämeen ELY-keskus",
        "total_budget_eur": "500000",
        "granted_eur": "400000",
        "start_date": "1.1.2023",
        "end_date": "31.12.2025",
    }
    good.update(changes)
    return [good.get(column, "") for column in HEADERS]


def dataset(*rows: list[str]) -> tablib.Dataset:
    data = tablib.Dataset(headers=HEADERS)
    for values in rows:
        data.append(values)
    return data


def stored() -> list[tuple]:
    return sorted(Project.objects.values_list("code", "name_fi", "total_cost", "granted"))


# --- Widgets ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1234567.89", Decimal("1234567.89")),
        ("1234567,89", Decimal("1234567.89")),
        ("1 234 567,89 €", Decimal("1234567.89")),
        ("", None),
    ],
)
def test_the_amount_widget_reads_what_the_one_parser_reads(cell, expected):
    assert AmountWidget(not_an_amount).clean(cell) == expected


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("1e5", "”1e5” ei ole summa"),
        ("-5", "”-5” on negatiivinen"),
        ("=SUM(1;2)", "”=SUM(1;2)” ei ole summa"),
    ],
)
def test_the_amount_widget_refuses_in_the_readers_language(cell, message):
    with override("fi"), pytest.raises(CellProblems) as refused:
        AmountWidget(not_an_amount).clean(cell)
    assert message in refused.value.messages[0]
    assert isinstance(refused.value, ValueError)  # what import-export expects of a widget


def test_the_date_widget_takes_a_workbook_date_time_only_where_asked():
    assert DateWidget(not_a_date).clean("31.1.2022") == dt.date(2022, 1, 31)
    assert DateWidget(not_a_date, cell_times=True).clean("2022-01-31T00:00:00") == dt.date(
        2022, 1, 31
    )
    with override("en"), pytest.raises(CellProblems) as refused:
        DateWidget(not_a_date).clean("2022-01-31T00:00:00")
    assert refused.value.messages == [
        "“2022-01-31T00:00:00” is not a date; write 2022-01-31 or 31.1.2022."
    ]


def test_a_list_names_every_bad_item():
    widget = ListWidget(TextWidget(max_length=5))
    assert widget.clean(" a ;  b  c ;; ") == ["a", "b c"]
    with override("en"), pytest.raises(CellProblems) as refused:
        widget.clean("kuusikko; ok; seitsemän")
    assert refused.value.messages == [
        "“kuusikko…” is 8 characters long; at most 5 fit.",
        "“seitsemän…” is 9 characters long; at most 5 fit.",
    ]


# --- The resource -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_dry_run_of_the_resource_previews_and_saves_nothing(org_6aika):
    before = stored()
    resource = ProjectResource(numbers=[2, 3], refuse_unknown=False)
    result = resource.import_data(
        dataset(row(1), row(2)), dry_run=True, use_transactions=True,
        rollback_on_validation_errors=True,
    )  # fmt: skip
    assert not result.has_errors() and not result.has_validation_errors()
    assert [r.import_type for r in result.rows] == ["new", "new"]
    assert [(s.row, s.code, s.action) for s in resource.saved.values()] == [
        (2, "R77001", "new"),
        (3, "R77002", "new"),
    ]
    assert stored() == before


@pytest.mark.django_db
def test_a_refused_row_is_an_invalid_row_by_column_and_nothing_is_saved(org_6aika):
    before = stored()
    resource = ProjectResource(numbers=[2, 5], refuse_unknown=True)
    with override("fi"):
        result = resource.import_data(
            dataset(row(1), row(2, total_budget_eur="1e5", cities="Lahti")),
            dry_run=False, use_transactions=True, rollback_on_validation_errors=True,
        )  # fmt: skip
    assert [invalid.number for invalid in result.invalid_rows] == [2]
    errors = result.invalid_rows[0].error_dict
    assert set(errors) == {"total_budget_eur", "cities"}
    assert "”1e5” ei ole summa" in errors["total_budget_eur"][0]
    assert "”Lahti” ei ole yksi kuudesta" in errors["cities"][0]
    # the good row of the refused file is held back, never written
    assert [r.import_type for r in result.rows] == ["skip", "invalid"]
    assert stored() == before


@pytest.mark.django_db
def test_unknown_organisations_are_refused_by_the_resource_unless_confirmed(org_6aika):
    data = dataset(row(1, lead_organisation="Tampereen kaupunkii"))
    organisations = Organisation.objects.count()
    refusing = ProjectResource(numbers=[2], refuse_unknown=True)
    with override("en"):
        result = refusing.import_data(
            data, dry_run=False, use_transactions=True, rollback_on_validation_errors=True
        )
    message = result.invalid_rows[0].error_dict["lead_organisation"][0]
    assert "Did you mean “Tampereen kaupunki”, " in message
    assert [u.name for u in refusing.unknown] == ["Tampereen kaupunkii"]
    assert Organisation.objects.count() == organisations
    confirming = ProjectResource(numbers=[2], refuse_unknown=False)
    result = confirming.import_data(
        data, dry_run=False, use_transactions=True, rollback_on_validation_errors=True
    )
    assert not result.has_validation_errors()
    lead = Project.objects.get(code="R77001").implementers.get(is_lead=True)
    assert lead.organisation.name == "Tampereen kaupunkii"


@pytest.mark.django_db
def test_a_refusal_of_the_service_is_the_rows_and_rolls_back_the_rows_before_it(org_6aika):
    """A row the service refuses (a name whose stored project has another code) is an invalid
    row of the resource's result; the good row written before it is rolled back."""
    projects_import(
        content=_csv(row(1)), filename="p.csv", dry_run=False, create_organisations=True
    )
    before = stored()
    resource = ProjectResource(numbers=[2, 3], refuse_unknown=False)
    with override("en"):
        result = resource.import_data(
            dataset(row(3), row(4, code="X1", name_fi="Resurssihanke 1")),
            dry_run=False, use_transactions=True, rollback_on_validation_errors=True,
        )  # fmt: skip
    assert [r.import_type for r in result.rows] == ["new", "invalid"]
    assert "already has the code R77001" in result.invalid_rows[0].error_dict["code"][0]
    assert NON_FIELD_ERRORS not in result.invalid_rows[0].error_dict
    assert stored() == before


def _csv(*rows: list[str]) -> bytes:
    lines = [",".join(HEADERS)] + [",".join(f'"{v}"' for v in values) for values in rows]
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.django_db
def test_the_import_is_the_resources_result(org_6aika, monkeypatch):
    """``projects_import`` (the page, the command) runs the rows through ProjectResource."""
    seen = []
    original = ProjectResource.import_data

    def spy(self, data, **kwargs):
        seen.append((type(self).__name__, len(data), kwargs["dry_run"]))
        return original(self, data, **kwargs)

    monkeypatch.setattr(ProjectResource, "import_data", spy)
    result = projects_import(content=_csv(row(1), row(2)), filename="p.csv", dry_run=True)
    assert result.ok and [r.code for r in result.rows] == ["R77001", "R77002"]
    assert seen == [("ProjectResource", 2, True)]
