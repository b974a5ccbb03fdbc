"""Every write leaves an audit entry: each service function that opens a write transaction
records one, itself or through the function it hands the session to."""
from __future__ import annotations

import ast

from db.settings import ROOT

# The mail sender's bookkeeping (claim, sent, back in the queue) changes no family's data;
# the mail itself was written, and audited, with the change it reports.
BOOKKEEPING = {"services/mail/delivery.py": {"_claim", "_finish", "_release"},
               # A session's last use, written at most once a minute for the idle timeout.
               "services/auth/login.py": {"_touch"},
               # The queue's batch: each applied request writes its own audit entry, inside
               # portail_submit() or through reserve_in/cancel_in (services/booking/applier.py).
               "services/booking/applier.py": {"apply_batch"},
               # Clears the names of files just removed from disk by the change that named
               # them, audited with their count (services/families/rights/anonymise.py); the
               # worker's pass after an interruption audits itself (discard_pending).
               # and names a file about to be written, for the worker, before the upload
               # that writes it (audited with its row) (_announce).
               "services/documents/storage.py": {"discard", "_announce"}}


def _functions() -> dict[tuple[str, str], ast.FunctionDef]:
    found = {}
    for path in sorted((ROOT / "services").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef):
                found[(rel, node.name)] = node
    return found


def _calls(node: ast.AST) -> set[str]:
    names = set()
    for call in (n for n in ast.walk(node) if isinstance(n, ast.Call)):
        func = call.func
        names.add(func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", ""))
    return names


def _records_audit(node: ast.AST) -> bool:
    return any(isinstance(n, ast.Attribute) and n.attr == "record"
               and getattr(n.value, "id", "") == "audit" for n in ast.walk(node))


def _targets(path: str, node: ast.AST, functions: dict[tuple[str, str], ast.FunctionDef]
             ) -> set[tuple[str, str]]:
    """The services' functions this one calls: `f()` is its own module's f, or an imported
    public f; `mod.f()` is f in a module named mod (a method of an object reaches none)."""
    found = set()
    for call in (n for n in ast.walk(node) if isinstance(n, ast.Call)):
        func = call.func
        if isinstance(func, ast.Name):
            own = (path, func.id)
            found |= {own} if own in functions else set() if func.id.startswith("_") else {
                key for key in functions if key[1] == func.id}
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            found |= {key for key in functions if key[1] == func.attr
                      and key[0].rsplit("/", 1)[-1] == f"{func.value.id}.py"}
    return found


def test_every_write_transaction_records_an_audit_entry():
    functions = _functions()
    calls = {key: _targets(key[0], node, functions) for key, node in functions.items()}
    auditing = {key for key, node in functions.items() if _records_audit(node)}
    while True:  # and those handing their session to one that records, at any depth
        more = {key for key, targets in calls.items() if targets & auditing}
        if more <= auditing:
            break
        auditing |= more
    silent = [f"{path}:{name}" for (path, name), node in functions.items()
              if "transaction" in _calls(node) and name not in BOOKKEEPING.get(path, set())
              and (path, name) not in auditing]
    assert silent == []
    assert len(auditing) > 20  # the scan does see the services' audit calls


def _actions() -> set[str]:
    """The action names the services record: audit.record(session, actor, "<action>", …),
    or audit.entry_values(actor, "<action>", …) for a statement writing its own entry."""
    names = set()
    for node in _functions().values():
        for call in (n for n in ast.walk(node) if isinstance(n, ast.Call)):
            func = call.func
            at = {"record": 2, "entry_values": 1}.get(getattr(func, "attr", ""))
            if (at is not None and getattr(getattr(func, "value", None), "id", "") == "audit"
                    and len(call.args) > at and isinstance(call.args[at], ast.Constant)):
                names.add(call.args[at].value)
    return names


def test_every_recorded_action_reads_in_french_in_the_journal():
    from services.reminders import KINDS
    from services.staff.audit_log import ACTIONS_FR

    # Reminders record "reminder_<kind>" (one f-string for every kind the worker sends).
    recorded = _actions() | {f"reminder_{kind}" for kind in KINDS if kind != "payment"}
    assert len(recorded) > 60  # the scan does see the services' actions
    assert sorted(recorded - set(ACTIONS_FR)) == []
