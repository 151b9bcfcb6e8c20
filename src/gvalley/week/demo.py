"""The 2021 (6th) G밸리 Week with its seven programmes (seed 003) and the 2020 (5th) edition."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from gvalley.accounts.models import Organisation

from . import services
from .models import Edition, Programme

ORGANISERS = [
    ("서울특별시", "Seoul Metropolitan Government", Organisation.Kind.GOVERNMENT),
    (
        "한국산업단지공단 서울지역본부",
        "KICOX Seoul Regional Headquarters",
        Organisation.Kind.PUBLIC_ENTERPRISE,
    ),
    ("서울산업진흥원", "Seoul Business Agency (SBA)", Organisation.Kind.AGENCY),
    ("금천구", "Geumcheon-gu Office", Organisation.Kind.GOVERNMENT),
    ("구로구", "Guro-gu Office", Organisation.Kind.GOVERNMENT),
]

EDITION_2021 = {
    "number": 6,
    "year": 2021,
    "title": "2021 G밸리 Week (제6회)",
    "title_en": "G-Valley Week 2021 (6th)",
    "starts_on": date(2021, 10, 6),
    "ends_on": date(2021, 10, 8),
    "theme": "14만 G밸리人들의 산업·문화 축제, 비대면 개최",
    "theme_en": "The industry and culture festival of G-Valley's 140,000 people, held online",
    "description": (
        "1만 2천여 기업과 14만여 근로자가 모인 G밸리의 대표 축제. 코로나19 장기화로 위축된 입주기업을 지원하기 위해 "
        "산업행사 5개와 문화행사 2개를 전면 비대면으로 운영한다. 채용박람회는 9월 29일부터 10월 22일까지 4주간 열린다."
    ),
    "description_en": (
        "The festival of G-Valley's 12,000 companies and 140,000 workers. To support companies hit by the long "
        "pandemic, five industry and two culture programmes run fully online; the job fair runs four weeks, "
        "29 September to 22 October."
    ),
    "is_online": True,
}

PROGRAMMES_2021 = [
    # kind, category, title, title_en, operator, start, end, size, size_en, summary, summary_en
    (
        "export_consultation",
        "industry",
        "해외바이어 수출상담회",
        "Export consultation with foreign buyers",
        "한국산업단지공단 서울지역본부",
        date(2021, 10, 6),
        date(2021, 10, 8),
        "해외바이어 30개사 × G밸리 기업 80개사",
        "30 foreign buyers × 80 G-Valley companies",
        "말레이시아, 인도네시아 등 동남아 중심 해외바이어와 G밸리 기업의 화상 수출상담. 작년 140건, 3,559만 4천불 상담.",
        "Video export consultations between South-East Asian buyers (Malaysia, Indonesia, …) and G-Valley companies; "
        "last year 140 consultations worth USD 35,594,000.",
    ),
    (
        "startup_competition",
        "industry",
        "창업경진대회",
        "Startup competition",
        "서울산업진흥원",
        date(2021, 6, 1),
        date(2021, 10, 6),
        "210개팀 참여, 결선 13개팀, 총상금 5,100만원",
        "210 teams, 13 finalists, KRW 51 million in prizes",
        "서류 및 PT 심사를 거친 13개팀이 10월 6일 무관중 PT로 최종 순위를 가린다. 서울특별시장상, 산업자원부장관상 등 수여.",
        "After document and pitch screening, 13 finalists pitch without an audience on 6 October for the final ranking; "
        "awards include the Seoul Mayor's and the Minister's award.",
    ),
    (
        "job_fair",
        "industry",
        "온라인 채용박람회",
        "Online job fair",
        "금천구",
        date(2021, 9, 29),
        date(2021, 10, 22),
        "IT·의료·제조 등 구인기업 50여개사",
        "About 50 employers in IT, medical, manufacturing",
        "4주간 온라인으로 진행. 구직자는 채용박람회 전용 홈페이지를 통해 참가신청.",
        "Four weeks online; job seekers apply through the fair's site.",
    ),
    (
        "demo_day",
        "industry",
        "스타트업 데모데이(IR)",
        "Startup demo day (IR)",
        "서울산업진흥원",
        date(2021, 10, 7),
        date(2021, 10, 7),
        "국내 벤처 투자자 20명",
        "20 venture investors",
        "스타트업과 벤처캐피탈·엔젤투자자 연계. 사전 1:1 전문가 멘토링과 투자유치 교육.",
        "Startups meet VCs and angel investors, after 1:1 expert mentoring and investment education.",
    ),
    (
        "live_commerce",
        "industry",
        "라이브커머스데이",
        "Live commerce day",
        "구로구",
        date(2021, 10, 7),
        date(2021, 10, 7),
        "",
        "",
        "G밸리 기업의 우수상품을 라이브커머스 방송으로 소개·판매.",
        "G-Valley products presented and sold in live broadcasts.",
    ),
    (
        "video_festival",
        "culture",
        "영상문화제",
        "Video festival",
        "서울특별시",
        date(2021, 10, 6),
        date(2021, 10, 8),
        "",
        "",
        "G밸리 디지털콘텐츠 기업의 게임캐릭터·애니메이션 영상 상영.",
        "Screenings of game-character and animation content by G-Valley's digital content companies.",
    ),
    (
        "vr_exhibition",
        "culture",
        "구로공단 노동자 생활체험관 특별전",
        "Guro Industrial Complex workers' life VR exhibition",
        "구로구",
        date(2021, 10, 6),
        date(2021, 10, 8),
        "",
        "",
        "가요, 영화 등 대중문화 속 공단 노동자의 삶을 주제로 VR 제작 전시.",
        "A VR exhibition on the lives of the complex's workers in songs and films of the 1960s–70s.",
    ),
]

EDITION_2020 = {
    "number": 5,
    "year": 2020,
    "title": "2020 G밸리 Week (제5회)",
    "title_en": "G-Valley Week 2020 (5th)",
    "starts_on": date(2020, 10, 14),
    "ends_on": date(2020, 10, 16),
    "theme": "비대면으로 만나는 G밸리 산업·문화 축제",
    "theme_en": "G-Valley's industry and culture festival, online",
    "description": "코로나19로 처음 비대면으로 열린 G밸리 Week. 수출상담회에서 140건, 3,559만 4천불의 상담 실적을 거두었다.",
    "description_en": "The first online G-Valley Week; its export consultation recorded 140 consultations worth USD 35,594,000.",
    "is_online": True,
}

PROGRAMMES_2020 = [
    (
        "export_consultation",
        "industry",
        "해외바이어 수출상담회",
        "Export consultation with foreign buyers",
        "한국산업단지공단 서울지역본부",
        date(2020, 10, 14),
        date(2020, 10, 16),
        "수출상담 140건",
        "140 consultations",
        "동남아 바이어와 G밸리 기업의 화상 수출상담.",
        "Video export consultations with South-East Asian buyers.",
    ),
    (
        "startup_competition",
        "industry",
        "창업경진대회",
        "Startup competition",
        "서울산업진흥원",
        date(2020, 6, 1),
        date(2020, 10, 14),
        "",
        "",
        "G밸리 창업경진대회.",
        "The G-Valley startup competition.",
    ),
    (
        "job_fair",
        "industry",
        "온라인 채용박람회",
        "Online job fair",
        "금천구",
        date(2020, 10, 5),
        date(2020, 10, 30),
        "",
        "",
        "온라인 채용박람회.",
        "Online job fair.",
    ),
    (
        "video_festival",
        "culture",
        "영상문화제",
        "Video festival",
        "서울특별시",
        date(2020, 10, 14),
        date(2020, 10, 16),
        "",
        "",
        "디지털콘텐츠 영상 상영.",
        "Digital content screenings.",
    ),
]


def _organisation(name: str, name_en: str, kind: str) -> Organisation:
    org, _ = Organisation.objects.get_or_create(name=name, defaults={"name_en": name_en, "kind": kind})
    return org


@transaction.atomic
def seed(*, stdout: Any = None) -> None:
    orgs = {name: _organisation(name, name_en, kind) for name, name_en, kind in ORGANISERS}
    for data, programmes in ((EDITION_2020, PROGRAMMES_2020), (EDITION_2021, PROGRAMMES_2021)):
        if Edition.objects.filter(year=data["year"]).exists():
            continue
        edition = services.edition_create(actor=None, organisers=list(orgs.values()), **data)
        for order, (
            kind,
            category,
            title,
            title_en,
            operator,
            start,
            end,
            size,
            size_en,
            summary,
            summary_en,
        ) in enumerate(programmes, start=1):
            services.programme_create(
                actor=None,
                edition=edition,
                kind=kind,
                category=category,
                title=title,
                title_en=title_en,
                operator=orgs[operator],
                starts_on=start,
                ends_on=end,
                format=Programme.Format.ONLINE,
                target_size=size,
                target_size_en=size_en,
                summary=summary,
                summary_en=summary_en,
                order=order,
            )
