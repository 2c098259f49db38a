"""The portal's roles. A role is a Django group; which city a coordinator coordinates is a
django-guardian object permission (``governance.coordinate_city``) on that city."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STRATEGY_OFFICE = "strategy_office", _("Strategy office")
    COORDINATOR = "coordinator", _("City coordinator")
    BOARD = "board", _("Board member")
    STEERING_GROUP = "steering_group", _("Steering group member")
    FUNDER = "funder", _("Funder")
