import pytest

from gvalley.directory.models import Company
from gvalley.search.query import index_text, search_filter
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db


def test_search_filter_needs_every_term_and_matches_inside_compounds():
    a = CompanyFactory(name="가", search_text=index_text("반도체장비업체", None, "Hanbit"))
    CompanyFactory(name="나", search_text=index_text("주차장이 넓은 물류센터"))
    qs = Company.objects.all()
    assert list(search_filter(qs, "반도체")) == [a]
    assert list(search_filter(qs, "반도체 hanbit")) == [a]
    assert list(search_filter(qs, "반도체 주차")) == []
    assert search_filter(qs, "주차장이").get().name == "나"
    assert search_filter(qs, "   ").count() == 2
