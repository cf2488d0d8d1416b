"""Slum sites as Wagtail pages, their journal, actions, exports and dashboards (issues 4 and 5)."""
