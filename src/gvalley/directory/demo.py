"""The demo G-Valley (seed 000, July 2018): 10,737 companies with 145,264 employees, 91 knowledge industry
centres in complexes 2·3 (73 built, 11 under construction, 7 not started), annual production KRW 119,340억
and exports USD 2,324 million. Names are generated; every total is exact, so the statistics page
reproduces the seed's figures from the records.
"""

from __future__ import annotations

import random
from typing import Any

from django.db import transaction

from gvalley.engines import bizno

from .models import Building, Company, Complex, Industry, SupportFacility
from .services import bump_statistics, company_search_text

TOTAL_COMPANIES = 10_737
COMPANIES_23 = 7_352
TOTAL_EMPLOYEES = 145_264
EMPLOYEES_23 = 101_867
PRODUCTION_MILLION_KRW = 11_934_000  # 119,340억원
EXPORTS_THOUSAND_USD = 2_324_000  # 2,324백만달러
# The seed gives complexes 2·3 together; the split between them is ours (complex 3, 가산, is the largest).
SPLIT = {
    1: (TOTAL_COMPANIES - COMPANIES_23, TOTAL_EMPLOYEES - EMPLOYEES_23),
    2: (1_618, 22_406),
    3: (5_734, 79_461),
}
KIC_23 = {"built": 73, "construction": 11, "not_started": 7}
KIC_1 = {"built": 24, "construction": 2, "not_started": 1}
# The seed's 91 centres of complexes 2·3, split between them (2단지 22, 3단지 69).
KIC_2 = {"built": 18, "construction": 3, "not_started": 1}
KIC_3 = {
    "built": KIC_23["built"] - 18,
    "construction": KIC_23["construction"] - 3,
    "not_started": KIC_23["not_started"] - 1,
}

COMPLEXES = [
    (1, "1단지", "Complex 1", "구로구", "Guro-gu", 1_970_000),
    (2, "2단지", "Complex 2", "금천구", "Geumcheon-gu", 371_000),
    (3, "3단지", "Complex 3", "금천구", "Geumcheon-gu", 1_158_000),
]

