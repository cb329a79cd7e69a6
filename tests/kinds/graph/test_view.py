"""What a graph sheet says: the heading, the nodes in order, the values, and the max gate's
local derivative as an Iverson bracket."""

from __future__ import annotations

import json

import solver

MAX_GRAPH = "graph-add-multiply-max"


def test_the_setup_names_the_graph_its_nodes_in_order_and_its_values():
    sheet = solver.solve(MAX_GRAPH).render("md")
    assert "## The graph" in sheet
    assert r"$q = x y$, $r = \max\left(z, w\right)$, $s = q + r$, $f = 2 s x$" in sheet
    assert "$x = 3$, $y = -4$, $z = 2$, $w = -1$" in sheet
    assert sheet.index("**Forward pass**") < sheet.index("**Backward pass**")


def test_max_keeps_its_written_order_and_its_derivative_is_an_indicator():
    sheet = solver.solve(MAX_GRAPH).render("md")
    assert r"\frac{\partial f}{\partial z} &= \left[z \geq w\right] \cdot \frac{\partial f}{\partial r}" in sheet
    assert r"\frac{\partial f}{\partial w} &= \left[w > z\right] \cdot \frac{\partial f}{\partial r}" in sheet


def test_the_json_export_lists_every_step_with_its_inputs():
    steps = {s["id"]: s for s in json.loads(solver.solve(MAX_GRAPH).render("json"))["steps"]}
    assert steps["a.dx"]["inputs"] == ["a.y", "a.dq", "a.s", "a.df"]
    assert steps["a.dx"]["value"] == -44
