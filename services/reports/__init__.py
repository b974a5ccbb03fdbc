"""Dashboards: occupancy, waiting lists, attendance, money and the funder's report.

Every figure is one set-based aggregate (GROUP BY in the database) over the staff
member's sites; the result is a pandas DataFrame with French column titles left to the page.
"""
