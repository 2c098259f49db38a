"""6Aika's organisation as published on "Miten 6Aika toimii?" (shared/seeds/000_*.txt).

Transcribed from the source page, member by member. ``tests/governance/test_loader.py`` checks
every name, title and organisation here against the page text, so a typo cannot slip in.
Where the page names one organisation two ways ("Turku Science Park" / "Turku Science Park Oy",
"Business Tampere" / "Business Tampere Oy") the portal keeps one organisation, with its
registered name; the page's spelling is kept in ``SEED_ALIASES`` for that test.
"""

CITIES = [
    # slug, fi, sv, en
    ("helsinki", "Helsinki", "Helsingfors", "Helsinki"),
    ("espoo", "Espoo", "Esbo", "Espoo"),
    ("vantaa", "Vantaa", "Vanda", "Vantaa"),
    ("tampere", "Tampere", "Tammerfors", "Tampere"),
    ("turku", "Turku", "Åbo", "Turku"),
    ("oulu", "Oulu", "Uleåborg", "Oulu"),
]

# name, kind, city slug or None
ORGANISATIONS = [
    ("Helsingin kaupunki", "city", "helsinki"),
    ("Espoon kaupunki", "city", "espoo"),
    ("Vantaan kaupunki", "city", "vantaa"),
    ("Tampereen kaupunki", "city", "tampere"),
    ("Turun kaupunki", "city", "turku"),
    ("Oulun kaupunki", "city", "oulu"),
    ("BusinessOulu", "city_company", "oulu"),
    ("Business Tampere Oy", "city_company", "tampere"),
    ("Turku Science Park Oy", "city_company", "turku"),
    ("Uudenmaan liitto", "regional_council", None),
    ("Pirkanmaan liitto", "regional_council", None),
    ("Hämeen ELY-keskus", "ely_centre", None),
    ("Työ- ja elinkeinoministeriö", "ministry", None),
    ("Liikenne- ja viestintäministeriö", "ministry", None),
]

SEED_ALIASES = {
    "Business Tampere Oy": ["Business Tampere"],
    "Turku Science Park Oy": ["Turku Science Park"],
}

BODIES = {
    "board": {
        "order": 1,
        "names": {"fi": "Johtoryhmä", "sv": "Ledningsgrupp", "en": "Board"},
        "descriptions": {
            "fi": (
                "6Aika-strategian ylintä päätösvaltaa käyttää kuutoskaupunkien yhteinen "
                "johtoryhmä, joka koostuu kaupunkien elinkeino- ja innovaatioasioista tai "
                "kaupunkikehityksestä vastaavista johtajista. Johtoryhmä päättää muun muassa "
                "strategian tavoitteista ja rahoitettavista hankkeista sekä vastaa strategian "
                "seurannasta yhdessä rahoittajien kanssa."
            ),
            "sv": (
                "Den högsta beslutanderätten i 6Aika-strategin utövas av de sex städernas "
                "gemensamma ledningsgrupp. Den beslutar bland annat om strategins mål och om "
                "vilka projekt som finansieras och följer upp strategin tillsammans med "
                "finansiärerna."
            ),
            "en": (
                "The six cities' joint board exercises the highest decision power in the 6Aika "
                "strategy. It is made up of the cities' directors responsible for business and "
                "innovation or urban development. The board decides, among other things, the "
                "strategy's goals and which projects are funded, and monitors the strategy "
                "together with the funders."
            ),
        },
    },
    "steering_group": {
        "order": 2,
        "names": {"fi": "Ohjausryhmä", "sv": "Styrgrupp", "en": "Steering group"},
        "descriptions": {
            "fi": (
                "Ohjausryhmä tukee johtoryhmän työtä ja ohjaa 6Aika-koordinaation työtä. "
                "Ohjausryhmä vastaa hankkeiden haku- ja arviointiprosesseista, ohjaa kansallista "
                "ja kansainvälistä verkostoyhteistyötä ja seuraa hankkeiden toteutumista. "
                "Lisäksi ohjausryhmä valmistelee johtoryhmän käsittelemät asiat, toimeenpanee "
                "sen päätökset ja raportoi strategian toteutumisesta johtoryhmälle."
            ),
            "sv": (
                "Styrgruppen stöder ledningsgruppen och styr 6Aika-koordinationen. Den ansvarar "
                "för projektens ansöknings- och bedömningsprocesser, följer upp projektens "
                "genomförande, bereder ledningsgruppens ärenden och verkställer dess beslut."
            ),
            "en": (
                "The steering group supports the board and steers 6Aika's coordination. It runs "
                "the application and evaluation processes of calls, steers national and "
                "international network cooperation and monitors the projects. It also prepares "
                "the matters the board decides, carries out its decisions and reports to it on "
                "the strategy's progress."
            ),
        },
    },
}

