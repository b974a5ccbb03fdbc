"""Plotly in French: the toolbar's tooltips, month and day names on date axes, decimal comma.

Streamlit ships Plotly without its locale files; Plotly's `config.locales` takes the same
definition inline, so every chart passes it (ui/dashboards.chart)."""
from __future__ import annotations

from typing import Any

from ui.format import MONTHS_FR, WEEKDAYS

SAVE_PNG = "Enregistrer en image (PNG)"

# Plotly's own English phrases (plotly.js `_(gd, "...")` calls) and their French.
DICTIONARY = {
    "Autoscale": "Échelle automatique",
    "Box Select": "Sélection rectangulaire",
    "Compare data on hover": "Comparer les données au survol",
    "Double-click on legend to isolate one trace":
        "Double-cliquez sur la légende pour isoler une série",
    "Double-click to zoom back out": "Double-cliquez pour dézoomer",
    "Download plot as a PNG": SAVE_PNG,
    "Download plot as a png": SAVE_PNG,
    "Download plot": "Enregistrer le graphique",
    "Image download succeeded": "Image enregistrée",
    "Lasso Select": "Sélection lasso",
    "Pan": "Déplacer",
    "Reset": "Réinitialiser",
    "Reset axes": "Réinitialiser les axes",
    "Reset view": "Réinitialiser la vue",
    "Reset views": "Réinitialiser les vues",
    "Show closest data on hover": "Données les plus proches au survol",
    "Taking snapshot - this may take a few seconds": "Création de l'image, un instant…",
    "Toggle Spike Lines": "Lignes de repère",
    "Toggle show closest data on hover": "Données les plus proches au survol",
    "Zoom": "Zoom",
    "Zoom in": "Zoomer",
    "Zoom out": "Dézoomer",
    "trace": "série",
}

FORMAT = {
    "days": [WEEKDAYS[6], *WEEKDAYS[:6]],  # d3 weeks start on Sunday
    "shortDays": ["dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."],
    "months": MONTHS_FR,
    "shortMonths": ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août",
                    "sept.", "oct.", "nov.", "déc."],
    "date": "%d/%m/%Y",
    "decimal": ",",
    "thousands": "\u202f",
}


def config(file_name: str) -> dict[str, Any]:
    """Plotly's config for a chart of the portal: French, no logo, the camera saves a PNG."""
    return {"locale": "fr", "locales": {"fr": {"dictionary": DICTIONARY, "format": FORMAT}},
            "displaylogo": False,
            "toImageButtonOptions": {"format": "png", "filename": file_name, "scale": 2}}
