"""Drawing the reservation grid: colours and words of the tutorial's legend, the month view
(rows units, columns days) and the week list for phones. Ticks not yet sent ("drafts") live
in st.session_state; the services judge every cell again when the family presses Valider.

The layout follows the space the browser gives, never its user agent: the month view scrolls
sideways with the units' column kept in sight, and in "Auto" both views are drawn and a CSS
media query shows the week list under NARROW pixels. Every cell's button is named in words
("Mardi 31 mars, Matin : libre, 3 places"); the short mark drawn in a month cell is CSS
generated content with an empty alternative text, so a screen reader hears the words only."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import streamlit as st

from services.booking.grid import Cell, CellState, MonthGrid
from services.booking.outcomes import Submission, day_label, ordinal
from ui.format import WEEKDAY_LETTERS, day_words
from ui.safe import html, md
from services import clock

AUTO, WEEK, MONTH = "Auto", "Semaine", "Mois"
VIEWS = [AUTO, WEEK, MONTH]
NARROW = 640  # px: under this width "Auto" shows the week list
LISTED = 15  # cells listed at once after a submission; a typical week lists the rest folded
SUMMARY = [("validated", "validée(s)"), ("requested", "envoyée(s) à l'accueil"),
           ("waitlisted", "en liste d'attente"), ("cancelled", "annulée(s)"),
           ("cancel_requested", "annulation(s) demandée(s)"), ("unchanged", "déjà enregistrée(s)"),
           ("already_cancelled", "déjà annulée(s)"),
           ("already_cancel_requested", "annulation(s) déjà demandée(s)"), ("rejected", "refusée(s)")]
DRAFT_ADD, DRAFT_CANCEL, FULL, UNAVAILABLE = "draft_add", "draft_cancel", "full", "unavailable"
# A ticked cancellation looks different by what it undoes, as in the tutorial's legend:
# a validated day, a request not yet decided, or a place in a waiting list.
DRAFT_WITHDRAW, DRAFT_LEAVE = "draft_withdraw", "draft_leave"


@dataclass(frozen=True)
class Look:
    legend: str     # the tutorial's words
    background: str
    color: str
    border: str = "transparent"
    hatched: bool = False


LOOKS: dict[str, Look] = {
    CellState.FREE: Look("Case libre (chiffre = places restantes)", "#ffffff", "#333", "#9e9e9e"),
    FULL: Look("Complet : une demande ira en liste d'attente", "#ffffff", "#b26a00", "#f0a030"),
    DRAFT_ADD: Look("Demande de réservation (cochée, pas encore envoyée)", "#fff59d", "#333",
                    "#c6a700"),
    CellState.REQUESTED: Look("Demande de réservation envoyée", "#ffd54f", "#333"),
    CellState.WAITLISTED: Look("Demande de réservation en liste d'attente (rang affiché)",
                               "#ff9800", "#000"),
    CellState.WAITLISTED_LOCKED: Look("Réservation en liste d'attente (non modifiable)",
                                      "#ff9800", "#000", hatched=True),
    CellState.VALIDATED: Look("Réservation validée", "#2e7d32", "#fff"),
    CellState.LOCKED: Look("Réservation non modifiable (date limite passée)", "#2e7d32", "#fff",
                           hatched=True),
    CellState.BY_STAFF: Look("Réservation facilitée (non modifiable) : faite par l'accueil",
                             "#1565c0", "#fff"),
    DRAFT_CANCEL: Look("Demande d'annulation (cochée, pas encore envoyée)", "#ffcdd2", "#b71c1c",
                       "#b71c1c"),
    DRAFT_WITHDRAW: Look("Demande de réservation à annuler (cochée, pas encore envoyée)",
                         "#ffd54f", "#b71c1c", "#b71c1c"),
    DRAFT_LEAVE: Look("Demande d'annulation (liste d'attente) : quitter la liste (cochée)",
                      "#ffe0b2", "#b71c1c", "#b71c1c"),
    CellState.CANCEL_REQUESTED: Look("Demande d'annulation envoyée", "#e57373", "#fff"),
    CellState.PRESENT: Look("Présence (non modifiable)", "#6a1b9a", "#fff"),
    CellState.ABSENT: Look("Absence (non modifiable)", "#616161", "#fff"),
    CellState.ABSENT_JUSTIFIED: Look("Absence justifiée (non modifiable)", "#9e9e9e", "#fff"),
    UNAVAILABLE: Look("Non réservable (date limite passée ou réservations pas encore ouvertes)",
                      "#f5f5f5", "#616161", "#e0e0e0"),
    CellState.CLOSED: Look("Fermé (week-end, jour férié, hors période)", "#cfcfcf", "#8a8a8a"),
    CellState.OTHER_HOUSEHOLD: Look("Journée réservée par l'autre foyer (non réservable)",
                                    "#d7ccc8", "#3e2723", "#8d6e63", hatched=True),
}


def drafts(registration_id: int) -> dict[str, set]:  # type: ignore[type-arg]
    """The family's unsent ticks for a registration: cells to add and reservations to cancel."""
    store = st.session_state.setdefault("grid_drafts", {})
    return store.setdefault(registration_id, {"add": set(), "cancel": set()})


