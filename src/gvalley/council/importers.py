"""Reading yearly-plan lines and indicators from an .xlsx file (one row per line × indicator).

Parsing never writes: it returns the rows and every problem with its row number, column and reason
(``services.plan_import`` writes all rows or none).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from .metrics import get_metric
from .models import PlanProgramme

# Column headers (Korean first, English accepted).
PLAN_COLUMNS: dict[str, tuple[str, ...]] = {
    "year": ("연도", "year"),
    "title": ("추진과제", "plan line"),
    "title_en": ("추진과제(영문)", "plan line (english)"),
    "starts_on": ("시작일", "period starts"),
    "ends_on": ("종료일", "period ends"),
    "label": ("지표", "indicator"),
    "label_en": ("지표(영문)", "indicator (english)"),
    "metric": ("지표키", "metric"),
    "target": ("목표", "target"),
    "unit": ("단위", "unit"),
    "unit_en": ("단위(영문)", "unit (english)"),
    "order": ("순서", "order"),
}
REQUIRED = ("year", "title")
MAX_ROWS = 2000


@dataclass
class PlanRow:
    row: int
    year: int
    title: str
    title_en: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    label: str = ""
    label_en: str = ""
    metric: str = ""
    target: Decimal = Decimal(0)
    unit: str = ""
    unit_en: str = ""
    order: int = 0


def template_headers() -> list[str]:
    return [names[0] for names in PLAN_COLUMNS.values()]


def _norm(value: Any) -> str:
    return " ".join(str(value or "").replace("\n", " ").split()).strip().lower()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip().replace(".", "-").replace("/", "-")
    return date.fromisoformat(text)


def parse_plan_rows(
    content: bytes, filename: str, *, plan: PlanProgramme
) -> tuple[list[PlanRow], list[dict[str, Any]]]:
    errors: list[dict[str, Any]] = []

    def error(row: int, column: str, message: str) -> None:
        errors.append({"row": row, "field": column, "message": message})

    if not filename.lower().endswith(".xlsx"):
        error(0, "", _("Upload an .xlsx file."))
        return [], errors
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors on a broken file
        error(0, "", _("The file could not be read as an Excel workbook."))
        return [], errors
    ws = wb.worksheets[0]
    rows_iter = ws.iter_rows(values_only=True)
    header = next(rows_iter, None)
    if header is None:
        error(1, "", _("The sheet is empty."))
        return [], errors
    headers = [_norm(h) for h in header]
    index: dict[str, int] = {}
    for key, names in PLAN_COLUMNS.items():
        wanted = {_norm(n) for n in names}
        for i, h in enumerate(headers):
            if h in wanted:
                index[key] = i
                break
    missing = [PLAN_COLUMNS[k][0] for k in REQUIRED if k not in index]
    if missing:
        error(
            1, ", ".join(missing), _("Required columns are missing: %(cols)s") % {"cols": ", ".join(missing)}
        )
        return [], errors
    result: list[PlanRow] = []
    seen: set[tuple[int, str, str]] = set()
    for n, values in enumerate(rows_iter, start=2):
        if n - 1 > MAX_ROWS:
            error(n, "", _("The file has more than %(max)d rows.") % {"max": MAX_ROWS})
            break
        cells = {k: (values[i] if i < len(values) else None) for k, i in index.items()}
        if all(v in (None, "") for v in cells.values()):
            continue
        column = PLAN_COLUMNS
        try:
            year = int(_text(cells.get("year")))
        except ValueError:
            error(n, column["year"][0], _("The year must be a number such as 2021."))
            continue
        if not plan.starts_on.year <= year <= plan.ends_on.year:
            error(
                n,
                column["year"][0],
                _("The year must fall within the plan (%(start)d–%(end)d).")
                % {"start": plan.starts_on.year, "end": plan.ends_on.year},
            )
        title = _text(cells.get("title"))
        if not title:
            error(n, column["title"][0], _("The plan line is empty."))
        row = PlanRow(row=n, year=year, title=title[:200], title_en=_text(cells.get("title_en"))[:200])
        for key in ("starts_on", "ends_on"):
            try:
                setattr(row, key, _date(cells.get(key)))
            except (ValueError, TypeError):
                error(n, column[key][0], _("Write the date as YYYY-MM-DD."))
        for key in ("starts_on", "ends_on"):
            value = getattr(row, key)
            if value is not None and value.year != year:
                error(n, column[key][0], _("The date must fall within the row's year."))
        row.metric = _text(cells.get("metric"))
        row.label = _text(cells.get("label"))[:200]
        row.label_en = _text(cells.get("label_en"))[:200]
        row.unit = _text(cells.get("unit"))[:30]
        row.unit_en = _text(cells.get("unit_en"))[:30]
        order = _text(cells.get("order"))
        if order:
            try:
                row.order = int(order)
            except ValueError:
                error(n, column["order"][0], _("The order must be a whole number."))
        if row.metric or row.label or _text(cells.get("target")):
            if not row.metric:
                error(n, column["metric"][0], _("Name the metric that measures this indicator."))
            elif not row.metric.replace("_", "").replace("-", "").isalnum() or not row.metric.isascii():
                error(n, column["metric"][0], _("A metric key is made of letters, digits and underscores."))
            elif get_metric(row.metric) is None:
                error(
                    n,
                    column["metric"][0],
                    _("Unknown metric %(key)s: see the list of metrics on the import page.")
                    % {"key": row.metric},
                )
            if not row.label:
                error(n, column["label"][0], _("The indicator needs a name."))
            try:
                row.target = Decimal(_text(cells.get("target")) or "x")
                if row.target < 0:
                    raise InvalidOperation
            except InvalidOperation:
                error(n, column["target"][0], _("The target must be a number of 0 or more."))
            key = (year, title, row.metric)
            if key in seen:
                error(n, column["metric"][0], _("This indicator appears twice for the same plan line."))
            seen.add(key)
        result.append(row)
    if not result and not errors:
        error(2, "", _("The file has no plan lines."))
    return result, errors
