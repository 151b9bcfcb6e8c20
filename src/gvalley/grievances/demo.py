"""Demo data of the grievances app: categories with their questions, responsible agencies and handlers,
answer templates, company-visit plans (2018–2022.6), company visits, and a few hundred requests from
2018 to June 2022 in every status — plus a handful received in the last weeks so that the queue shows live
deadlines. Deterministic (seeded random) and idempotent (a second run adds nothing).

Everything is written through the services, with the historical dates passed in, so each request has a
consistent history, deadline and audit trail. E-mails are not sent for demo data.
"""

from __future__ import annotations

import random
import struct
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from gvalley.accounts.demo import council_organisation, demo_password_hash
from gvalley.accounts.models import Organisation, Role, User
from gvalley.accounts.services import membership_grant
from gvalley.directory.models import Building, Company
from gvalley.engines import deadlines

from . import services
from .models import Answer, AnswerTemplate, Category, Request, Visit, VisitPlan

SEED = 20180701
SEOUL = deadlines.SEOUL
TRACKING = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

#: Agencies outside the council that handle requests (name, English name, short name, kind).
AGENCIES = {
    "sba": ("서울산업진흥원", "Seoul Business Agency (SBA)", "SBA", Organisation.Kind.AGENCY),
    "labour": (
        "서울지방고용노동청 관악지청",
        "Gwanak Branch, Seoul Regional Employment and Labor Office",
        "관악지청",
        Organisation.Kind.GOVERNMENT,
    ),
    "police": ("금천경찰서", "Geumcheon Police Station", "금천서", Organisation.Kind.GOVERNMENT),
    "metro": ("서울교통공사", "Seoul Metro", "서울교통공사", Organisation.Kind.PUBLIC_ENTERPRISE),
    "kepco": (
        "한국전력공사 남서울본부",
        "KEPCO South Seoul Headquarters",
        "한전 남서울",
        Organisation.Kind.PUBLIC_ENTERPRISE,
    ),
    "fire": ("금천소방서", "Geumcheon Fire Station", "금천소방서", Organisation.Kind.GOVERNMENT),
    "kosmes": (
        "중소벤처기업진흥공단 서울지역본부",
        "KOSMES Seoul Regional Headquarters",
        "중진공 서울",
        Organisation.Kind.PUBLIC_ENTERPRISE,
    ),
    "kotra": ("대한무역투자진흥공사(KOTRA)", "KOTRA", "KOTRA", Organisation.Kind.PUBLIC_ENTERPRISE),
}

#: Demo handler accounts (e-mail, name, organisation key, position); the KICOX handler comes with accounts.
HANDLERS = [
    ("handler.geumcheon@demo.gvalley.kr", "오세영", "geumcheon", "지역경제과 주무관"),
    ("handler.guro@demo.gvalley.kr", "문지호", "guro", "지역경제과 주무관"),
    ("handler.seoul@demo.gvalley.kr", "배수진", "seoul", "산업거점활성화반 주무관"),
    ("handler.sba@demo.gvalley.kr", "권도윤", "sba", "기업지원팀 매니저"),
    ("handler.labour@demo.gvalley.kr", "신현우", "labour", "근로개선지도과 근로감독관"),
    ("handler.metro@demo.gvalley.kr", "장하은", "metro", "고객안전팀 대리"),
]

ON_SITE_REMEDY = (
    "결과에 이의가 있으면 이 요청을 재개하여 다시 검토를 요청할 수 있고, 행정청의 처분에 관한 사항은 "
    "처분이 있음을 안 날부터 90일 이내에 행정심판(온라인행정심판 www.simpan.go.kr)을 청구할 수 있습니다."
)

CATEGORIES: list[dict[str, Any]] = [
    {
        "code": "regulation",
        "name": "규제·인허가",
        "name_en": "Regulation and permits",
        "description": "지식산업센터 입주 업종, 공장등록, 건축·옥외광고 허가 등 규제와 인허가의 어려움",
        "description_en": "Permitted industries in knowledge industry centres, factory registration, building and signage permits",
        "kind": Category.Kind.SUGGESTION,
        "period": "14d",
        "org": "geumcheon",
        "keywords": "인허가, 공장등록, 입주업종, 건축허가",
        "keywords_en": "permits, factory registration, industries, building permit",
        "questions": [
            (
                "permit_type",
                "어떤 인허가에 관한 것입니까?",
                "Which permit is it about?",
                "singlevaluelist",
                True,
                [
                    ("factory", "공장등록", "Factory registration"),
                    ("building", "건축·용도변경", "Building or change of use"),
                    ("industry", "입주 업종", "Permitted industries"),
                    ("signage", "옥외광고물", "Outdoor signage"),
                    ("other", "기타", "Other"),
                ],
            ),
            ("office_contacted", "이미 문의한 기관", "Office already contacted", "string", False, []),
        ],
    },
    {
        "code": "transport",
        "name": "교통·주차",
        "name_en": "Transport and parking",
        "description": "출퇴근 버스, 지하철역 혼잡, 주차, 보행로와 교통 신호",
        "description_en": "Commuter buses, crowded stations, parking, footpaths and traffic lights",
        "kind": Category.Kind.GRIEVANCE,
        "period": "7d",
        "org": "geumcheon",
        "keywords": "버스, 지하철, 주차, 교통, 보행",
        "keywords_en": "bus, subway, parking, traffic, walking",
        "questions": [
            (
                "mode",
                "무엇에 관한 것입니까?",
                "What is it about?",
                "singlevaluelist",
                True,
                [
                    ("bus", "버스·셔틀", "Bus or shuttle"),
                    ("subway", "지하철역", "Subway station"),
                    ("parking", "주차", "Parking"),
                    ("walking", "보행·횡단", "Walking and crossings"),
                    ("road", "도로·신호", "Roads and traffic lights"),
                ],
            ),
            (
                "time_of_day",
                "주로 언제 겪습니까?",
                "When does it happen most?",
                "multivaluelist",
                False,
                [
                    ("morning", "출근 시간", "Morning rush"),
                    ("evening", "퇴근 시간", "Evening rush"),
                    ("day", "낮 시간", "Daytime"),
                ],
            ),
        ],
    },
    {
        "code": "infrastructure",
        "name": "기반시설",
        "name_en": "Infrastructure",
        "description": "도로 포장, 전력·통신, 가로등, 상하수도, 공원과 녹지",
        "description_en": "Road surfaces, power and telecoms, street lights, water, parks",
        "kind": Category.Kind.SUGGESTION,
        "period": "14d",
        "org": "kicox",
        "keywords": "도로, 전기, 정전, 가로등, 녹지",
        "keywords_en": "roads, electricity, outage, street lights, green space",
        "questions": [
            (
                "facility",
                "어느 시설입니까?",
                "Which facility?",
                "singlevaluelist",
                True,
                [
                    ("road", "도로·보도", "Road or pavement"),
                    ("power", "전력", "Electricity"),
                    ("telecom", "통신", "Telecoms"),
                    ("light", "가로등", "Street lights"),
                    ("green", "공원·녹지", "Parks and green space"),
                ],
            )
        ],
    },
    {
        "code": "employment",
        "name": "인력·고용",
        "name_en": "Staff and employment",
        "description": "인력 채용, 직무 교육, 근로 조건, 외국인 인력",
        "description_en": "Hiring, job training, working conditions, foreign workers",
        "kind": Category.Kind.PROCEDURE_QUESTION,
        "period": "7d",
        "org": "geumcheon",
        "keywords": "채용, 구인, 교육, 근로조건",
        "keywords_en": "hiring, recruitment, training, working conditions",
        "questions": [
            (
                "topic",
                "어떤 내용입니까?",
                "What is it about?",
                "singlevaluelist",
                True,
                [
                    ("hiring", "채용·구인", "Hiring"),
                    ("training", "교육·훈련", "Training"),
                    ("conditions", "근로 조건", "Working conditions"),
                    ("foreign", "외국인 인력", "Foreign workers"),
                ],
            ),
            ("positions", "채용하려는 인원(명)", "Number of positions to fill", "number", False, []),
        ],
    },
    {
        "code": "finance",
        "name": "자금·금융",
        "name_en": "Funding and finance",
        "description": "정책자금, 운전·시설자금, 보증, 연구개발 자금",
        "description_en": "Policy loans, working and facility capital, guarantees, R&D funding",
        "kind": Category.Kind.PROCEDURE_QUESTION,
        "period": "7d",
        "org": "sba",
        "keywords": "자금, 대출, 보증, 정책자금",
        "keywords_en": "funding, loan, guarantee",
        "questions": [
            (
                "purpose",
                "자금의 용도",
                "Purpose of the funds",
                "singlevaluelist",
                True,
                [
                    ("working", "운전자금", "Working capital"),
                    ("facility", "시설자금", "Facilities"),
                    ("rnd", "연구개발", "R&D"),
                ],
            ),
            ("amount", "필요 금액(백만원)", "Amount needed (KRW million)", "number", False, []),
        ],
    },
    {
        "code": "market",
        "name": "판로·수출",
        "name_en": "Markets and exports",
        "description": "해외 바이어 발굴, 전시회, 수출 바우처, 온라인 판로",
        "description_en": "Finding foreign buyers, trade fairs, export vouchers, online sales",
        "kind": Category.Kind.SUGGESTION,
        "period": "14d",
        "org": "kicox",
        "keywords": "수출, 바이어, 전시회, 판로",
        "keywords_en": "exports, buyers, trade fairs, sales",
        "questions": [
            ("country", "대상 국가", "Target country", "string", False, []),
            ("product", "주요 제품", "Main product", "string", False, []),
        ],
    },
    {
        "code": "safety",
        "name": "환경·안전",
        "name_en": "Environment and safety",
        "description": "화재 안전, 소음, 분진·악취, 폐기물, 산업 안전",
        "description_en": "Fire safety, noise, dust and odours, waste, industrial safety",
        "kind": Category.Kind.GRIEVANCE,
        "period": "7d",
        "org": "geumcheon",
        "keywords": "화재, 소음, 분진, 안전",
        "keywords_en": "fire, noise, dust, safety",
        "questions": [
            (
                "hazard",
                "어떤 위험입니까?",
                "What kind of hazard?",
                "singlevaluelist",
                True,
                [
                    ("fire", "화재", "Fire"),
                    ("noise", "소음", "Noise"),
                    ("air", "분진·악취", "Dust or odour"),
                    ("waste", "폐기물", "Waste"),
                    ("accident", "안전사고", "Accidents"),
                ],
            )
        ],
    },
    {
        "code": "welfare",
        "name": "복지·편의",
        "name_en": "Welfare and amenities",
        "description": "어린이집, 구내식당, 체육시설, 기숙사, 휴게 공간",
        "description_en": "Childcare, canteens, sports facilities, housing, rest areas",
        "kind": Category.Kind.SUGGESTION,
        "period": "14d",
        "org": "geumcheon",
        "keywords": "어린이집, 식당, 체육, 기숙사, 휴게",
        "keywords_en": "childcare, canteen, sports, housing, rest",
        "questions": [
            (
                "facility",
                "어떤 시설입니까?",
                "Which amenity?",
                "singlevaluelist",
                True,
                [
                    ("childcare", "어린이집", "Childcare"),
                    ("canteen", "구내식당", "Canteen"),
                    ("sports", "체육시설", "Sports"),
                    ("housing", "기숙사·주거", "Housing"),
                    ("rest", "휴게 공간", "Rest areas"),
                ],
            )
        ],
    },
    {
        "code": "other",
        "name": "기타",
        "name_en": "Other",
        "description": "위에 없는 G밸리 발전을 위한 제안",
        "description_en": "Other suggestions for G-Valley",
        "kind": Category.Kind.SUGGESTION,
        "period": "14d",
        "org": "geumcheon",
        "keywords": "제안, 기타",
        "keywords_en": "suggestion, other",
        "questions": [],
    },
    {
        "code": "simple",
        "name": "단순 문의",
        "name_en": "Simple question",
        "description": "담당 부서·일정 안내 같은 간단한 문의 (즉시 처리: 3근무시간)",
        "description_en": "Simple questions such as which office handles what (answered at once: 3 working hours)",
        "kind": Category.Kind.SIMPLE,
        "period": "immediate",
        "org": "geumcheon",
        "keywords": "문의, 안내",
        "keywords_en": "question, information",
        "questions": [],
    },
]


