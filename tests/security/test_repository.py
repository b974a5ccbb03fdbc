"""No secret in the repository: every git-tracked file is scanned.

Passwords may appear only as the documented demo and test ones; keys only as the
Monetico kits' public demo key (documented in the README)."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTED = {"Cerf-Volant-Bleu-24", "Pupitre-Lavande-37", "Boussole-Ambre-58", "Tulipe-Verte-8421",
              "12345678901234567890123456789012345678P0"}
PRIVATE = [
    re.compile(r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY"),
    re.compile(r"\bAKIA[0-9A-Z]{16}\b"),                 # AWS access key
    re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36}\b"),         # GitHub token
    re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}"),        # Slack token
    re.compile(r"\bsk_live_[A-Za-z0-9]{16,}"),            # payment provider live key
    re.compile(r"postgres(?:ql)?(?:\+\w+)?://[^:@/\s]+:[^@/\s]+@"),  # URL with a password
]
ASSIGNED = re.compile(r"(?i)(password|passwd|secret|api_key|smtp_password|monetico_key)\w*"
                      r"\s*[:=]\s*[\"']([^\"'\s]{6,})[\"']")


def tracked() -> list[Path]:
    out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
    return [ROOT / p for p in out.stdout.decode().split("\0") if p]


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, IsADirectoryError, FileNotFoundError):
        return ""


def test_no_private_key_token_or_url_with_a_password_is_tracked():
    found = [(p.relative_to(ROOT), rx.pattern) for p in tracked() for rx in PRIVATE
             if p.name != "test_repository.py" and rx.search(_text(p))]
    assert not found, found


def test_application_code_holds_no_password_but_the_documented_demo_ones():
    # Tests hold deliberately wrong passwords; the code, config and docs must not hold real ones.
    found = []
    for path in tracked():
        if path.relative_to(ROOT).parts[0] == "tests":
            continue
        for match in ASSIGNED.finditer(_text(path)):
            if match.group(2) not in DOCUMENTED:
                found.append((str(path.relative_to(ROOT)), match.group(0)))
    assert not found, found


def test_streamlit_secrets_are_ignored_and_absent():
    names = {str(p.relative_to(ROOT)) for p in tracked()}
    assert ".streamlit/secrets.toml" not in names
    ignored = subprocess.run(["git", "check-ignore", "-q", ".streamlit/secrets.toml"], cwd=ROOT)
    assert ignored.returncode == 0, ".streamlit/secrets.toml must be in .gitignore"
    assert not any(n.endswith((".pem", ".key", ".p12", ".pfx", ".env")) for n in names)