def clear_drafts(registration_id: int) -> None:
    st.session_state.setdefault("grid_drafts", {}).pop(registration_id, None)


def shown_state(cell: Cell, pending: dict[str, set]) -> str:  # type: ignore[type-arg]
    if cell.state == CellState.FREE:
        if (cell.day, cell.unit_id) in pending["add"]:
            return DRAFT_ADD
        if not cell.can_add:
            return UNAVAILABLE
        return FULL if cell.full else CellState.FREE
    if cell.reservation_id in pending["cancel"]:
        if cell.state == CellState.WAITLISTED:
            return DRAFT_LEAVE
        return DRAFT_WITHDRAW if cell.state == CellState.REQUESTED else DRAFT_CANCEL
    return cell.state


def short_label(cell: Cell, state: str) -> str:
    """What fits in a month-grid cell."""
    if state == CellState.FREE:
        return str(cell.places_left)
    if state in (CellState.WAITLISTED, CellState.WAITLISTED_LOCKED):
        return ordinal(cell.position or 0)
    return {FULL: "0", DRAFT_ADD: "✓", CellState.REQUESTED: "?", CellState.VALIDATED: "✓",
            CellState.LOCKED: "✓", CellState.BY_STAFF: "✓", DRAFT_CANCEL: "✗",
            DRAFT_WITHDRAW: "✗", DRAFT_LEAVE: "✗",
            CellState.CANCEL_REQUESTED: "✗", CellState.PRESENT: "P", CellState.ABSENT: "A",
            CellState.ABSENT_JUSTIFIED: "AJ", CellState.CLOSED: "·", UNAVAILABLE: "–",
            CellState.OTHER_HOUSEHOLD: "⌂"}.get(state, "")


def long_label(cell: Cell, state: str, unit: str) -> str:
    """The same cell in words, for the week list and tooltips (plain text: escape to show)."""
    if state == CellState.FREE:
        words = f"libre, {cell.places_left} place{'s' if (cell.places_left or 0) > 1 else ''}"
    elif state == FULL:
        words = "complet, 0 place : demander = liste d'attente"
    elif state in (CellState.WAITLISTED, CellState.WAITLISTED_LOCKED):
        words = f"{ordinal(cell.position or 0)} en liste d'attente"
    elif state == UNAVAILABLE and cell.why_not:
        words = "Non réservable"  # the reason follows: the legend's guess would repeat it
    else:
        words = LOOKS[state].legend
    if cell.why_not and not (cell.can_add or cell.can_cancel):
        words += f" — {cell.why_not}"
    return f"{unit} : {words}"


def spoken(cell: Cell, state: str, unit: str) -> str:
    """A cell's accessible name: day, unit, state and places left, in French."""
    return f"{day_words(cell.day)}, {long_label(cell, state, unit)}"


def toggle(registration_id: int, cell: Cell, unit: str) -> None:
    """Tick or untick a cell (button callback); a cell that cannot change says why."""
    pending = drafts(registration_id)
    if cell.can_add:
        pending["add"] ^= {(cell.day, cell.unit_id)}
    elif cell.can_cancel and cell.reservation_id is not None:
        pending["cancel"] ^= {cell.reservation_id}
    else:
        st.session_state["grid_flash"] = (f"{day_label(cell.day).capitalize()}, {md(unit)} : "
                                           f"{md(cell.why_not or 'case non modifiable.')}")