@dataclass
class Topic:
    category: str
    weight: int
    titles: list[tuple[str, str]]
    bodies: list[str]
    accept: str
    refuse: str = ""
    org: str = ""
    transfer: str = ""
    worker: float = 0.3
    anonymous: float = 0.0
    supports: int = 2
    attrs: dict[str, Any] = field(default_factory=dict)


EXITS = ["1", "2", "5", "6", "7", "8"]
BUSES = ["금천05", "금천06", "구로10", "503", "504", "571", "652", "5536"]
ROADS = ["가산디지털1로", "가산디지털2로", "디지털로", "벚꽃로", "서부샛길", "남부순환로"]

TOPICS: list[Topic] = [
    Topic(
        "transport",
        9,
        [
            (
                "가산디지털단지역 출근 시간 버스 증차 요청",
                "More buses at Gasan Digital Complex station in the morning",
            ),
            ("출퇴근 버스 배차 간격 단축 요청", "Shorter intervals for commuter buses"),
            ("출근 셔틀버스 운행 요청", "A morning shuttle bus, please"),
            ("아침 마을버스가 너무 붐벼요", "The morning village bus is far too crowded"),
        ],
        [
            "아침 8시부터 9시 사이 가산디지털단지역 {exit}번 출구 앞 정류장에 대기 줄이 {n}m 넘게 이어집니다. "
            "{bus}번 버스 배차 간격이 {m}분이나 되어 직원들이 자주 지각합니다. 출근 시간대 증차나 셔틀버스 운행을 요청합니다.",
            "{bus}번 마을버스가 출근 시간에 너무 붐벼서 두세 대를 보내고 나서야 탈 수 있습니다. {road} 쪽 지식산업센터로 "
            "가는 직원이 많은데 버스가 부족합니다. 배차 간격을 줄여 주세요.",
            "퇴근 시간 {road} 정류장에서 버스를 타려면 {m}분 이상 기다려야 합니다. 출퇴근 버스 노선을 늘리거나 "
            "G밸리 순환 셔틀을 운행해 주시기 바랍니다.",
        ],
        "금천구와 서울시가 협의하여 출근 시간대(07:30~09:30) {bus}번 노선에 예비차 2대를 투입하고 배차 간격을 "
        "{m}분에서 6분으로 줄였습니다. 운행 효과를 3개월 동안 점검한 뒤 증차 여부를 다시 검토하겠습니다.",
        "해당 노선은 운수회사의 차량과 운전인력이 부족하여 당장 증차가 어렵습니다. 대신 출근 시간 집중배차를 운수회사에 "
        "요청하였으며, 하반기 노선 조정 때 다시 검토하겠습니다.",
        worker=0.7,
        anonymous=0.0,
        supports=6,
        attrs={"mode": "bus", "time_of_day": ["morning"]},
    ),
    Topic(
        "transport",
        6,
        [
            (
                "가산디지털단지역 출퇴근 혼잡 개선 요청",
                "Relieve the rush-hour crush at Gasan Digital Complex station",
            ),
            (
                "가산디지털단지역 7호선 환승 통로 혼잡",
                "Crowded transfer corridor to line 7 at Gasan Digital Complex",
            ),
        ],
        [
            "출근 시간 가산디지털단지역 1호선과 7호선 환승 통로가 너무 혼잡해서 계단에서 넘어질 뻔했습니다. "
            "안전요원 배치와 출구 추가를 요청합니다.",
            "가산디지털단지역 {exit}번 출구 에스컬레이터가 자주 멈추고, 출근 시간에 개찰구 앞까지 사람이 밀려 있습니다. "
            "혼잡 시간대 안전 관리 대책을 마련해 주세요.",
        ],
        "서울교통공사에서 출근 시간대(08:00~09:30) 환승 통로에 안전요원 4명을 배치하고, {exit}번 출구 에스컬레이터 "
        "정비를 완료하였습니다. 출구 신설은 서울시 도시철도 계획에 건의하였습니다.",
        "출구 신설은 역사 구조상 대규모 공사가 필요하여 단기간에 추진하기 어렵습니다. 혼잡 시간대 안전요원 배치로 "
        "우선 대응하겠습니다.",
        org="metro",
        worker=0.8,
        supports=8,
        attrs={"mode": "subway", "time_of_day": ["morning", "evening"]},
    ),
    Topic(
        "transport",
        6,
        [
            (
                "지식산업센터 주변 불법 주차 단속 요청",
                "Enforce parking rules around the knowledge industry centres",
            ),
            ("{building} 앞 이중 주차로 통행 불편", "Double parking in front of {building}"),
            ("입주기업 주차 공간 부족", "Not enough parking for tenant companies"),
        ],
        [
            "{building} 앞 {road} 이면도로에 이중 주차 차량이 많아 화물차가 드나들지 못합니다. 상습 불법 주차 단속을 요청합니다.",
            "{building} 주차장이 입주 기업 수에 비해 너무 좁아 방문객 차량을 세울 곳이 없습니다. 인근 공영주차장 확충이나 "
            "주차장 공유를 검토해 주세요.",
        ],
        "{road} 일대를 주정차 단속 집중 구역으로 지정하고 CCTV 단속 카메라 1대를 추가 설치하였습니다. 인근 공영주차장 "
        "야간·주말 개방도 건물 관리단과 협의하고 있습니다.",
        "공영주차장 신설은 부지 확보가 어려워 올해 계획에 반영하지 못하였습니다. 불법 주차 단속은 강화하겠습니다.",
        supports=3,
        attrs={"mode": "parking", "time_of_day": ["day"]},
    ),
    Topic(
        "transport",
        4,
        [
            ("수출의다리 퇴근길 정체 해소 요청", "Ease the evening jam on the Suchul bridge"),
            ("{road} 교차로 좌회전 신호 신설 요청", "A left-turn signal at the {road} crossing"),
        ],
        [
            "퇴근 시간 수출의다리 진입로가 {m}분 이상 막힙니다. 신호 체계를 조정하거나 우회로 안내를 해 주세요.",
            "{road} 교차로에서 좌회전 신호가 없어 차량과 보행자가 뒤엉킵니다. 사고가 날 뻔한 적이 여러 번 있습니다.",
        ],
        "금천경찰서와 협의하여 {road} 교차로의 신호 주기를 조정하고 좌회전 보호 신호를 시범 운영하기로 하였습니다.",
        "해당 교차로는 교통량 분석 결과 좌회전 신호 신설 기준에 미치지 못합니다. 대신 보행자 안전 시설을 보강하겠습니다.",
        transfer="police",
        supports=3,
        attrs={"mode": "road", "time_of_day": ["evening"]},
    ),
    Topic(
        "regulation",
        5,
        [
            (
                "지식산업센터 입주 가능 업종 확대 요청",
                "Widen the industries allowed in knowledge industry centres",
            ),
            ("지식산업센터 입주 업종 제한 완화", "Relax the industry limits in knowledge industry centres"),
        ],
        [
            "저희 회사는 소프트웨어 개발과 함께 온라인 유통을 하는데, {building}에서는 유통업이 입주 업종이 아니라고 "
            "해서 사업장을 나눠야 합니다. 지식산업센터 입주 가능 업종을 현실에 맞게 넓혀 주시기 바랍니다.",
            "지식산업센터에 입주하려면 업종이 제조업이나 지식산업이어야 해서 디자인·콘텐츠 스타트업이 들어가기 어렵습니다. "
            "산업단지 관리기본계획의 입주 업종 기준 완화를 건의합니다.",
        ],
        "한국산업단지공단 서울지역본부가 산업단지 관리기본계획 변경안에 정보통신·콘텐츠 관련 업종을 추가하였으며, "
        "변경 고시 후 입주 신청이 가능합니다.",
        "입주 업종은 「산업집적활성화 및 공장설립에 관한 법률」과 관리기본계획으로 정해지며, 유통업은 지원시설 구역에서만 "
        "가능합니다. 지원시설 구역 입주를 안내드립니다.",
        transfer="kicox",
        supports=3,
        attrs={"permit_type": "industry"},
    ),
    Topic(
        "regulation",
        4,
        [
            ("공장 증축 허가 처리 지연", "Delay in the permit to extend a factory"),
            ("공장등록 변경 신고 절차 간소화 요청", "Simplify the factory registration change procedure"),
        ],
        [
            "생산 라인을 늘리려고 공장 증축 허가를 신청한 지 두 달이 넘었는데 아직 결과가 없습니다. 처리 상황을 알려 주시고 "
            "절차를 서둘러 주시기 바랍니다.",
            "공장등록 사항을 변경할 때마다 서류를 새로 내야 하고 방문해야 해서 부담이 큽니다. 온라인 신고를 확대해 주세요.",
        ],
        "공장 증축 허가는 관련 부서 협의를 마치고 처리되었습니다. 공장등록 변경은 팩토리온(www.factoryon.go.kr)에서 "
        "온라인으로 신고할 수 있도록 안내하였습니다.",
        "건축 협의 과정에서 주차장 설치 기준을 충족하지 못하여 보완이 필요합니다. 보완 서류를 제출하시면 신속히 처리하겠습니다.",
        supports=1,
        attrs={"permit_type": "factory"},
    ),
    Topic(
        "regulation",
        2,
        [("건물 외벽 간판 설치 기준 문의", "Rules for signs on building walls")],
        ["{building}에 회사 간판을 달려고 하는데 옥외광고물 허가 기준과 절차를 알고 싶습니다."],
        "옥외광고물 허가 기준(크기, 위치, 조명)과 신청 서류를 안내드렸으며, 건물 관리단의 동의서가 필요합니다.",
        supports=0,
        attrs={"permit_type": "signage"},
    ),
    Topic(
        "infrastructure",
        4,
        [
            ("{road} 도로 포장 파손 보수 요청", "Repair the broken road surface on {road}"),
            ("화물차 통행로 포트홀 보수", "Fix the potholes on the lorry route"),
        ],
        [
            "{road} {building} 앞 도로에 포트홀이 여러 개 생겨 화물차와 오토바이가 위험합니다. 보수를 요청합니다.",
            "비가 오면 {road} 보도블록이 꺼져 물이 고입니다. 출근하는 직원들이 불편을 겪고 있습니다.",
        ],
        "현장 확인 후 {road} 파손 구간의 긴급 보수를 완료하였고, 전체 구간 재포장을 다음 해 예산에 반영하였습니다.",
        "해당 구간은 사유지(건물 부지)여서 공공 예산으로 보수할 수 없습니다. 건물 관리단에 보수를 요청하였습니다.",
        supports=2,
        attrs={"facility": "road"},
    ),
    Topic(
        "infrastructure",
        3,
        [
            ("잦은 순간 정전으로 생산 설비 피해", "Frequent short power cuts damage production equipment"),
            ("지식산업센터 전력 용량 증설 요청", "More power capacity for a knowledge industry centre"),
        ],
        [
            "지난 한 달 동안 순간 정전이 {n}번 있었고, 그때마다 SMT 장비가 멈춰 불량이 발생했습니다. 원인 조사와 대책을 요청합니다.",
            "{building}의 전력 용량이 부족해 장비를 추가로 들일 수 없습니다. 변전 설비 증설을 검토해 주세요.",
        ],
        "한국전력공사 남서울본부가 배전 선로를 점검하여 노후 개폐기를 교체하였습니다. 이후 순간 정전은 발생하지 않았습니다.",
        "건물 내부 수전 설비 증설은 건물 소유자가 신청해야 합니다. 신청 절차를 건물 관리단에 안내하였습니다.",
        transfer="kepco",
        supports=2,
        attrs={"facility": "power"},
    ),
    Topic(
        "infrastructure",
        3,
        [
            ("점심시간 쉴 수 있는 공원과 녹지 부족", "Not enough parks to rest in at lunchtime"),
            ("야간 보행로 가로등 증설 요청", "More street lights on the footpaths at night"),
        ],
        [
            "G밸리에는 점심시간에 잠깐 걸을 수 있는 공원이나 그늘이 거의 없습니다. {road} 주변 자투리 땅에 쉼터를 만들어 주세요.",
            "야근 후 {road}에서 역까지 걸어가는 길이 어둡습니다. 가로등을 늘려 주시면 좋겠습니다.",
        ],
        "{road} 주변 유휴 부지에 쉼터와 가로등을 설치하는 사업을 G밸리 환경 개선 사업에 포함하였습니다.",
        "해당 부지는 도로 확장 예정지여서 시설물 설치가 어렵습니다.",
        worker=0.6,
        supports=4,
        attrs={"facility": "green"},
    ),
    Topic(
        "employment",
        5,
        [
            ("중소기업 개발자 채용 지원 요청", "Help small firms hire developers"),
            ("G밸리 채용박람회 개최 요청", "Hold a G-Valley job fair"),
            ("청년 인력 채용이 너무 어렵습니다", "Hiring young people is too hard"),
        ],
        [
            "개발자 {n}명을 뽑으려고 몇 달째 공고를 냈지만 지원자가 거의 없습니다. G밸리 중소기업을 위한 채용 연계나 "
            "채용박람회를 열어 주세요.",
            "대기업과 비교해 인지도가 낮아 청년 인력 채용이 어렵습니다. 청년 채용 장려금이나 공동 채용 행사를 지원해 주시기 바랍니다.",
        ],
        "금천구 일자리센터와 G밸리 온라인 채용박람회에 참여할 수 있도록 연계하였으며, 청년 채용 장려금 신청 방법을 안내하였습니다.",
        "기업별 인건비 직접 지원은 현재 사업 범위를 벗어납니다. 대신 채용박람회 참가를 안내드립니다.",
        supports=3,
        attrs={"topic": "hiring"},
    ),
    Topic(
        "employment",
        3,
        [
            ("야근 수당을 받지 못하고 있습니다", "Overtime is not paid"),
            ("휴게시간이 보장되지 않습니다", "Rest breaks are not respected"),
        ],
        [
            "회사에서 주 {n}시간 이상 야근을 시키면서 연장근로 수당을 주지 않습니다. 회사에 이름이 알려지지 않게 도와주세요.",
            "점심시간에도 전화를 받아야 해서 제대로 쉬지 못합니다. 휴게시간 보장을 요청하고 싶지만 회사가 알면 불이익이 걱정됩니다.",
        ],
        "서울지방고용노동청 관악지청이 해당 사업장의 근로시간과 수당 지급 실태를 점검하였고, 미지급 수당의 지급을 지도하였습니다. "
        "점검은 신고인이 드러나지 않는 정기 점검 방식으로 진행하였습니다.",
        "제출된 자료만으로는 위반 사실을 확인하기 어렵습니다. 근로시간 기록을 보완하여 다시 신고하시면 조사하겠습니다.",
        transfer="labour",
        worker=1.0,
        anonymous=0.85,
        supports=0,
        attrs={"topic": "conditions"},
    ),
    Topic(
        "employment",
        2,
        [("외국인 근로자 고용 허가 절차 문의", "How to get a permit to employ foreign workers")],
        [
            "제조 현장 인력이 부족해 외국인 근로자를 고용하려고 합니다. 고용허가제 신청 절차와 필요한 서류를 알려 주세요."
        ],
        "고용허가제(EPS) 신청 절차와 내국인 구인 노력 요건을 안내하였습니다.",
        supports=0,
        attrs={"topic": "foreign"},
    ),
    Topic(
        "finance",
        4,
        [
            ("운전자금 정책대출 신청 방법 문의", "How to apply for a working-capital policy loan"),
            ("코로나19 피해 기업 긴급 경영안정자금 요청", "Emergency funds for firms hit by COVID-19"),
        ],
        [
            "매출이 줄어 인건비와 임차료를 내기 어렵습니다. 운전자금 정책대출의 신청 자격과 절차를 알려 주세요.",
            "코로나19로 해외 거래가 끊겨 자금 사정이 어렵습니다. G밸리 입주 기업을 위한 긴급 경영안정자금을 지원해 주세요.",
        ],
        "서울시 중소기업육성자금(경영안정자금)과 중진공 긴급경영안정자금 신청 방법을 안내하고, 서울산업진흥원 자금 상담을 연결하였습니다.",
        "신청 기업의 신용 등급이 보증 기준에 미치지 못하여 보증 지원이 어렵습니다. 재기 지원 자금 상담을 안내드립니다.",
        supports=2,
        attrs={"purpose": "working"},
    ),
    Topic(
        "finance",
        2,
        [("R&D 과제 매칭 자금 부담 완화", "Lower the matching-fund burden of R&D projects")],
        [
            "정부 R&D 과제에 선정되었지만 기업 부담금 {n}천만원을 마련하기 어렵습니다. 매칭 자금 지원이나 융자를 요청합니다."
        ],
        "중진공 신성장기반자금과 기술보증기금 R&D 보증을 함께 안내하였습니다.",
        "매칭 자금은 과제 협약 조건이어서 면제나 대납이 불가능합니다.",
        transfer="kosmes",
        supports=1,
        attrs={"purpose": "rnd"},
    ),
    Topic(
        "market",
        4,
        [
            ("동남아 해외 바이어 발굴 지원 요청", "Help finding buyers in South-East Asia"),
            ("해외 전시회 참가 지원 요청", "Support to exhibit at trade fairs abroad"),
            ("수출 바우처 사업 신청 문의", "Applying for the export voucher programme"),
        ],
        [
            "말레이시아와 인도네시아에 제품을 수출하고 싶은데 바이어를 찾기 어렵습니다. 화상 수출상담회나 바이어 매칭을 지원해 주세요.",
            "해외 전시회에 나가고 싶지만 부스 비용이 부담됩니다. G밸리 공동관 참가를 지원해 주시기 바랍니다.",
        ],
        "G밸리 Week 해외바이어 수출상담회 참가 기업으로 등록하였으며, KOTRA 지사화 사업과 수출 바우처 신청 방법을 안내하였습니다.",
        "올해 해외 공동관 지원 예산이 소진되었습니다. 다음 해 모집 때 우선 안내드리겠습니다.",
        supports=2,
        attrs={"country": "말레이시아", "product": "IoT 센서"},
    ),
    Topic(
        "market",
        2,
        [("라이브커머스 판로 지원 요청", "Help selling through live commerce")],
        ["소비재를 만드는 작은 회사인데 온라인 판로가 부족합니다. 라이브커머스 방송 참여를 지원해 주세요."],
        "G밸리 Week 라이브커머스데이 참가 신청 방법을 안내하였습니다.",
        supports=1,
    ),
    Topic(
        "safety",
        4,
        [
            (
                "지식산업센터 비상계단 물건 적치로 화재 위험",
                "Goods stored in the emergency stairs are a fire risk",
            ),
            ("화재 대피로가 막혀 있습니다", "The fire escape route is blocked"),
        ],
        [
            "{building} {n}층 비상계단과 복도에 입주사 물건이 쌓여 있어 화재 때 대피가 어렵습니다. 화재 안전 점검을 요청합니다.",
            "{building} 방화문이 늘 열려 있고 비상구 앞에 박스가 쌓여 있습니다. 불이 나면 큰일 날 것 같습니다.",
        ],
        "금천소방서가 현장 점검을 실시하여 적치물 제거와 방화문 관리 개선을 명령하였고, 재점검에서 시정을 확인하였습니다.",
        "점검 결과 위반 사항이 확인되지 않았습니다. 같은 문제가 다시 생기면 사진과 함께 알려 주세요.",
        transfer="fire",
        worker=0.7,
        anonymous=0.3,
        supports=3,
        attrs={"hazard": "fire"},
    ),
    Topic(
        "safety",
        4,
        [
            ("인근 공사장 소음과 분진 피해", "Noise and dust from a nearby construction site"),
            ("공장 소음 때문에 업무가 어렵습니다", "Factory noise makes it hard to work"),
        ],
        [
            "{road} 지식산업센터 신축 공사장에서 아침 7시부터 소음과 분진이 심합니다. 공사 시간 준수와 방진막 설치를 요청합니다.",
            "옆 건물 공장의 기계 소음이 하루 종일 들려 회의와 통화를 할 수 없습니다. 소음 측정과 개선을 요청합니다.",
        ],
        "현장 소음을 측정한 결과 기준을 넘어 공사 시간 조정(08:00 이후)과 방음벽 보강을 명령하였습니다.",
        "소음 측정 결과 생활소음 기준 이내로 확인되어 행정처분 대상이 아닙니다. 시공사에 자율 저감을 요청하였습니다.",
        worker=0.5,
        supports=3,
        attrs={"hazard": "noise"},
    ),
    Topic(
        "welfare",
        5,
        [
            ("G밸리 직장 어린이집 정원 확대 요청", "More places in the G-Valley workplace childcare centre"),
            ("어린이집 대기가 너무 깁니다", "The childcare waiting list is too long"),
        ],
        [
            "G밸리 공동 직장 어린이집 대기가 1년이 넘습니다. 맞벌이 근로자가 많은데 정원을 늘리거나 어린이집을 추가로 만들어 주세요.",
            "아이를 맡길 곳이 없어 퇴사를 고민하는 동료가 많습니다. 출퇴근길에 이용할 수 있는 어린이집을 늘려 주세요.",
        ],
        "금천구와 한국산업단지공단이 공동 직장 어린이집 정원을 {n}명 늘리기로 하였으며, 다음 해 3월부터 추가 모집합니다.",
        "어린이집 신축은 부지와 운영비 확보가 필요하여 중장기 과제로 검토하고 있습니다.",
        worker=0.9,
        supports=7,
        attrs={"facility": "childcare"},
    ),
    Topic(
        "welfare",
        4,
        [
            ("점심시간 구내식당 부족으로 혼잡", "Canteens are overcrowded at lunchtime"),
            ("근로자 체육시설 설치 요청", "A sports facility for workers"),
        ],
        [
            "점심시간이면 주변 식당마다 20분 넘게 줄을 섭니다. {building} 같은 큰 건물에 공동 구내식당을 만들어 주세요.",
            "G밸리 근로자가 퇴근 후 이용할 수 있는 체육시설이 거의 없습니다. 공공 체육관이나 운동 공간을 마련해 주세요.",
        ],
        "G밸리 근로자 복지관 건립 계획에 공동 식당과 체육 공간을 포함하였습니다.",
        "공동 구내식당은 건물 관리단의 공간 확보가 필요하여 관리단에 검토를 요청하였습니다.",
        worker=0.8,
        supports=4,
        attrs={"facility": "canteen"},
    ),
    Topic(
        "welfare",
        2,
        [("청년 근로자 기숙사·임대주택 요청", "Dormitories or rental housing for young workers")],
        [
            "지방에서 올라온 청년 직원들이 월세 부담으로 오래 다니지 못합니다. G밸리 근처 청년 임대주택이나 기숙사를 지원해 주세요."
        ],
        "서울시 역세권 청년주택과 산업단지 근로자 임대주택 모집 정보를 안내하였습니다.",
        "기업별 기숙사 임차 비용 지원은 현재 제도가 없습니다.",
        worker=0.8,
        supports=3,
        attrs={"facility": "housing"},
    ),
    Topic(
        "other",
        2,
        [("G밸리 안내 표지판 정비 요청", "Better signposting in G-Valley")],
        [
            "처음 오는 방문객이 {building}을 찾기 어렵습니다. 역에서부터 지식산업센터 안내 표지판을 정비해 주세요."
        ],
        "G밸리 통합 안내 표지판 정비 사업에 반영하였습니다.",
        supports=1,
    ),
    Topic(
        "simple",
        2,
        [("기업 지원사업 담당 부서 문의", "Which office handles business support?")],
        ["수출 지원사업과 자금 지원사업은 각각 어느 기관에 문의하면 되나요?"],
        "수출은 한국산업단지공단 서울지역본부, 자금은 서울산업진흥원이 담당합니다. 연락처를 안내드립니다.",
        supports=0,
    ),
]

