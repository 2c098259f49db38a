"""Lenient parsing of what people type or paste: Finnish and international amounts and dates."""

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

_SPACES = re.compile(r"[\s\u00a0\u202f]")


def parse_amount(text: str) -> Decimal:
    """``1234567.89``, ``1234567,89``, ``1 234 567,89`` (also with a trailing €) -> Decimal.

    Raises ValueError for anything else, including negative amounts.
    """
    value = _SPACES.sub("", str(text)).removesuffix("€").removesuffix("EUR")
    if not value:
        raise ValueError("empty")
    if "," in value and "." in value:
        raise ValueError("both separators")
    value = value.replace(",", ".")
    if not re.fullmatch(r"\d+(\.\d{1,2})?", value):
        raise ValueError("not an amount")
    try:
        return Decimal(value)
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only valid numbers
        raise ValueError("not an amount") from exc


def parse_date(text: str) -> dt.date:
    """``2022-01-31`` or ``31.1.2022`` -> date; raises ValueError otherwise."""
    value = str(text).strip()
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", value):
        year, month, day = (int(g) for g in m.groups())
    elif m := re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", value):
        day, month, year = (int(g) for g in m.groups())
    else:
        raise ValueError("not a date")
    return dt.date(year, month, day)


def split_list(text: str) -> list[str]:
    """A cell holding a list: items separated by ``;``; blanks dropped."""
    return [item.strip() for item in str(text or "").split(";") if item.strip()]
