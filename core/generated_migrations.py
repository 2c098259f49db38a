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


def code_for(text: str, codes: list[str]) -> tuple[str, dict] | None:
    """(code, values) if ``text`` is one of ``codes``' old texts, else None."""
    for code in codes:
        for pattern in OLD_TEXTS[code]:
            match = re.fullmatch(pattern, text.strip(), flags=re.S)
            if match:
                values = {k: int(v) if k == "count" else v for k, v in match.groupdict().items()}
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
