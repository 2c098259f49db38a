"""SIXNET – alueiden teollisuusverkosto, as its project page gives it (docs/sources/sixnet.txt).

Transcribed from the page; ``tests/projects/test_sixnet.py`` checks every action and sub-action
here against the page text. SIXNET is a related project in the portfolio, not 6Aika-funded."""

NAME_FI = "SIXNET - alueiden teollisuusverkosto"
NAME_EN = "SIXNET – regional industry network"
IMPLEMENTER = "Business Tampere Oy"
FUNDER = "Pirkanmaan liitto"
INSTRUMENT = "AKKE"
GRANTED = "260000"
TOTAL_COST = "325000"
START = "2022-01-01"
END = "2023-12-31"

SUMMARY_FI = (
    "Hankkeella luodaan edellytykset valmistavan teollisuuden yhteistyöalusta ja -aloite "
    "Sustainable Industry X, SIX:n toiminnalle toimia merkittävänä kansallisesti yhdistävänä "
    "tekijänä. SIX kytkee alueet teollisuuden\n"
    "tarpeisiin, tukee yhteistyötä julkisten toimijoiden ja teollisen liiketoiminnan verkostojen "
    "välillä, vahvistaa alueiden elinvoimaa ja houkuttelevuutta sekä kiihdyttää yritysten "
    "toimintaedellytyksiä globaalissa markkinassa."
    "\n\n"
    "SIXNET-verkostohanke tuo tekemiseen pitkäjänteisen ja vahvan usean alueen "
    "yhteistyömallin, jossa vahvistetaan erikokoisten alueiden, kuntien ja monenlaisten "
    "toimijoiden osallistumista tähän verkostoyhteistyöhön. Tavoitteena on vahvistaa alueiden"
    " välistä temaattista verkostoyhteistyötä, kokemusten vaihtoa ja kyvykkyyksien "
    "kehittämistä koko Suomen teollisuuden kilpailukyvyn varmistamiseksi."
)

# (action area, [sub-actions]) in the page's order
ACTIONS: list[tuple[str, list[str]]] = [
    (
        "Ylialueellisten toimintojen, työkalujen ja toimintamallin määrittely ja rakentaminen",
        [
            (
                "Kehitetään yhdessä osallistuvien alueiden kanssa yhteinen tekemisen visio, malli"
                " ja työkalut toiminnan lähtökohdaksi. Tarkennetaan ja hyödynnetään alueellisia "
                "kärkiteemoja. Yhdistetään alueelliset vahvuudet toisiinsa ja muodostetaan niihin"
                " perustuen yhteinen näkemys osaamisista sekä strateginen näkemys tulevista, "
                "toisiaan tukevista kehittysmisalueista suomalaisen teollisuuden kilpailukyvyn "
                "varmistamiseksi. Tunnistetaan myös mahdolliset aukot ja työstetään tästä "
                "viestittävä kokonaisuus"
            ),
            "Rakennetaan toiminnan vuosikello.",
            (
                "Suunnitellaan ja viestitään keskitetysti teollisten teemaryhmien kehitystarpeita"
                " kansallisille tahoille."
            ),
            (
                "Luodaan kestävä malli teollisten alueiden yhteistyön edistämisen jatkuvalle "
                "toiminnalle. Tarkoitus on saada myös uusia alueita linkitettyä tekemiseen "
                "mukaan. Kestävä malli voi sisältää määritelmät esimerkiksi järjestäytymisestä, "
                "ohjauksesta ja tarvittavista laajemmista foorumeista ja viestintäkanavista."
            ),
        ],
    ),
    (
        (
            "Yrityslähtöisen TKIO-tiekartan jalkauttaminen alueellisten vahvuuksien "
            "mukaiseksi toiminnaksi alueilla"
        ),
        [
            (
                "Tunnistetaan SIXNET-verkostolle tärkeimmät teemat kansallisesta "
                "edelläkävijäyrityslähtöisestä TKIO-tiekartasta ’Älykäs valmistus 2030’."
            ),
            (
                "Poimitaan ja tuodaan esiin SIXNET-verkostolle tärkeät toimenpiteet ja tavoitteet"
                " myös muista strategioista (esimerkiksi Tekoäly 4.0 tai alueelliset "
                "erikoistumisstrategiat)"
            ),
            (
                "Luodaan yhdessä yritysten kanssa suunnitelma teollisuudelle tärkeän tutkimus- ja"
                " kehitystoiminnan organisoitumisesta pitkäjänteisesti ja hankeportfolion "
                "synnyttämiseksi."
            ),
            (
                "Tunnistetaan yhteisesti hyödynnettävät alustat, testiympäristöt ja muut "
                "vastaavat tukemaan verkoston alueiden, kaupunkien ja kuntien elinvoimaa"
            ),
        ],
    ),
    (
        (
            "Alueiden vahvuuksien ja teemojen esiintuominen kansalliseen keskusteluun "
            "hybridimuotoisella roadshowlla"
        ),
        [
            (
                "Hybridimuotoiset roadshow-tapahtumat verkostokumppanien paikkakunnilla: kootaan "
                "yhteen teollisuuden TKIO-päättäjät, tutkimus-/ koulutus- ja julkistoimijat "
                "keskustelemaan konkreettisista ylimaakunnallisista kehityshankkeista yhteisen "
                "tiekartan mukaisesti"
            ),
        ],
    ),
]
