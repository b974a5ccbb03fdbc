"""Settings, declared once: name, default that works on a fresh machine, and help.

Every setting is read from the environment. A test checks that each one is
documented in the README.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str

    def get(self) -> str:
        return os.environ.get(self.name, self.default)


SETTINGS: dict[str, Setting] = {}


def _declare(name: str, default: str, help: str) -> Setting:
    setting = Setting(name, default, help)
    SETTINGS[name] = setting
    return setting


DATABASE_URL = _declare(
    "DATABASE_URL",
    f"sqlite:///{ROOT / 'var' / 'portail.db'}",
    "SQLAlchemy URL of the database; SQLite file by default, "
    "postgresql+psycopg://user@host/db for PostgreSQL.",
)
DEMO_MODE = _declare(
    "PORTAIL_DEMO", "1", "1 loads the demo centre on the first run (empty database only); 0 never does."
)
PUBLIC_URL = _declare(
    "PORTAIL_PUBLIC_URL", "http://localhost:8501",
    "Address families use to reach the portal; used in emailed links and bank return URLs.",
)
SMTP_HOST = _declare(
    "SMTP_HOST", "", "SMTP server for outgoing mail; empty keeps mails in the local outbox."
)
SMTP_PORT = _declare("SMTP_PORT", "25", "SMTP port.")
SMTP_USER = _declare("SMTP_USER", "", "SMTP user name, if the server needs one.")
SMTP_PASSWORD = _declare("SMTP_PASSWORD", "", "SMTP password, if the server needs one.")
SMTP_STARTTLS = _declare("SMTP_STARTTLS", "0", "1 to upgrade the SMTP connection with STARTTLS.")
MAIL_FROM = _declare(
    "MAIL_FROM", "portail-famille@localhost",
    "Sender address of the portal's mails (set the centre's own address in production)."
)
LINK_VALID_HOURS = _declare(
    "LINK_VALID_HOURS", "48", "Hours an emailed invitation or password-reset link stays valid."
)
SESSION_HOURS = _declare("SESSION_HOURS", "12", "Hours a sign-in stays valid from signing in; then the user signs in again.")
BCRYPT_ROUNDS = _declare(
    "BCRYPT_ROUNDS", "12", "bcrypt cost factor for password hashes (tests lower it for speed)."
)
PAYMENT_DAYS = _declare(
    "PAYMENT_DAYS", "7", "Days a family has to pay a validated reservation."
)
PAYMENT_REMINDER_DAYS = _declare(
    "PAYMENT_REMINDER_DAYS", "2", "Days before the payment deadline that the reminder mail goes."
)
UNPAID_POLICY = _declare(
    "UNPAID_POLICY", "keep",
    "At the payment deadline: 'keep' leaves the charge due; 'release' gives unpaid places back "
    "to the waiting list.",
)
CHARGE_UNJUSTIFIED_ABSENCE = _declare(
    "CHARGE_UNJUSTIFIED_ABSENCE", "1", "1 keeps the charge of an unjustified absence; 0 removes it."
)
DOCUMENTS_DIR = _declare(
    "DOCUMENTS_DIR", "var/documents",
    "Folder where the families' uploaded documents are stored (relative to the project folder "
    "unless absolute); back it up with the database.",
)
DOCUMENT_MAX_MB = _declare(
    "DOCUMENT_MAX_MB", "5", "Largest document a family may upload, in megabytes (PDF, JPEG, PNG)."
)
MONETICO_URL = _declare(
    "MONETICO_URL", "",
    "Bank payment page; empty uses the local sandbox bank. Test: "
    "https://p.monetico-services.com/test/paiement.cgi",
)
MONETICO_TPE = _declare("MONETICO_TPE", "1234567", "Monetico terminal number (7 characters).")
MONETICO_KEY = _declare(
    "MONETICO_KEY", "12345678901234567890123456789012345678P0",
    "Monetico merchant key (40 characters); the default is the kits' public demo key.",
)
MONETICO_SOCIETE = _declare("MONETICO_SOCIETE", "portailfamille", "Monetico merchant code.")
SANDBOX_BANK = _declare(
    "PORTAIL_SANDBOX_BANK", "auto",
    "1 runs the local sandbox bank (test cards, no money moves); 0 never does; 'auto' follows "
    "PORTAIL_DEMO. It runs only with MONETICO_URL empty and the kits' demo key.",
)

BOOKING_QUEUE = _declare(
    "BOOKING_QUEUE", "0",
    "1 (PostgreSQL only) records each booking or cancellation in a queue applied in arrival "
    "order by `python -m services.booking.applier` (run it beside the app, with a standby); "
    "with no applier running, submissions are applied at once as with 0.",
)
BOOKING_QUEUE_WAIT_SECONDS = _declare(
    "BOOKING_QUEUE_WAIT_SECONDS", "30",
    "How long a page waits for the applier's answer; after that the request is dropped "
    "(never booked later) and the family is asked to try again.",
)
BOOKING_QUEUE_BATCH = _declare(
    "BOOKING_QUEUE_BATCH", "50", "Queued submissions the applier applies in one transaction.",
)


def as_int(setting: Setting) -> int:
    return int(setting.get())


def as_bool(setting: Setting) -> bool:
    return setting.get().strip().lower() in {"1", "true", "yes", "on"}
SIGN_IN_FREE_FAILURES = _declare(
    "SIGN_IN_FREE_FAILURES", "5",
    "Failed sign-ins a client address may make before each further attempt from it waits "
    "(1 s, then twice as long after each failure).",
)
SIGN_IN_MAX_DELAY_SECONDS = _declare(
    "SIGN_IN_MAX_DELAY_SECONDS", "900", "Longest wait imposed on a client address, in seconds."
)
ACCOUNT_FREE_FAILURES = _declare(
    "ACCOUNT_FREE_FAILURES", "20",
    "Failed sign-ins on one account, from all clients, before clients that have failed "
    "themselves wait too; a client without failures is never held back.",
)
ACCOUNT_MAX_DELAY_SECONDS = _declare(
    "ACCOUNT_MAX_DELAY_SECONDS", "60", "Longest wait per account, in seconds."
)
RESET_REQUESTS_PER_HOUR = _declare(
    "RESET_REQUESTS_PER_HOUR", "3",
    "Password-reset mails sent to one address per hour; further requests get the same answer "
    "and send nothing.",
)
CLIENT_REQUESTS_PER_HOUR = _declare(
    "CLIENT_REQUESTS_PER_HOUR", "10",
    "Anonymous requests (password-reset form, set-password links) one client address may "
    "make per hour.",
)
STAFF_IDLE_MINUTES = _declare(
    "STAFF_IDLE_MINUTES", "30",
    "Minutes without use after which a staff or manager session ends (shared reception PCs).",
)
RECORDS_RETENTION_YEARS = _declare(
    "RECORDS_RETENTION_YEARS", "10",
    "Years the accounting records of a closed family are kept, with its names, before a "
    "manager may anonymise it (French commercial code, art. L123-22: 10 years).",
)