# KSIC (10th revision) classes common in G-Valley, with the weight of each in the demo mix.
INDUSTRIES = [
    (
        "26",
        "전자부품, 컴퓨터, 영상, 음향 및 통신장비 제조업",
        "Electronic components, computers and communication equipment",
        [
            (
                "26111",
                "메모리용 전자집적회로 제조업",
                "Memory integrated circuits",
                ["반도체 메모리 모듈", "메모리 테스트 보드"],
                ["memory modules", "memory test boards"],
                2,
            ),
            (
                "26299",
                "그 외 기타 전자부품 제조업",
                "Other electronic components",
                ["반도체장비 부품", "전자부품", "PCB 어셈블리"],
                ["semiconductor equipment parts", "electronic parts", "PCB assemblies"],
                5,
            ),
            (
                "26410",
                "유선 통신장비 제조업",
                "Wired communication equipment",
                ["네트워크 스위치", "광통신 모듈"],
                ["network switches", "optical modules"],
                3,
            ),
            (
                "26421",
                "방송장비 제조업",
                "Broadcasting equipment",
                ["방송 송출장비", "영상 인코더"],
                ["broadcast transmitters", "video encoders"],
                2,
            ),
            (
                "26429",
                "기타 무선 통신장비 제조업",
                "Other wireless communication equipment",
                ["IoT 무선모듈", "RFID 리더기"],
                ["IoT wireless modules", "RFID readers"],
                4,
            ),
            (
                "26519",
                "비디오 및 기타 영상기기 제조업",
                "Video and imaging devices",
                ["CCTV 카메라", "블랙박스"],
                ["CCTV cameras", "dashcams"],
                3,
            ),
        ],
    ),
    (
        "27",
        "의료, 정밀, 광학 기기 및 시계 제조업",
        "Medical, precision and optical instruments",
        [
            (
                "27112",
                "전기식 진단 및 요법 기기 제조업",
                "Electro-diagnostic and therapy devices",
                ["의료기기", "초음파 진단기"],
                ["medical devices", "ultrasound scanners"],
                3,
            ),
            (
                "27199",
                "그 외 기타 의료용 기기 제조업",
                "Other medical devices",
                ["의료용 레이저", "재활 의료기기"],
                ["medical lasers", "rehabilitation devices"],
                2,
            ),
            (
                "27213",
                "물질 검사, 측정 및 분석 기구 제조업",
                "Testing and analysis instruments",
                ["계측기", "가스 분석기"],
                ["measuring instruments", "gas analysers"],
                3,
            ),
        ],
    ),
    (
        "28",
        "전기장비 제조업",
        "Electrical equipment",
        [
            (
                "28111",
                "전동기 및 발전기 제조업",
                "Motors and generators",
                ["산업용 모터", "BLDC 모터"],
                ["industrial motors", "BLDC motors"],
                2,
            ),
            (
                "28423",
                "조명장치 제조업",
                "Lighting equipment",
                ["LED 조명", "스마트 조명 제어기"],
                ["LED lighting", "smart lighting controllers"],
                2,
            ),
        ],
    ),
    (
        "29",
        "기타 기계 및 장비 제조업",
        "Other machinery and equipment",
        [
            (
                "29280",
                "산업용 로봇 제조업",
                "Industrial robots",
                ["협동로봇", "물류 로봇"],
                ["collaborative robots", "logistics robots"],
                2,
            ),
            (
                "29271",
                "반도체 제조용 기계 제조업",
                "Semiconductor manufacturing machinery",
                ["반도체 제조장비", "웨이퍼 세정장비"],
                ["semiconductor equipment", "wafer cleaning equipment"],
                2,
            ),
        ],
    ),
    (
        "13",
        "섬유제품 제조업; 의복 제외",
        "Textiles",
        [
            (
                "13102",
                "면 방적업",
                "Cotton spinning",
                ["기능성 원단", "면직물"],
                ["functional fabrics", "cotton fabrics"],
                1,
            )
        ],
    ),
    (
        "14",
        "의복, 의복 액세서리 및 모피제품 제조업",
        "Wearing apparel",
        [
            ("14111", "정장 제조업", "Suits", ["남성 정장", "유니폼"], ["men's suits", "uniforms"], 2),
            (
                "14191",
                "셔츠 및 블라우스 제조업",
                "Shirts and blouses",
                ["의류", "블라우스"],
                ["clothing", "blouses"],
                1,
            ),
        ],
    ),
    (
        "46",
        "도매 및 상품 중개업",
        "Wholesale trade",
        [
            (
                "46510",
                "컴퓨터 및 주변장치, 소프트웨어 도매업",
                "Wholesale of computers and software",
                ["컴퓨터 주변기기 유통", "서버 유통"],
                ["computer peripherals", "servers"],
                4,
            ),
            (
                "46523",
                "전자부품 도매업",
                "Wholesale of electronic components",
                ["전자부품 유통", "반도체 유통"],
                ["electronic components", "semiconductor distribution"],
                3,
            ),
        ],
    ),
    (
        "58",
        "출판업",
        "Publishing (including software)",
        [
            (
                "58221",
                "시스템 소프트웨어 개발 및 공급업",
                "System software",
                ["보안 소프트웨어", "데이터베이스 솔루션"],
                ["security software", "database solutions"],
                5,
            ),
            (
                "58222",
                "응용 소프트웨어 개발 및 공급업",
                "Application software",
                ["ERP 솔루션", "모바일 앱", "교육용 소프트웨어"],
                ["ERP solutions", "mobile apps", "educational software"],
                8,
            ),
            (
                "58211",
                "게임 소프트웨어 개발 및 공급업",
                "Game software",
                ["모바일 게임", "온라인 게임"],
                ["mobile games", "online games"],
                3,
            ),
        ],
    ),
    (
        "59",
        "영상·오디오 기록물 제작 및 배급업",
        "Motion picture, video and sound",
        [
            (
                "59111",
                "일반 영화 및 비디오물 제작업",
                "Film and video production",
                ["영상 콘텐츠", "광고 영상"],
                ["video content", "commercials"],
                2,
            ),
            (
                "59114",
                "애니메이션 영화 및 비디오물 제작업",
                "Animation production",
                ["애니메이션", "캐릭터 콘텐츠"],
                ["animation", "character content"],
                2,
            ),
        ],
    ),
    (
        "62",
        "컴퓨터 프로그래밍, 시스템 통합 및 관리업",
        "Computer programming and systems integration",
        [
            (
                "62010",
                "컴퓨터 프로그래밍 서비스업",
                "Computer programming",
                ["웹 개발", "소프트웨어 개발 용역"],
                ["web development", "software development services"],
                7,
            ),
            (
                "62021",
                "컴퓨터시스템 통합 자문 및 구축 서비스업",
                "Systems integration",
                ["SI 구축", "클라우드 전환"],
                ["systems integration", "cloud migration"],
                5,
            ),
        ],
    ),
    (
        "63",
        "정보서비스업",
        "Information services",
        [
            (
                "63112",
                "호스팅 및 관련 서비스업",
                "Hosting",
                ["클라우드 호스팅", "데이터센터"],
                ["cloud hosting", "data centres"],
                2,
            ),
            (
                "63120",
                "포털 및 기타 인터넷 정보매개 서비스업",
                "Internet portals",
                ["전자상거래 플랫폼", "O2O 플랫폼"],
                ["e-commerce platforms", "O2O platforms"],
                3,
            ),
        ],
    ),
    (
        "70",
        "연구개발업",
        "Research and development",
        [
            (
                "70113",
                "의학 및 약학 연구개발업",
                "Medical and pharmaceutical R&D",
                ["바이오 진단키트", "신약 후보물질"],
                ["bio diagnostic kits", "drug candidates"],
                2,
            ),
            (
                "70129",
                "기타 공학 연구개발업",
                "Other engineering R&D",
                ["AI 연구개발", "자율주행 소프트웨어"],
                ["AI research", "autonomous driving software"],
                3,
            ),
        ],
    ),
    (
        "71",
        "전문 서비스업",
        "Professional services",
        [
            (
                "71531",
                "경영 컨설팅업",
                "Management consulting",
                ["경영 컨설팅", "수출 컨설팅"],
                ["management consulting", "export consulting"],
                3,
            ),
            (
                "71310",
                "광고 대행업",
                "Advertising agencies",
                ["디지털 마케팅", "광고 대행"],
                ["digital marketing", "advertising"],
                2,
            ),
        ],
    ),
    (
        "72",
        "건축기술, 엔지니어링 및 기타 과학기술 서비스업",
        "Architecture and engineering",
        [
            (
                "72121",
                "건물 및 토목엔지니어링 서비스업",
                "Building engineering",
                ["설계 엔지니어링", "BIM 설계"],
                ["engineering design", "BIM design"],
                2,
            )
        ],
    ),
    (
        "73",
        "기타 전문, 과학 및 기술 서비스업",
        "Other professional, scientific and technical services",
        [
            (
                "73203",
                "시각 디자인업",
                "Visual design",
                ["UI/UX 디자인", "브랜드 디자인"],
                ["UI/UX design", "brand design"],
                2,
            )
        ],
    ),
    (
        "20",
        "화학물질 및 화학제품 제조업",
        "Chemicals",
        [
            (
                "20423",
                "화장품 제조업",
                "Cosmetics",
                ["화장품", "기능성 화장품"],
                ["cosmetics", "functional cosmetics"],
                2,
            )
        ],
    ),
    (
        "22",
        "고무 및 플라스틱제품 제조업",
        "Rubber and plastics",
        [
            (
                "22291",
                "플라스틱 사출 성형제품 제조업",
                "Injection-moulded plastics",
                ["플라스틱 사출품", "정밀 사출 금형"],
                ["injection-moulded parts", "precision moulds"],
                2,
            )
        ],
    ),
    (
        "25",
        "금속 가공제품 제조업",
        "Fabricated metal products",
        [
            (
                "25923",
                "금속 열처리업",
                "Metal heat treatment",
                ["정밀 가공부품", "금속 열처리"],
                ["precision machined parts", "heat treatment"],
                2,
            )
        ],
    ),
]