# (first name, last name, title, organisation, unit)
P = tuple[str, str, str, str, str]

# Each seat: (role, member, deputy or None). Order is the page's order.
BOARD_SEATS: list[tuple[str, P, P | None]] = [
    (
        "chair",
        ("Tuula", "Antola", "Elinkeinojohtaja", "Espoon kaupunki", ""),
        ("Pia", "Wollsten", "Kehittämispäällikkö", "Espoon kaupunki", ""),
    ),
    (
        "member",
        ("Juha", "Ala-Mursula", "Johtaja", "BusinessOulu", ""),
        ("Aarne", "Kultalahti", "Innovaatiopäällikkö", "BusinessOulu", ""),
    ),
    (
        "member",
        ("Kimmo", "Viljamaa", "Elinkeinojohtaja", "Vantaan kaupunki", ""),
        ("Jaakko", "Niinistö", "Kasvupalvelujohtaja", "Vantaan kaupunki", ""),
    ),
    (
        "member",
        (
            "Teppo",
            "Rantanen",
            "Elinvoiman ja kilpailukyvyn palvelualueen johtaja",
            "Tampereen kaupunki",
            "",
        ),
        ("Tero", "Tenhunen", "Hankejohtaja", "Tampereen kaupunki", ""),
    ),
    (
        "member",
        ("Marja-Leena", "Rinkineva", "Elinkeinojohtaja", "Helsingin kaupunki", ""),
        ("Santtu", "von Bruun", "Yksikön päällikkö", "Helsingin kaupunki", ""),
    ),
    (
        "vice_chair",
        ("Pekka", "Sundman", "Kaupunkikehitysryhmän johtaja", "Turun kaupunki", ""),
        ("Niko", "Kyynäräinen", "Toimitusjohtaja", "Turku Science Park Oy", ""),
    ),
    (
        "member",
        ("Tiina", "Huotari", "Ohjelmajohtaja", "Uudenmaan liitto", ""),
        ("Hanna", "Laaksonen", "Rakennerahastoasiantuntija", "Uudenmaan liitto", ""),
    ),
    (
        "member",
        ("Johanna", "Osenius", "Aluekehitysjohtaja", "Työ- ja elinkeinoministeriö", ""),
        None,
    ),
    (
        "presenter",
        ("Mika", "Perttunen", "Erityisasiantuntija", "Vantaan kaupunki", ""),
        None,
    ),
]

STEERING_GROUP_SEATS: list[tuple[str, P, P | None]] = [
    ("chair", ("Mika", "Perttunen", "Erityisasiantuntija", "Vantaan kaupunki", ""), None),
    (
        "member",
        ("Riitta", "Birkstedt", "Hankejohtaja", "Turun kaupunki", ""),
        ("Marko", "Puhtila", "Kasvuvalmentaja", "Turku Science Park Oy", ""),
    ),
    (
        "member",
        ("Aarne", "Kultalahti", "Innovaatiopäällikkö", "BusinessOulu", ""),
        ("Ari", "Saine", "Rahoitusasiantuntija", "BusinessOulu", ""),
    ),
    (
        "member",
        ("Kimmo", "Heinonen", "Johtava asiantuntija", "Helsingin kaupunki", ""),
        ("Anna", "Lehtovaara", "Erityissuunnittelija", "Helsingin kaupunki", ""),
    ),
    (
        "member",
        ("Päivi", "Sutinen", "Palvelukehitysjohtaja", "Espoon kaupunki", ""),
        ("Teuvo", "Savikko", "Tutkimusjohtaja", "Espoon kaupunki", ""),
    ),
    (
        "vice_chair",
        ("Seppo", "Haataja", "Johtaja", "Business Tampere Oy", ""),
        ("Timo", "Antikainen", "Elinkeinojohtaja", "Tampereen kaupunki", ""),
    ),
    (
        "member",
        ("Tiina", "Huotari", "Ohjelmajohtaja", "Uudenmaan liitto", ""),
        ("Hanna", "Laaksonen", "Rakennerahastoasiantuntija", "Uudenmaan liitto", ""),
    ),
    ("member", ("Jukka", "Anttila", "Rahoitusasiantuntija", "Hämeen ELY-keskus", ""), None),
    (
        "member",
        (
            "Olli",
            "Voutilainen",
            "Ylitarkastaja",
            "Työ- ja elinkeinoministeriö",
            "alueet ja kasvupalvelut",
        ),
        None,
    ),
    (
        "member",
        (
            "Maaria",
            "Mäntyniemi",
            "Neuvotteleva virkamies",
            "Liikenne- ja viestintäministeriö",
            "tieto-osasto, tietoliiketoimintayksikkö",
        ),
        None,
    ),
]

