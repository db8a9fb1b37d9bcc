"""Tests of planning.siting: the models against enumeration, by-hand cases, and siting on a tiny study."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely
from scipy import sparse

from geo.errors import InfeasibleError, OptionError
from geo.network import network_from_lines
from geo.travel import snap_points
from planning.siting import (
    DEFAULT_BEDS_PER_1000_ELDERLY,
    MilpSolution,
    ModelOptions,
    SitingOptions,
    aggregate_rows,
    capacitated_coverage,
    check_objective,
    generate_candidates,
    greedy_max_coverage,
    max_coverage,
    min_sites,
    siting_json,
    siting_of_study,
    siting_summary,
    siting_table,
)
from planning.study import Study
from tests.studies import frames_study

CRS = "EPSG:32650"


# ---------------------------------------------------------------------------------------------------------------
# the classic case where greedy is not optimal: A covers the middle four, B and C the two halves
# ---------------------------------------------------------------------------------------------------------------


def _three_sets() -> sparse.csr_matrix:
    m = np.zeros((6, 3), dtype=bool)
    m[[1, 2, 3, 4], 0] = True  # A: 4 points
    m[[0, 1, 2], 1] = True  # B: 3 points
    m[[3, 4, 5], 2] = True  # C: 3 points
    return sparse.csr_matrix(m)


def test_greedy_is_not_optimal_and_the_milp_is():
    cover, w = _three_sets(), np.ones(6)
    g_sites, g_gains = greedy_max_coverage(cover, w, sites=2)
    assert g_sites.tolist() == [0, 1] and g_gains.tolist() == [4.0, 1.0]
    res = max_coverage(cover, w, ModelOptions(sites=2))
    assert sorted(res.chosen.tolist()) == [1, 2]
    assert res.objective == 6.0 and res.greedy_objective == 5.0
    assert res.bound == 6.0 and res.gap == 0.0 and res.status == "optimal"
    assert res.gains.tolist() == [3.0, 3.0]
    # exact curve: the best single site is A (4), the best pair B + C (6)
    assert res.curve["elderly_added"].tolist() == [4.0, 6.0]
    assert res.curve["method"].tolist() == ["exact", "exact"]
    order = max_coverage(cover, w, ModelOptions(sites=2, curve="order"))
    assert order.curve["elderly_added"].tolist() == [3.0, 6.0]


def test_min_sites_on_three_sets():
    res = min_sites(_three_sets())
    assert sorted(res.chosen.tolist()) == [1, 2] and res.objective == 2.0 and res.bound == 2.0
    # greedy set cover needs 3 here (A, then B, then C)
    assert res.greedy_objective == 3.0


def _random_instance(seed: int, n_dem: int = 40, n_cand: int = 10, density: float = 0.18):
    rng = np.random.default_rng(seed)
    cover = rng.random((n_dem, n_cand)) < density
    w = rng.integers(1, 60, size=n_dem).astype(float)
    return cover, w, rng


def _covered(cover: np.ndarray, w: np.ndarray, cols) -> float:
    return float(w[cover[:, list(cols)].any(axis=1)].sum()) if len(cols) else 0.0


@pytest.mark.parametrize("seed", range(6))
def test_max_coverage_equals_enumeration(seed):
    cover, w, rng = _random_instance(seed)
    existing = rng.random(len(w)) < 0.15
    for k in (1, 2, 3, 4):
        best = max(
            _covered(cover, np.where(existing, 0.0, w), c) for c in itertools.combinations(range(10), k)
        )
        res = max_coverage(
            sparse.csr_matrix(cover), w, ModelOptions(sites=k, curve="order"), covered=existing
        )
        assert res.objective == pytest.approx(best, abs=1e-9)
        assert _covered(cover, np.where(existing, 0.0, w), res.chosen) == pytest.approx(best, abs=1e-9)
        assert len(res.chosen) <= k and res.gap == 0.0


@pytest.mark.parametrize("seed", range(4))
def test_budget_equals_enumeration_and_is_respected(seed):
    cover, w, rng = _random_instance(seed + 10)
    cost = rng.integers(1, 9, size=10).astype(float)
    budget = 12.0
    best = 0.0
    for k in range(1, 11):
        for c in itertools.combinations(range(10), k):
            if cost[list(c)].sum() <= budget:
                best = max(best, _covered(cover, w, c))
    res = max_coverage(sparse.csr_matrix(cover), w, ModelOptions(budget=budget), cost=cost)
    assert res.objective == pytest.approx(best)
    assert cost[res.chosen].sum() <= budget


@pytest.mark.parametrize("seed", range(4))
def test_min_sites_equals_enumeration(seed):
    cover, w, _ = _random_instance(seed + 20, density=0.3)
    reachable = cover.any(axis=1)
    need = next(
        k
        for k in range(1, 11)
        if any(cover[reachable][:, list(c)].any(axis=1).all() for c in itertools.combinations(range(10), k))
    )
    res = min_sites(sparse.csr_matrix(cover), weight=w)
    assert res.objective == need and res.bound == need
    assert cover[reachable][:, res.chosen].any(axis=1).all()
    assert sorted(res.required_unreachable.tolist()) == np.flatnonzero(~reachable).tolist()


def _max_flow(cover: np.ndarray, w: np.ndarray, cap: np.ndarray, open_cols) -> float:
    """Elderly served by the open sites, by networkx max flow (independent of HiGHS)."""
    g = nx.DiGraph()
    for i in range(cover.shape[0]):
        g.add_edge("s", ("d", i), capacity=float(w[i]))
        for j in open_cols:
            if cover[i, j]:
                g.add_edge(("d", i), ("f", j), capacity=float(w[i]))
    for j in open_cols:
        g.add_edge(("f", j), "t", capacity=float(cap[j]))
    if "t" not in g:
        return 0.0
    return float(nx.maximum_flow_value(g, "s", "t"))


@pytest.mark.parametrize("seed", range(3))
def test_capacitated_equals_enumeration_and_capacity_holds(seed):
    cover, w, rng = _random_instance(seed + 30, n_dem=25, n_cand=8, density=0.3)
    cap = rng.integers(20, 120, size=8).astype(float)
    existing = np.zeros(8, dtype=bool)
    existing[[0, 1]] = True
    base = _max_flow(cover, w, cap, [0, 1])
    for k in (1, 2, 3):
        best = max(_max_flow(cover, w, cap, [0, 1, *c]) for c in itertools.combinations(range(2, 8), k))
        res = capacitated_coverage(sparse.csr_matrix(cover), w, cap, ModelOptions(sites=k), existing=existing)
        assert res.objective == pytest.approx(best - base, abs=1e-6)
        assert not set(res.chosen.tolist()) & {0, 1}
        assert res.served.sum() == pytest.approx(best, abs=1e-6)
        assert res.served_before.sum() == pytest.approx(base, abs=1e-6)
        assert np.all(res.served <= w + 1e-9)
        assert res.gains.sum() == pytest.approx(best - base, abs=1e-6)


def test_capacity_limits_what_a_site_serves():
    # one candidate reaches 3000 elderly but has 40 beds: at 40 beds per 1000 elderly it serves 1000
    cover = sparse.csr_matrix(np.ones((3, 1), dtype=bool))
    w = np.array([1000.0, 1500.0, 500.0])
    cap = np.array([40 * 1000 / DEFAULT_BEDS_PER_1000_ELDERLY])
    res = capacitated_coverage(cover, w, cap, ModelOptions(sites=1))
    assert res.objective == pytest.approx(1000.0)
    assert res.served.sum() == pytest.approx(1000.0)


def test_existing_facilities_count_in_capacitated():
    # demand 0 (600) is reached by the existing home (cap 500) and by candidate 1 (cap 500); demand 1 (400) only by
    # candidate 2 (cap 500). With one new site: candidate 1 adds 100 (600 - 500), candidate 2 adds 400 -> choose 2.
    cover = sparse.csr_matrix(np.array([[1, 1, 0], [0, 0, 1]], dtype=bool))
    res = capacitated_coverage(
        cover,
        np.array([600.0, 400.0]),
        np.array([500.0, 500.0, 500.0]),
        ModelOptions(sites=1),
        existing=np.array([True, False, False]),
    )
    assert res.chosen.tolist() == [2]
    assert res.objective == pytest.approx(400.0)
    assert res.served_before.tolist() == pytest.approx([500.0, 0.0])


def test_existing_coverage_gives_no_gain():
    cover, w = _three_sets(), np.ones(6)
    covered = np.array([True, True, True, False, False, False])  # the existing facility covers B's points
    res = max_coverage(cover, w, ModelOptions(sites=1), covered=covered)
    assert res.chosen.tolist() == [2] and res.objective == 3.0  # C (3 new); A would add only 2


def test_aggregation_is_exact():
    rng = np.random.default_rng(7)
    base = rng.random((30, 12)) < 0.3
    rows = base[rng.integers(0, 30, size=500)]
    w = rng.random(500)
    agg, aw, group = aggregate_rows(sparse.csr_matrix(rows), w)
    uniq = {tuple(np.flatnonzero(r)) for r in rows}
    assert agg.shape[0] == len(uniq)
    assert np.array_equal(agg.toarray()[group], rows)
    assert aw.sum() == pytest.approx(w.sum())


def test_bad_model_inputs_name_the_numbers():
    cover, w = _three_sets(), np.ones(6)
    with pytest.raises(OptionError, match="is 0; give a positive"):
        max_coverage(cover, w, ModelOptions(sites=0))
    with pytest.raises(OptionError, match="is -2"):
        max_coverage(cover, w, ModelOptions(sites=-2))
    with pytest.raises(OptionError, match="cannot add 4 sites: there are only 3"):
        max_coverage(cover, w, ModelOptions(sites=4))
    with pytest.raises(OptionError, match=r"budget 1.5 is below the cheapest candidate site's cost 2"):
        max_coverage(cover, w, ModelOptions(budget=1.5), cost=np.array([2.0, 3.0, 4.0]))
    with pytest.raises(OptionError, match="objective 'best' is not one of"):
        check_objective("best")


def test_time_limit_falls_back_to_greedy_with_a_bound():
    # a solver that returns nothing forces the greedy fallback; the result says so
    class NoSolver:
        name = "none"

        def solve(self, model, *, start=None, time_limit_s=None):
            return MilpSolution(
                x=None, objective=float("nan"), bound=7.0, status="time_limit", time_s=0.0, solver="none"
            )

    # with a budget (no swap search or Lagrangian step) the greedy answer A + B is the fallback
    res = max_coverage(
        _three_sets(), np.ones(6), ModelOptions(budget=2.0, curve="order"), cost=np.ones(3), solver=NoSolver()
    )
    assert res.status == "greedy" and res.objective == 5.0 and res.bound == 7.0
    assert res.gap == pytest.approx(2.0 / 5.0)
    # without a budget the swap search finds B + C and the Lagrangian bound proves it: no MILP is needed
    res = max_coverage(_three_sets(), np.ones(6), ModelOptions(sites=2, curve="order"), solver=NoSolver())
    assert sorted(res.chosen.tolist()) == [1, 2] and res.objective == 6.0 and res.bound == 6.0


@pytest.mark.parametrize("seed", range(3))
def test_reduction_keeps_the_optimum(seed):
    # a denser instance where the Lagrangian fixing leaves candidates out: same optimum as the whole MILP
    rng = np.random.default_rng(seed)
    xy_d, xy_c = rng.uniform(0, 1000, (400, 2)), rng.uniform(0, 1000, (60, 2))
    cover = sparse.csr_matrix(np.hypot(*(xy_d[:, None, :] - xy_c[None, :, :]).transpose(2, 0, 1)) <= 180)
    w = rng.integers(1, 30, 400).astype(float)
    full = max_coverage(cover, w, ModelOptions(sites=5, reduce=False, curve="order"))
    reduced = max_coverage(cover, w, ModelOptions(sites=5, curve="order"))
    assert full.status == reduced.status == "optimal"
    assert reduced.objective == full.objective
    assert any("Lagrangian bound" in n for n in reduced.notes)


# ---------------------------------------------------------------------------------------------------------------
# a tiny study on one straight street (all points on the street: walking time = distance at 1 m/s)
# ---------------------------------------------------------------------------------------------------------------


def _study(*, candidates=True, facilities=(), elderly=None, cand_rows=None, comm_kinds=("urban", "urban")):
    crs = pyproj.CRS.from_user_input(CRS)
    comm = gpd.GeoDataFrame(
        {
            "name": ["West", "East"],
            "street": ["Hexi", "Hedong"],
            "population": [5000.0, 5000.0],
            "elderly": [3.0, 3.0],
            "kind": list(comm_kinds),
            "built": ["existing", "existing"],
        },
        geometry=[shapely.box(0, -100, 1000, 100), shapely.box(1000, -100, 3000, 100)],
        crs=crs,
    )
    xs = [400.0, 750.0, 850.0, 1150.0, 1250.0, 1600.0]
    pop = gpd.GeoDataFrame(
        {
            "elderly": [1.0] * 6 if elderly is None else elderly,
            "population": [10.0] * 6,
            "id": [f"p{i}" for i in range(6)],
        },
        geometry=shapely.points(np.column_stack([xs, np.zeros(6)])),
        crs=crs,
    )
    fac = gpd.GeoDataFrame(
        {
            "name": [f[0] for f in facilities],
            "kind": [f[1] for f in facilities],
            "beds": [f[3] if len(f) > 3 else np.nan for f in facilities],
        },
        geometry=[shapely.Point(f[2], 0.0) for f in facilities],
        crs=crs,
    )
    cand = None
    if candidates:
        rows = cand_rows or [
            ("A", 1000.0, 0.0, "day_care", 5.0, 60.0),
            ("B", 600.0, 0.0, "day_care", 3.0, 40.0),
            ("C", 1400.0, 0.0, "day_care,embedded_home", 3.0, 40.0),
        ]
        cand = gpd.GeoDataFrame(
            {
                "name": [r[0] for r in rows],
                "kinds": [r[3] for r in rows],
                "cost": [r[4] for r in rows],
                "beds": [r[5] for r in rows],
                "floor_area_m2": np.nan,
                "land_area_m2": np.nan,
                "_row": np.arange(2, 2 + len(rows)),
            },
            geometry=[shapely.Point(r[1], r[2]) for r in rows],
            crs=crs,
        )
    return frames_study(comm, fac, folder=Path("/tmp/tiny"), crs=crs, candidates=cand, population=pop)


def _street_net():
    return network_from_lines([shapely.LineString([(0, 0), (3000, 0)])], crs=CRS)


def test_site_study_coverage_by_hand():
    res = siting_of_study(_study(), _street_net(), SitingOptions(kind="day_care", add=2, minutes=5))
    assert res.sites["name"].tolist() == ["B", "C"] or res.sites["name"].tolist() == ["C", "B"]
    assert res.sites["gain_elderly"].tolist() == [3.0, 3.0]
    assert res.sites["cumulative_elderly"].tolist() == [3.0, 6.0]
    assert res.covered_before == 0.0 and res.covered_after == 6.0 and res.elderly_total == 6.0
    assert res.objective_value == 6.0 and res.gap == 0.0 and res.status == "optimal"
    assert res.greedy_value == 5.0
    assert res.curve["elderly_covered"].tolist() == [4.0, 6.0] and res.curve_method == "exact"
    # West holds 400, 750, 850 (B covers all three); East 1150, 1250, 1600 (C covers all three)
    assert res.communities["covered_after"].tolist() == [3.0, 3.0]
    assert res.streets.set_index("street").loc["Hexi", "share_after"] == 1.0
    text = siting_table(res)
    assert "optimal (gap 0)" in text and "B" in text
    data = siting_json(res)
    json.dumps(data, allow_nan=False)
    assert data["elderly_covered_after"] == 6.0 and len(data["sites"]) == 2 and "lon" in data["sites"][0]
    # the walking threshold is stated with the citation of the 15-minute service circle
    assert any("walking threshold 5 min" in n and "饶府办发〔2021〕13号" in n for n in res.notes)
    assert any("步行时间阈值 5 分钟" in n and "15分钟养老服务圈" in n for n in res.notes_zh)


def test_site_study_respects_existing_facilities():
    # an existing day-care at x=300 covers 400 (and nothing else): B now adds only 750 and 850
    study = _study(facilities=[("Old", "day_care", 300.0)])
    res = siting_of_study(study, _street_net(), SitingOptions(kind="day_care", add=1, minutes=5))
    assert res.covered_before == 1.0
    assert res.sites["name"].tolist() == ["A"] and res.sites["gain_elderly"].tolist() == [4.0]
    assert res.covered_after == 5.0
    assert res.communities["covered_before"].tolist() == [1.0, 0.0]


def test_site_study_min_sites_reports_unreachable():
    # a point at 2900 m is 1500 m from C: no candidate reaches it within 5 min
    study = _study(elderly=[1.0, 1.0, 1.0, 1.0, 1.0, 1.0])
    study.population.loc[5, "geometry"] = shapely.Point(2900.0, 0.0)
    res = siting_of_study(
        study, _street_net(), SitingOptions(kind="day_care", objective="min-sites", minutes=5)
    )
    assert res.objective_value == 2.0 and res.bound == 2.0
    assert set(res.sites["name"]) in ({"B", "C"}, {"A", "B"})
    assert res.unreachable[["community", "points", "elderly", "required"]].values.tolist() == [
        ["East", 1, 1.0, 1]
    ]
    # rural communities are not required under the urban scope
    rural = _study(comm_kinds=("urban", "rural"))
    res = siting_of_study(
        rural, _street_net(), SitingOptions(kind="day_care", objective="min_sites", minutes=5)
    )
    assert res.sites["name"].tolist() == ["B"] and res.objective_value == 1.0


def test_site_study_capacitated():
    # embedded homes: only C may host one (40 beds -> 1000 elderly at 40 per 1000); the existing home at 600 with
    # 0.04 beds serves 1 elderly
    study = _study(
        elderly=[100.0, 200.0, 300.0, 400.0, 500.0, 600.0],
        facilities=[("Home", "embedded_home", 600.0, 0.04)],
    )
    res = siting_of_study(
        study, _street_net(), SitingOptions(kind="embedded_home", add=1, objective="capacitated", minutes=5)
    )
    assert res.sites["name"].tolist() == ["C"]
    assert res.covered_before == pytest.approx(1.0)
    assert res.sites["capacity_elderly"].tolist() == [1000.0]
    # C reaches 1150 (400), 1250 (500), 1600 (600) = 1500 elderly but serves at most 1000
    assert res.objective_value == pytest.approx(1000.0)
    assert res.covered_after == pytest.approx(1001.0)


def test_site_study_budget_and_excluded_candidates():
    rows = [
        ("A", 1000.0, 0.0, "day_care", 5.0, 60.0),
        ("B", 600.0, 0.0, "day_care", 3.0, 40.0),
        ("C", 1400.0, 0.0, "day_care", 3.0, 40.0),
        ("Far", 2000.0, 800.0, "day_care", 1.0, 40.0),
    ]
    study = _study(cand_rows=rows)
    res = siting_of_study(study, _street_net(), SitingOptions(kind="day_care", budget=5.0, minutes=5))
    assert res.sites["name"].tolist() == ["A"] and res.covered_after == 4.0  # B + C would cost 6
    assert res.excluded["name"].tolist() == ["Far"]
    assert "800 m from the nearest walkable street" in res.excluded["reason"].iloc[0]
    screened = siting_of_study(
        study,
        _street_net(),
        SitingOptions(kind="day_care", add=1, minutes=5),
        screen=lambda f: pd.Series(np.where(f["name"] == "A", "next to an expressway", None), index=f.index),
    )
    assert "A" not in screened.sites["name"].tolist()
    assert screened.excluded.set_index("name").loc["A", "reason"] == "next to an expressway"


def test_site_study_bad_inputs():
    net = _street_net()
    with pytest.raises(OptionError, match="is 0; give a positive"):
        siting_of_study(_study(), net, SitingOptions(kind="day_care", add=0))
    with pytest.raises(
        OptionError, match="cannot add 5 sites of day_care: only 3 candidate sites are usable"
    ):
        siting_of_study(_study(), net, SitingOptions(kind="day_care", add=5))
    with pytest.raises(OptionError, match=r"budget 2 is below the cheapest candidate site's cost 3"):
        siting_of_study(_study(), net, SitingOptions(kind="day_care", budget=2.0))
    with pytest.raises(InfeasibleError, match="counts 0 elderly in all 2 communities"):
        siting_of_study(_study(elderly=[0.0] * 6), net, SitingOptions(kind="day_care", add=1))
    with pytest.raises(InfeasibleError, match=r"none of the 3 candidate sites .* may host nursing_home"):
        siting_of_study(_study(), net, SitingOptions(kind="nursing_home", add=1, generate=False))
    far = [("X", 500.0, 900.0, "day_care", 1.0, 1.0), ("Y", 2500.0, -700.0, "day_care", 1.0, 1.0)]
    with pytest.raises(InfeasibleError, match="all 2 candidate sites for day_care were excluded"):
        siting_of_study(_study(cand_rows=far), net, SitingOptions(kind="day_care", add=1))
    with pytest.raises(OptionError, match="unknown facility kind 'daycare'"):
        siting_of_study(_study(), net, SitingOptions(kind="daycare", add=1))


# ---------------------------------------------------------------------------------------------------------------
# generated candidates on a grid
# ---------------------------------------------------------------------------------------------------------------


def _grid_net(n: int = 11, spacing: float = 50.0):
    lines = []
    for i in range(n):
        for j in range(n - 1):
            lines.append(shapely.LineString([(j * spacing, i * spacing), ((j + 1) * spacing, i * spacing)]))
            lines.append(shapely.LineString([(i * spacing, j * spacing), (i * spacing, (j + 1) * spacing)]))
    return network_from_lines(lines, crs=CRS)


def test_generated_candidates_are_spaced_street_nodes():
    net = _grid_net()
    demand = snap_points(net, np.array([[120.0, 130.0], [480.0, 20.0]]))
    nodes, xy = generate_candidates(net, demand, np.array([True, False]), limit_s=200)
    assert len(nodes) >= 2
    d = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    assert d[np.triu_indices(len(xy), 1)].min() >= 150.0
    # only nodes within 200 s of the uncovered point (120, 130) and with >= 3 streets (no corners)
    assert np.all(np.abs(xy - [120.0, 130.0]).sum(axis=1) <= 200 + 30 + 1e-9)
    corners = {(0.0, 0.0), (0.0, 500.0), (500.0, 0.0), (500.0, 500.0)}
    assert not corners & {tuple(p) for p in xy}


def _grid_study(community: str = "Grid", street: str = "S") -> Study:
    """One urban community of 100 elderly over the 500 m grid of :func:`_grid_net`; no facility, no candidates."""
    crs = pyproj.CRS.from_user_input(CRS)
    comm = gpd.GeoDataFrame(
        {
            "name": [community],
            "street": [street],
            "population": [1000.0],
            "elderly": [100.0],
            "kind": ["urban"],
            "built": ["existing"],
        },
        geometry=[shapely.box(0, 0, 500, 500)],
        crs=crs,
    )
    fac = gpd.GeoDataFrame({"name": [], "kind": [], "beds": []}, geometry=[], crs=crs)
    return frames_study(comm, fac, folder=Path("/tmp/grid"), name="grid", name_en="grid", crs=crs)


def test_site_study_generates_candidates_when_the_layer_has_none():
    net = _grid_net()
    res = siting_of_study(_grid_study(), net, SitingOptions(kind="day_care", add=1, minutes=5))
    assert res.generated and res.sites["generated"].all()
    assert any("GENERATED" in n for n in res.notes)
    # one site in the middle of a 500 m square reaches everything within 300 s (manhattan <= 300 - 50 offset)
    assert res.covered_after > 60.0
    assert res.objective_value == pytest.approx(res.candidates["reach_elderly"].max())


# ---------------------------------------------------------------------------------------------------------------
# Chinese output: notes, summary and table
# ---------------------------------------------------------------------------------------------------------------

#: ASCII words a Chinese siting table may hold: kind ids, the objective's K, the standard's code.
_ZH_ALLOWED = {"day_care", "embedded_home", "nursing_home", "K", "GB"}


def _english_words(text: str, res, data_names: set[str]) -> list[str]:
    """ASCII words left in ``text`` once the solver's name and the study's own names are taken out."""
    text = text.replace(res.solver, "")
    for name in sorted(data_names, key=len, reverse=True):
        text = re.sub(rf"(?<![A-Za-z]){re.escape(name)}(?![A-Za-z])", "", text)
    return [w for w in re.findall(r"[A-Za-z][A-Za-z_]*", text) if w not in _ZH_ALLOWED]


def _zh_runs():
    net = _street_net()
    far_rows = [
        ("A", 1000.0, 0.0, "day_care", 5.0, 60.0),
        ("B", 600.0, 0.0, "day_care", 3.0, 40.0),
        ("C", 1400.0, 0.0, "day_care", 3.0, 40.0),
        ("Far", 2000.0, 800.0, "day_care", 1.0, 40.0),
    ]
    unreach = _study()
    unreach.population.loc[5, "geometry"] = shapely.Point(2900.0, 0.0)
    yield siting_of_study(_study(), net, SitingOptions(kind="day_care", add=2, minutes=5))
    yield siting_of_study(
        _study(cand_rows=far_rows), net, SitingOptions(kind="day_care", budget=5.0, minutes=5)
    )
    yield siting_of_study(
        unreach, net, SitingOptions(kind="day_care", objective="min-sites", add=1, minutes=5)
    )
    yield siting_of_study(
        _study(
            elderly=[100.0, 200.0, 300.0, 400.0, 500.0, 600.0],
            facilities=[("Home", "embedded_home", 600.0, np.nan)],
        ),
        net,
        SitingOptions(kind="embedded_home", add=1, objective="capacitated", minutes=5),
    )


def test_zh_siting_table_has_no_english_sentence():
    names = {"West", "East", "Hexi", "Hedong", "A", "B", "C", "Far", "Home"}
    for res in _zh_runs():
        assert len(res.notes_zh) == len(res.notes) > 0
        assert all(any("\u4e00" <= ch <= "\u9fff" for ch in n) for n in res.notes_zh), res.notes_zh
        text = siting_table(res, lang="zh")
        assert _english_words(text, res, names) == [], text
        assert siting_summary(res, lang="zh").startswith(("最大覆盖", "最少站点", "按床位容量"))
        en = siting_table(res, lang="en")
        assert "note: " in en and "说明" not in en and siting_summary(res) in en
        data = siting_json(res)
        assert data["notes"] == list(res.notes) and data["notes_zh"] == list(res.notes_zh)
        json.dumps(data, allow_nan=False)


def test_zh_reasons_of_excluded_and_unreachable():
    rows = [("A", 1000.0, 0.0, "day_care", 5.0, 60.0), ("Far", 2000.0, 800.0, "day_care", 1.0, 40.0)]
    res = siting_of_study(
        _study(cand_rows=rows), _street_net(), SitingOptions(kind="day_care", add=1, minutes=5)
    )
    assert res.excluded["reason_zh"].iloc[0] == "距最近的可步行道路 800 米（超过 300 米）：不在步行网络上"
    text = siting_table(res, lang="zh")
    assert "Far：距最近的可步行道路 800 米" in text and "outside the network" not in text
    assert "unreachable" not in text and "无法覆盖" in text
    assert res.unreachable["reason_zh"].str.contains("日间照料中心").all()


def test_generated_candidate_names_and_notes_in_chinese():
    res = siting_of_study(
        _grid_study("网格社区", "网格街道"), _grid_net(), SitingOptions(kind="day_care", add=1, minutes=5)
    )
    text = siting_table(res, lang="zh")
    # the grid's streets have no names: the community names the site, never a node id
    assert (
        "网格社区 · 生成候选点" in text
        and not re.search(r"路网节点 ?\d", text)
        and "自动生成的候选点" in text
    )
    assert any("由路网节点自动生成" in n and "并非已核实的候选地块" in n for n in res.notes_zh)
    assert _english_words(text, res, set()) == [], text