BRANDS = [
    ("한빛", "Hanbit"),
    ("누리", "Nuri"),
    ("가온", "Gaon"),
    ("다온", "Daon"),
    ("미래", "Mirae"),
    ("세진", "Sejin"),
    ("대성", "Daesung"),
    ("새한", "Saehan"),
    ("동양", "Dongyang"),
    ("성진", "Sungjin"),
    ("우진", "Woojin"),
    ("태양", "Taeyang"),
    ("한결", "Hangyeol"),
    ("푸른", "Pureun"),
    ("아라", "Ara"),
    ("솔빛", "Solbit"),
    ("이룸", "Irum"),
    ("온누리", "Onnuri"),
    ("대한", "Daehan"),
    ("신영", "Shinyoung"),
    ("유니", "Uni"),
    ("에이스", "Ace"),
    ("제이", "Jay"),
    ("케이", "Kay"),
    ("엠", "M"),
    ("코리아", "Korea"),
    ("글로벌", "Global"),
    ("스마트", "Smart"),
    ("넥스트", "Next"),
    ("퓨처", "Future"),
    ("디지털", "Digital"),
    ("하이", "Hi"),
    ("인텔리", "Intelli"),
    ("비전", "Vision"),
    ("씨앤", "C&"),
    ("에스", "S"),
    ("티", "T"),
    ("지", "G"),
    ("아이", "I"),
    ("오션", "Ocean"),
    ("블루", "Blue"),
    ("그린", "Green"),
    ("레드", "Red"),
    ("골드", "Gold"),
    ("엔", "N"),
    ("알파", "Alpha"),
    ("베타", "Beta"),
    ("델타", "Delta"),
    ("오메가", "Omega"),
    ("나노", "Nano"),
]
SECOND = [
    ("", ""),
    ("원", "One"),
    ("플러스", "Plus"),
    ("웨이", "Way"),
    ("랩", "Lab"),
    ("웍스", "Works"),
    ("브릿지", "Bridge"),
    ("링크", "Link"),
    ("큐브", "Cube"),
    ("아이티", "IT"),
    ("솔", "Sol"),
    ("텍", "Tek"),
    ("젠", "Gen"),
    ("온", "On"),
    ("맥스", "Max"),
    ("코어", "Core"),
    ("빌", "Bil"),
    ("파인", "Fine"),
    ("라인", "Line"),
    ("포스", "Force"),
]
SUFFIX_BY_DIVISION = {
    "26": [("전자", "Electronics"), ("테크", "Tech"), ("시스템", "Systems"), ("반도체", "Semiconductor")],
    "27": [("메디칼", "Medical"), ("정밀", "Precision"), ("헬스케어", "Healthcare")],
    "28": [("전기", "Electric"), ("라이팅", "Lighting"), ("에너지", "Energy")],
    "29": [("로보틱스", "Robotics"), ("기계", "Machinery"), ("엔지니어링", "Engineering")],
    "13": [("섬유", "Textile")],
    "14": [("패션", "Fashion"), ("어패럴", "Apparel")],
    "46": [("상사", "Trading"), ("유통", "Distribution")],
    "58": [("소프트", "Soft"), ("소프트웨어", "Software"), ("게임즈", "Games")],
    "59": [("스튜디오", "Studio"), ("픽쳐스", "Pictures"), ("미디어", "Media")],
    "62": [("정보기술", "Information Technology"), ("인포", "Info"), ("데이타", "Data")],
    "63": [("클라우드", "Cloud"), ("넷", "Net"), ("플랫폼", "Platform")],
    "70": [("바이오", "Bio"), ("연구소", "Research"), ("AI", "AI")],
    "71": [("컨설팅", "Consulting"), ("애드", "Ad"), ("파트너스", "Partners")],
    "72": [("건축", "Architects"), ("엔지니어링", "Engineering")],
    "73": [("디자인", "Design")],
    "20": [("코스메틱", "Cosmetics")],
    "22": [("화학", "Chemical"), ("플라텍", "Platech")],
    "25": [("금속", "Metal"), ("정공", "Precision Works")],
}
SURNAMES = "김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우구민진나지엄채원천방공현함변염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용"
GIVEN = [
    "민준",
    "서준",
    "도윤",
    "예준",
    "시우",
    "하준",
    "주원",
    "지호",
    "지후",
    "준서",
    "서연",
    "서윤",
    "지우",
    "서현",
    "민서",
    "하은",
    "하윤",
    "윤서",
    "지유",
    "채원",
    "영수",
    "영호",
    "성민",
    "정훈",
    "현우",
    "동현",
    "상훈",
    "재원",
    "미경",
    "수진",
    "은정",
    "혜진",
    "경희",
    "선영",
    "태호",
    "병규",
    "현정",
    "종현",
    "광수",
    "승우",
]