VISIT_FINDINGS = [
    (
        "transport",
        "출퇴근 시간 버스 혼잡으로 직원 지각이 잦다는 의견. 가산디지털단지역에서 회사까지 셔틀 필요.",
        "출근 시간 셔틀버스 운행 요청",
        "A shuttle bus at the morning rush",
    ),
    (
        "employment",
        "개발 인력 채용이 가장 큰 어려움. 채용 공고를 내도 지원자가 적음. 채용박람회 참가 희망.",
        "개발 인력 채용 연계 요청",
        "Help hiring developers",
    ),
    (
        "welfare",
        "직원 다수가 맞벌이로 어린이집 부족을 호소. 공동 직장 어린이집 대기 1년 이상.",
        "직장 어린이집 정원 확대 요청",
        "More workplace childcare places",
    ),
    (
        "market",
        "동남아 수출 확대 계획. 바이어 발굴과 해외 인증 비용이 부담.",
        "동남아 바이어 매칭 지원 요청",
        "Buyer matching in South-East Asia",
    ),
    (
        "safety",
        "건물 비상계단에 다른 입주사 물건이 쌓여 화재 대피가 걱정된다는 의견.",
        "비상계단 적치물 화재 안전 점검 요청",
        "Fire-safety check of goods in the emergency stairs",
    ),
    (
        "transport",
        "건물 주변 이중 주차로 납품 차량 진입이 어려움. 주차 공간 부족.",
        "건물 앞 불법 주차 단속 요청",
        "Enforce parking rules in front of the building",
    ),
    (
        "finance",
        "원자재 가격 상승으로 운전자금 부족. 정책자금 신청 절차가 복잡하다는 의견.",
        "운전자금 정책대출 안내 요청",
        "Guidance on working-capital loans",
    ),
    (
        "regulation",
        "사업 확장으로 유통 기능을 추가하려 하나 지식산업센터 입주 업종 제한에 걸림.",
        "입주 업종 제한 완화 건의",
        "Relax the industry limits",
    ),
    (
        "infrastructure",
        "순간 정전이 잦아 생산 설비 피해. 전력 품질 개선 필요.",
        "순간 정전 원인 조사 요청",
        "Investigate the short power cuts",
    ),
]
WORKER_VISIT_ISSUES = [
    (
        "employment",
        "직원 간담회에서 연장근로 수당이 제대로 지급되지 않는다는 의견이 나옴(회사에는 비공개 요청).",
        "연장근로 수당 미지급 상담 요청",
        "Advice on unpaid overtime",
    ),
    (
        "welfare",
        "직원들이 휴게 공간이 없어 계단에서 쉰다는 의견(회사에는 비공개 요청).",
        "근로자 휴게 공간 부족",
        "No rest area for workers",
    ),
]

