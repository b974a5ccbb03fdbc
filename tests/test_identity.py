"""The centre's words come from the database: the demo centre's name, sites, town, address,
phone and domain appear nowhere outside the demo loader (services/demo*.py), the tests, the
benchmarks and the documentation that describes the demo."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO_WORDS = re.compile(r"(?i)jacquard|saint[ -]gabriel|st[ .]?gabriel|chats[ -]perch|"
                        r"\blille\b|\b59800\b|rue du buisson|03 20 51 90 47")
CODE_FOLDERS = ("pages", "ui", "services", "db", "web", ".streamlit", ".ci")


def _files() -> set[Path]:
    """Every tracked file, and every file on disk under the code folders (not yet committed)."""
    out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
    files = {ROOT / p for p in out.stdout.decode().split("\0") if p}
    files |= {p for folder in CODE_FOLDERS for p in (ROOT / folder).rglob("*")
              if p.is_file() and "__pycache__" not in p.parts}
    return files


def _allowed(rel: Path) -> bool:
    if rel.parts[0] in ("tests", "bench", "docs") or rel.suffix == ".md":
        return True
    return rel.parts[0] == "services" and len(rel.parts) == 2 and rel.name.startswith("demo")


def test_the_demo_centre_is_written_only_in_the_demo_loader():
    found = []
    for path in sorted(_files()):
        rel = path.relative_to(ROOT)
        if _allowed(rel) or not path.exists():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        found += [f"{rel}:{text.count(chr(10), 0, m.start()) + 1}: {m.group(0)}"
                  for m in DEMO_WORDS.finditer(text)]
    assert found == []


def test_the_scan_does_see_the_demo_loader():
    demo = (ROOT / "services" / "demo.py").read_text(encoding="utf-8")
    assert len(DEMO_WORDS.findall(demo)) > 5
