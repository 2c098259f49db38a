"""The real portfolio data shipped with the portal, loaded by ``load_6aika`` through the
services: the programmes and SIXNET (``sixnet.py``). Demo data is in ``demo.py``."""

import datetime as dt
from decimal import Decimal

from django.db import transaction

from governance.models import Organisation

from . import sixnet
from .models import Programme, Project
from .services import (
    ProjectSpec,
    programmes_ensure,
    project_actions_replace,
    project_find,
    project_upsert,
)


def _programmes(*, resync: bool) -> dict[str, Programme]:
    stored = {p.slug: p for p in Programme.objects.filter(slug__in=["6aika", "other"])}
    return stored if len(stored) == 2 and not resync else programmes_ensure()


def sixnet_load(*, resync: bool = False) -> Project:
    """SIXNET from its project page (docs/sources/sixnet.txt). Idempotent. A stored SIXNET is
    left as the strategy office has edited it unless ``resync``."""
    with transaction.atomic():
        if not resync and (found := project_find(code="", name_fi=sixnet.NAME_FI)):
            return found
        programmes = _programmes(resync=resync)
        project = project_upsert(
            spec=ProjectSpec(
                name_fi=sixnet.NAME_FI,
                name_en=sixnet.NAME_EN,
                summary_fi=sixnet.SUMMARY_FI,
                programme=programmes["other"],
                lead=Organisation.objects.get(name=sixnet.IMPLEMENTER),
                start_date=dt.date.fromisoformat(sixnet.START),
                end_date=dt.date.fromisoformat(sixnet.END),
                total_cost=Decimal(sixnet.TOTAL_COST),
                grants=[
                    (
                        Organisation.objects.get(name=sixnet.FUNDER),
                        sixnet.INSTRUMENT,
                        Decimal(sixnet.GRANTED),
                    )
                ],
            )
        )
        project_actions_replace(project=project, actions=sixnet.ACTIONS)
        return project


def portfolio_6aika_load(*, resync: bool = False) -> dict[str, int]:
    """The real portfolio data ``load_6aika`` loads: programmes and SIXNET (what is missing, or
    everything again with ``resync``)."""
    _programmes(resync=resync)
    sixnet_load(resync=resync)
    return {"projects": Project.objects.count()}
