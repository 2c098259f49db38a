"""The form that asks for a monitoring report, and the upload of the organisation directory."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.tables import check_upload
from governance.models import Body, City, Meeting
from governance.permissions import coordinated_city_ids, meetings_for_user
from projects.models import Project

from . import permissions
from .models import Report


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Report"), choices=Report.Kind.choices)
    as_of = forms.DateField(
        label=_("Report date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The figures are as they stand on this date."),
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=Report.Language.choices, initial=Report.Language.FI
    )
    city = forms.ModelChoiceField(
        label=_("City"), queryset=City.objects.order_by("order"), required=False
    )
    project = forms.ModelChoiceField(
        label=_("Project"), queryset=Project.objects.order_by("name_fi"), required=False
    )
    meeting = forms.ModelChoiceField(
        label=_("Board meeting"),
        queryset=Meeting.objects.filter(body__kind=Body.Kind.BOARD)
        .select_related("body")
        .order_by("-starts_at"),
        required=False,
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["as_of"].initial = timezone.localdate()
        # Only the meetings whose page the user may open (governance.permissions).
        self.fields["meeting"].queryset = self.fields["meeting"].queryset.filter(
            pk__in=meetings_for_user(user).values("pk")
        )
        self.fields["kind"].choices = [
            (value, label)
            for value, label in Report.Kind.choices
            if value == Report.Kind.PROJECT
            or permissions.can_have_report(user, value, city_id=None)
            or (value == Report.Kind.CITY and coordinated_city_ids(user))
        ]

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        subject = {
            Report.Kind.CITY: ("city", _("Choose the city.")),
            Report.Kind.PROJECT: ("project", _("Choose the project.")),
            Report.Kind.MEETING_PACK: ("meeting", _("Choose the meeting.")),
        }.get(kind)
        if subject and not data.get(subject[0]) and subject[0] not in self.errors:
            self.add_error(subject[0], subject[1])
            return data
        city, project, meeting = data.get("city"), data.get("project"), data.get("meeting")
        if kind and not permissions.can_have_report(
            self.user,
            kind,
            city_id=city.pk if city and kind == Report.Kind.CITY else None,
            project_id=project.pk if project and kind == Report.Kind.PROJECT else None,
            meeting=meeting if kind == Report.Kind.MEETING_PACK else None,
        ):
            field = subject[0] if subject else "kind"
            self.add_error(field, _("You may not have this report."))
        return data


class OrganisationImportForm(forms.Form):
    """The file's name, size and kind (``tables.check_upload``); its rows are read by
    ``resources.organisations_import``."""

    MAX_BYTES = 5 * 1024 * 1024

    file = forms.FileField(
        label=_("CSV or XLSX file"),
        error_messages={
            "required": _("Choose a CSV or XLSX file."),
            "empty": _("The file is empty: choose the file with the organisations."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if not file.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("The file must be CSV or XLSX."))
        if file.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        check_upload(file, xlsx=True)
        return file
