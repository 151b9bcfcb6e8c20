"""Directory services: every write to companies, buildings and facilities, and the import."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from gvalley.accounts.models import Membership, Organisation, Role, User
from gvalley.accounts.services import membership_grant
from gvalley.core.cache import bump_version
from gvalley.core.models import AuditLog, Job
from gvalley.core.services import audit, job_fail, job_finish, job_progress, job_start, snapshot

from . import importers
from .models import Building, Company, Complex, Industry

STATS_VERSION_KEY = "directory:stats-version"

COMPANY_FIELDS = (
    "name",
    "name_en",
    "business_number",
    "representative",
    "industry",
    "employees",
    "complex",
    "building",
    "address",
    "products",
    "products_en",
    "website",
    "phone",
    "founded_year",
    "production_million_krw",
    "exports_thousand_usd",
    "certifications",
    "export_countries",
    "description",
)


def bump_statistics() -> None:
    """Invalidate cached statistics, filter options and public directory pages after any change."""
    bump_version(STATS_VERSION_KEY)


def company_search_text(company: Company) -> str:
    from gvalley.engines.text import index_document

    industry = company.industry if company.industry_id else None
    building = company.building if company.building_id else None
    return index_document(
        company.name,
        company.name_en,
        company.products,
        company.products_en,
        industry.name if industry else "",
        industry.name_en if industry else "",
        industry.division_name if industry else "",
        building.name if building else "",
        company.certifications,
    )


def company_reindex_all(*, actor: Any, batch_size: int = 1000) -> int:
    """Recompute every company's search text (the index format belongs to ``gvalley.engines.text``)."""
    from gvalley.engines.text import INDEX_VERSION

    count = 0
    qs = Company.objects.select_related("industry", "building").order_by("pk")
    with transaction.atomic():
        batch: list[Company] = []
        for company in qs.iterator(chunk_size=batch_size):
            company.search_text = company_search_text(company)
            batch.append(company)
            if len(batch) >= batch_size:
                Company.objects.bulk_update(batch, ["search_text"])
                count += len(batch)
                batch = []
        if batch:
            Company.objects.bulk_update(batch, ["search_text"])
            count += len(batch)
        audit(actor=actor, action="directory.reindex", note=f"{count} companies, index {INDEX_VERSION}")
    return count


def _check_building(company: Company) -> None:
    if company.building is not None and company.building.complex_id != company.complex_id:
        raise ValidationError({"building": _("The building is not in the company's complex.")})


