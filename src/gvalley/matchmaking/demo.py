"""Demo export consultations (seed 003).

- 2021 (6th G밸리 Week, 6–8 October): 30 foreign buyers from Malaysia, Indonesia, Vietnam, Thailand, the
  Philippines and Singapore, each in his own time zone; 80 G-Valley companies of the directory with fitting
  industries; 4 interpreters (Malay/Indonesian, Vietnamese, Thai, English); preferences from both sides, a few
  organiser decisions, and a schedule produced by the scheduler during seeding, then published.
- 2020 (5th, 14–16 October): the previous edition's 148 meetings, of which 140 were held, with consultation
  records adding up to USD 35,594,000 (the statistics page computes both figures from the records).

Everything goes through the services; the random choices use fixed seeds, and the scheduler runs with one
worker and a deterministic time budget, so two runs give the same world.
"""

from __future__ import annotations

import random
from datetime import date, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from gvalley.accounts.demo import demo_password_hash
from gvalley.accounts.models import PrivacyNotice, Role, User
from gvalley.accounts.services import consent_give
from gvalley.directory.models import Company, Industry
from gvalley.directory.services import company_add_representative
from gvalley.week.models import Edition, Programme
from gvalley.week.selectors import programme_of_kind

from . import scheduling, services
from .models import Buyer, Event, Meeting, Seller

TOTAL_2020_CONSULTATIONS = 140
TOTAL_2020_USD = 35_594_000
NO_SHOWS_2020 = 8
DEMO_BUYER = "buyer@demo.gvalley.kr"
DEMO_INTERPRETER = "interpreter@demo.gvalley.kr"
DEMO_COMPANY_REP = "company@demo.gvalley.kr"

TZ = {
    "ID": "Asia/Jakarta",
    "MY": "Asia/Kuala_Lumpur",
    "VN": "Asia/Ho_Chi_Minh",
    "TH": "Asia/Bangkok",
    "PH": "Asia/Manila",
    "SG": "Asia/Singapore",
}

