"""Spatial plumbing for eldercircle: layers, coordinate systems, walking networks, travel times, service areas.

Nothing in this package knows about elderly care; :mod:`planning` builds the domain on top of it, and nothing here
imports :mod:`planning` or streamlit. The map, bottom-up:

- :mod:`geo.messages` what geo says, as message codes with parameters (English here, other languages in planning);
- :mod:`geo.errors` the one errors module (``StudyError`` and its kinds), :mod:`geo.files` atomic writes,
  :mod:`geo.progress` the progress callback (``(fraction, message)``) long work reports to;
- :mod:`geo.layers` reading untrusted layer files, :mod:`geo.crs` projected CRSs and the Chinese coordinate systems;
- :mod:`geo.network` the graph type :class:`~geo.network.WalkNetwork` and its sources (OSM, GraphML, centrelines),
  components; :mod:`geo.cache` the on-disk network cache; :mod:`geo.roads` expressways for the siting screen;
  :mod:`geo.basemap` streets, water, railways and place names for maps drawn offline;
- :mod:`geo.csr` the network as a CSR matrix and the array steps shared by the two below;
- :mod:`geo.travel` snapping points to streets and nearest-facility walking times (Dijkstra);
- :mod:`geo.service_area` who reaches whom (reach matrices) and service-area polygons;
- :mod:`geo.demand` demand points spread over and assigned to polygons.

Each package (:mod:`geo.network`, :mod:`geo.service_area`, :mod:`geo.layers`) has one public API in its
``__init__``; modules are imported by their own path.
"""
