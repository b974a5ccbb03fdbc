"""Pièces à fournir: types set by managers, files uploaded by families, reviewed by reception."""
