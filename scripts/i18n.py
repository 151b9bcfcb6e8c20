#!/usr/bin/env python
"""Translation catalogues: one per app (src/gvalley/<app>/locale) plus the project's own
(src/gvalley/locale: core, the shared templates and settings). Message ids are English; the Korean
catalogue must be complete.

  python scripts/i18n.py extract [APP ...]   run makemessages (needs GNU gettext's xgettext)
  python scripts/i18n.py compile             write the .mo files (pure Python, no gettext needed)
  python scripts/i18n.py check               fail if any Korean message is missing or fuzzy, translated two ways
                                             in our catalogues, or overridden by a catalogue of Django or a
                                             third-party app (see conflicts())
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
    """The extracted catalogues (the project's and one per app); not the hand-kept overrides."""
    return sorted(SRC.glob("**/locale/*/LC_MESSAGES/django.po"))


#: Hand-kept translations that must win over Django's and third-party apps' own catalogues (first in
#: LOCALE_PATHS, never extracted): message ids we share with them but translate differently.
OVERRIDES = SRC / "locale_overrides"


def _entries(po_path: Path) -> dict[tuple[str | None, str], str]:
    return {
        (e.msgctxt, e.msgid): e.msgstr
        for e in polib.pofile(str(po_path))
        if not e.obsolete and not e.msgid_plural and e.msgstr and "fuzzy" not in e.flags
    }


def conflicts(lang: str = "ko") -> list[str]:
    """Django merges every catalogue into one per language, so a message id has one translation everywhere.

    * Two of our apps translating the same message id (and context) differently: one of them is shown in both
      apps. Use a context (pgettext, ``{% translate "..." context "..." %}``) for a different meaning.
    * An app listed before ours in INSTALLED_APPS (Django's own, third-party) has higher precedence: where it
      translates one of our message ids differently, ours is never shown unless the overrides catalogue
      (``locale_overrides``, first in LOCALE_PATHS) restates it.
    """
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gvalley.settings")
    sys.path.insert(0, str(ROOT / "src"))
    django.setup()
    from django.apps import apps as django_apps

    out = []
    by_key: dict[tuple[str | None, str], dict[str, str]] = {}
    for po_path in catalogues():
        if f"/locale/{lang}/" not in str(po_path):
            continue
        owner = po_path.relative_to(SRC).parts[0]
        for key, text in _entries(po_path).items():
            by_key.setdefault(key, {})[owner] = text
    overrides_po = OVERRIDES / lang / "LC_MESSAGES" / "django.po"
    overrides = _entries(overrides_po) if overrides_po.exists() else {}
    project = {  # the project catalogue is in LOCALE_PATHS too: it wins over every app
        key: texts["locale"] for key, texts in by_key.items() if "locale" in texts
    }
    for (ctx, msgid), texts in sorted(by_key.items(), key=lambda kv: (kv[0][1], kv[0][0] or "")):
        if len(set(texts.values())) > 1 and (ctx, msgid) not in overrides:
            where = ", ".join(f"{app}: {text!r}" for app, text in sorted(texts.items()))
            label = f"{ctx}|{msgid}" if ctx else msgid
            out.append(f"translated two ways: {label!r} ({where}); use a context")
    for config in django_apps.get_app_configs():
        if config.name.startswith("gvalley."):
            break
        mo_path = Path(config.path) / "locale" / lang / "LC_MESSAGES" / "django.mo"
        if not mo_path.exists():
            continue
        for entry in polib.mofile(str(mo_path)):
            key = (entry.msgctxt, entry.msgid)
            ours = by_key.get(key)
            if not ours or not entry.msgstr or entry.msgid_plural:
                continue
            wanted = set(ours.values())
            if entry.msgstr in wanted and len(wanted) == 1:
                continue
            if key in overrides or (key in project and len(wanted) == 1):
                continue
            out.append(
                f"overridden by {config.name}: {entry.msgid!r} shows as {entry.msgstr!r}, not "
                f"{' / '.join(sorted(wanted))!r}; restate it in {overrides_po.relative_to(ROOT)}"
            )
    return out


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
    for po_path in [*catalogues(), *sorted(OVERRIDES.glob("*/LC_MESSAGES/django.po"))]:
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
        found = problems() + conflicts()
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
