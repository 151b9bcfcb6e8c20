"""Reading company and building lists in the format of a KICOX tenant export (xlsx or csv).

The format is documented in docs/import-format.md. Parsing never writes; it returns rows with their
row numbers, and :func:`validate` reports every problem with the row number, the field and the reason.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from gvalley.engines import bizno

# Column headers as a KICOX export names them (Korean), with the English names we also accept.
COMPANY_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("업체명", "회사명", "company"),
    "business_number": ("사업자등록번호", "business number"),
    "representative": ("대표자", "대표자명", "representative"),
    "industry_code": ("업종코드", "표준산업분류코드", "ksic"),
    "employees": ("종업원수", "고용인원", "employees"),
    "complex": ("단지", "complex"),
    "building": ("입주건물", "건물명", "building"),
    "address": ("주소", "소재지", "address"),
    "products": ("생산품", "주생산품", "products"),
    "website": ("홈페이지", "website"),
    "phone": ("전화번호", "phone"),
    "production": ("생산액(백만원)", "생산액", "production"),
    "exports": ("수출액(천달러)", "수출액", "exports"),
    "name_en": ("영문업체명", "name (english)"),
    "founded_year": ("설립연도", "founded"),
}
COMPANY_REQUIRED = (
    "name",
    "business_number",
    "representative",
    "industry_code",
    "employees",
    "complex",
    "address",
)

BUILDING_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("건물명", "지식산업센터명", "building"),
    "complex": ("단지", "complex"),
    "status": ("상태", "추진현황", "status"),
    "address": ("주소", "소재지", "address"),
    "completion_year": ("준공연도", "completion year"),
    "floors": ("층수", "floors"),
    "name_en": ("영문건물명", "name (english)"),
}
BUILDING_REQUIRED = ("name", "complex", "status")

STATUS_WORDS = {
    "준공": "built",
    "완공": "built",
    "built": "built",
    "건설중": "construction",
    "건설 중": "construction",
    "공사중": "construction",
    "under construction": "construction",
    "construction": "construction",
    "미착공": "not_started",
    "not started": "not_started",
    "not_started": "not_started",
}

MAX_ROWS = 50_000


@dataclass
class RowError:
    row: int
    field: str
    message: str
    sheet: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "message": self.message, "sheet": self.sheet}


@dataclass
class Table:
    kind: str  # "companies" or "buildings"
    sheet: str
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # (row number in the file, values)


@dataclass
class ParsedFile:
    tables: list[Table]
    errors: list[RowError]

    def table(self, kind: str) -> Table | None:
        return next((t for t in self.tables if t.kind == kind), None)


def _norm_header(value: Any) -> str:
    return " ".join(str(value or "").replace("\n", " ").split()).strip().lower()


def _match_columns(headers: list[str], columns: dict[str, tuple[str, ...]]) -> dict[str, int]:
    found: dict[str, int] = {}
    for key, names in columns.items():
        wanted = {_norm_header(n) for n in names}
        for i, header in enumerate(headers):
            if _norm_header(header) in wanted:
                found[key] = i
                break
    return found


def _detect(headers: list[str]) -> tuple[str, dict[str, int]] | None:
    company = _match_columns(headers, COMPANY_COLUMNS)
    if "business_number" in company:
        return "companies", company
    building = _match_columns(headers, BUILDING_COLUMNS)
    if "name" in building and "status" in building:
        return "buildings", building
    return None


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _read_rows(sheet: str, rows: Iterable[list[Any]], errors: list[RowError]) -> Table | None:
    iterator = iter(rows)
    try:
        headers = [_cell_text(v) for v in next(iterator)]
    except StopIteration:
        return None
    detected = _detect(headers)
    if detected is None:
        errors.append(
            RowError(1, "", _("The header row is not in the expected format (see the import guide)."), sheet)
        )
        return None
    kind, columns = detected
    table = Table(kind=kind, sheet=sheet)
    for offset, raw in enumerate(iterator, start=2):
        values = {key: _cell_text(raw[i]) if i < len(raw) else "" for key, i in columns.items()}
        if not any(values.values()):
            continue
        table.rows.append((offset, values))
        if len(table.rows) > MAX_ROWS:
            errors.append(
                RowError(offset, "", _("The file has too many rows (at most %(n)s).") % {"n": MAX_ROWS})
            )
            break
    return table


def parse(content: bytes, filename: str) -> ParsedFile:
    errors: list[RowError] = []
    tables: list[Table] = []
    name = filename.lower()
    if name.endswith(".xlsx"):
        try:
            wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds of errors for a broken file
            return ParsedFile([], [RowError(0, "", _("The file could not be read as an Excel workbook."))])
        for ws in wb.worksheets:
            table = _read_rows(ws.title, (list(row) for row in ws.iter_rows(values_only=True)), errors)
            if table is not None:
                tables.append(table)
        wb.close()
    elif name.endswith(".csv"):
        text = None
        for encoding in ("utf-8-sig", "cp949"):
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        if text is None:
            return ParsedFile(
                [], [RowError(0, "", _("The CSV file must be encoded in UTF-8 or CP949 (EUC-KR)."))]
            )
        table = _read_rows("csv", (list(row) for row in csv.reader(io.StringIO(text))), errors)
        if table is not None:
            tables.append(table)
    else:
        errors.append(RowError(0, "", _("Upload an .xlsx or .csv file.")))
    if not tables and not errors:
        errors.append(RowError(0, "", _("The file contains no data.")))
    return ParsedFile(tables, errors)


def _int(value: str) -> int | None:
    value = value.replace(",", "").strip()
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    if number < 0 or not number.is_integer():
        return None
    return int(number)


def complex_number(value: str) -> int | None:
    digits = "".join(ch for ch in value if ch.isdigit())
    return int(digits) if digits in {"1", "2", "3"} else None


def validate(
    parsed: ParsedFile,
    *,
    known_buildings: set[tuple[int, str]],
    known_industries: set[str],
    existing_numbers: set[str],
    update_existing: bool,
    progress: Callable[[int], None] | None = None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[RowError]]:
    """Check every row; return cleaned building rows, cleaned company rows and every problem found."""
    errors = list(parsed.errors)
    buildings: list[dict[str, Any]] = []
    companies: list[dict[str, Any]] = []
    done = 0
    new_buildings: set[tuple[int, str]] = set()

    table = parsed.table("buildings")
    if table:
        for row, values in table.rows:
            done += 1
            row_errors = []
            for key in BUILDING_REQUIRED:
                if not values.get(key):
                    row_errors.append(RowError(row, key, _("This field is required."), table.sheet))
            number = complex_number(values.get("complex", ""))
            if values.get("complex") and number is None:
                row_errors.append(
                    RowError(row, "complex", _("Unknown complex (use 1, 2 or 3)."), table.sheet)
                )
            status = STATUS_WORDS.get(values.get("status", "").strip().lower())
            if values.get("status") and status is None:
                row_errors.append(
                    RowError(row, "status", _("Unknown status (준공, 건설중 or 미착공)."), table.sheet)
                )
            year, floors = values.get("completion_year", ""), values.get("floors", "")
            if year and (_int(year) is None or not 1960 <= (_int(year) or 0) <= 2100):
                row_errors.append(RowError(row, "completion_year", _("Not a valid year."), table.sheet))
            if floors and _int(floors) is None:
                row_errors.append(RowError(row, "floors", _("Not a whole number."), table.sheet))
            key = (number or 0, values.get("name", ""))
            if number and values.get("name") and key in new_buildings:
                row_errors.append(
                    RowError(row, "name", _("This building appears twice in the file."), table.sheet)
                )
            errors.extend(row_errors)
            if not row_errors:
                new_buildings.add(key)
                buildings.append(
                    {
                        "row": row,
                        "name": values["name"],
                        "name_en": values.get("name_en", ""),
                        "complex": number,
                        "status": status,
                        "address": values.get("address", ""),
                        "completion_year": _int(year) if year else None,
                        "floors": _int(floors) if floors else None,
                    }
                )
            if progress and done % 200 == 0:
                progress(done)

    table = parsed.table("companies")
    seen_numbers: dict[str, int] = {}
    all_buildings = known_buildings | new_buildings
    if table:
        for row, values in table.rows:
            done += 1
            row_errors = []
            for key in COMPANY_REQUIRED:
                if not values.get(key):
                    row_errors.append(RowError(row, key, _("This field is required."), table.sheet))
            number_raw = values.get("business_number", "")
            if number_raw:
                if not bizno.is_valid(number_raw):
                    row_errors.append(
                        RowError(
                            row,
                            "business_number",
                            _("%(value)s is not a valid business registration number (check digit).")
                            % {"value": number_raw},
                            table.sheet,
                        )
                    )
                else:
                    formatted = bizno.format_number(number_raw)
                    if formatted in seen_numbers:
                        row_errors.append(
                            RowError(
                                row,
                                "business_number",
                                _("Duplicate: the same business registration number is on row %(row)s.")
                                % {"row": seen_numbers[formatted]},
                                table.sheet,
                            )
                        )
                    elif formatted in existing_numbers and not update_existing:
                        row_errors.append(
                            RowError(
                                row,
                                "business_number",
                                _(
                                    "Duplicate: a company with this business registration number is already registered."
                                ),
                                table.sheet,
                            )
                        )
                    seen_numbers.setdefault(formatted, row)
            employees = _int(values.get("employees", "")) if values.get("employees") else None
            if values.get("employees") and employees is None:
                row_errors.append(RowError(row, "employees", _("Not a whole number."), table.sheet))
            number = complex_number(values.get("complex", ""))
            if values.get("complex") and number is None:
                row_errors.append(
                    RowError(row, "complex", _("Unknown complex (use 1, 2 or 3)."), table.sheet)
                )
            code = values.get("industry_code", "").strip()
            if code and code not in known_industries:
                row_errors.append(
                    RowError(
                        row,
                        "industry_code",
                        _("Unknown KSIC industry code %(code)s.") % {"code": code},
                        table.sheet,
                    )
                )
            building = values.get("building", "")
            if building and number and (number, building) not in all_buildings:
                row_errors.append(
                    RowError(
                        row,
                        "building",
                        _("Unknown building “%(name)s” in complex %(complex)s.")
                        % {"name": building, "complex": number},
                        table.sheet,
                    )
                )
            production = _int(values.get("production", "")) if values.get("production") else 0
            exports = _int(values.get("exports", "")) if values.get("exports") else 0
            if production is None:
                row_errors.append(RowError(row, "production", _("Not a whole number."), table.sheet))
            if exports is None:
                row_errors.append(RowError(row, "exports", _("Not a whole number."), table.sheet))
            website = values.get("website", "")
            if website and not website.startswith(("http://", "https://")):
                website = "https://" + website
            founded = values.get("founded_year", "")
            if founded and (_int(founded) is None or not 1900 <= (_int(founded) or 0) <= 2100):
                row_errors.append(RowError(row, "founded_year", _("Not a valid year."), table.sheet))
            errors.extend(row_errors)
            if not row_errors:
                companies.append(
                    {
                        "row": row,
                        "name": values["name"],
                        "name_en": values.get("name_en", ""),
                        "business_number": bizno.format_number(number_raw),
                        "representative": values["representative"],
                        "industry_code": code,
                        "employees": employees,
                        "complex": number,
                        "building": building,
                        "address": values["address"],
                        "products": values.get("products", ""),
                        "website": website,
                        "phone": values.get("phone", ""),
                        "production": production,
                        "exports": exports,
                        "founded_year": _int(founded) if founded else None,
                    }
                )
            if progress and done % 200 == 0:
                progress(done)
    if progress:
        progress(done)
    return buildings, companies, errors


def row_count(parsed: ParsedFile) -> int:
    return sum(len(t.rows) for t in parsed.tables)
