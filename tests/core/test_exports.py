from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar
from openpyxl import load_workbook

from gvalley.core.exports import CalendarEvent, Sheet, csv_bytes, download_response, ics_bytes, xlsx_bytes

SEOUL = ZoneInfo("Asia/Seoul")


def test_xlsx_has_one_sheet_per_table_with_bold_headers():
    content = xlsx_bytes(
        [
            Sheet("기업", ["이름", "종업원"], [["한빛전자", 12], ["누리소프트", 3]]),
            Sheet("건물", ["이름"], [["가산타워"]]),
        ]
    )
    wb = load_workbook(io.BytesIO(content))
    assert wb.sheetnames == ["기업", "건물"]
    rows = list(wb["기업"].iter_rows(values_only=True))
    assert rows == [("이름", "종업원"), ("한빛전자", 12), ("누리소프트", 3)]
    assert wb["기업"]["A1"].font.bold is True


def test_xlsx_writes_aware_datetimes_in_local_time():
    when = datetime(2021, 10, 6, 1, 0, tzinfo=ZoneInfo("UTC"))
    wb = load_workbook(io.BytesIO(xlsx_bytes([Sheet("s", ["at"], [[when]])])))
    assert wb["s"]["A2"].value == datetime(2021, 10, 6, 10, 0)


def test_csv_starts_with_a_bom_for_excel():
    content = csv_bytes(["이름", "값"], [["가", 1], ["나", None]])
    assert content.startswith("\ufeff".encode())
    assert content.decode("utf-8-sig").splitlines() == ["이름,값", "가,1", "나,"]


def test_ics_parses_back_with_utc_times_and_attendees():
    event = CalendarEvent(
        uid="meeting-1@gvalley",
        summary="G밸리 발전협의회 본회의",
        start=datetime(2021, 6, 30, 14, 0, tzinfo=SEOUL),
        end=datetime(2021, 6, 30, 16, 0, tzinfo=SEOUL),
        location="금천구청 대회의실",
        attendees=[("a@example.com", "김철수")],
        organizer_email="secretariat@example.com",
    )
    cal = Calendar.from_ical(ics_bytes([event]))
    events = list(cal.walk("VEVENT"))
    assert len(events) == 1
    ev = events[0]
    assert str(ev["summary"]) == "G밸리 발전협의회 본회의"
    assert ev.decoded("dtstart") == datetime(2021, 6, 30, 5, 0, tzinfo=ZoneInfo("UTC"))
    assert str(ev["attendee"]) == "mailto:a@example.com"
    assert str(ev["location"]) == "금천구청 대회의실"
    assert cal["version"] == "2.0"


def test_download_response_quotes_korean_file_names():
    response = download_response(b"x", filename="기업목록.xlsx", content_type="application/octet-stream")
    assert "filename*=UTF-8''%EA%B8%B0%EC%97%85%EB%AA%A9%EB%A1%9D.xlsx" in response["Content-Disposition"]
