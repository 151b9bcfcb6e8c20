import pytest

from gvalley.core.masking import mask_email, mask_name, mask_phone


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("홍길동", "홍*동"),
        ("남궁민수", "남**수"),
        ("김철", "김*"),
        ("이", "*"),
        ("John Smith", "J*** S****"),
        ("", ""),
    ],
)
def test_mask_name(name, masked):
    assert mask_name(name) == masked


@pytest.mark.parametrize(
    ("email", "masked"),
    [
        ("hong.gildong@example.com", "ho**********@example.com"),
        ("ab@x.kr", "ab*@x.kr"),
        ("a@x.kr", "a*@x.kr"),
    ],
)
def test_mask_email(email, masked):
    assert mask_email(email) == masked


@pytest.mark.parametrize(
    ("phone", "masked"),
    [("010-1234-5678", "010-****-5678"), ("02-123-4567", "02-***-4567"), ("01012345678", "010-****-5678")],
)
def test_mask_phone(phone, masked):
    assert mask_phone(phone) == masked
