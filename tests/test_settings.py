"""Every setting is documented in the README, and defaults work on a fresh machine."""
from __future__ import annotations

from db.settings import ROOT, SETTINGS


def test_every_setting_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    missing = [name for name in SETTINGS if f"`{name}`" not in readme]
    assert missing == []


def test_default_database_is_a_local_sqlite_file():
    assert SETTINGS["DATABASE_URL"].default.startswith("sqlite:///")
    assert SETTINGS["SMTP_HOST"].default == ""


def test_readme_rows_say_what_each_setting_declares():
    rows = {line.split("|")[1].strip().strip("`"): line
            for line in (ROOT / "README.md").read_text().splitlines()
            if line.startswith("| `")}
    wrong = [name for name, setting in SETTINGS.items()
             if setting.help not in rows.get(name, "")
             or (name != "DATABASE_URL" and f"| `{setting.default}` |" not in rows[name])]
    assert wrong == []