# company, contact person, country, meeting language, products sought, yearly purchases (USD), KSIC codes
BUYERS = [
    (
        "PT Nusantara Elektronik",
        "Siti Rahman",
        "ID",
        "id",
        "CCTV cameras, IoT wireless modules and RFID readers for building security",
        1_200_000,
        ["26519", "26429"],
    ),
    (
        "PT Sinar Medika Utama",
        "Budi Santoso",
        "ID",
        "id",
        "medical devices, ultrasound scanners and rehabilitation devices for hospitals",
        2_500_000,
        ["27112", "27199"],
    ),
    (
        "PT Cahaya Lampu Indonesia",
        "Dewi Lestari",
        "ID",
        "id",
        "LED lighting and smart lighting controllers for offices",
        800_000,
        ["28423"],
    ),
    (
        "PT Kosmetika Jaya",
        "Rina Wulandari",
        "ID",
        "id",
        "cosmetics and functional cosmetics (skin care) for retail chains",
        1_500_000,
        ["20423"],
    ),
    (
        "PT Garuda Robotika",
        "Agus Pratama",
        "ID",
        "id",
        "collaborative robots and logistics robots for warehouses",
        3_000_000,
        ["29280"],
    ),
    (
        "PT Mitra Tekstil Bandung",
        "Yusuf Hidayat",
        "ID",
        "id",
        "functional fabrics, cotton fabrics and uniforms",
        900_000,
        ["13102", "14111"],
    ),
    (
        "PT Data Awan Nusantara",
        "Andi Wijaya",
        "ID",
        "id",
        "cloud hosting, data centres and security software",
        1_100_000,
        ["63112", "58221"],
    ),
    (
        "PT Surya Komponen",
        "Hendra Gunawan",
        "ID",
        "id",
        "electronic components, electronic parts and PCB assemblies",
        2_000_000,
        ["26299", "46523"],
    ),
    (
        "Teknologi Perdana Sdn Bhd",
        "Ahmad Faizal",
        "MY",
        "ms",
        "semiconductor equipment parts and wafer cleaning equipment",
        4_000_000,
        ["29271", "26299"],
    ),
    (
        "Klinik Alat Perubatan Sdn Bhd",
        "Nurul Huda",
        "MY",
        "ms",
        "medical lasers, measuring instruments and gas analysers",
        1_300_000,
        ["27199", "27213"],
    ),
    (
        "Cahaya Pintar Sdn Bhd",
        "Mohd Hafiz",
        "MY",
        "ms",
        "LED lighting, industrial motors and BLDC motors",
        700_000,
        ["28423", "28111"],
    ),
    (
        "Kecantikan Asia Sdn Bhd",
        "Siti Aminah",
        "MY",
        "ms",
        "functional cosmetics and cosmetics for pharmacies",
        600_000,
        ["20423"],
    ),
    (
        "Penang Precision Sdn Bhd",
        "Lim Wei Ming",
        "MY",
        "en",
        "precision machined parts, injection-moulded parts and precision moulds",
        2_200_000,
        ["25923", "22291"],
    ),
    (
        "Borneo Digital Sdn Bhd",
        "Tan Mei Ling",
        "MY",
        "en",
        "ERP solutions, mobile apps and e-commerce platforms",
        500_000,
        ["58222", "63120"],
    ),
    (
        "KL Media Works Sdn Bhd",
        "Raj Kumar",
        "MY",
        "en",
        "animation, character content and video content for broadcasters",
        400_000,
        ["59114", "59111"],
    ),
    (
        "Sao Viet Technology Co., Ltd.",
        "Nguyen Van Minh",
        "VN",
        "vi",
        "network switches and optical modules for telecom operators",
        1_800_000,
        ["26410"],
    ),
    (
        "Saigon Medical Supply JSC",
        "Tran Thi Lan",
        "VN",
        "vi",
        "medical devices, ultrasound scanners and gas analysers",
        1_400_000,
        ["27112", "27213"],
    ),
    (
        "Hanoi Smart Factory JSC",
        "Le Quang Huy",
        "VN",
        "vi",
        "industrial robots, collaborative robots and industrial motors",
        2_600_000,
        ["29280", "28111"],
    ),
    (
        "Mekong Textile Co., Ltd.",
        "Pham Thu Ha",
        "VN",
        "vi",
        "cotton fabrics, functional fabrics and clothing",
        1_000_000,
        ["13102", "14191"],
    ),
    (
        "VietSecure Technology JSC",
        "Hoang Duc Anh",
        "VN",
        "vi",
        "CCTV cameras, dashcams and security software",
        900_000,
        ["26519", "58221"],
    ),
    (
        "Da Nang Beauty Co., Ltd.",
        "Vo Thi Thu",
        "VN",
        "vi",
        "cosmetics and functional cosmetics",
        500_000,
        ["20423"],
    ),
    (
        "Siam Electronics Co., Ltd.",
        "Somchai Wongsakul",
        "TH",
        "th",
        "electronic parts, memory modules and PCB assemblies",
        2_100_000,
        ["26299", "26111"],
    ),
    (
        "Bangkok Health Devices Co., Ltd.",
        "Suda Chaiyaporn",
        "TH",
        "th",
        "rehabilitation devices and medical devices for clinics",
        1_200_000,
        ["27199", "27112"],
    ),
    (
        "Thai Smart Lighting Co., Ltd.",
        "Prasit Kittisak",
        "TH",
        "th",
        "smart lighting controllers and LED lighting",
        700_000,
        ["28423"],
    ),
    (
        "Chiang Mai Games Co., Ltd.",
        "Nattapong Srisuk",
        "TH",
        "th",
        "mobile games, online games and animation",
        300_000,
        ["58211", "59114"],
    ),
    (
        "Manila Data Systems Inc.",
        "Maria Santos",
        "PH",
        "en",
        "systems integration, cloud migration and software development services",
        800_000,
        ["62021", "62010"],
    ),
    (
        "Cebu Marine Electronics Inc.",
        "Jose Reyes",
        "PH",
        "en",
        "broadcast transmitters, video encoders and RFID readers",
        1_100_000,
        ["26421", "26429"],
    ),
    (
        "Luzon Medical Trading Corp.",
        "Ana Cruz",
        "PH",
        "en",
        "ultrasound scanners and bio diagnostic kits",
        1_600_000,
        ["27112", "70113"],
    ),
    (
        "Lion City Robotics Pte. Ltd.",
        "Daniel Tan",
        "SG",
        "en",
        "collaborative robots, AI research and autonomous driving software",
        2_800_000,
        ["29280", "70129"],
    ),
    (
        "Straits Semiconductor Pte. Ltd.",
        "Kevin Lee",
        "SG",
        "en",
        "semiconductor equipment and memory test boards",
        5_000_000,
        ["29271", "26111"],
    ),
]