def css() -> None:
    """Colours of the legend, applied to grid buttons through their keys."""
    rules = [".st-key-month button, [class*='st-key-cell-'] button {min-height:2.1rem;}",
             ".st-key-month button {padding:0 1px; font-size:0.78rem; width:100%;"
             " min-width:0;}",
             # The month scrolls sideways inside its own box; the page never does.
             ".st-key-month {overflow-x:auto; overflow-y:hidden; padding-bottom:.3rem;}",
             # Rows overflow together so that the box scrolls, not each row on its own.
             ".st-key-month [data-testid='stHorizontalBlock'] {flex-wrap:nowrap !important;"
             " overflow:visible !important; width:max-content !important; min-width:100%;"
             " max-width:none !important;}",
             # ...and as wide as their days, so that the sticky units' column stays in sight.
             ".st-key-month [data-testid='stLayoutWrapper'] {width:max-content !important;"
             " min-width:100%; max-width:none !important; flex:0 0 auto !important;}",
             ".st-key-month [data-testid='stColumn'] {flex:1 0 1.9rem !important;"
             " min-width:1.9rem !important; width:1.9rem;}",
             ".st-key-month [data-testid='stColumn']:first-child {flex:0 0 8.5rem !important;"
             " min-width:8.5rem !important; max-width:8.5rem; position:sticky; left:0; z-index:2;"
             " align-self:stretch !important; background:var(--background-color, #fff);}",
             f"@media (max-width:{NARROW - 0.02}px) {{.st-key-month [data-testid='stColumn']"
             ":first-child {flex-basis:6rem !important; min-width:6rem !important;"
             " max-width:6rem;}}",
             # The words stay for screen readers; the eye sees the CSS mark (see module doc).
             ".st-key-month button > div {position:absolute; width:1px; height:1px;"
             " overflow:hidden; clip-path:inset(50%); white-space:nowrap;}",
             ".st-key-month button {justify-content:center;}",
             ".st-key-month button::after {font-size:.78rem;}",
             ".st-key-week button {min-height:3rem; justify-content:flex-start; text-align:left;}",
             f"@media (min-width:{NARROW}px) {{.st-key-grid-auto .st-key-weeklist"
             " {display:none;}}",
             f"@media (max-width:{NARROW - 0.02}px) {{.st-key-grid-auto .st-key-month"
             " {display:none;}}"]
    for state, look in LOOKS.items():
        hatch = ("background-image:repeating-linear-gradient(45deg,transparent 0 5px,"
                 "rgba(255,255,255,.55) 5px 9px);" if look.hatched else "")
        rules.append(f"[class*='st-key-cell-{state}-'] button, .swatch-{state} "
                     f"{{background-color:{look.background} !important;"
                     f" color:{look.color} !important; border:2px solid {look.border} !important;"
                     f" opacity:1 !important; {hatch}}}")
    st.html("<style>" + "\n".join(rules) + ".swatch{display:inline-block;min-width:2.2em;"
            "text-align:center;border-radius:4px;margin-right:.4em;padding:0 .2em}</style>")


def legend(grid: MonthGrid | None = None) -> None:
    """The legend; « l'autre foyer » only for a child with days in another household."""
    shared = grid is not None and any(c.state == CellState.OTHER_HOUSEHOLD
                                      for c in grid.cells.values())
    with st.expander("Légende", expanded=True):
        items = [f"<div><span class='swatch swatch-{state}'>"
                 f"{_legend_sample(state)}</span>{look.legend}</div>"
                 for state, look in LOOKS.items()
                 if shared or state != CellState.OTHER_HOUSEHOLD]
        st.html("<div style='display:grid;grid-template-columns:repeat(auto-fill,"
                "minmax(18rem,1fr));gap:.3rem;font-size:.9rem'>" + "".join(items) + "</div>")


def _legend_sample(state: str) -> str:
    return {CellState.FREE: "3", CellState.WAITLISTED: "3e",
            CellState.WAITLISTED_LOCKED: "3e"}.get(state) or short_label(
        Cell(clock.today(), 0, CellState.CLOSED), state)


def _key(grid: MonthGrid, cell: Cell, state: str, suffix: str = "") -> str:
    return f"cell-{state}-{grid.registration_id}-{cell.day:%Y%m%d}-{cell.unit_id}{suffix}"


def _cell_button(grid: MonthGrid, cell: Cell, unit: str, key: str, state: str) -> None:
    st.button(md(spoken(cell, state, unit)), key=key, help=md(long_label(cell, state, unit)),
              disabled=state == CellState.CLOSED, on_click=toggle,
              args=(grid.registration_id, cell, unit), width="stretch")


def _mark(key: str, text: str) -> str:
    """The CSS drawing a month cell's short mark, with an empty alternative text."""
    quoted = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'.st-key-{key} button::after {{content:"{quoted}" / "";}}'