ROTATING_SEAT_LABELS = {
    "fi": "6Aika-kaupunkikoordinaattori (vaihtuva edustus)",
    "sv": "6Aika-stadskoordinator (växlande representation)",
    "en": "6Aika city coordinator (rotating seat)",
}


# The people's titles and units in Swedish and English. The source page gives them in Finnish
# only; these are the forms the bilingual cities and the ministries use for the same posts.
TITLES: dict[str, tuple[str, str]] = {
    # Finnish: (Swedish, English)
    "Elinkeinojohtaja": ("Näringslivsdirektör", "Director of Economic Development"),
    "Kehittämispäällikkö": ("Utvecklingschef", "Development Manager"),
    "Johtaja": ("Direktör", "Director"),
    "Innovaatiopäällikkö": ("Innovationschef", "Innovation Manager"),
    "Kasvupalvelujohtaja": ("Direktör för tillväxttjänster", "Director of Growth Services"),
    "Elinvoiman ja kilpailukyvyn palvelualueen johtaja": (
        "Direktör för serviceområdet livskraft och konkurrenskraft",
        "Director of Vitality and Competitiveness Services",
    ),
    "Hankejohtaja": ("Projektdirektör", "Project Director"),
    "Yksikön päällikkö": ("Enhetschef", "Head of Unit"),
    "Kaupunkikehitysryhmän johtaja": (
        "Direktör för stadsutvecklingsgruppen",
        "Director of the Urban Development Group",
    ),
    "Toimitusjohtaja": ("Verkställande direktör", "Chief Executive Officer"),
    "Ohjelmajohtaja": ("Programdirektör", "Programme Director"),
    "Rakennerahastoasiantuntija": ("Strukturfondsexpert", "Structural Funds Expert"),
    "Aluekehitysjohtaja": ("Regionutvecklingsdirektör", "Director of Regional Development"),
    "Erityisasiantuntija": ("Specialsakkunnig", "Senior Specialist"),
    "Kasvuvalmentaja": ("Tillväxtcoach", "Growth Coach"),
    "Rahoitusasiantuntija": ("Finansieringsexpert", "Funding Expert"),
    "Johtava asiantuntija": ("Ledande sakkunnig", "Principal Specialist"),
    "Erityissuunnittelija": ("Specialplanerare", "Senior Planner"),
    "Palvelukehitysjohtaja": ("Direktör för serviceutveckling", "Director of Service Development"),
    "Tutkimusjohtaja": ("Forskningsdirektör", "Research Director"),
    "Ylitarkastaja": ("Överinspektör", "Senior Inspector"),
    "Neuvotteleva virkamies": ("Konsultativ tjänsteman", "Ministerial Adviser"),
}
UNITS: dict[str, tuple[str, str]] = {
    "alueet ja kasvupalvelut": ("regioner och tillväxttjänster", "regions and growth services"),
    "tieto-osasto, tietoliiketoimintayksikkö": (
        "dataavdelningen, enheten för dataekonomi",
        "Data Department, Data Economy Unit",
    ),
}
