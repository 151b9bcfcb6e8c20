"""사업자등록번호 (Korean business registration number) check digit.

The number has 10 digits ``AAA-BB-CCCCC``; the last digit is a check digit computed with the weights
1 3 7 1 3 7 1 3 5 over the first nine digits, plus the tens digit of (9th digit × 5).

Command line: ``python -m gvalley.engines.bizno 220-81-62517`` prints whether the number is valid.
"""

from __future__ import annotations

import re
import sys

WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)


def digits_of(number: str) -> str:
    return re.sub(r"[\s-]", "", number or "")


def check_digit(first_nine: str) -> int:
    if len(first_nine) != 9 or not first_nine.isdigit():
        raise ValueError("need exactly nine digits")
    ds = [int(c) for c in first_nine]
    total = sum(d * w for d, w in zip(ds, WEIGHTS, strict=True)) + (ds[8] * 5) // 10
    return (10 - total % 10) % 10


def is_valid(number: str) -> bool:
    ds = digits_of(number)
    if len(ds) != 10 or not ds.isdigit():
        return False
    return check_digit(ds[:9]) == int(ds[9])


def format_number(number: str) -> str:
    ds = digits_of(number)
    return f"{ds[:3]}-{ds[3:5]}-{ds[5:]}" if len(ds) == 10 else number


def complete(first_nine: str) -> str:
    """The full, formatted number for nine given digits (used by the demo-data generator)."""
    return format_number(first_nine + str(check_digit(first_nine)))


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    if not args:
        print("usage: python -m gvalley.engines.bizno NUMBER [NUMBER ...]")
        return 2
    ok = True
    for number in args:
        valid = is_valid(number)
        ok &= valid
        print(f"{format_number(number)}\t{'valid' if valid else 'invalid'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