@transaction.atomic
def company_create(*, actor: Any, **fields: Any) -> Company:
    unknown = set(fields) - set(COMPANY_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    company = Company(**fields)
    company.full_clean()
    _check_building(company)
    company.search_text = company_search_text(company)
    company.save()
    audit(actor=actor, action="company.create", obj=company, after=snapshot(company))
    transaction.on_commit(bump_statistics)
    return company


@transaction.atomic
def company_update(*, actor: Any, company: Company, **fields: Any) -> Company:
    unknown = set(fields) - set(COMPANY_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    before = snapshot(company)
    for key, value in fields.items():
        setattr(company, key, value)
    company.full_clean()
    _check_building(company)
    company.search_text = company_search_text(company)
    company.save()
    audit(actor=actor, action="company.update", obj=company, before=before, after=snapshot(company))
    transaction.on_commit(bump_statistics)
    return company


@transaction.atomic
def company_organisation(*, actor: Any, company: Company) -> Organisation:
    """The company's organisation record (created on first use) that memberships attach to."""
    if company.organisation_id:
        return company.organisation  # type: ignore[return-value]
    org = Organisation.objects.create(
        name=company.name, name_en=company.name_en, kind=Organisation.Kind.COMPANY, website=company.website
    )
    company.organisation = org
    company.save(update_fields=["organisation"])
    audit(actor=actor, action="company.organisation", obj=company, after={"organisation_id": org.pk})
    return org


@transaction.atomic
def company_add_representative(*, actor: Any, company: Company, user: User, title: str = "") -> Membership:
    org = company_organisation(actor=actor, company=company)
    return membership_grant(actor=actor, user=user, role=Role.COMPANY_REP, organisation=org, title=title)


@transaction.atomic
def building_create(*, actor: Any, **fields: Any) -> Building:
    building = Building(**fields)
    building.full_clean()
    building.save()
    audit(actor=actor, action="building.create", obj=building, after=snapshot(building))
    transaction.on_commit(bump_statistics)
    return building


@transaction.atomic
def building_update(*, actor: Any, building: Building, **fields: Any) -> Building:
    before = snapshot(building)
    for key, value in fields.items():
        setattr(building, key, value)
    building.full_clean()
    building.save()
    audit(actor=actor, action="building.update", obj=building, before=before, after=snapshot(building))
    transaction.on_commit(bump_statistics)
    return building


# --- Import ------------------------------------------------------------------------------------------------


def directory_import(
    *, actor: Any, job: Job, content: bytes, filename: str, update_existing: bool = False
) -> dict[str, int] | None:
    """Import buildings and companies from a KICOX-format file.

    Every row is checked first; if any row has a problem, the job fails with the list of every problem
    (row, field, reason) and nothing is written. Otherwise all rows are written in one transaction.
    """
    language = getattr(actor, "language", None) or translation.get_language()
    with translation.override(language):
        parsed = importers.parse(content, filename)
        total = importers.row_count(parsed)
        job_start(job=job, total=total * 2 or 1, message=_("Checking rows"))
        known_buildings = {(n, name) for n, name in Building.objects.values_list("complex__number", "name")}
        existing = set(Company.objects.values_list("business_number", flat=True))
        buildings, companies, errors = importers.validate(
            parsed,
            known_buildings=known_buildings,
            known_industries=set(Industry.objects.values_list("code", flat=True)),
            existing_numbers=existing,
            update_existing=update_existing,
            progress=lambda done: job_progress(job=job, done=done),
        )
        if errors:
            job_fail(
                job=job,
                errors=[e.as_dict() for e in errors],
                message=_("%(n)s problems found; nothing was imported.") % {"n": len(errors)},
            )
            return None
        job_progress(job=job, done=total, message=_("Writing"))
        try:
            counts = _write_import(
                actor=actor, job=job, buildings=buildings, companies=companies, offset=total
            )
        except ValidationError as exc:
            job_fail(job=job, errors=[{"row": None, "field": "", "message": m} for m in exc.messages])
            return None
        job_finish(
            job=job,
            result=counts,
            message=_("%(bc)s buildings created, %(bu)s updated; %(cc)s companies created, %(cu)s updated.")
            % {
                "bc": counts["buildings_created"],
                "bu": counts["buildings_updated"],
                "cc": counts["companies_created"],
                "cu": counts["companies_updated"],
            },
        )
        return counts


@transaction.atomic
def _write_import(
    *, actor: Any, job: Job, buildings: list[dict[str, Any]], companies: list[dict[str, Any]], offset: int
) -> dict[str, int]:
    complexes = {c.number: c for c in Complex.objects.all()}
    missing = {row["complex"] for row in buildings + companies} - set(complexes)
    if missing:
        raise ValidationError(_("Complex %(n)s is not set up yet.") % {"n": sorted(missing)[0]})
    ct_building = ContentType.objects.get_for_model(Building)
    ct_company = ContentType.objects.get_for_model(Company)
    counts = {"buildings_created": 0, "buildings_updated": 0, "companies_created": 0, "companies_updated": 0}
    entries: list[AuditLog] = []
    actor_user = actor if getattr(actor, "is_authenticated", False) else None
    existing_buildings = {(b.complex.number, b.name): b for b in Building.objects.select_related("complex")}
    for row in buildings:
        key = (row["complex"], row["name"])
        values = {
            "name_en": row["name_en"],
            "status": row["status"],
            "address": row["address"],
            "completion_year": row["completion_year"],
            "floors": row["floors"],
        }
        building = existing_buildings.get(key)
        if building is None:
            building = Building.objects.create(name=row["name"], complex=complexes[row["complex"]], **values)
            existing_buildings[key] = building
            counts["buildings_created"] += 1
            entries.append(
                AuditLog(
                    actor=actor_user,
                    action="building.import",
                    content_type=ct_building,
                    object_id=str(building.pk),
                    object_repr=building.name,
                    after=snapshot(building),
                )
            )
        else:
            before = snapshot(building)
            for k, v in values.items():
                setattr(building, k, v)
            building.save()
            counts["buildings_updated"] += 1
            entries.append(
                AuditLog(
                    actor=actor_user,
                    action="building.import",
                    content_type=ct_building,
                    object_id=str(building.pk),
                    object_repr=building.name,
                    before=before,
                    after=snapshot(building),
                )
            )
    industries = {i.code: i for i in Industry.objects.all()}
    by_number = {
        c.business_number: c
        for c in Company.objects.filter(business_number__in=[r["business_number"] for r in companies])
    }
    new_companies: list[Company] = []
    for i, row in enumerate(companies, start=1):
        building = existing_buildings.get((row["complex"], row["building"])) if row["building"] else None
        values = {
            "name": row["name"],
            "name_en": row["name_en"],
            "representative": row["representative"],
            "industry": industries[row["industry_code"]],
            "employees": row["employees"],
            "complex": complexes[row["complex"]],
            "building": building,
            "address": row["address"],
            "products": row["products"],
            "website": row["website"],
            "phone": row["phone"],
            "production_million_krw": row["production"],
            "exports_thousand_usd": row["exports"],
            "founded_year": row["founded_year"],
        }
        company = by_number.get(row["business_number"])
        if company is None:
            company = Company(business_number=row["business_number"], **values)
            company.search_text = company_search_text(company)
            new_companies.append(company)
        else:
            before = snapshot(company)
            for k, v in values.items():
                setattr(company, k, v)
            company.search_text = company_search_text(company)
            company.save()
            counts["companies_updated"] += 1
            entries.append(
                AuditLog(
                    actor=actor_user,
                    action="company.import",
                    content_type=ct_company,
                    object_id=str(company.pk),
                    object_repr=company.name,
                    before=before,
                    after=snapshot(company),
                )
            )
        if i % 500 == 0:
            job_progress(job=job, done=offset + i)
    created = Company.objects.bulk_create(new_companies, batch_size=500)
    counts["companies_created"] = len(created)
    for company in created:
        entries.append(
            AuditLog(
                actor=actor_user,
                action="company.import",
                content_type=ct_company,
                object_id=str(company.pk or ""),
                object_repr=company.name,
                after=snapshot(company),
            )
        )
    AuditLog.objects.bulk_create(entries, batch_size=500)
    audit(actor=actor, action="directory.import", obj=job, after=counts)
    transaction.on_commit(bump_statistics)
    return counts
