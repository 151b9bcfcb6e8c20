import pytest

from gvalley.engines import bizno


@pytest.mark.parametrize("number", ["220-81-62517", "124-81-00998", "104-81-43125", "2208162517"])
def test_real_numbers_are_valid(number):
    assert bizno.is_valid(number)


@pytest.mark.parametrize("number", ["220-81-62518", "123-45-67890", "22081625", "abc-de-fghij", ""])
def test_wrong_numbers_are_invalid(number):
    assert not bizno.is_valid(number)


def test_complete_adds_the_check_digit():
    assert bizno.complete("220816251") == "220-81-62517"


def test_cli(capsys):
    assert bizno.main(["2208162517"]) == 0
    assert capsys.readouterr().out == "220-81-62517\tvalid\n"
    assert bizno.main(["123-45-67890"]) == 1
