"""The real portfolio data shipped with the portal, loaded by ``load_6aika`` through the
services: the programmes and SIXNET (``sixnet.py``). Demo data is in ``demo.py``."""

import datetime as dt
from decimal import Decimal

from django.db import transaction

from governance.models import Organisation

from . import sixnet
from .models import Project
from .services import ProjectSpec, programmes_ensure, project_actions_replace, project_upsert


def sixnet_load() -> Project:
    """SIXNET from its project page (docs/sources/sixnet.txt). Idempotent."""
    with transaction.atomic():
        programmes = programmes_ensure()
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


def portfolio_6aika_load() -> dict[str, int]:
    """The real portfolio data ``load_6aika`` loads: programmes and SIXNET."""
    programmes_ensure()
    sixnet_load()
    return {"projects": Project.objects.count()}
