#!/usr/bin/env python
"""Translation catalogues: one per app (src/gvalley/<app>/locale) plus the project's own
(src/gvalley/locale: core, the shared templates and settings). Message ids are English; the Korean
catalogue must be complete.

  python scripts/i18n.py extract [APP ...]   run makemessages (needs GNU gettext's xgettext)
  python scripts/i18n.py compile             write the .mo files (pure Python, no gettext needed)
  python scripts/i18n.py check               fail if any Korean message is missing or fuzzy
  python scripts/i18n.py missing [APP]       print untranslated message ids
  python scripts/i18n.py fill FILE.json       fill untranslated entries from {msgid: msgstr or [plural forms]}
                                             and from the other catalogues (a shared translation memory)
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "gvalley"
LANGS = ["ko"]
PROJECT = "gvalley"


def apps() -> list[str]:
    return sorted(
        p.name for p in SRC.iterdir() if p.is_dir() and (p / "apps.py").exists() and p.name not in {"core"}
    )


def catalogues() -> list[Path]:
    return sorted(SRC.glob("**/locale/*/LC_MESSAGES/django.po"))


def extract(names: list[str]) -> None:
    manage = [sys.executable, str(ROOT / "manage.py"), "makemessages", "--no-location", "--no-obsolete"]
    langs = [arg for lang in LANGS for arg in ("-l", lang)]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    targets = names or [PROJECT, *apps()]
    for name in targets:
        if name == PROJECT:
            (SRC / "locale").mkdir(exist_ok=True)
            ignores = [arg for app in apps() for arg in ("--ignore", f"{app}/*")] + ["--ignore", "engines/*"]
            subprocess.run([*manage, *langs, *ignores], cwd=SRC, check=True, env=env)
        else:
            (SRC / name / "locale").mkdir(exist_ok=True)
            subprocess.run([*manage, *langs], cwd=SRC / name, check=True, env=env)
        print(f"extracted {name}")


def compile_all() -> None:
    for po_path in catalogues():
        po = polib.pofile(str(po_path))
        po.save_as_mofile(str(po_path.with_suffix(".mo")))


def problems() -> list[str]:
    out = []
    for po_path in catalogues():
        po = polib.pofile(str(po_path))
        rel = po_path.relative_to(ROOT)
        for entry in po:
            if entry.obsolete:
                continue
            if "fuzzy" in entry.flags:
                out.append(f"{rel}: fuzzy: {entry.msgid!r}")
            elif entry.msgid_plural:
                if not all(entry.msgstr_plural.values()):
                    out.append(f"{rel}: untranslated plural: {entry.msgid!r}")
            elif not entry.msgstr:
                out.append(f"{rel}: untranslated: {entry.msgid!r}")
    return out


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    if command == "extract":
        extract(rest)
    elif command == "compile":
        compile_all()
    elif command == "check":
        found = problems()
        for line in found:
            print(line)
        print(f"{len(found)} problems in {len(catalogues())} catalogues")
        return 1 if found else 0
    elif command == "missing":
        for po_path in catalogues():
            if rest and rest[0] not in str(po_path):
                continue
            for entry in polib.pofile(str(po_path)).untranslated_entries():
                print(entry.msgid)
    elif command == "fill":
        fill(Path(rest[0]) if rest else None)
    else:
        print(__doc__)
        return 2
    return 0


def fill(path: Path | None) -> None:
    import json

    memory: dict[str, object] = {}
    for po_path in catalogues():
        for entry in polib.pofile(str(po_path)).translated_entries():
            if "fuzzy" in entry.flags:
                continue
            memory[entry.msgid] = (
                [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
                if entry.msgid_plural
                else entry.msgstr
            )
    if path is not None:
        memory.update(json.loads(path.read_text(encoding="utf-8")))
    filled = 0
    for po_path in catalogues():
        po = polib.pofile(str(po_path))
        changed = False
        for entry in po:
            if entry.obsolete or (entry.translated() and "fuzzy" not in entry.flags):
                continue
            value = memory.get(entry.msgid)
            if value is None:
                continue
            if entry.msgid_plural:
                forms = value if isinstance(value, list) else [value]
                entry.msgstr_plural = {
                    i: forms[min(i, len(forms) - 1)] for i in range(max(1, len(entry.msgstr_plural)))
                }
            else:
                entry.msgstr = value if isinstance(value, str) else value[0]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            changed = True
            filled += 1
        if changed:
            po.save()
    print(f"filled {filled} entries")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
