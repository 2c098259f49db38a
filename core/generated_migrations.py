"""Old free texts to codes: the data migrations that gave generated texts their codes use this.

A row written before codes existed holds the portal's text in the language of its day (Finnish,
or English for a request made in English). A text that matches one of the patterns below gets
the code and the values read from it; any other text (one a person wrote) stays as it is and is
shown as written (``core.generated.render``'s fallback).
"""

import re

# code -> the texts it was written as, with (?P<name>...) for each value
OLD_TEXTS: dict[str, list[str]] = {
    "projects.two_city_rule": [
        r"6Aika-hankkeella on oltava toteuttajia vähintään kahdesta kuudesta kaupungista; "
        r"tämän hankkeen toteuttajat ovat (?P<count>\d+) kaupungista\.",
        r"A 6Aika project needs implementers from at least two of the six cities; "
        r"the implementers here come from (?P<count>\d+)\.",
        r"Ett 6Aika-projekt behöver genomförare från minst två av de sex städerna; "
        r"genomförarna här kommer från (?P<count>\d+)\.",
    ],
    # What an imported project lacks (Project.completion): written in the importer's language.
    "projects.lead_missing": [
        r"Päätoteuttaja puuttuu\.",
        r"Huvudgenomföraren saknas\.",
        r"The lead implementer is missing\.",
    ],
    "projects.period_incomplete": [
        r"Toteutusaika on puutteellinen\.",
        r"Genomförandetiden är ofullständig\.",
        r"The implementation period is incomplete\.",
    ],
    "projects.grant_missing": [
        r"Rahoittajan (?P<funders>.+) myöntämä summa puuttuu\.",
        r"Den summa som (?P<funders>.+) beviljat saknas\.",
        r"The granted sum of (?P<funders>.+) is missing\.",
    ],
    "projects.grant_funder_missing": [
        r"Myönnetyn summan (?P<amount>[\d\s,.]+€) rahoittaja puuttuu\.",
        r"Finansiären för den beviljade summan (?P<amount>[\d\s,.]+€) saknas\.",
        r"The funder of the granted sum (?P<amount>[\d\s,.]+€) is missing\.",
    ],
    "projects.grant_undivided": [
        r"Myönnettyä summaa (?P<amount>[\d\s,.]+€) ei ole jaettu rahoittajien (?P<funders>.+) "
        r"kesken\.",
        r"Den beviljade summan (?P<amount>[\d\s,.]+€) är inte fördelad mellan "
        r"(?P<funders>.+)\.",
        r"The granted sum (?P<amount>[\d\s,.]+€) is not divided between (?P<funders>.+)\.",
    ],
    "projects.instrument_missing": [
        r"Rahoittajan (?P<funders>.+) rahoitusinstrumentti puuttuu\.",
        r"Finansieringsinstrumentet för (?P<funders>.+) saknas\.",
        r"The funding instrument of (?P<funders>.+) is missing\.",
    ],
    "calls.conflict.org_applies": [
        r"(?P<org>.+) on hakijoiden joukossa\.",
        r"(?P<org>.+) is among the applicants\.",
    ],
    "calls.conflict.org_applies_under_item": [
        r"(?P<org>.+) on hakijana tässä asiassa \((?P<title>.*)\)\.",
        r"(?P<org>.+) applies under this item \((?P<title>.*)\)\.",
    ],
}


def _value(name: str, text: str) -> object:
    if name == "count":
        return int(text)
    if name == "amount":  # "1 250 000,00 €" as written then: kept as a plain number
        return "".join(text.replace("€", "").split()).replace(",", ".")
    return text


def code_for(text: str, codes: list[str]) -> tuple[str, dict] | None:
    """(code, values) if ``text`` is one of ``codes``' old texts, else None."""
    for code in codes:
        for pattern in OLD_TEXTS[code]:
            match = re.fullmatch(pattern, text.strip(), flags=re.S)
            if match:
                values = {k: _value(k, v) for k, v in match.groupdict().items()}
                return code, values
    return None


def convert(model, text_field: str, code_field: str, params_field: str, codes: list[str]) -> int:
    """Give every row of ``model`` whose text is an old generated text its code; return how many."""
    changed = 0
    for row in model.objects.filter(**{code_field: ""}).exclude(**{text_field: ""}).iterator():
        found = code_for(getattr(row, text_field), codes)
        if found:
            setattr(row, code_field, found[0])
            setattr(row, params_field, found[1])
            row.save(update_fields=[code_field, params_field])
            changed += 1
    return changed


def convert_lines(model, text_field: str, list_field: str, codes: list[str]) -> int:
    """Give every row of ``model`` whose ``text_field`` holds old generated texts, one a line,
    their codes in ``list_field`` (a list of {"code", "params"}); a line that is no known text
    stays as written ({"code": "", "text": line}). Returns how many rows changed."""
    changed = 0
    for row in model.objects.filter(**{list_field: []}).exclude(**{text_field: ""}).iterator():
        items: list[dict] = []
        for line in getattr(row, text_field).splitlines():
            if not line.strip():
                continue
            found = code_for(line, codes)
            items.append(
                {"code": found[0], "params": found[1]} if found else {"code": "", "text": line}
            )
        setattr(row, list_field, items)
        row.save(update_fields=[list_field])
        changed += 1
    return changed