# Buyers of 2020 who did not come back in 2021.
BUYERS_2020_ONLY = [
    (
        "PT Borneo Sejahtera",
        "Fajar Nugroho",
        "ID",
        "id",
        "electronic components and servers",
        900_000,
        ["46523", "46510"],
    ),
    (
        "PT Java Medika",
        "Lina Marlina",
        "ID",
        "id",
        "medical devices and measuring instruments",
        1_200_000,
        ["27112"],
    ),
    (
        "Selangor Tech Sdn Bhd",
        "Azlan Ismail",
        "MY",
        "ms",
        "IoT wireless modules and RFID readers",
        800_000,
        ["26429"],
    ),
    ("Johor Lighting Sdn Bhd", "Farah Nadia", "MY", "ms", "LED lighting", 500_000, ["28423"]),
    (
        "Hai Phong Electronics JSC",
        "Do Van Long",
        "VN",
        "vi",
        "electronic parts and memory modules",
        1_000_000,
        ["26299"],
    ),
    ("Can Tho Cosmetics Co., Ltd.", "Bui Thi Hoa", "VN", "vi", "cosmetics", 400_000, ["20423"]),
    ("Phuket Wellness Co., Ltd.", "Kanya Boonmee", "TH", "th", "rehabilitation devices", 600_000, ["27199"]),
    (
        "Davao Robotics Inc.",
        "Carlo Mendoza",
        "PH",
        "en",
        "logistics robots and industrial motors",
        700_000,
        ["29280"],
    ),
    (
        "Marina Digital Pte. Ltd.",
        "Grace Ong",
        "SG",
        "en",
        "security software and cloud hosting",
        1_300_000,
        ["58221"],
    ),
    (
        "Orchard Optics Pte. Ltd.",
        "Aaron Goh",
        "SG",
        "en",
        "optical modules and network switches",
        900_000,
        ["26410"],
    ),
]

# e-mail, name, languages, time zone, most sessions in a row, unavailable (day offset, "morning"/"afternoon")
INTERPRETERS = [
    (DEMO_INTERPRETER, "Nur Aisyah", ["ms", "id", "en"], "Asia/Kuala_Lumpur", 4, []),
    ("interpreter.vi@demo.gvalley.kr", "이하늘", ["vi", "en"], "Asia/Seoul", 4, [(2, "afternoon")]),
    ("interpreter.th@demo.gvalley.kr", "김태연", ["th", "en"], "Asia/Seoul", 4, []),
    ("interpreter.en@demo.gvalley.kr", "정다은", ["en", "ms"], "Asia/Seoul", 5, []),
]

CERTIFICATIONS = {
    "26": ["ISO 9001, KC, CE", "ISO 9001, FCC, CE", "KC"],
    "27": ["ISO 13485, CE", "ISO 13485, KGMP, CE", "KGMP"],
    "28": ["KC, CE", "ISO 9001, UL"],
    "29": ["ISO 9001, CE", "CE"],
    "20": ["CGMP, ISO 22716", "ISO 22716, Halal"],
    "13": ["OEKO-TEX", "ISO 9001"],
    "14": ["OEKO-TEX"],
    "22": ["ISO 9001, IATF 16949"],
    "25": ["ISO 9001, IATF 16949"],
}

SESSIONS = [("morning", time(10, 0), time(12, 30)), ("afternoon", time(13, 30), time(18, 10))]
N_SELLERS_2021 = 80
DEMO_SOLVER_BUDGET = 4.0  # CP-SAT deterministic units (~5 s on one core): 0 breaks, 0 idle slots
N_SELLERS_2020 = 70


def _log(stdout: Any, message: str) -> None:
    if stdout is not None:
        stdout.write(f"  matchmaking: {message}")


