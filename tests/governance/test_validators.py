import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from governance.models import Organisation
from governance.validators import business_id_check_digit, validate_business_id


@pytest.mark.parametrize("value", ["0201256-6", "0112038-9", "1572860-0", "2663590-1"])
def test_valid_business_ids_pass(value):
    validate_business_id(value)


def test_wrong_check_digit_is_named():
    with pytest.raises(ValidationError) as err:
        validate_business_id("0201256-5")
    assert err.value.code == "business_id_check_digit"
    assert err.value.messages[0] == (
        "Y-tunnuksen 0201256-5 tarkistusnumero on väärä: tarkista tunnus."
    )
    with translation.override("en"):
        assert "check digit" in err.value.messages[0]


@pytest.mark.parametrize("value", ["201256-6", "02012566", "0201256-66", "abcdefg-h", " 0201256-6"])
def test_wrong_format_says_the_expected_form(value):
    with pytest.raises(ValidationError) as err:
        validate_business_id(value)
    assert err.value.code == "business_id_format"
    assert "muodossa 1234567-8" in err.value.messages[0]


def test_remainder_one_has_no_valid_check_digit():
    # 0000001: 1*2 = 2 -> 11-2 = 9; find a body with remainder 1: 1000000 -> 7 % 11 = 7 -> 4
    bodies = [f"{n:07d}" for n in range(0, 200)]
    remainder_one = [
        b
        for b in bodies
        if sum(int(d) * w for d, w in zip(b, (7, 9, 10, 5, 8, 4, 2), strict=True)) % 11 == 1
    ]
    assert remainder_one, "expected at least one such body in the range"
    assert business_id_check_digit(remainder_one[0]) is None
    for digit in range(10):
        with pytest.raises(ValidationError):
            validate_business_id(f"{remainder_one[0]}-{digit}")


@pytest.mark.django_db
def test_organisation_full_clean_rejects_bad_business_id_and_saves_nothing():
    org = Organisation(name="Testi Oy", kind=Organisation.Kind.COMPANY, business_id="1234567-8")
    with pytest.raises(ValidationError) as err:
        org.full_clean()
    assert "business_id" in err.value.message_dict
    assert not Organisation.objects.filter(name="Testi Oy").exists()
