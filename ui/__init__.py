"""Shared widgets for pages: role guard, navigation, formatting, legends."""