def _user(email: str, name: str, *, language: str, tz: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is not None:
        return user
    user = User.objects.create_user(
        email=email,
        password=None,
        name=name,
        language=language,
        timezone=tz,
        email_confirmed_at=timezone.now(),
    )
    user.password = demo_password_hash()
    user.save(update_fields=["password"])
    notice = (
        PrivacyNotice.objects.filter(purpose=PrivacyNotice.Purpose.ACCOUNT).order_by("-published_at").first()
    )
    if notice is not None:
        consent_give(user=user, notice=notice, context="demo")
    return user


def _slug(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())[:24]


def _event(programme: Programme, **fields: Any) -> Event:
    """An event whose registration and preference windows are open while the demo fills it in."""
    now = timezone.now()
    event = services.event_create(
        actor=None,
        programme=programme,
        registration_opens_at=now - timedelta(days=1),
        registration_closes_at=now + timedelta(days=1),
        preferences_close_at=now + timedelta(days=1),
        **fields,
    )
    for n in range((programme.ends_on - programme.starts_on).days + 1):
        day = programme.starts_on + timedelta(days=n)
        for part, start, end in SESSIONS:
            services.session_add(actor=None, event=event, day=day, part=part, starts=start, ends=end)
    return event


def _close_windows(event: Event, *, opens: date, closes: date, preferences: date) -> None:
    tz = services.zone(event.timezone)
    services.event_update(
        actor=None,
        event=event,
        registration_opens_at=services.local_datetime(opens, time(9), tz),
        registration_closes_at=services.local_datetime(closes, time(18), tz),
        preferences_close_at=services.local_datetime(preferences, time(18), tz),
    )


def _buyers(event: Event, rows: list[tuple[Any, ...]]) -> list[Buyer]:
    industries = {i.code: i for i in Industry.objects.all()}
    buyers = []
    for company, contact, country, language, products, volume, codes in rows:
        email = DEMO_BUYER if contact == "Siti Rahman" else f"{_slug(contact)}@buyers.demo.gvalley.kr"
        user = _user(email, contact, language="en", tz=TZ[country])
        existing = Buyer.objects.filter(event=event, contact=user).first()
        if existing is not None:
            buyers.append(existing)
            continue
        buyer = services.buyer_register(
            actor=user,
            event=event,
            company_name=company,
            country=country,
            timezone_name=TZ[country],
            language=language,
            products_sought=products,
            purchase_volume_usd=volume,
            industries=[industries[c] for c in codes if c in industries],
            website=f"https://www.{_slug(company)}.example.com",
            agree_programme=True,
        )
        buyers.append(buyer)
    return buyers


def _pick_companies(count: int, codes: list[str], must_have: list[Company]) -> list[Company]:
    chosen: dict[int, Company] = {c.pk: c for c in must_have}
    for code in codes:
        qs = Company.objects.filter(industry__code=code).order_by("-exports_thousand_usd", "-employees", "pk")
        for company in qs[:3]:
            if len(chosen) < count:
                chosen.setdefault(company.pk, company)
    if len(chosen) < count:
        for company in Company.objects.filter(exports_thousand_usd__gt=0).order_by(
            "-exports_thousand_usd", "pk"
        ):
            chosen.setdefault(company.pk, company)
            if len(chosen) >= count:
                break
    return sorted(chosen.values(), key=lambda c: c.pk)[:count]


def _representative(company: Company) -> User:
    if company.organisation_id:
        rep = (
            User.objects.filter(
                memberships__organisation=company.organisation_id,
                memberships__role=Role.COMPANY_REP,
                memberships__ended_on__isnull=True,
            )
            .order_by("pk")
            .first()
        )
        if rep is not None:
            return rep
    user = _user(
        f"rep{company.pk}@companies.demo.gvalley.kr", company.representative, language="ko", tz="Asia/Seoul"
    )
    company_add_representative(actor=None, company=company, user=user, title="해외영업 담당")
    return user


def _sellers(event: Event, companies: list[Company], rng: random.Random) -> list[Seller]:
    sellers = []
    for company in companies:
        existing = Seller.objects.filter(event=event, company=company).first()
        if existing is not None:
            sellers.append(existing)
            continue
        rep = _representative(company)
        certs = rng.choice(CERTIFICATIONS.get(company.industry.division, ["ISO 9001", ""]))
        sellers.append(
            services.seller_register(
                actor=rep,
                event=event,
                company=company,
                agree_programme=True,
                certifications=certs,
                products_en=company.products_en or company.industry.name_en,
                target_countries=company.export_countries or "말레이시아, 인도네시아, 베트남",
            )
        )
    return sellers


def _demo_company() -> Company | None:
    """The company the demo company representative speaks for (attached to one of ours if nobody did)."""
    user = User.objects.filter(email=DEMO_COMPANY_REP).first()
    if user is None:
        return None
    represented = services.companies_represented(user)
    return represented[0] if represented else None


def _attach_demo_rep(company: Company) -> None:
    user = User.objects.filter(email=DEMO_COMPANY_REP).first()
    if user is not None and not services.companies_represented(user):
        company_add_representative(actor=None, company=company, user=user, title="대표이사")


def seed_2021(programme: Programme, *, stdout: Any = None) -> Event:
    rng = random.Random(20211006)
    event = _event(
        programme,
        timezone="Asia/Seoul",
        slot_minutes=30,
        gap_minutes=10,
        rooms=6,
        languages=["en", "ms", "id", "vi", "th"],
        interpretation=True,
        buyer_min_meetings=0,
        buyer_max_meetings=5,
        seller_min_meetings=0,
        seller_max_meetings=3,
        recommendations=3,
        fairness=2,
        exclude_met_before=False,
        time_limit_seconds=20,
        video_url_template="https://meet.example.go.kr/gvalley-{event}-{meeting}",
    )
    buyers = _buyers(event, BUYERS)
    codes = list(dict.fromkeys(code for row in BUYERS for code in row[6]))
    demo_company = _demo_company()
    companies = _pick_companies(N_SELLERS_2021, codes, [demo_company] if demo_company else [])
    if demo_company is None and companies:
        # Nobody attached the demo company representative yet: he represents the first semiconductor firm.
        demo_company = next((c for c in companies if c.industry.code == "26299"), companies[0])
        _attach_demo_rep(demo_company)
    sellers = _sellers(event, companies, rng)
    # Interpreters and their availability.
    first_day = programme.starts_on
    for email, name, languages, tz, cap, off in INTERPRETERS:
        user = _user(email, name, language="en" if tz != "Asia/Seoul" else "ko", tz=tz)
        interpreter = services.interpreter_add(
            actor=None, event=event, user=user, languages=languages, max_consecutive=cap, timezone_name=tz
        )
        if off:
            blocks = []
            for n in range(3):
                for part, start, end in SESSIONS:
                    if (n, part) not in off:
                        blocks.append((first_day + timedelta(days=n), start, end))
            # the blocks are in Seoul time; the interpreter enters them in his own time zone (Seoul here)
            services.availability_set(actor=user, owner=interpreter, intervals=blocks)
    # Availability of some buyers, in their own time zones (local office hours) and of some companies.
    for buyer in buyers:
        if buyer.contact.email == DEMO_BUYER:
            services.availability_set(
                actor=buyer.contact,
                owner=buyer,
                intervals=[
                    (first_day, time(8, 0), time(16, 30)),
                    (first_day + timedelta(days=1), time(8, 0), time(10, 30)),
                    (first_day + timedelta(days=2), time(8, 0), time(16, 30)),
                ],
            )
        elif rng.random() < 0.4:
            days = sorted(rng.sample(range(3), 2))
            services.availability_set(
                actor=buyer.contact,
                owner=buyer,
                intervals=[(first_day + timedelta(days=d), time(8, 30), time(17, 0)) for d in days],
            )
    for seller in sellers:
        if rng.random() < 0.25:
            day = rng.randrange(3)
            services.availability_set(
                actor=seller.contact,
                owner=seller,
                intervals=[
                    (first_day + timedelta(days=d), time(10), time(18, 10)) for d in range(3) if d != day
                ],
            )
    # Preferences: most buyers name 4–5 companies among those most similar to what they seek.
    scores = scheduling.similarity_scores(
        list(Buyer.objects.filter(event=event).prefetch_related("industries")),
        list(Seller.objects.filter(event=event).select_related("company__industry")),
    )
    silent = {buyers[i].pk for i in (5, 13, 20, 27)}
    for buyer in buyers:
        if buyer.pk in silent:
            continue
        ranked = sorted(sellers, key=lambda s: (-scores[(buyer.pk, s.pk)], s.pk))[:9]
        picks = rng.sample(ranked, min(5, len(ranked)))
        levels = {s.pk: ("must" if i < 2 else "want") for i, s in enumerate(picks)}
        services.preferences_set(actor=buyer.contact, owner=buyer, levels=levels)
    for seller in sellers[::2]:
        ranked = sorted(buyers, key=lambda b: (-scores[(b.pk, seller.pk)], b.pk))[:4]
        picks = rng.sample(ranked, 2)
        levels = {picks[0].pk: "want", picks[1].pk: rng.choice(["want", "must"])}
        services.preferences_set(actor=seller.contact, owner=seller, levels=levels)
    for seller in sellers[1::17]:
        target = rng.choice(buyers)
        services.preferences_set(actor=seller.contact, owner=seller, levels={target.pk: "no"})
    # The organiser fixes two pairs for the demo buyer and excludes one pair.
    demo_buyer = next(b for b in buyers if b.contact.email == DEMO_BUYER)
    top = sorted(sellers, key=lambda s: (-scores[(demo_buyer.pk, s.pk)], s.pk))
    fixed = 0
    for seller in top:
        if fixed == 2:
            break
        try:
            services.pair_decide(actor=None, buyer=demo_buyer, seller=seller, level="must", note="KOTRA 추천")
        except Exception:  # a veto: choose the next company
            continue
        fixed += 1
    services.pair_decide(actor=None, buyer=buyers[1], seller=top[-1], level="no", note="이미 거래 중")
    # The scheduler (deterministic budget), then publication.
    # The edition was scheduled after its preferences deadline (24 September 2021), before its first slot.
    scheduled_at = services.local_datetime(date(2021, 9, 24), time(18), services.zone(event.timezone))
    run = services.schedule_request(actor=None, event=event, enqueue=False, now=scheduled_at)
    # One worker on a deterministic budget (CP-SAT's deterministic units): the same world on every machine.
    run = services.schedule_execute(
        run=run, deterministic=True, time_limit=DEMO_SOLVER_BUDGET, now=scheduled_at
    )
    services.schedule_publish(actor=None, event=event, notify=False)
    _close_windows(event, opens=date(2021, 8, 16), closes=date(2021, 9, 17), preferences=date(2021, 9, 24))
    _log(
        stdout,
        f"2021: {len(buyers)} buyers, {len(sellers)} companies, {run.scheduled_meetings} meetings "
        f"({run.get_status_display()}, {run.seconds}s), published",
    )
    return event


def _exact_split(total: int, weights: list[float]) -> list[int]:
    raw = [w * total / sum(weights) for w in weights]
    ints = [max(1, int(x)) for x in raw]
    diff = total - sum(ints)
    order = sorted(range(len(raw)), key=lambda i: raw[i] - int(raw[i]), reverse=diff > 0)
    step = 1 if diff > 0 else -1
    i = 0
    while diff != 0:
        k = order[i % len(order)]
        if ints[k] + step >= 1:
            ints[k] += step
            diff -= step
        i += 1
    return ints


def seed_2020(programme: Programme, *, stdout: Any = None) -> Event:
    rng = random.Random(20201014)
    event = _event(
        programme,
        timezone="Asia/Seoul",
        slot_minutes=30,
        gap_minutes=10,
        rooms=10,
        languages=["en", "ms", "id", "vi", "th"],
        interpretation=False,
        buyer_max_meetings=8,
        seller_max_meetings=4,
        time_limit_seconds=10,
    )
    rows = BUYERS[1:16] + BUYERS_2020_ONLY
    buyers = _buyers(event, rows)
    codes = list(dict.fromkeys(code for row in rows for code in row[6]))
    companies = _pick_companies(N_SELLERS_2020, codes, [])
    sellers = _sellers(event, companies, rng)
    scores = scheduling.similarity_scores(
        list(Buyer.objects.filter(event=event).prefetch_related("industries")),
        list(Seller.objects.filter(event=event).select_related("company__industry")),
    )
    # The 2020 meetings were arranged by the organiser (entered by hand, here in a fixed order).
    wanted = TOTAL_2020_CONSULTATIONS + NO_SHOWS_2020
    pairs: list[tuple[Buyer, Seller]] = []
    per_buyer = {b.pk: 0 for b in buyers}
    per_seller = {s.pk: 0 for s in sellers}
    ranked = sorted(
        ((scores[(b.pk, s.pk)] + rng.random() * 0.05, b, s) for b in buyers for s in sellers),
        key=lambda x: (-x[0], x[1].pk, x[2].pk),
    )
    for _score, b, s in ranked:
        if len(pairs) == wanted:
            break
        if per_buyer[b.pk] < event.buyer_max_meetings and per_seller[s.pk] < event.seller_max_meetings:
            pairs.append((b, s))
            per_buyer[b.pk] += 1
            per_seller[s.pk] += 1
    slots = list(event.slots.order_by("number"))
    meetings: list[Meeting] = []
    busy: dict[tuple[str, int], set[int]] = {}
    for b, s in pairs:
        for slot in slots:
            if slot.pk in busy.get(("b", b.pk), set()) or slot.pk in busy.get(("s", s.pk), set()):
                continue
            if sum(1 for m in meetings if m.slot_id == slot.pk) >= event.rooms:
                continue
            meetings.append(
                services.meeting_add(
                    actor=None, event=event, buyer=b, seller=s, slot=slot, lock=False, past_edition=True
                )
            )
            busy.setdefault(("b", b.pk), set()).add(slot.pk)
            busy.setdefault(("s", s.pk), set()).add(slot.pk)
            break
    services.schedule_publish(actor=None, event=event, notify=False)
    # Outcomes: 8 no-shows; 140 consultation records adding up to exactly USD 35,594,000.
    no_shows = set(rng.sample(range(len(meetings)), NO_SHOWS_2020))
    held = [m for i, m in enumerate(meetings) if i not in no_shows]
    for i in sorted(no_shows):
        services.attendance_set(
            actor=None,
            meeting=meetings[i],
            attendance="no_show",
            no_show_side=rng.choice(["buyer", "seller"]),
        )
    thousands = _exact_split(TOTAL_2020_USD // 1000, [rng.lognormvariate(0, 0.9) for _ in held])
    follow_ups = ["samples", "quotation", "next_meeting", "visit", "negotiation", "contract", "none"]
    for m, amount in zip(held, thousands, strict=True):
        usd = amount * 1000
        services.record_save(
            actor=None,
            meeting=m,
            products_discussed=m.seller.products_en or m.seller.products,
            consultation_usd=usd,
            expected_contract_usd=int(usd * rng.choice([0, 0.1, 0.2, 0.3, 0.5]) // 1000 * 1000),
            follow_up=rng.choice(follow_ups),
        )
        if rng.random() < 0.7:
            services.satisfaction_rate(actor=None, meeting=m, side="buyer", score=rng.choice([3, 4, 4, 5, 5]))
        if rng.random() < 0.6:
            services.satisfaction_rate(actor=None, meeting=m, side="seller", score=rng.choice([3, 4, 4, 5]))
    _close_windows(event, opens=date(2020, 8, 24), closes=date(2020, 9, 25), preferences=date(2020, 10, 2))
    _log(stdout, f"2020: {len(meetings)} meetings, {len(held)} consultation records")
    return event


@transaction.atomic
def seed(*, stdout: Any = None) -> None:
    """Idempotent: an edition whose consultation exists is left alone."""
    for year, seeder in ((2020, seed_2020), (2021, seed_2021)):
        edition = Edition.objects.filter(year=year).first()
        if edition is None:
            continue
        programme = programme_of_kind(edition=edition, kind=Programme.Kind.EXPORT_CONSULTATION)
        if programme is None or Event.objects.filter(programme=programme).exists():
            continue
        if not Company.objects.exists():
            _log(stdout, "no companies in the directory; skipped")
            return
        seeder(programme, stdout=stdout)
