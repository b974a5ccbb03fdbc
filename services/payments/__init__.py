"""Payments: card (Monetico and its sandbox bank), desk payments, credit notes."""