KIC_WORDS = [
    ("가산", "Gasan"),
    ("대륭", "Daeryung"),
    ("에이스", "Ace"),
    ("우림", "Woorim"),
    ("SK", "SK"),
    ("벽산", "Byucksan"),
    ("한라", "Halla"),
    ("롯데", "Lotte"),
    ("현대", "Hyundai"),
    ("코오롱", "Kolon"),
    ("IT캐슬", "IT Castle"),
    ("월드메르디앙", "World Meridian"),
    ("케이스퀘어", "K-Square"),
    ("제이플라츠", "J-Platz"),
    ("퍼스트", "First"),
    ("대성", "Daesung"),
    ("삼성", "Samsung"),
    ("하우스디", "HausD"),
    ("마리오", "Mario"),
    ("두산", "Doosan"),
]
KIC_TYPES = [
    ("디지털타워", "Digital Tower"),
    ("테크노타워", "Techno Tower"),
    ("포스트타워", "Post Tower"),
    ("트윈타워", "Twin Tower"),
    ("밸리", "Valley"),
    ("비즈니스센터", "Business Center"),
    ("하이엔드", "Hi-End"),
    ("테라타워", "Terra Tower"),
    ("센터원", "Center One"),
    ("스마트타워", "Smart Tower"),
]
STREETS = {
    1: ["디지털로", "디지털로26길", "디지털로31길", "구로동로"],
    2: ["디지털로9길", "벚꽃로", "가산로"],
    3: ["가산디지털1로", "가산디지털2로", "디지털로10길", "디지털로9길"],
}
DISTRICT_ADDR = {1: "서울특별시 구로구", 2: "서울특별시 금천구", 3: "서울특별시 금천구"}

