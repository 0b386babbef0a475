import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from enterprises.validators import (
    credit_code_complete,
    credit_code_problem,
    normalise_credit_code,
    validate_credit_code,
)

# Real published codes: Tencent, Alibaba (China), Huawei, and the standard's own example.
VALID = ["9144030071526726XG", "91330100716105852F", "914403001922038216", "91350100M000100Y43"]


@pytest.mark.parametrize("code", VALID)
def test_valid_codes_pass(code):
    validate_credit_code(code)


def test_lower_case_and_spaces_are_normalised():
    assert normalise_credit_code(" 9144030071526726xg ") == "9144030071526726XG"
    validate_credit_code("9144030071526726xg")


def test_full_width_characters_are_folded():
    assert normalise_credit_code("９１３３０１００７１６１０５８５２Ｆ") == "91330100716105852F"


@pytest.mark.parametrize(
    "code, fragment",
    [
        ("91330100716105852E", "check character (the last character) of the credit code is wrong"),
        ("9133010071610585", "16"),
        ("91330100I16105852F", "I"),
        ("91330100716105852O", "O"),
    ],
)
def test_invalid_codes_are_refused_with_the_reason(code, fragment):
    with translation.override("en"):
        problem = credit_code_problem(normalise_credit_code(code))
        assert problem is not None and fragment in problem
        with pytest.raises(ValidationError):
            validate_credit_code(code)


def test_complete_appends_the_right_check_character():
    assert credit_code_complete("91330100716105852") == "91330100716105852F"


def test_a_wrong_check_character_is_not_corrected_in_the_message():
    # The public signup page shows this message: it must not complete a guessed code.
    for language in ("en", "zh-hans"):
        with translation.override(language):
            assert "F" not in credit_code_problem("91330100716105852E")
