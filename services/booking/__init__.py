"""Reservations: one child, one unit, one day, judged against capacity and deadlines."""
