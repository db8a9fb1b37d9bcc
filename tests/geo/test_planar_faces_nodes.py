"""The blocks of the plane drawing do not depend on how the nodes are numbered: the rotation around each node is
sorted by node in 16-bit digits, so a network whose node ids need more than 16 bits gives the same blocks."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import shapely

from geo.network import network_from_lines
from geo.service_area.blocks import planar_faces
from tests.geo.test_service_area_city import CRS, city_lines


def test_blocks_the_same_with_node_ids_beyond_16_bits():
    net = network_from_lines(city_lines(30, seed=5), crs=CRS)
    # every node moved to a large id (in reverse order), with unused nodes in between
    stride = 70_001 // net.n_nodes + 3
    new_id = (net.n_nodes - 1 - np.arange(net.n_nodes)) * stride + 1
    node_xy = np.full((int(new_id.max()) + 2, 2), 1e9)
    node_xy[new_id] = net.node_xy
    big = replace(net, node_xy=node_xy, edge_u=new_id[net.edge_u], edge_v=new_id[net.edge_v])
    assert big.n_nodes > 1 << 16
    a, b = planar_faces(net), planar_faces(big)
    assert a["poly"].size > 500 and a["usable"].sum() > 500
    assert np.all(shapely.equals_identical(a["poly"], b["poly"]))
    for key in ("usable", "n_bounding", "edge_faces_ptr", "edge_faces", "inner_face"):
        np.testing.assert_array_equal(a[key], b[key])
