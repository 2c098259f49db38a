"""Admin for the strategy office's corrections to calls, applications and evaluations.

Calls and applications are made on /calls/, where the rules are enforced. What a service keeps
consistent is read-only here (``ViewOnlyMixin``): applications' eligibility and funding,
attachments, evaluations and their scores, conflicts. Changelists name the related rows they show
in ``list_select_related`` (no query per row).
"""

from django.contrib import admin

from governance.admin import ViewOnlyMixin

from .models import (
    Application,
    ApplicationAttachment,
    Call,
    Criterion,
    CriterionScore,
    Evaluation,
    EvaluationConflict,
)


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    min_num = 1  # a call is judged on at least one criterion (services.call_create)

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("validate_min", True)  # min_num alone only shows the empty form
        return super().get_formset(request, obj, **kwargs)


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ("name", "programme", "instrument", "funder", "opens_on", "closes_on")
    list_filter = ("programme", "instrument", "two_stage")
    list_select_related = ("programme", "funder")
    search_fields = ("name", "description")
    date_hierarchy = "opens_on"
    filter_horizontal = ("themes",)
    readonly_fields = ("created_by", "created_at")
    inlines = [CriterionInline]
    # "Import applications" leads to the call's import page (the strict file reading and the
    # resource, calls/resources.py): the admin has no second import path.
    change_form_template = "admin/calls/call/change_form.html"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ("name", "call", "order", "weight")
    list_filter = ("call",)
    list_select_related = ("call",)
    search_fields = ("name", "call__name")


class AttachmentInline(admin.TabularInline):
    model = ApplicationAttachment
    extra = 0
    can_delete = False
    fields = ("title", "original_name", "size", "uploaded_by", "uploaded_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Registered on /calls/ (one at a time or by import), where the two-city rule's verdict and
    the cities are worked out; funded from the board's decision. Here only the applicant's own
    texts, figures and dates can be corrected."""

    list_display = ("title", "call", "stage", "applicant", "requested", "project")
    list_filter = ("call", "stage")
    list_select_related = ("call", "applicant", "project")
    search_fields = ("title", "applicant__name", "call__name")
    readonly_fields = (
        "call",
        "stage",
        "idea",
        "applicant",
        "co_applicants",
        "cities",
        "eligibility_problem",
        "agenda_item",
        "project",
        "funding_decision",
        "registered_by",
        "registered_at",
    )
    inlines = [AttachmentInline]

    def has_add_permission(self, request):
        return False


@admin.register(ApplicationAttachment)
class ApplicationAttachmentAdmin(ViewOnlyMixin, admin.ModelAdmin):
    """Added on the application's page, which checks that the file is a PDF."""

    list_display = ("title", "application", "original_name", "size", "uploaded_at")
    list_select_related = ("application",)
    search_fields = ("title", "original_name", "application__title")


class CriterionScoreInline(admin.TabularInline):
    model = CriterionScore
    extra = 0
    can_delete = False
    readonly_fields = ("criterion", "score")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Evaluation)
class EvaluationAdmin(ViewOnlyMixin, admin.ModelAdmin):
    """A steering group member's own scores, submitted on the call's pages: not edited by
    anyone else."""

    list_display = ("application", "evaluator", "submitted_at")
    list_filter = ("application__call",)
    list_select_related = ("application", "evaluator")
    search_fields = ("application__title", "evaluator__last_name")
    inlines = [CriterionScoreInline]


@admin.register(CriterionScore)
class CriterionScoreAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ("evaluation", "criterion", "score")
    list_filter = ("criterion__call",)
    list_select_related = ("evaluation__application", "evaluation__evaluator", "criterion")
    search_fields = ("evaluation__application__title", "evaluation__evaluator__last_name")


@admin.register(EvaluationConflict)
class EvaluationConflictAdmin(ViewOnlyMixin, admin.ModelAdmin):
    """Proposed by the portal and declared by the member on the call's pages."""

    list_display = ("application", "person", "stage", "confirmed", "declared_at")
    list_filter = ("stage", "confirmed", "application__call")
    list_select_related = ("application", "person")
    search_fields = ("application__title", "person__last_name", "reason")