TEMPLATES = [
    (
        "접수 안내(검토 중)",
        None,
        "accepted",
        "요청하신 내용을 담당 기관에서 검토하고 있습니다. 검토 결과를 처리기한 안에 알려 드리겠습니다.",
        "",
        "",
    ),
    (
        "수용 — 조치 완료",
        None,
        "accepted",
        "요청하신 사항에 대하여 다음과 같이 조치하였습니다.\n\n(조치 내용)\n\n협조해 주셔서 감사합니다.",
        "",
        "",
    ),
    (
        "일부 수용 — 단계적 추진",
        None,
        "partly",
        "요청하신 사항 중 일부를 다음과 같이 조치하였습니다.\n\n(조치 내용)",
        "(수용하지 못한 부분과 그 이유)",
        ON_SITE_REMEDY,
    ),
    (
        "불수용 — 법령상 불가",
        "regulation",
        "not_accepted",
        "검토 결과 요청하신 사항은 현행 법령상 수용하기 어렵습니다.",
        "관련 법령: (조항)에 따라 …",
        ON_SITE_REMEDY,
    ),
    (
        "불수용 — 예산 미확보",
        None,
        "not_accepted",
        "검토 결과 올해 예산으로는 요청하신 사업을 추진하기 어렵습니다.",
        "올해 예산이 확정되어 추가 반영이 어렵습니다. 다음 해 예산 편성 때 다시 검토하겠습니다.",
        ON_SITE_REMEDY,
    ),
    (
        "이송 안내",
        None,
        "accepted",
        "요청하신 사항은 (기관)의 소관으로, 해당 기관에서 처리하도록 이송하였습니다.",
        "",
        "",
    ),
]