FACILITIES = [
    ("G밸리 기업시민청", "G-Valley Citizens' Hall", "business", 3),
    ("서울디지털산업단지 기업지원센터", "Business Support Centre", "business", 1),
    ("G밸리 국공립 어린이집", "G-Valley Public Childcare Centre", "childcare", 3),
    ("가산 직장어린이집", "Gasan Workplace Childcare", "childcare", 2),
    ("G밸리 체육센터", "G-Valley Sports Centre", "fitness", 3),
    ("구로 디지털단지 공영주차장", "Guro Digital Complex Public Parking", "parking", 1),
    ("가산 공영주차장", "Gasan Public Parking", "parking", 3),
    ("기업은행 가산디지털지점", "IBK Gasan Digital Branch", "finance", 3),
    ("서울신용보증재단 금천지점", "Seoul Credit Guarantee Foundation Geumcheon", "finance", 2),
    ("G밸리 근로자 건강센터", "G-Valley Workers' Health Centre", "medical", 1),
    ("가산 행복주택", "Gasan Happy Housing", "housing", 3),
    ("G밸리 컨벤션센터", "G-Valley Convention Centre", "culture", 3),
    ("구로공단 노동자 생활체험관", "Guro Industrial Complex Workers' Life Museum", "culture", 2),
]


