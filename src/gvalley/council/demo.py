"""The council of seed 000 as demo data: the council and its 8 member organisations, the seat table of the seed
for three terms (2018–) with the lead-department change 신성장산업과 → 산업거점활성화반 kept as seat history,
plenaries twice a year and working meetings 2018–2022 with agendas, decisions, action items and approved minutes,
the yearly plan 2018–2022.6 with its three lines, the Geumcheon-local working council, and one upcoming plenary.

Everything is written through the services (as the secretariat would). Idempotent: nothing is added when the
council exists. People other than the demo accounts and the two co-chairs named in the seed (최선, 김태희) have
generated names.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from gvalley.accounts.demo import council_organisation, demo_password_hash
from gvalley.accounts.models import Organisation, PrivacyNotice, User
from gvalley.accounts.services import consent_give, organisation_create
from gvalley.core.models import Visibility

from . import services
from .models import (
    ActionItem,
    AgendaItem,
    Council,
    CouncilMember,
    Decision,
    Invitation,
    Meeting,
    Minutes,
    MinutesApproval,
    PlanLine,
    Seat,
)

MAIN_SLUG = "gvalley"
LOCAL_SLUG = "geumcheon-local"

SURNAMES = "김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우구민진나"
GIVEN = [
    "민준",
    "서연",
    "도윤",
    "지우",
    "하준",
    "서윤",
    "은우",
    "지민",
    "시우",
    "수아",
    "준서",
    "하은",
    "건우",
    "윤서",
    "현우",
    "지유",
    "우진",
    "채원",
    "선우",
    "예린",
    "정훈",
    "미경",
    "성호",
    "혜진",
    "영수",
    "은정",
    "동현",
    "소영",
]

# key, group, order — the member table of seed 000
MEMBERS = [
    ("kgca", CouncilMember.Group.ASSOCIATION, 1),
    ("sdic_ceo", CouncilMember.Group.ASSOCIATION, 2),
    ("gvia", CouncilMember.Group.ASSOCIATION, 3),
    ("kdcbf", CouncilMember.Group.ASSOCIATION, 4),
    ("seoul", CouncilMember.Group.LOCAL_GOVERNMENT, 5),
    ("geumcheon", CouncilMember.Group.LOCAL_GOVERNMENT, 6),
    ("guro", CouncilMember.Group.LOCAL_GOVERNMENT, 7),
    ("kicox", CouncilMember.Group.PUBLIC_ENTERPRISE, 8),
]

# org key → (top seat kind, position, position_en), (working-member position, position_en)
SEATS = {
    "kgca": ((Seat.Kind.CO_CHAIR, "이사장", "Chair of the board"), ("사무국장", "Secretary general")),
    "sdic_ceo": ((Seat.Kind.MEMBER, "회장", "President"), ("사무국장", "Secretary general")),
    "gvia": ((Seat.Kind.MEMBER, "회장", "President"), ("사무국장", "Secretary general")),
    "kdcbf": ((Seat.Kind.MEMBER, "이사장", "Chair of the board"), ("사무국장", "Secretary general")),
    "seoul": (
        (Seat.Kind.CO_CHAIR, "경제기획관", "Director-General for Economic Planning"),
        ("산업거점활성화반장", "Head, Industrial Hub Revitalisation Team"),
    ),
    "geumcheon": (
        (Seat.Kind.MEMBER, "부구청장", "Deputy Mayor"),
        ("기획경제국장", "Director, Planning and Economy Bureau"),
    ),
    "guro": (
        (Seat.Kind.MEMBER, "부구청장", "Deputy Mayor"),
        ("기획경제국장", "Director, Planning and Economy Bureau"),
    ),
    "kicox": (
        (Seat.Kind.MEMBER, "본부장", "Head of the regional HQ"),
        ("기획총괄팀장", "Head, Planning Team"),
    ),
}

TERMS = [
    (1, date(2018, 1, 1), date(2019, 12, 31)),
    (2, date(2020, 1, 1), date(2021, 12, 31)),
    (3, date(2022, 1, 1), None),
]
LEAD_CHANGE = date(2019, 1, 1)  # 신성장산업과 → 산업거점활성화반 (demo date: the seed shows both, not when)

LOCAL_ORGS = [
    # name, English name, kind, group
    ("금천구상공회", "Geumcheon Chamber of Commerce", Organisation.Kind.ASSOCIATION),
    ("G밸리 기업지원센터(금천)", "G-Valley Business Support Centre (Geumcheon)", Organisation.Kind.AGENCY),
]


class _People:
    """Demo users with generated Korean names (deterministic)."""

    def __init__(self) -> None:
        self.n = 0
        self.password = demo_password_hash()
        self.notice = (
            PrivacyNotice.objects.filter(purpose=PrivacyNotice.Purpose.ACCOUNT)
            .order_by("-published_at")
            .first()
        )

    def name(self) -> str:
        self.n += 1
        return SURNAMES[(self.n * 7) % len(SURNAMES)] + GIVEN[(self.n * 11) % len(GIVEN)]

    def get(self, email: str, name: str | None = None) -> User:
        user = User.objects.filter(email=email).first()
        if user is not None:
            return user
        user = User(email=email, name=name or self.name(), email_confirmed_at=timezone.now())
        user.password = self.password  # hashed once: hashing is slow on purpose
        user.save()
        if self.notice is not None:
            consent_give(user=user, notice=self.notice, context="demo")
        return user


def _at(day: date, hour: int = 14, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@transaction.atomic
def seed(*, stdout: Any = None) -> None:
    if Council.objects.filter(slug=MAIN_SLUG).exists():
        return
    people = _People()
    secretariat = User.objects.get(email="secretariat@demo.gvalley.kr")
    member_user = User.objects.get(email="member@demo.gvalley.kr")
    orgs = {key: council_organisation(key) for key, _g, _o in MEMBERS}

    main = services.council_create(
        actor=None,
        slug=MAIN_SLUG,
        kind=Council.Kind.MAIN,
        name="G밸리 발전협의회",
        name_en="G-Valley Development Council",
        description=(
            "G밸리 기업·근로자의 애로사항 및 요구과제를 발굴하고, 개선안을 마련하여 기업하기 좋은 환경을 조성하는 "
            "G밸리 8개 유관기관의 협의체입니다."
        ),
        description_en=(
            "The council of G-Valley's eight related bodies: it finds the difficulties and requests of G-Valley "
            "companies and workers, works out improvements and follows them through."
        ),
        basis="G밸리 비상(飛上) 프로젝트 추진 계획('13.04.17, 시장방침)",
        basis_en="G-Valley Take-off Project plan (17 April 2013, Mayor's policy)",
        functions=(
            "G밸리 발전 의견수렴 및 자문\nG밸리 중장기 발전계획 수립 및 사업별 세부계획 논의\n"
            "G밸리 발전을 위한 사업발굴 및 사업추진 협력"
        ),
        functions_en=(
            "Gathering opinions and advising on G-Valley's development\n"
            "Drawing up the mid- and long-term development plan and discussing each project's plan\n"
            "Finding projects for G-Valley's development and cooperating on them"
        ),
        schedule="본회의 반기별, 실무회의 수시",
        schedule_en="Plenary meetings every half year, working meetings as needed",
        contact_email="council@demo.gvalley.kr",
        contact_phone="02-000-1300",
        contact_note="협의회 사무국(서울시 산업거점활성화반, 금천구 지역경제과)으로 연락해 주십시오.",
        contact_note_en="Contact the council secretariat (Seoul Industrial Hub Revitalisation Team, Geumcheon-gu Local Economy Division).",
        order=1,
    )
    services.council_lead_change(
        actor=None,
        council=main,
        organisation=orgs["seoul"],
        unit="신성장산업과",
        unit_en="New Growth Industries Division",
        started_on=date(2013, 4, 17),
    )
    services.council_lead_change(
        actor=None,
        council=main,
        organisation=orgs["seoul"],
        unit="산업거점활성화반",
        unit_en="Industrial Hub Revitalisation Team",
        started_on=LEAD_CHANGE,
    )
    members = {
        key: services.council_member_add(
            actor=None,
            council=main,
            organisation=orgs[key],
            group=group,
            joined_on=date(2013, 4, 17),
            order=order,
        )
        for key, group, order in MEMBERS
    }
    terms = [
        services.term_create(actor=None, council=main, number=n, starts_on=start, ends_on=end)
        for n, start, end in TERMS
    ]

    # People of the seats. Co-chairs are named in the seed; two demo accounts hold seats.
    holders: dict[tuple[str, str], User] = {
        ("kgca", "top"): people.get("cochair.choi@demo.gvalley.kr", "최선"),
        ("seoul", "top"): people.get("cochair.kim@demo.gvalley.kr", "김태희"),
        ("gvia", "top"): member_user,
        ("seoul", "working"): secretariat,
    }
    for key in SEATS:
        for slot in ("top", "working"):
            if (key, slot) not in holders:
                holders[(key, slot)] = people.get(f"council.{key}.{slot}@demo.gvalley.kr")
    seoul_division_head = people.get("council.seoul.division2018@demo.gvalley.kr")
    geumcheon_deputy_2 = people.get("council.geumcheon.top2@demo.gvalley.kr")

    for term in terms:  # the next term's seats are designated before the earlier term closes (roles stay)
        for key, ((kind, title, title_en), (w_title, w_title_en)) in SEATS.items():
            member = members[key]
            top_person = holders[(key, "top")]
            if key == "geumcheon" and term.number >= 2:
                top_person = geumcheon_deputy_2
            designated = term.starts_on
            if key == "geumcheon" and term.number == 2:
                # a change of person during the term: the earlier holder's seat stays in the history
                services.seat_designate(
                    actor=None,
                    member=member,
                    term=term,
                    kind=kind,
                    person=holders[(key, "top")],
                    position_title=title,
                    position_title_en=title_en,
                    designated_on=designated,
                )
                designated = date(2020, 7, 1)
            services.seat_designate(
                actor=None,
                member=member,
                term=term,
                kind=kind,
                person=top_person,
                position_title=title,
                position_title_en=title_en,
                designated_on=designated,
            )
            if key == "seoul" and term.number == 1:
                services.seat_designate(
                    actor=None,
                    member=member,
                    term=term,
                    kind=Seat.Kind.WORKING_MEMBER,
                    person=seoul_division_head,
                    position_title="신성장산업과장",
                    position_title_en="Head, New Growth Industries Division",
                    designated_on=term.starts_on,
                )
                services.seat_designate(
                    actor=None,
                    member=member,
                    term=term,
                    kind=Seat.Kind.WORKING_MEMBER,
                    person=holders[(key, "working")],
                    position_title=w_title,
                    position_title_en=w_title_en,
                    designated_on=LEAD_CHANGE,
                    note="주관부서 변경(신성장산업과 → 산업거점활성화반)",
                )
                continue
            services.seat_designate(
                actor=None,
                member=member,
                term=term,
                kind=Seat.Kind.WORKING_MEMBER,
                person=holders[(key, "working")],
                position_title=w_title,
                position_title_en=w_title_en,
                designated_on=term.starts_on,
            )
    for term in terms:
        if term.ends_on is not None:
            for seat in Seat.objects.filter(term=term, ceased_on__isnull=True).select_related(
                "member", "person"
            ):
                services.seat_cease(
                    actor=None, seat=seat, ceased_on=term.ends_on + timedelta(days=1), note="임기 만료"
                )

    local = _local_council(main, orgs, people)
    plan, lines = _plan(main)
    _history(main, local, members, lines, holders, secretariat, member_user)
    if stdout is not None:
        stdout.write(
            f"council: {Meeting.objects.count()} meetings, {AgendaItem.objects.count()} agenda items, "
            f"{Decision.objects.count()} decisions, {ActionItem.objects.count()} action items"
        )


def _local_council(main: Council, orgs: dict[str, Organisation], people: _People) -> Council:
    local = services.council_create(
        actor=None,
        slug=LOCAL_SLUG,
        kind=Council.Kind.LOCAL_WORKING,
        parent=main,
        name="G밸리 금천구 실무협의회",
        name_en="G-Valley Geumcheon-local working council",
        description=(
            "G밸리 금천구 지역 유관기관 및 단체들로 구성된 별도 실무협의회로, 발전협의회에 제시된 안건의 실무적 "
            "의견교환 및 실행력 확보방안을 협의합니다."
        ),
        description_en=(
            "A separate working council of local agencies and groups in the Geumcheon part of G-Valley: it works out "
            "the practical side of the development council's agenda items and how to get them done."
        ),
        schedule="수시",
        schedule_en="As needed",
        contact_email="local-council@demo.gvalley.kr",
        contact_note="금천구 지역경제과",
        contact_note_en="Geumcheon-gu Local Economy Division",
        order=2,
    )
    services.council_lead_change(
        actor=None,
        council=local,
        organisation=orgs["geumcheon"],
        unit="지역경제과",
        unit_en="Local Economy Division",
        started_on=date(2019, 1, 1),
    )
    extra = []
    for name, name_en, kind in LOCAL_ORGS:
        org = Organisation.objects.filter(name=name).first() or organisation_create(
            actor=None, name=name, name_en=name_en, kind=kind
        )
        extra.append(org)
    member_orgs = [orgs["geumcheon"], orgs["gvia"], orgs["sdic_ceo"], orgs["kicox"], *extra]
    term = services.term_create(actor=None, council=local, number=1, starts_on=date(2019, 1, 1))
    for order, org in enumerate(member_orgs, start=1):
        group = (
            CouncilMember.Group.LOCAL_GOVERNMENT
            if org == orgs["geumcheon"]
            else CouncilMember.Group.LOCAL_AGENCY
        )
        member = services.council_member_add(
            actor=None, council=local, organisation=org, group=group, joined_on=date(2019, 1, 1), order=order
        )
        position = "지역경제과장" if org == orgs["geumcheon"] else "실무 담당"
        position_en = "Head, Local Economy Division" if org == orgs["geumcheon"] else "Working contact"
        services.seat_designate(
            actor=None,
            member=member,
            term=term,
            kind=Seat.Kind.WORKING_MEMBER,
            person=people.get(f"local.{order}@demo.gvalley.kr"),
            position_title=position,
            position_title_en=position_en,
            designated_on=term.starts_on,
        )
    return local


PLAN_LINES = [
    ("협의회 개최", "Hold council meetings", 1),
    ("기업 방문", "Visit companies", 2),
    ("공단논의 지속", "Keep up the discussion with KICOX", 3),
]


def _plan(main: Council) -> tuple[Any, dict[tuple[int, str], PlanLine]]:
    plan = services.plan_create(
        actor=None,
        council=main,
        title="G밸리 발전협의회 확대 운영",
        title_en="Expanded operation of the G-Valley Development Council",
        description="연차별 추진계획(2018~2022.6): 협의회 개최, 기업 방문, 공단논의 지속. 비예산 사업.",
        description_en="Yearly plan 2018–2022.6: hold council meetings, visit companies, keep up the discussion with KICOX. No budget.",
        starts_on=date(2018, 1, 1),
        ends_on=date(2022, 6, 30),
    )
    lines: dict[tuple[int, str], PlanLine] = {}
    for year in range(2018, 2023):
        half = year == 2022
        for title, title_en, order in PLAN_LINES:
            line = services.plan_line_save(
                actor=None, plan=plan, year=year, title=title, title_en=title_en, order=order
            )
            lines[(year, title)] = line
            if title == "협의회 개최":
                services.indicator_set(
                    actor=None,
                    line=line,
                    metric="plenaries_held",
                    label="본회의 개최",
                    label_en="Plenaries held",
                    target=1 if half else 2,
                    unit="회",
                    unit_en="times",
                    order=1,
                )
                services.indicator_set(
                    actor=None,
                    line=line,
                    metric="working_meetings_held",
                    label="실무회의 개최",
                    label_en="Working meetings held",
                    target=1 if half else 2,
                    unit="회",
                    unit_en="times",
                    order=2,
                )
                services.indicator_set(
                    actor=None,
                    line=line,
                    metric="action_items_done",
                    label="후속조치 완료",
                    label_en="Action items completed",
                    target=2 if half else 3,
                    unit="건",
                    unit_en="items",
                    order=3,
                )
            elif title == "기업 방문":
                services.indicator_set(
                    actor=None,
                    line=line,
                    metric="company_visits",
                    label="기업 방문",
                    label_en="Company visits",
                    target=10 if half else 20,
                    unit="개사",
                    unit_en="companies",
                    order=1,
                )
                services.indicator_set(
                    actor=None,
                    line=line,
                    metric="agenda_items_from_requests",
                    label="애로사항 안건 상정",
                    label_en="Agenda items from requests discussed",
                    target=1 if half else 2,
                    unit="건",
                    unit_en="items",
                    order=2,
                )
            else:
                services.indicator_set(
                    actor=None,
                    line=line,
                    metric="kicox_agenda_items",
                    label="공단 협의 안건",
                    label_en="Agenda items discussed with KICOX",
                    target=1,
                    unit="건",
                    unit_en="items",
                    order=1,
                )
    return plan, lines


# (date, kind, title, title_en, place) of the history; plenaries twice a year, working meetings as needed
MEETINGS = [
    (
        date(2018, 3, 15),
        Meeting.Kind.WORKING,
        "2018년 제1차 실무회의",
        "2018 working meeting 1",
        "서울시청 서소문청사 회의실",
    ),
    (
        date(2018, 5, 24),
        Meeting.Kind.PLENARY,
        "2018년 상반기 본회의",
        "2018 first-half plenary",
        "G밸리 비즈플라자 컨퍼런스룸",
    ),
    (
        date(2018, 9, 13),
        Meeting.Kind.WORKING,
        "2018년 제2차 실무회의",
        "2018 working meeting 2",
        "금천구청 기획상황실",
    ),
    (
        date(2018, 11, 22),
        Meeting.Kind.PLENARY,
        "2018년 하반기 본회의",
        "2018 second-half plenary",
        "한국산업단지공단 서울지역본부 대회의실",
    ),
    (
        date(2019, 3, 14),
        Meeting.Kind.WORKING,
        "2019년 제1차 실무회의",
        "2019 working meeting 1",
        "구로구청 회의실",
    ),
    (
        date(2019, 5, 30),
        Meeting.Kind.PLENARY,
        "2019년 상반기 본회의",
        "2019 first-half plenary",
        "G밸리 비즈플라자 컨퍼런스룸",
    ),
    (
        date(2019, 9, 19),
        Meeting.Kind.WORKING,
        "2019년 제2차 실무회의",
        "2019 working meeting 2",
        "금천구청 기획상황실",
    ),
    (
        date(2019, 11, 28),
        Meeting.Kind.PLENARY,
        "2019년 하반기 본회의",
        "2019 second-half plenary",
        "서울시청 서소문청사 회의실",
    ),
    (
        date(2020, 4, 23),
        Meeting.Kind.PLENARY,
        "2020년 상반기 본회의",
        "2020 first-half plenary",
        "G밸리 비즈플라자 컨퍼런스룸",
    ),
    (
        date(2020, 7, 16),
        Meeting.Kind.PLENARY,
        "2020년 상반기 본회의(비대면)",
        "2020 first-half plenary (online)",
        "",
    ),
    (date(2020, 9, 10), Meeting.Kind.WORKING, "2020년 실무회의(비대면)", "2020 working meeting (online)", ""),
    (
        date(2020, 11, 26),
        Meeting.Kind.PLENARY,
        "2020년 하반기 본회의",
        "2020 second-half plenary",
        "한국산업단지공단 서울지역본부 대회의실",
    ),
    (
        date(2021, 3, 18),
        Meeting.Kind.WORKING,
        "2021년 제1차 실무회의",
        "2021 working meeting 1",
        "금천구청 기획상황실",
    ),
    (
        date(2021, 5, 27),
        Meeting.Kind.PLENARY,
        "2021년 상반기 본회의",
        "2021 first-half plenary",
        "G밸리 비즈플라자 컨퍼런스룸",
    ),
    (
        date(2021, 9, 16),
        Meeting.Kind.WORKING,
        "2021년 제2차 실무회의",
        "2021 working meeting 2",
        "구로구청 회의실",
    ),
    (
        date(2021, 11, 25),
        Meeting.Kind.PLENARY,
        "2021년 하반기 본회의",
        "2021 second-half plenary",
        "서울시청 서소문청사 회의실",
    ),
    (
        date(2022, 3, 17),
        Meeting.Kind.WORKING,
        "2022년 제1차 실무회의",
        "2022 working meeting 1",
        "금천구청 기획상황실",
    ),
    (
        date(2022, 5, 26),
        Meeting.Kind.PLENARY,
        "2022년 상반기 본회의",
        "2022 first-half plenary",
        "G밸리 비즈플라자 컨퍼런스룸",
    ),
]

# Agenda per plenary: (title, title_en, origin, presenter key, plan line title or "", outcome)
# outcome: "consensus" | "vote" | "deferred"
AGENDA = {
    date(2018, 5, 24): [
        (
            "G밸리 주차난 해소를 위한 공영주차장 확충",
            "More public parking to ease G-Valley's parking shortage",
            "request",
            "geumcheon",
            "기업 방문",
            "consensus",
        ),
        (
            "지식산업센터 기업지원시설 유치 방안",
            "Attracting business support facilities into knowledge industry centres",
            "member_proposal",
            "kicox",
            "공단논의 지속",
            "consensus",
        ),
    ],
    date(2018, 11, 22): [
        (
            "가산디지털단지역 출퇴근 혼잡 완화(셔틀버스 운행)",
            "Easing rush-hour crowding at Gasan Digital Complex station (shuttle buses)",
            "request",
            "gvia",
            "기업 방문",
            "vote",
        ),
        (
            "2019년 협의회 운영계획",
            "Council work plan 2019",
            "yearly_plan",
            "seoul",
            "협의회 개최",
            "consensus",
        ),
    ],
    date(2019, 5, 30): [
        (
            "G밸리 기업 방문 결과 및 애로사항 건의",
            "Company visits: findings and requests",
            "yearly_plan",
            "geumcheon",
            "기업 방문",
            "consensus",
        ),
        (
            "산업단지 구조고도화 사업 추진 현황",
            "Progress of the complex's restructuring programme",
            "member_proposal",
            "kicox",
            "공단논의 지속",
            "deferred",
        ),
    ],
    date(2019, 11, 28): [
        (
            "산업단지 구조고도화 사업 추진 현황",
            "Progress of the complex's restructuring programme",
            "carry_over",
            "kicox",
            "공단논의 지속",
            "consensus",
        ),
        (
            "G밸리 Week 공동 개최 협력",
            "Holding G-Valley Week together",
            "member_proposal",
            "sdic_ceo",
            "협의회 개최",
            "consensus",
        ),
        (
            "보행환경 개선(수출의 다리 일대)",
            "Better walking routes around the Export Bridge",
            "request",
            "guro",
            "기업 방문",
            "consensus",
        ),
    ],
    date(2020, 7, 16): [
        (
            "코로나19 피해기업 지원 방안",
            "Support for companies hit by COVID-19",
            "member_proposal",
            "kdcbf",
            "기업 방문",
            "consensus",
        ),
        (
            "공단 G밸리 세부사업 논의(스마트그린산단)",
            "KICOX's detailed projects for G-Valley (smart green complex)",
            "member_proposal",
            "kicox",
            "공단논의 지속",
            "consensus",
        ),
    ],
    date(2020, 11, 26): [
        (
            "비대면 G밸리 Week 결과 공유",
            "Results of the online G-Valley Week",
            "secretariat",
            "seoul",
            "협의회 개최",
            "consensus",
        ),
        (
            "기업 방문 확대 및 규제 애로 전달 체계",
            "More company visits and a channel for regulatory difficulties",
            "yearly_plan",
            "gvia",
            "기업 방문",
            "vote",
        ),
    ],
    date(2021, 5, 27): [
        (
            "G밸리 근로자 문화·복지 공간 확충",
            "More culture and welfare space for G-Valley workers",
            "request",
            "geumcheon",
            "기업 방문",
            "consensus",
        ),
        (
            "산업단지 대개조 사업 협력",
            "Cooperation on the industrial complex overhaul programme",
            "member_proposal",
            "kicox",
            "공단논의 지속",
            "consensus",
        ),
    ],
    date(2021, 11, 25): [
        (
            "2022년 협의회 운영계획",
            "Council work plan 2022",
            "yearly_plan",
            "seoul",
            "협의회 개최",
            "consensus",
        ),
        (
            "G밸리 브랜드 통합 홍보",
            "Joint branding and promotion of G-Valley",
            "member_proposal",
            "kgca",
            "협의회 개최",
            "consensus",
        ),
    ],
    date(2022, 5, 26): [
        (
            "G밸리 주차·교통 개선 후속 점검",
            "Follow-up of the parking and traffic improvements",
            "request",
            "geumcheon",
            "기업 방문",
            "consensus",
        ),
        (
            "한국산업단지공단 기업지원시설 유치 현황",
            "KICOX: progress on attracting business support facilities",
            "member_proposal",
            "kicox",
            "공단논의 지속",
            "consensus",
        ),
    ],
}

WORKING_AGENDA = [
    ("본회의 상정 안건 사전 검토", "Preparing the plenary's agenda", "secretariat", "seoul", "협의회 개최"),
    ("기업 방문 일정 및 대상 조율", "Planning the company visits", "yearly_plan", "geumcheon", "기업 방문"),
]

ACTIONS = {
    # decision title → list of (action, action_en, owner key, months to due, outcome)
    "consensus": [("세부 실행계획 수립 및 보고", "Draw up and report the detailed plan", 4, "done")],
    "vote": [("관계기관 협의 및 추진", "Consult the bodies concerned and carry it out", 6, "done")],
}


def _history(
    main: Council,
    local: Council,
    members: dict[str, CouncilMember],
    lines: dict[tuple[int, str], PlanLine],
    holders: dict[tuple[str, str], User],
    secretariat: User,
    member_user: User,
) -> None:
    orgs = {key: m.organisation for key, m in members.items()}
    co_chair = holders[("kgca", "top")]
    deferred: AgendaItem | None = None
    last_plenary: Meeting | None = None
    for n, (day, kind, title, title_en, place) in enumerate(MEETINGS):
        online = "" if place else "https://meet.demo.gvalley.kr/council"
        meeting = services.meeting_schedule(
            actor=secretariat,
            council=main,
            kind=kind,
            title=title,
            title_en=title_en,
            starts_at=_at(day),
            ends_at=_at(day, 16),
            place=place,
            place_en="",
            online_url=online,
            visibility=Visibility.PUBLIC if kind == Meeting.Kind.PLENARY else Visibility.MEMBERS,
        )
        services.meeting_invite(
            actor=secretariat, meeting=meeting, notify=False, at=_at(day - timedelta(days=14), 10)
        )
        if day == date(2020, 4, 23):
            services.meeting_cancel(
                actor=secretariat,
                meeting=meeting,
                reason="코로나19 확산으로 취소, 7월 비대면 개최",
                notify=False,
            )
            continue
        # answers: everybody accepts except one working member (answered a week before the meeting)
        for i, invitation in enumerate(Invitation.objects.filter(meeting=meeting).select_related("person")):
            response = Invitation.Response.DECLINED if (i + n) % 7 == 3 else Invitation.Response.ACCEPTED
            services.invitation_respond(actor=invitation.person, invitation=invitation, response=response)
        # agenda
        items: list[tuple[AgendaItem, str]] = []
        if kind == Meeting.Kind.PLENARY:
            for a_title, a_title_en, origin, presenter, line_title, outcome in AGENDA.get(day, []):
                extra: dict[str, Any] = {}
                if origin == "carry_over" and deferred is not None:
                    item = services.agenda_item_carry_over(actor=secretariat, item=deferred, meeting=meeting)
                    deferred = None
                    items.append((item, outcome))
                    continue
                item = services.agenda_item_propose(
                    actor=secretariat,
                    council=main,
                    meeting=meeting,
                    title=a_title,
                    title_en=a_title_en,
                    description=f"{orgs[presenter].name} 제안 안건.",
                    description_en=f"Proposed by {orgs[presenter].name_en}.",
                    origin=origin,
                    presenter_organisation=orgs[presenter],
                    proposing_organisation=orgs[presenter] if origin == "member_proposal" else None,
                    presenter_name=SEATS[presenter][1][0],
                    duration_minutes=20,
                    plan_line=lines.get((day.year, line_title)),
                    **extra,
                )
                items.append((item, outcome))
            last_plenary = meeting
        else:
            for a_title, a_title_en, origin, presenter, line_title in WORKING_AGENDA:
                item = services.agenda_item_propose(
                    actor=secretariat,
                    council=main,
                    meeting=meeting,
                    title=f"{a_title} ({day:%Y.%m})",
                    title_en=f"{a_title_en} ({day:%Y-%m})",
                    description="",
                    origin=origin,
                    presenter_organisation=orgs[presenter],
                    presenter_name=SEATS[presenter][1][0],
                    duration_minutes=30,
                    plan_line=lines.get((day.year, line_title)),
                    visibility=Visibility.MEMBERS,
                )
                items.append((item, "consensus"))
        # attendance: every organisation but one in some meetings
        rows = [
            services.AttendanceRow(
                organisation=m.organisation,
                present=not (kind == Meeting.Kind.WORKING and m.order == (n % 8) + 1),
                attendee_names=f"{SEATS[key][0][1]}, {SEATS[key][1][0]}"
                if kind == Meeting.Kind.PLENARY
                else SEATS[key][1][0],
            )
            for key, m in members.items()
        ]
        services.attendance_record(actor=secretariat, meeting=meeting, rows=rows)
        # decisions and action items
        for item, outcome in items:
            if outcome == "deferred":
                services.decision_record(
                    actor=secretariat,
                    agenda_item=item,
                    method=Decision.Method.DEFERRED,
                    text="추가 자료 검토 후 다음 본회의에서 재논의",
                    text_en="Discuss again at the next plenary after more study",
                )
                deferred = item
                continue
            votes = {"votes_for": 7, "votes_against": 0, "votes_abstain": 1} if outcome == "vote" else {}
            decision = services.decision_record(
                actor=secretariat,
                agenda_item=item,
                method=Decision.Method.VOTE if outcome == "vote" else Decision.Method.CONSENSUS,
                text=f"{item.title} 안건을 원안대로 추진하고 담당기관이 결과를 보고한다.",
                text_en=f"Go ahead with \u201c{item.title_en}\u201d as proposed; the responsible body reports back.",
                **votes,
            )
            if kind != Meeting.Kind.PLENARY:
                continue
            owner = item.presenter_organisation or orgs["seoul"]
            due = day + timedelta(days=120)
            action = services.action_item_create(
                actor=secretariat,
                decision=decision,
                title=f"{item.title}: 세부 실행계획 수립 및 추진",
                title_en=f"{item.title_en}: detailed plan and implementation",
                owner_organisation=owner,
                owner_person=_working_member(owner, members, holders),
                due_on=due,
                plan_line=item.plan_line,
            )
            _progress(secretariat, action, day, done=day.year < 2022 or "주차" not in item.title)
            if "주차" in item.title or "셔틀" in item.title:
                # split into sub-items with rolled-up progress
                parent = services.action_item_create(
                    actor=secretariat,
                    decision=decision,
                    title=f"{item.title}: 관계기관 협의",
                    title_en=f"{item.title_en}: consult the bodies concerned",
                    owner_organisation=orgs["seoul"],
                    owner_person=secretariat,
                    due_on=day + timedelta(days=200),
                    plan_line=item.plan_line,
                )
                subs = [
                    ("금천구 협의", "Geumcheon-gu", orgs["geumcheon"]),
                    ("구로구 협의", "Guro-gu", orgs["guro"]),
                ]
                for s_title, s_en, s_org in subs:
                    sub = services.action_item_create(
                        actor=secretariat,
                        parent=parent,
                        title=s_title,
                        title_en=f"Consult {s_en}",
                        owner_organisation=s_org,
                        owner_person=_working_member(s_org, members, holders),
                        due_on=day + timedelta(days=180),
                    )
                    _progress(secretariat, sub, day, done=s_org == orgs["geumcheon"] or day.year < 2022)
        # minutes
        body = _minutes_text(meeting, items)
        minutes = services.minutes_draft(
            actor=secretariat, meeting=meeting, body=body, body_en=_minutes_text_en(meeting)
        )
        recent = day >= date(2022, 5, 1)
        services.minutes_circulate(actor=secretariat, minutes=minutes, notify=False)
        if recent:
            services.minutes_comment(
                actor=member_user,
                minutes=minutes,
                body="2번 안건 결정사항에 담당기관을 명시해 주시기 바랍니다.",
            )
            continue
        services.minutes_approve(actor=member_user, minutes=minutes)
        services.minutes_approve(actor=co_chair, minutes=minutes)
        services.minutes_lock(actor=secretariat, minutes=minutes)
        if day == date(2019, 11, 28):
            corrected = services.minutes_correct(
                actor=secretariat,
                minutes=minutes,
                body=body.replace("참석기관 8개", "참석기관 8개(구로구 대리참석 포함)"),
                body_en=minutes.body_en,
                reason="구로구 대리참석 사실 누락 정정",
            )
            services.minutes_circulate(actor=secretariat, minutes=corrected, notify=False)
            services.minutes_approve(actor=co_chair, minutes=corrected)
            services.minutes_lock(actor=secretariat, minutes=corrected)
            _backdate(corrected, day + timedelta(days=60))
        _backdate(minutes, day)
    _local_history(local, main, lines, secretariat)
    _current(main, lines, secretariat, orgs, last_plenary)


def _backdate(minutes: Minutes, day: date) -> None:
    """The demo's history happened years ago: date the minutes' steps after the meeting (the audit log keeps the
    real time of the seeding)."""
    Minutes.objects.filter(pk=minutes.pk).update(
        circulated_at=_at(day + timedelta(days=7), 10),
        approved_at=_at(day + timedelta(days=14), 10),
        locked_at=_at(day + timedelta(days=15), 10),
    )
    MinutesApproval.objects.filter(minutes=minutes).update(at=_at(day + timedelta(days=12), 10))
    Invitation.objects.filter(meeting_id=minutes.meeting_id).update(
        responded_at=_at(day - timedelta(days=7), 9)
    )


def _working_member(
    org: Organisation, members: dict[str, CouncilMember], holders: dict[tuple[str, str], User]
) -> User | None:
    for key, member in members.items():
        if member.organisation_id == org.pk:
            return holders[(key, "working")]
    return None


def _progress(actor: User, item: ActionItem, day: date, *, done: bool) -> None:
    services.action_item_report(
        actor=actor, item=item, progress=40, note="관계기관 협의 착수", on=day + timedelta(days=30)
    )
    if done:
        services.action_item_report(
            actor=actor,
            item=item,
            progress=100,
            note="추진 완료, 결과보고서 제출(본회의 보고)",
            on=day + timedelta(days=100),
        )
    else:
        services.action_item_report(
            actor=actor, item=item, progress=70, note="예산 협의 중", on=day + timedelta(days=60)
        )


def _minutes_text(meeting: Meeting, items: list[tuple[AgendaItem, str]]) -> str:
    lines = [
        f"1. 개회: {meeting.starts_at.astimezone(timezone.get_current_timezone()):%Y년 %m월 %d일 %H:%M}, 참석기관 8개 중 출석 기관 확인 후 개회",
        "2. 안건 심의",
    ]
    for n, (item, outcome) in enumerate(items, start=1):
        result = {"deferred": "추가 검토 후 재논의", "vote": "표결로 의결(찬성 7, 반대 0, 기권 1)"}.get(
            outcome, "원안 합의"
        )
        lines.append(
            f"  {n}) {item.title}: {item.presenter_organisation.name if item.presenter_organisation else ''} 보고, {result}"
        )
    lines.append("3. 기타: 다음 회의 일정은 사무국에서 추후 안내")
    lines.append("4. 폐회")
    return "\n".join(lines)


def _minutes_text_en(meeting: Meeting) -> str:
    return (
        "1. Opening and roll call.\n2. Agenda items discussed; decisions as recorded on each item.\n"
        "3. Other business: the secretariat will announce the next meeting.\n4. Closing."
    )


def _local_history(
    local: Council, main: Council, lines: dict[tuple[int, str], PlanLine], secretariat: User
) -> None:
    main_items = {i.title: i for i in AgendaItem.objects.filter(council=main)}
    local_meetings = [
        (
            date(2019, 7, 11),
            "금천구 실무협의회 제1차 회의",
            "Geumcheon-local working council, meeting 1",
            "가산동 보행환경 개선 실무 협의",
            "Practical work on better walking routes in Gasan-dong",
            "G밸리 주차난 해소를 위한 공영주차장 확충",
        ),
        (
            date(2020, 10, 8),
            "금천구 실무협의회 제2차 회의",
            "Geumcheon-local working council, meeting 2",
            "코로나19 피해기업 현장 지원 실무 협의",
            "Practical support on site for companies hit by COVID-19",
            "코로나19 피해기업 지원 방안",
        ),
        (
            date(2021, 10, 14),
            "금천구 실무협의회 제3차 회의",
            "Geumcheon-local working council, meeting 3",
            "근로자 문화·복지 공간 후보지 검토",
            "Possible sites for workers' culture and welfare space",
            "G밸리 근로자 문화·복지 공간 확충",
        ),
    ]
    for day, title, title_en, item_title, item_en, works_on in local_meetings:
        meeting = services.meeting_schedule(
            actor=secretariat,
            council=local,
            kind=Meeting.Kind.LOCAL_WORKING,
            title=title,
            title_en=title_en,
            starts_at=_at(day, 10),
            ends_at=_at(day, 12),
            place="금천구청 지역경제과 회의실",
            place_en="Geumcheon-gu Office, Local Economy Division meeting room",
            visibility=Visibility.PUBLIC,
        )
        services.meeting_invite(
            actor=secretariat, meeting=meeting, notify=False, at=_at(day - timedelta(days=10), 10)
        )
        item = services.agenda_item_propose(
            actor=secretariat,
            council=local,
            meeting=meeting,
            title=item_title,
            title_en=item_en,
            description="발전협의회 안건의 실행력 확보를 위한 실무 협의.",
            description_en="Practical work to get the development council's item done.",
            origin=AgendaItem.Origin.MEMBER_PROPOSAL,
            presenter_organisation=council_organisation("geumcheon"),
            presenter_name="지역경제과장",
            duration_minutes=40,
            plan_line=lines.get((day.year, "기업 방문")),
        )
        if works_on in main_items:
            services.agenda_item_link_works_on(actor=secretariat, item=item, targets=[main_items[works_on]])
        services.attendance_record(
            actor=secretariat,
            meeting=meeting,
            rows=[
                services.AttendanceRow(organisation=m.organisation, present=True)
                for m in CouncilMember.objects.filter(council=local).select_related("organisation")
            ],
        )
        services.decision_record(
            actor=secretariat,
            agenda_item=item,
            method=Decision.Method.CONSENSUS,
            text="실무 의견을 정리하여 발전협의회에 보고한다.",
            text_en="Summarise the practical views and report them to the development council.",
        )


def _current(
    main: Council,
    lines: dict[tuple[int, str], PlanLine],
    secretariat: User,
    orgs: dict[str, Organisation],
    last_plenary: Meeting | None,
) -> None:
    """A working meeting a month ago with open action items, and a plenary three weeks ahead (dates relative to
    today, so the demo always has something upcoming to invite to)."""
    today = timezone.localdate()
    past = services.meeting_schedule(
        actor=secretariat,
        council=main,
        kind=Meeting.Kind.WORKING,
        title=f"{today.year}년 실무회의(최근)",
        title_en=f"{today.year} working meeting (recent)",
        starts_at=_at(today - timedelta(days=30), 15),
        ends_at=_at(today - timedelta(days=30), 17),
        place="금천구청 기획상황실",
        visibility=Visibility.MEMBERS,
    )
    services.meeting_invite(
        actor=secretariat, meeting=past, notify=False, at=_at(today - timedelta(days=45), 10)
    )
    item = services.agenda_item_propose(
        actor=secretariat,
        council=main,
        meeting=past,
        title="G밸리 기업 애로 규제 개선 건의 정리",
        title_en="Collecting companies' regulatory difficulties for the plenary",
        description="",
        origin=AgendaItem.Origin.YEARLY_PLAN,
        presenter_organisation=orgs["gvia"],
        presenter_name="사무국장",
        duration_minutes=40,
        visibility=Visibility.MEMBERS,
    )
    services.attendance_record(
        actor=secretariat,
        meeting=past,
        rows=[services.AttendanceRow(organisation=o, present=True) for o in orgs.values()],
    )
    decision = services.decision_record(
        actor=secretariat,
        agenda_item=item,
        method=Decision.Method.CONSENSUS,
        text="기업인 단체별 건의사항을 취합하여 다음 본회의에 상정한다.",
        text_en="Collect each business association's requests and put them to the next plenary.",
        visibility=Visibility.MEMBERS,
    )
    for key, days, progress in (("gvia", 20, 50), ("sdic_ceo", 20, 0), ("kicox", -5, 30)):
        action = services.action_item_create(
            actor=secretariat,
            decision=decision,
            title=f"{orgs[key].short_name or orgs[key].name} 건의사항 취합",
            title_en=f"Collect the requests of {orgs[key].name_en}",
            owner_organisation=orgs[key],
            owner_person=User.objects.filter(
                council_seats__member__organisation=orgs[key],
                council_seats__kind=Seat.Kind.WORKING_MEMBER,
                council_seats__ceased_on__isnull=True,
            ).first(),
            due_on=today + timedelta(days=days),
            visibility=Visibility.MEMBERS,
        )
        if progress:
            services.action_item_report(
                actor=secretariat, item=action, progress=progress, note="취합 진행 중"
            )
    minutes = services.minutes_draft(
        actor=secretariat,
        meeting=past,
        body="1. 개회\n2. 규제 애로 건의 정리 방향 논의\n3. 폐회",
        visibility=Visibility.MEMBERS,
    )
    del minutes
    upcoming = services.meeting_schedule(
        actor=secretariat,
        council=main,
        kind=Meeting.Kind.PLENARY,
        title=f"{today.year}년 {'상' if today.month <= 6 else '하'}반기 본회의",
        title_en=f"{today.year} {'first' if today.month <= 6 else 'second'}-half plenary",
        starts_at=_at(today + timedelta(days=21), 14),
        ends_at=_at(today + timedelta(days=21), 16),
        place="G밸리 비즈플라자 컨퍼런스룸",
        place_en="G-Valley Biz Plaza conference room",
        online_url="https://meet.demo.gvalley.kr/council",
        visibility=Visibility.PUBLIC,
    )
    services.agenda_item_propose(
        actor=secretariat,
        council=main,
        meeting=upcoming,
        title="기업 규제 애로 건의사항 상정",
        title_en="Companies' regulatory difficulties",
        description="실무회의에서 취합한 건의사항.",
        origin=AgendaItem.Origin.MEMBER_PROPOSAL,
        presenter_organisation=orgs["gvia"],
        proposing_organisation=orgs["gvia"],
        presenter_name="회장",
        duration_minutes=30,
    )
    services.agenda_item_propose(
        actor=secretariat,
        council=main,
        meeting=upcoming,
        title="후속조치 추진상황 점검",
        title_en="Review of the action items' progress",
        description="",
        origin=AgendaItem.Origin.SECRETARIAT,
        presenter_organisation=orgs["seoul"],
        presenter_name="산업거점활성화반장",
        duration_minutes=20,
    )
    # a proposal not yet on a meeting
    services.agenda_item_propose(
        actor=secretariat,
        council=main,
        title="G밸리 야간 셔틀버스 시범 운행",
        title_en="Trial night shuttle buses in G-Valley",
        description="근로자 야간 퇴근길 교통 불편 해소.",
        origin=AgendaItem.Origin.MEMBER_PROPOSAL,
        presenter_organisation=orgs["kdcbf"],
        proposing_organisation=orgs["kdcbf"],
    )
    del last_plenary, lines
