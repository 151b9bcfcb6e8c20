"""Masking of personal data for display (shown masked by default; unmasking is logged)."""

from __future__ import annotations

import re


def mask_name(name: str) -> str:
    """홍길동 → 홍*동, 남궁민수 → 남**수, 김철 → 김*, John Smith → J*** S****."""
    name = (name or "").strip()
    if not name:
        return ""
    if re.search(r"[A-Za-z]", name):
        return " ".join(part[0] + "*" * (len(part) - 1) for part in name.split())
    if len(name) == 1:
        return "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_email(email: str) -> str:
    """hong.gildong@example.com → ho*******@example.com"""
    email = (email or "").strip()
    if "@" not in email:
        return mask_name(email)
    local, domain = email.split("@", 1)
    keep = min(2, len(local))
    return local[:keep] + "*" * max(1, len(local) - keep) + "@" + domain


def mask_phone(phone: str) -> str:
    """010-1234-5678 → 010-****-5678; the middle group of digits is hidden."""
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) < 7:
        return "*" * len(digits)
    head, tail = digits[:3], digits[-4:]
    if digits.startswith("02"):
        head = digits[:2]
    middle = len(digits) - len(head) - 4
    return f"{head}-{'*' * middle}-{tail}"