def _exact_split(total: int, weights: list[float], minimum: int = 0) -> list[int]:
    """Integers proportional to ``weights``, each at least ``minimum``, summing exactly to ``total``."""
    n = len(weights)
    base = [minimum] * n
    rest = total - minimum * n
    if rest < 0:
        raise ValueError("total too small")
    s = sum(weights) or 1.0
    raw = [w * rest / s for w in weights]
    ints = [int(x) for x in raw]
    remainder = rest - sum(ints)
    order = sorted(range(n), key=lambda i: raw[i] - ints[i], reverse=True)
    for i in order[:remainder]:
        ints[i] += 1
    return [b + i for b, i in zip(base, ints, strict=True)]


def _kic_name(rng: random.Random, used: set[str]) -> tuple[str, str]:
    while True:
        w, w_en = rng.choice(KIC_WORDS)
        t, t_en = rng.choice(KIC_TYPES)
        suffix = rng.choice(["", "", " 1차", " 2차", " 3차", " A동", " B동"])
        name = f"{w}{t}{suffix}"
        if name not in used:
            used.add(name)
            en_suffix = suffix.replace("차", "").replace("동", "").strip()
            return name, f"{w_en} {t_en}{(' ' + en_suffix) if en_suffix else ''}"


@transaction.atomic
def seed(*, stdout: Any = None) -> None:
    if Company.objects.exists():
        return
    rng = random.Random(20180701)
    complexes = {}
    for number, name, name_en, district, district_en, area in COMPLEXES:
        complexes[number], _ = Complex.objects.get_or_create(
            number=number,
            defaults={
                "name": name,
                "name_en": name_en,
                "district": district,
                "district_en": district_en,
                "area_m2": area,
            },
        )
    industries: list[tuple[Industry, list[str], list[str], int]] = []
    for division, dname, dname_en, classes in INDUSTRIES:
        for code, name, name_en, products, products_en, weight in classes:
            ind, _ = Industry.objects.get_or_create(
                code=code,
                defaults={
                    "name": name,
                    "name_en": name_en,
                    "division": division,
                    "division_name": dname,
                    "division_name_en": dname_en,
                },
            )
            industries.append((ind, products, products_en, weight))

    # Buildings: knowledge industry centres with the seed's status counts.
    used: set[str] = set()
    buildings: list[Building] = []
    # complexes 2 and 3 share the 91 centres of the seed: 2단지 22, 3단지 69
    plan = {1: KIC_1, 2: KIC_2, 3: KIC_3}
    for number, counts in plan.items():
        for status, count in counts.items():
            for _i in range(count):
                name, name_en = _kic_name(rng, used)
                street = rng.choice(STREETS[number])
                buildings.append(
                    Building(
                        name=name,
                        name_en=name_en,
                        complex=complexes[number],
                        kind=Building.Kind.KNOWLEDGE_CENTRE,
                        status=status,
                        address=f"{DISTRICT_ADDR[number]} {street} {rng.randint(1, 180)}",
                        completion_year=rng.randint(1998, 2018)
                        if status == "built"
                        else (rng.choice([2019, 2020]) if status == "construction" else None),
                        floors=rng.randint(10, 25),
                    )
                )
    Building.objects.bulk_create(buildings)
    built = {n: list(Building.objects.filter(complex__number=n, status="built")) for n in (1, 2, 3)}

    # Companies with exact totals per complex.
    weights = [w for *_x, w in industries]
    companies: list[Company] = []
    used_names: set[str] = set()
    serial = 0
    for number, (n_companies, n_employees) in SPLIT.items():
        sizes = [rng.lognormvariate(2.0, 1.05) for _ in range(n_companies)]
        employees = _exact_split(n_employees, sizes, minimum=1)
        for i in range(n_companies):
            serial += 1
            ind, products, products_en, _w = rng.choices(industries, weights=weights)[0]
            suffixes = SUFFIX_BY_DIVISION.get(ind.division, [("", "")])
            while True:
                b1, b1_en = rng.choice(BRANDS)
                b2, b2_en = rng.choice(SECOND)
                sx, sx_en = rng.choice(suffixes)
                name = f"{b1}{b2}{sx}"
                if name not in used_names:
                    used_names.add(name)
                    break
                name = f"{name}{rng.randint(2, 99)}"
                if name not in used_names:
                    used_names.add(name)
                    break
            legal = rng.random()
            display = f"(주){name}" if legal < 0.45 else (f"{name}(주)" if legal < 0.75 else name)
            name_en = f"{b1_en}{b2_en} {sx_en}".strip() + (" Co., Ltd." if legal < 0.75 else "")
            k = rng.randrange(len(products))
            building = rng.choice(built[number]) if rng.random() < 0.86 else None
            street = rng.choice(STREETS[number])
            address = (
                f"{building.address}, {rng.randint(1, building.floors or 10)}층 {rng.randint(1, 30):02d}호"
                if building
                else f"{DISTRICT_ADDR[number]} {street} {rng.randint(1, 200)}"
            )
            mid = (81, 86, 87, 88)[serial // 10000 % 4]
            nine = f"{rng.choice([105, 107, 108, 113, 119, 120, 129, 134, 206, 211, 214, 220])}{mid}{serial % 10000:04d}"
            companies.append(
                Company(
                    name=display,
                    name_en=name_en,
                    business_number=bizno.complete(nine),
                    representative=rng.choice(SURNAMES) + rng.choice(GIVEN),
                    industry=ind,
                    employees=employees[i],
                    complex=complexes[number],
                    building=building,
                    address=address,
                    products=products[k]
                    + (", " + products[(k + 1) % len(products)] if rng.random() < 0.3 else ""),
                    products_en=products_en[k],
                    website=f"https://www.{(b1_en + b2_en).lower().replace('&', 'n')}{serial}.co.kr",
                    phone=f"02-{rng.randint(800, 899)}-{rng.randint(1000, 9999)}",
                    founded_year=rng.randint(1975, 2018),
                )
            )
    # Production and exports as exact sums of the companies' figures.
    prod_weights = [c.employees * rng.uniform(0.4, 1.6) for c in companies]
    for c, value in zip(companies, _exact_split(PRODUCTION_MILLION_KRW, prod_weights), strict=True):
        c.production_million_krw = value
    exporters = [
        i
        for i, c in enumerate(companies)
        if c.industry.division in {"26", "27", "28", "29", "20", "22", "25", "13", "14", "46", "58"}
        and rng.random() < 0.45
    ]
    export_values = _exact_split(
        EXPORTS_THOUSAND_USD, [companies[i].employees * rng.uniform(0.3, 2.0) for i in exporters]
    )
    for i, value in zip(exporters, export_values, strict=True):
        companies[i].exports_thousand_usd = value
        companies[i].export_countries = rng.choice(
            [
                "베트남, 인도네시아",
                "말레이시아, 태국",
                "미국, 일본",
                "중국, 베트남",
                "인도네시아, 필리핀",
                "독일, 미국",
            ]
        )
    for c in companies:
        c.search_text = company_search_text(c)
    Company.objects.bulk_create(companies, batch_size=1000)

    facilities = []
    for name, name_en, kind, number in FACILITIES:
        facilities.append(
            SupportFacility(
                name=name,
                name_en=name_en,
                kind=kind,
                complex=complexes[number],
                address=f"{DISTRICT_ADDR[number]} {rng.choice(STREETS[number])} {rng.randint(1, 150)}",
                phone=f"02-{rng.randint(800, 899)}-{rng.randint(1000, 9999)}",
            )
        )
    SupportFacility.objects.bulk_create(facilities)
    transaction.on_commit(bump_statistics)
    if stdout is not None:
        stdout.write(f"  directory: {len(companies):,} companies, {len(buildings)} buildings")