def month_view(grid: MonthGrid) -> None:
    """Rows are units, columns are days with their weekday letter, as in the tutorial."""
    spec = [4] + [1] * len(grid.days)
    marks = []
    with st.container(key="month"):
        head = st.columns(spec, gap=None, wrap=False, vertical_alignment="bottom")
        head[0].markdown("**Accueils**")
        for col, d in zip(head[1:], grid.days):
            col.markdown(f"<div style='text-align:center;font-size:.75rem;line-height:1.15;"
                         f"padding-bottom:.7rem' title='{html(day_words(d))}'>"
                         f"{WEEKDAY_LETTERS[d.weekday()]}<br>{d.day:02d}</div>",
                         unsafe_allow_html=True)
        for unit_id, unit in grid.units:
            row = st.columns(spec, gap=None, wrap=False, vertical_alignment="center")
            hours = grid.hours.get(unit_id, "")
            row[0].markdown(f"<div style='font-size:.8rem;line-height:1.1'>{html(unit)}"
                            f"<br><span style='font-size:.7rem;opacity:.7'>{html(hours)}"
                            "</span></div>", unsafe_allow_html=True)
            for col, d in zip(row[1:], grid.days):
                cell = grid.cell(d, unit_id)
                state = shown_state(cell, drafts(grid.registration_id))
                key = _key(grid, cell, state)
                marks.append(_mark(key, short_label(cell, state)))
                with col:
                    _cell_button(grid, cell, unit, key, state)
        st.html("<style>" + "\n".join(marks) + "</style>")


def weeks(grid: MonthGrid) -> list[list[date]]:
    """Open days of the month, grouped Monday to Sunday."""
    out: dict[tuple[int, int], list[date]] = {}
    for d in grid.open_days():
        out.setdefault(tuple(d.isocalendar())[:2], []).append(d)
    return list(out.values())


def week_view(grid: MonthGrid, days: list[date]) -> None:
    """A list of days, one large button per unit: the easy view on a phone."""
    with st.container(key="week"):
        st.html("<div style='font-size:.8rem;opacity:.75'>Horaires : " + " · ".join(
            f"{html(name)} {html(grid.hours.get(unit_id, ''))}"
            for unit_id, name in grid.units) + "</div>")
        for d in days:
            st.markdown(f"**{day_label(d).capitalize()}**")
            for unit_id, unit in grid.units:
                cell = grid.cell(d, unit_id)
                state = shown_state(cell, drafts(grid.registration_id))
                _cell_button(grid, cell, unit, _key(grid, cell, state, "-w"), state)


def week_list(grid: MonthGrid) -> None:
    """The week picker and the chosen week's list."""
    found = weeks(grid)
    if not found:
        st.write("Pas d'accueil ce mois-ci.")
        return
    starts = [w[0] for w in found]
    # Open on the first week where something can still be done.
    active = next((w[0] for w in found if any(
        grid.cell(d, u).can_add or grid.cell(d, u).can_cancel
        for d in w for u, _ in grid.units)), starts[0])
    first = st.segmented_control(
        "Semaine du", starts, format_func=lambda d: f"{d:%d/%m}", default=active,
        key=f"week_{grid.registration_id}_{grid.year}_{grid.month}", required=True)
    week_view(grid, found[starts.index(first)])


def show(grid: MonthGrid, view: str) -> None:
    """The chosen view; in "Auto" both, the screen's width choosing through CSS."""
    with st.container(key="grid-auto" if view == AUTO else "grid-chosen"):
        if view in (AUTO, MONTH):
            month_view(grid)
        if view in (AUTO, WEEK):
            with st.container(key="weeklist"):
                week_list(grid)


def show_outcomes(submissions: list[Submission]) -> None:
    """What the last submission did, cell by cell ("3e en liste d'attente")."""
    for sub in submissions:
        lines = [f"- {day_label(c.day)}, {md(c.unit_name)} : **{md(c.describe())}**"
                 for c in sub.cells]
        counts = ", ".join(f"{sub.count(k)} {label}" for k, label in SUMMARY if sub.count(k))
        box = st.warning if any(c.outcome in ("waitlisted", "rejected") for c in sub.cells) \
            else st.success
        box(f"Résultat de votre demande pour {md(sub.child_name)} : {counts}. Un mail de "
            "confirmation vous est envoyé.\n\n" + "\n".join(lines[:LISTED]))
        if len(lines) > LISTED:
            with st.expander(f"Voir les {len(lines) - LISTED} autres dates"):
                st.markdown("\n".join(lines[LISTED:]))