VISIT_TARGETS = {2018: 30, 2019: 36, 2020: 24, 2021: 30, 2022: 15}
#: Requests from the web, phone, office and meetings in 2018–2022.6 (visits add about one each).
N_REQUESTS = 300

WORKER_NAMES = "김민준 이서윤 박도현 최지우 정하준 강서연 조예준 윤지민 장시우 임수아 한지호 오유나 서건우 신다은 권현우 황채원"


def _png(width: int = 96, height: int = 64, rgb: tuple[int, int, int] = (11, 80, 208)) -> bytes:
    """A small solid-colour PNG (the demo's stand-in for visit photos)."""
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def _org(key: str) -> Organisation:
    if key in AGENCIES:
        name, name_en, short, kind = AGENCIES[key]
        org, _ = Organisation.objects.get_or_create(
            name=name, defaults={"name_en": name_en, "short_name": short, "kind": kind}
        )
        return org
    return council_organisation(key)


def _user(email: str, name: str, role: str, org: Organisation | None, title: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=None, name=name, email_confirmed_at=timezone.now()
        )
        if role == Role.AGENCY_HANDLER:  # handlers log in with the demo password; supporters cannot log in
            user.password = demo_password_hash()
            user.save(update_fields=["password"])
    membership_grant(actor=None, user=user, role=role, organisation=org, title=title)
    if role == Role.AGENCY_HANDLER:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            TOTPDevice.objects.create(user=user, name="demo", confirmed=True)
    return user


