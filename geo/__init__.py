"""Spatial plumbing for eldercircle: layers, coordinate systems, walking networks, travel times.

Nothing in this package knows about elderly care; :mod:`planning` builds the domain on top of it.
"""
