"""factory_boy factories for the shared models; each app's tests may add their own next to them."""

from __future__ import annotations

import factory
from django.utils import timezone as dj_timezone

from gvalley.accounts.models import Membership, Organisation, PrivacyNotice, User
from gvalley.directory.models import Building, Company, Complex, Industry
from gvalley.engines import bizno


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    name = factory.Sequence(lambda n: f"사용자{n}")
    language = "ko"
    timezone = "Asia/Seoul"
    is_active = True
    email_confirmed_at = factory.LazyFunction(dj_timezone.now)
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def roles(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        if not create or not extracted:
            return
        for role in extracted:
            Membership.objects.create(user=self, role=role)
        self.__dict__.pop("role_set", None)

    @classmethod
    def _after_postgeneration(cls, instance: User, create: bool, results: object = None) -> None:
        if create:
            instance.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"기관{n}")
    name_en = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.AGENCY


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "agency_handler"


class PrivacyNoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PrivacyNotice

    purpose = PrivacyNotice.Purpose.ACCOUNT
    version = factory.Sequence(lambda n: f"1.{n}")
    title = "회원가입 개인정보 수집·이용 동의"
    body = "이메일, 이름을 회원 관리 목적으로 수집합니다."
    items = "이메일, 이름, 비밀번호"
    retention = "회원 탈퇴 시까지"
    required = True


class ComplexFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Complex
        django_get_or_create = ("number",)

    number = 3
    name = factory.LazyAttribute(lambda o: f"{o.number}단지")
    name_en = factory.LazyAttribute(lambda o: f"Complex {o.number}")
    district = "금천구"
    district_en = "Geumcheon-gu"


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Building

    name = factory.Sequence(lambda n: f"가산디지털타워{n}")
    complex = factory.SubFactory(ComplexFactory)
    kind = Building.Kind.KNOWLEDGE_CENTRE
    status = Building.Status.BUILT


class IndustryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Industry
        django_get_or_create = ("code",)

    code = "26211"
    name = "액정 표시장치 제조업"
    name_en = "Manufacture of liquid crystal displays"
    division = "26"
    division_name = "전자부품, 컴퓨터, 영상, 음향 및 통신장비 제조업"
    division_name_en = "Manufacture of electronic components, computers, and communication equipment"


def _bizno(n: int) -> str:
    return bizno.complete(f"{(110000000 + n * 7919) % 1000000000:09d}")


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"지밸리테크{n}")
    name_en = factory.Sequence(lambda n: f"GValley Tech {n}")
    business_number = factory.Sequence(_bizno)
    representative = "홍길동"
    industry = factory.SubFactory(IndustryFactory)
    employees = 12
    complex = factory.SubFactory(ComplexFactory)
    building = factory.SubFactory(BuildingFactory, complex=factory.SelfAttribute("..complex"))
    address = "서울특별시 금천구 가산디지털1로 1"
    products = "반도체장비"
