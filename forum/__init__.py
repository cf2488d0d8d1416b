"""Overridden django-machina applications (issue 6).

A plain package on purpose: machina's own app label is `forum`, so no Django app of that label may
live here. Overridden machina apps go in sub-packages (`forum.forum_conversation`, ...).
"""