def _working_moment(rng: random.Random, day: date) -> datetime:
    d = day
    while not deadlines.is_working_day(d):
        d += timedelta(days=1)
    hour = rng.choice([9, 9, 10, 10, 11, 13, 14, 14, 15, 16, 17])
    return datetime.combine(d, time(hour, rng.randrange(0, 60)), tzinfo=SEOUL)


def _fill(text: str, rng: random.Random, building: str) -> str:
    return text.format(
        exit=rng.choice(EXITS),
        bus=rng.choice(BUSES),
        road=rng.choice(ROADS),
        building=building,
        n=rng.choice([3, 4, 5, 10, 20, 30, 50]),
        m=rng.choice([12, 15, 20, 25]),
    )


class Demo:
    def __init__(self, stdout: Any = None) -> None:
        self.rng = random.Random(SEED)
        self.stdout = stdout
        self.now = timezone.now()
        self.used_numbers: set[str] = set(Request.objects.values_list("tracking_number", flat=True))

    def log(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message)

    def number(self, at: datetime) -> str:
        while True:
            code = "".join(self.rng.choice(TRACKING) for _ in range(6))
            number = f"GV{at.year % 100:02d}-{code}"
            if number not in self.used_numbers:
                self.used_numbers.add(number)
                return number

    # -- set-up ----------------------------------------------------------------------------------------
    def setup(self) -> None:
        self.orgs = {
            key: _org(key) for key in ["geumcheon", "guro", "seoul", "kicox", "gvia", "sdic_ceo", *AGENCIES]
        }
        self.operator = User.objects.filter(email="operator@demo.gvalley.kr").first()
        self.handlers: dict[int, list[User]] = {}
        for email, name, key, title in HANDLERS:
            user = _user(email, name, Role.AGENCY_HANDLER, self.orgs[key], title)
            self.handlers.setdefault(self.orgs[key].pk, []).append(user)
        kicox_handler = User.objects.filter(email="handler@demo.gvalley.kr").first()
        if kicox_handler is not None:
            self.handlers.setdefault(self.orgs["kicox"].pk, []).append(kicox_handler)
        self.categories: dict[str, Category] = {}
        for order, spec in enumerate(CATEGORIES, start=1):
            category = Category.objects.filter(code=spec["code"]).first()
            if category is None:
                category = services.category_create(
                    actor=None,
                    code=spec["code"],
                    name=spec["name"],
                    name_en=spec["name_en"],
                    description=spec["description"],
                    description_en=spec["description_en"],
                    kind=spec["kind"],
                    period=spec["period"],
                    default_organisation=self.orgs[spec["org"]],
                    keywords=spec["keywords"],
                    keywords_en=spec["keywords_en"],
                    order=order,
                )
                for q_order, (code, label, label_en, datatype, required, choices) in enumerate(
                    spec["questions"], 1
                ):
                    services.question_create(
                        actor=None,
                        category=category,
                        code=code,
                        label=label,
                        label_en=label_en,
                        datatype=datatype,
                        required=required,
                        choices=[{"key": k, "name": n, "name_en": e} for k, n, e in choices],
                        order=q_order,
                    )
            self.categories[spec["code"]] = category
        if not AnswerTemplate.objects.exists():
            for title, cat, outcome, body, reason, remedy in TEMPLATES:
                services.template_save(
                    actor=None,
                    title=title,
                    category=self.categories.get(cat) if cat else None,
                    outcome=outcome,
                    body=body,
                    reason=reason,
                    remedy=remedy,
                    is_active=True,
                )
        self.supporters = []
        for i, name in enumerate(WORKER_NAMES.split(), start=1):
            self.supporters.append(_user(f"supporter{i:02d}@demo.gvalley.kr", name, Role.WORKER, None, ""))
        company_ids = list(Company.objects.order_by("id").values_list("id", flat=True))
        self.company_ids = company_ids
        self.buildings = list(
            Building.objects.filter(kind=Building.Kind.KNOWLEDGE_CENTRE, status=Building.Status.BUILT)
            .select_related("complex")
            .order_by("id")
        )

    def company(self) -> Company | None:
        if not self.company_ids:
            return None
        return Company.objects.select_related("complex", "building").get(pk=self.rng.choice(self.company_ids))

    # -- one request's life ----------------------------------------------------------------------------
    def request(
        self,
        topic: Topic,
        received: datetime,
        *,
        finish: str = "closed",
        filer: User | None = None,
        company: Company | None = None,
        filer_type: str | None = None,
        anonymous: bool | None = None,
        visit: Visit | None = None,
        title: tuple[str, str] | None = None,
        body: str | None = None,
    ) -> Request:
        rng = self.rng
        category = self.categories[topic.category]
        building = (
            company.building
            if company and company.building
            else (rng.choice(self.buildings) if self.buildings else None)
        )
        building_name = building.name if building else "지식산업센터"
        if title is None:
            t_ko, t_en = rng.choice(topic.titles)
            title = (
                _fill(t_ko, rng, building_name),
                _fill(t_en, rng, building.name_en or building_name if building else "the centre"),
            )
        body = body or _fill(rng.choice(topic.bodies), rng, building_name)
        if filer_type is None:
            filer_type = (
                Request.FilerType.WORKER
                if rng.random() < topic.worker
                else (Request.FilerType.COMPANY if rng.random() < 0.8 else Request.FilerType.CITIZEN)
            )
        if anonymous is None:
            anonymous = filer_type == Request.FilerType.WORKER and rng.random() < topic.anonymous
        if company is None and filer_type == Request.FilerType.COMPANY:
            company = self.company()
        if filer is not None:
            name, email = filer.name, filer.email
        else:
            name = (
                rng.choice("김이박최정강조윤장임한오서신권황")
                + rng.choice(["민", "서", "지", "현", "수", "영", "준", "하"])
                + rng.choice(["준", "연", "우", "아", "호", "진", "빈", "은"])
            )
            email = f"filer{len(self.used_numbers):04d}@example.com"
        attrs = dict(topic.attrs)
        location = services.Location(
            complex=building.complex if building else None,
            building=building,
        )
        if visit is not None:
            req = services.visit_raise_request(
                actor=self.operator,
                visit=visit,
                category=category,
                title=title[0],
                title_en=title[1],
                description=body,
                filer_type=filer_type,
                contact_name=name,
                contact_email=email,
                anonymous=anonymous,
                consent=True,
                received_at=received,
                notify=False,
                attributes=attrs,
            )
        else:
            channel = rng.choice(
                [Request.Channel.WEB] * 6
                + [Request.Channel.PHONE, Request.Channel.IN_PERSON, Request.Channel.MEETING]
            )
            if filer is not None:
                channel = Request.Channel.WEB
            on_behalf = channel != Request.Channel.WEB
            req = services.request_submit(
                actor=self.operator if on_behalf else filer,
                category=category,
                title=title[0],
                title_en=title[1],
                description=body,
                filer_type=filer_type,
                contact_name=name,
                contact_email=email,
                contact_phone=""
                if rng.random() < 0.5
                else f"010-{rng.randrange(2000, 9999)}-{rng.randrange(1000, 9999)}",
                contact_organisation=company.name
                if company and filer_type == Request.FilerType.COMPANY
                else "",
                language="ko",
                anonymous=anonymous,
                company=company,
                location=location,
                attributes=attrs,
                channel=channel,
                consent=True,
                received_at=received,
                on_behalf=on_behalf,
                notify=False,
                tracking_number=self.number(received),
            )
        self.lifecycle(req, topic, finish)
        return req

    def lifecycle(self, req: Request, topic: Topic, finish: str) -> None:
        rng = self.rng
        op = self.operator
        received = req.received_at
        span = req.due_at - received
        # supporters join while it is open
        for user in rng.sample(
            self.supporters, k=min(len(self.supporters), rng.randint(0, topic.supports) // 2)
        ):
            services.request_support(actor=user, request=req, at=received + span * rng.uniform(0.05, 0.4))
        if finish == "received":
            return
        t_assign = received + span * rng.uniform(0.05, 0.15)
        org = self.orgs[topic.org] if topic.org else req.responsible_organisation
        assert org is not None
        handlers = self.handlers.get(org.pk, [])
        services.request_assign(
            actor=op,
            request=req,
            organisation=org,
            handler=rng.choice(handlers) if handlers else None,
            at=t_assign,
            notify=False,
        )
        if topic.transfer and rng.random() < 0.6:
            target = self.orgs[topic.transfer]
            if target.pk != org.pk:
                services.request_transfer(
                    actor=op,
                    request=req,
                    organisation=target,
                    reason=f"{target.name} 소관 사항으로 이송합니다.",
                    handler=rng.choice(self.handlers[target.pk]) if self.handlers.get(target.pk) else None,
                    at=t_assign + span * 0.05,
                    notify=False,
                )
                if rng.random() < 0.3:
                    services.request_set_joint(
                        actor=op, request=req, organisations=[org], at=t_assign + span * 0.06
                    )
        if finish == "reviewing":
            return
        if rng.random() < 0.5 or finish == "in_progress":
            action_day = timezone.localtime(received + span * rng.uniform(0.5, 1.6)).date()
            services.request_change_status(
                actor=op,
                request=req,
                status=Request.Status.IN_PROGRESS,
                action_plan="현장 확인 후 관계 기관과 협의하여 조치 예정",
                action_due_on=action_day,
                at=received + span * rng.uniform(0.2, 0.4),
                notify=False,
            )
        if finish == "in_progress":
            return
        # answer: mostly on time, some late
        late = rng.random() < 0.15
        t_answer = received + span * (rng.uniform(1.05, 2.5) if late else rng.uniform(0.45, 0.98))
        roll = rng.random()
        outcome = (
            Answer.Outcome.ACCEPTED
            if roll < 0.6 or not topic.refuse
            else (Answer.Outcome.PARTLY if roll < 0.85 else Answer.Outcome.NOT_ACCEPTED)
        )
        building_name = req.building.name if req.building else "지식산업센터"
        body = _fill(topic.accept, rng, building_name)
        reason = remedy = ""
        if outcome != Answer.Outcome.ACCEPTED:
            reason = _fill(topic.refuse, rng, building_name)
            remedy = ON_SITE_REMEDY
            if outcome == Answer.Outcome.NOT_ACCEPTED:
                body = "검토 결과 요청하신 사항은 다음 이유로 수용하기 어렵습니다."
        services.request_answer(
            actor=op,
            request=req,
            outcome=outcome,
            body=body,
            reason=reason,
            remedy=remedy,
            at=t_answer,
            notify=False,
        )
        if finish == "answered":
            return
        t_close = t_answer + timedelta(days=rng.randint(1, 10), hours=rng.randint(0, 5))
        services.request_close(actor=op, request=req, at=t_close, notify=False)
        if rng.random() < 0.6:
            org_bias = {
                self.orgs["kicox"].pk: 0.4,
                self.orgs["metro"].pk: -0.3,
                self.orgs["labour"].pk: 0.2,
            }.get(req.responsible_organisation_id or 0, 0.0)
            base = {"accepted": 4.3, "partly": 3.2, "not_accepted": 2.0}[outcome]
            score = max(1, min(5, round(rng.gauss(base + org_bias, 0.8))))
            comments = [
                "빠르게 처리해 주셔서 감사합니다.",
                "설명이 자세해서 좋았습니다.",
                "조치가 늦었습니다.",
                "",
                "",
                "근본적인 해결이 필요합니다.",
            ]
            services.satisfaction_submit(
                actor=req.filer,
                request=req,
                score=score,
                comment=rng.choice(comments),
                at=t_close + timedelta(days=rng.randint(0, 4)),
            )
        if finish == "reopened":
            t_reopen = t_close + timedelta(days=rng.randint(5, 20))
            services.request_reopen(
                actor=req.filer,
                request=req,
                reason="조치 후에도 같은 문제가 계속되고 있습니다. 다시 확인해 주세요.",
                at=t_reopen,
                notify=False,
            )
            t_again = t_reopen + (req.due_at - t_reopen) * rng.uniform(0.5, 0.95)
            services.request_answer(
                actor=op,
                request=req,
                outcome=Answer.Outcome.ACCEPTED,
                body="재점검 결과 추가 조치를 완료하였습니다. " + body,
                at=t_again,
                notify=False,
            )
            services.request_close(actor=op, request=req, at=t_again + timedelta(days=3), notify=False)

    # -- the whole demo --------------------------------------------------------------------------------
    def run(self) -> None:
        self.setup()
        rng = self.rng
        weights = [t.weight for t in TOPICS]
        start, end = date(2018, 1, 2), date(2022, 6, 30)
        days = (end - start).days
        specs = []
        for _ in range(N_REQUESTS):
            topic = rng.choices(TOPICS, weights=weights)[0]
            received = _working_moment(rng, start + timedelta(days=rng.randrange(days)))
            specs.append((received, TOPICS.index(topic)))
        specs.sort()
        created: list[tuple[Request, Topic]] = []
        last_of_topic: dict[int, Request] = {}
        merged = 0
        for received, idx in specs:
            topic = TOPICS[idx]
            finish = self._finish(received)
            previous = last_of_topic.get(idx)
            # Some requests repeat one received a few days earlier: staff merge them into it.
            if (
                previous is not None
                and merged < 12
                and (received - previous.received_at).days <= 12
                and rng.random() < 0.5
            ):
                req = self.request(topic, received, finish="received")
                services.request_merge(
                    actor=self.operator,
                    primary=previous,
                    duplicates=[req],
                    note="같은 내용의 요청",
                    at=received + timedelta(hours=20),
                    notify=False,
                )
                merged += 1
                continue
            req = self.request(topic, received, finish=finish)
            created.append((req, topic))
            last_of_topic[idx] = req
        self.log(f"  requests 2018–2022: {len(specs)} (merged duplicates: {merged})")
        visits = self.visits()
        self.log(f"  company visits: {len(visits)}")
        self.demo_accounts()
        self.recent()
        self.escalations(created, visits)

    def _finish(self, received: datetime) -> str:
        rng = self.rng
        if received.date() >= date(2022, 5, 16):
            return rng.choice(["received", "reviewing", "in_progress", "in_progress", "answered", "closed"])
        if received.date() >= date(2022, 3, 1):
            return rng.choice(["closed", "closed", "closed", "answered", "in_progress"])
        return "reopened" if rng.random() < 0.03 else "closed"

    def visits(self) -> list[Visit]:
        rng = self.rng
        out = []
        visitors_pool = [self.orgs[k] for k in ("geumcheon", "kicox", "gvia", "sdic_ceo", "seoul", "sba")]
        for year, target in VISIT_TARGETS.items():
            services.visit_plan_set(
                actor=self.operator,
                year=year,
                target=target,
                notes="G밸리 발전협의회 연차별 추진계획 — 기업 방문"
                + (" (2022년 6월까지)" if year == 2022 else ""),
            )
            made = round(target * rng.uniform(0.8, 1.1)) if year < 2022 else round(target * 0.9)
            last = date(2022, 6, 30) if year == 2022 else date(year, 12, 20)
            for _ in range(made):
                company = self.company()
                if company is None:
                    return out
                day = date(year, 2, 1) + timedelta(days=rng.randrange((last - date(year, 2, 1)).days))
                while not deadlines.is_working_day(day):
                    day += timedelta(days=1)
                previous = (
                    Visit.objects.filter(company=company, visited_on__lt=day).order_by("-visited_on").first()
                )
                finding = rng.choice(VISIT_FINDINGS)
                orgs = rng.sample(visitors_pool, k=rng.randint(1, 3))
                photos = []
                if rng.random() < 0.12:
                    photos = [
                        (
                            SimpleUploadedFile(
                                f"visit-{year}-{len(out)}.png",
                                _png(rgb=(rng.randrange(30, 220), 80, 160)),
                                "image/png",
                            ),
                            f"{company.name} 생산 현장 간담회 사진",
                        )
                    ]
                visit = services.visit_record(
                    actor=self.operator,
                    company=company,
                    visited_on=day,
                    organisations=orgs,
                    findings=finding[1],
                    visitor_names="금천구 지역경제과장, 산단공 서울본부 기획총괄팀장",
                    people_met=f"{company.representative} 대표이사, 인사 담당 팀장",
                    follow_up="제기된 요청을 담당 기관에 배정하고 처리 결과를 기업에 회신",
                    previous_visit=previous,
                    photos=photos,
                )
                out.append(visit)
                received = _working_moment(rng, day)
                n_requests = rng.choices([0, 1, 2], weights=[3, 5, 2])[0]
                for i in range(n_requests):
                    worker = i == 1 and rng.random() < 0.5
                    if worker:
                        cat, text, title, title_en = rng.choice(WORKER_VISIT_ISSUES)
                    else:
                        cat, text, title, title_en = finding
                    topic = next(t for t in TOPICS if t.category == cat)
                    self.request(
                        topic,
                        received + timedelta(hours=i),
                        finish=self._finish(received),
                        company=company,
                        filer_type=Request.FilerType.WORKER if worker else Request.FilerType.COMPANY,
                        anonymous=worker,
                        visit=visit,
                        title=(title, title_en),
                        body=text,
                    )
                if rng.random() < 0.7 and year < 2022:
                    Visit.objects.filter(pk=visit.pk).update(
                        report_sent_at=datetime.combine(
                            day + timedelta(days=rng.randint(20, 40)), time(10, 0), tzinfo=SEOUL
                        )
                    )
        return out

    def demo_accounts(self) -> None:
        """The demo company representative, the demo worker and a visit to their company."""
        rng = self.rng
        rep = User.objects.filter(email="company@demo.gvalley.kr").first()
        worker = User.objects.filter(email="worker@demo.gvalley.kr").first()
        company = Company.objects.filter(complex__number=3, building__isnull=False).order_by("id").first()
        if company is None:
            return
        from gvalley.directory.services import company_add_representative

        if rep is not None:
            company_add_representative(actor=None, company=company, user=rep, title="대표이사")
        by_key = {t.titles[0][0]: t for t in TOPICS}
        if rep is not None:
            for title_key, when, finish in [
                (
                    "지식산업센터 입주 가능 업종 확대 요청",
                    datetime(2021, 3, 9, 10, 30, tzinfo=SEOUL),
                    "closed",
                ),
                (
                    "동남아 해외 바이어 발굴 지원 요청",
                    datetime(2022, 5, 24, 14, 0, tzinfo=SEOUL),
                    "in_progress",
                ),
            ]:
                self.request(
                    by_key[title_key],
                    when,
                    finish=finish,
                    filer=rep,
                    company=company,
                    filer_type=Request.FilerType.COMPANY,
                )
        if worker is not None:
            self.request(
                by_key["야근 수당을 받지 못하고 있습니다"],
                datetime(2022, 4, 12, 11, 0, tzinfo=SEOUL),
                finish="closed",
                filer=worker,
                company=company,
                filer_type=Request.FilerType.WORKER,
                anonymous=True,
            )
            self.request(
                by_key["G밸리 직장 어린이집 정원 확대 요청"],
                datetime(2022, 6, 2, 9, 40, tzinfo=SEOUL),
                finish="answered",
                filer=worker,
                filer_type=Request.FilerType.WORKER,
                anonymous=False,
            )
        visit = services.visit_record(
            actor=self.operator,
            company=company,
            visited_on=date(2022, 6, 14),
            organisations=[self.orgs["geumcheon"], self.orgs["kicox"]],
            findings="수출 확대와 개발 인력 채용이 주요 애로. 직원 간담회에서 휴게 공간 부족 의견.",
            visitor_names="금천구 지역경제과 김종현 주무관",
            people_met=f"{company.representative} 대표이사, 직원 5명",
            photos=[
                (
                    SimpleUploadedFile("visit-demo.png", _png(rgb=(27, 107, 52)), "image/png"),
                    f"{company.name} 직원 간담회",
                )
            ],
        )
        self.request(
            by_key["중소기업 개발자 채용 지원 요청"],
            datetime(2022, 6, 14, 15, 0, tzinfo=SEOUL),
            finish="in_progress",
            company=company,
            filer_type=Request.FilerType.COMPANY,
            visit=visit,
            title=("개발 인력 채용 연계 요청", "Help hiring developers"),
            body="개발자 3명을 채용하려 하나 지원자가 없음. 채용박람회 참가와 채용 연계를 요청.",
        )
        self.request(
            next(t for t in TOPICS if t.category == "welfare"),
            datetime(2022, 6, 14, 15, 30, tzinfo=SEOUL),
            finish="reviewing",
            company=company,
            filer_type=Request.FilerType.WORKER,
            anonymous=True,
            visit=visit,
            title=("근로자 휴게 공간 부족", "No rest area for workers"),
            body="직원 간담회에서 휴게 공간이 없어 계단에서 쉰다는 의견이 나옴(회사에는 비공개 요청).",
        )
        del rng

    def recent(self) -> None:
        """A dozen requests received in the last weeks, so the queue shows live deadlines."""
        rng = self.rng
        today = timezone.localdate()
        for days_ago, idx, finish in [
            (1, 0, "received"),
            (2, 19, "received"),
            (3, 2, "reviewing"),
            (4, 17, "reviewing"),
            (6, 10, "in_progress"),
            (8, 1, "in_progress"),
            (9, 14, "reviewing"),
            (12, 18, "in_progress"),
            (15, 7, "answered"),
            (20, 4, "closed"),
            (27, 20, "in_progress"),
            (35, 8, "in_progress"),
        ]:
            day = today - timedelta(days=days_ago)
            received = _working_moment(rng, day)
            if received > self.now:
                received = self.now - timedelta(hours=2)
            self.request(TOPICS[idx], received, finish=finish)

    def escalations(self, created: list[tuple[Request, Topic]], visits: list[Visit]) -> None:
        """Recurring issues grouped by the secretariat; escalated to the council if its demo is loaded."""
        try:
            from gvalley.council.models import Council
        except ImportError:  # pragma: no cover
            council = None
        else:
            council = Council.objects.filter(parent__isnull=True).order_by("order", "id").first()
        secretariat = User.objects.filter(email="secretariat@demo.gvalley.kr").first()
        groups = [
            ("출퇴근 버스 혼잡과 배차 간격", "출퇴근 버스·셔틀 관련 반복 요청", 0),
            ("G밸리 직장 어린이집 부족", "어린이집 정원 확대 관련 반복 요청", 19),
        ]
        for title, description, idx in groups:
            topic = TOPICS[idx]
            reqs = [r for r, t in created if t is topic][:8]
            vs = [
                v for v in visits if v.findings in {f[1] for f in VISIT_FINDINGS if f[0] == topic.category}
            ][:3]
            if len(reqs) < 2:
                continue
            cluster = services.cluster_create(
                actor=secretariat, title=title, description=description, requests=reqs, visits=vs
            )
            if council is not None:
                from .council_link import escalate_cluster

                escalate_cluster(
                    actor=secretariat,
                    cluster=cluster,
                    council=council,
                    title=title + " 개선 방안",
                    description=description
                    + f" {len(reqs)}건과 기업 방문 {len(vs)}건을 하나의 안건으로 상정합니다.",
                )
        if council is not None:
            from .council_link import escalate_request

            candidates = [r for r, t in created if t.category == "regulation" and r.agenda_item_id is None][
                :3
            ]
            for req in candidates:
                escalate_request(
                    actor=secretariat,
                    request=req,
                    council=council,
                    title=req.title,
                    description=req.description,
                )


def seed(*, stdout: Any = None) -> None:
    # The demo writes the visit plans in the same transaction as everything else: their presence marks a
    # completed run (a second run adds nothing).
    if VisitPlan.objects.exists():
        return
    with transaction.atomic():
        Demo(stdout).run()
