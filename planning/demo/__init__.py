"""The embedded demo study: a SYNTHETIC district, generated deterministically by :func:`write_demo_study`.

Every street, place, facility and figure here is invented. The district (示范区) sits at a plausible place in
Jiangxi (about 117.95–118.04 E, 28.40–28.49 N, WGS84) so that maps look right, but nothing in it is real.

What it holds
-------------
* six urban streets (街道) with 40 communities (社区) and two towns (镇) with 15 administrative villages (行政村),
  about 250 000 residents; the elderly share runs from about 12 % in the new town to about 30 % in the old town;
* ``streets.osm``: an OpenStreetMap XML street network with arterials, local streets, gated compounds reached
  through gates, a river crossed by four bridges, a railway crossed three times (an underpass, a level crossing
  and an overpass), an expressway with an interchange, footways, steps, one private compound, and a coarse rural
  road network;
* a facilities table with Chinese headers, candidate sites, and an elder-density layer of 100 m cells;
* deliberate shortfalls that the standards checks must find (counted by :mod:`planning.demo.readme` and listed,
  with their numbers, in the folder's README.md).

How it is made
--------------
Everything is laid out in a local metric frame ("design metres": x east, y north from the south-west corner of the
district) and converted to WGS84 at the end with one fixed transverse Mercator projection. Randomness comes from one
``numpy.random.Generator`` with a fixed seed, drawn in a fixed order, so the files are identical on every run
(GeoPackage bytes may differ in internal timestamps; their contents do not).

Streets are built as polylines with tags, then (1) cut where they cross a barrier (river, lake, railway, expressway)
except at the designated bridges, tunnels and level crossings, (2) noded: every crossing and every street end that
touches another street becomes a shared OSM node, (3) pruned of fragments cut off from everything else.

Modules
-------
* :mod:`~planning.demo.frame`: the fixed frame of the district (design metres, the river, the railway, the
  expressway, the lake) and its projection;
* :mod:`~planning.demo.places`: the tables of places (streets, communities, villages, towns, roads, names);
* :mod:`~planning.demo.ways`: ways with tags, cut at barriers, noded, numbered as OSM nodes;
* :mod:`~planning.demo.urban` and :mod:`~planning.demo.rural`: the street layouts of the city and of the towns;
* :mod:`~planning.demo.network`: the whole street network, and walking distances on it for the README;
* :mod:`~planning.demo.population`: community polygons, demography and the 100 m population cells;
* :mod:`~planning.demo.facilities`: the facilities and the candidate sites;
* :mod:`~planning.demo.design`: the whole district from one seeded random generator;
* :mod:`~planning.demo.readme` and :mod:`~planning.demo.writer`: the folder's README and its files.

The demo is kept apart from the product: nothing outside this package and the ``eldercircle demo`` command imports
it, except tests, benchmarks and the synthetic province of :mod:`planning.batch.province` that read
:data:`DEMO_DIR`.
"""

from planning.demo.design import SEED, Progress
from planning.demo.frame import DESIGN_CRS
from planning.demo.writer import DEMO_DIR, DEMO_FILES, write_demo_study

__all__ = ["DEMO_DIR", "DEMO_FILES", "DESIGN_CRS", "SEED", "Progress", "write_demo_study"]
