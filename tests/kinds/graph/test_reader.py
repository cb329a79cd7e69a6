"""Bad graph exercises: each is one line naming the key (and the line of the file)."""

from __future__ import annotations

import pytest

from solver.errors import ExerciseError
from solver.exercise import load_exercise, parse_exercise

NODES = ["q = x + y", "f = q * z"]
VALUES = {"x": -2, "y": 5, "z": -4}


def error(**source) -> str:
    data = {"kind": "graph", "title": "bad", "values": VALUES, "nodes": NODES} | source
    data = {k: v for k, v in data.items() if v is not None}
    with pytest.raises(ExerciseError) as raised:
        parse_exercise(data, "g.toml")
    text = str(raised.value)
    assert "\n" not in text
    return text


@pytest.mark.parametrize("source,expected", [
    ({"nodes": ["q = x + u", "f = q * z"]}, "g.toml: nodes[0]: unknown name 'u'; the names here are x, y, z"),
    ({"nodes": ["q = x + y", "q = q * z"]}, "nodes[1]: 'q' is defined twice"),
    ({"nodes": ["x = y * z", "f = x * 2"]}, "nodes[0]: 'x' is defined twice"),
    ({"nodes": ["q = x + f", "f = q * z"]}, "nodes[0]: f is used before it is defined; nodes are written in order, "
                                             "each over the values and earlier nodes, so the graph has no cycle"),
    ({"nodes": ["q = x + y", "exp = q * z"]}, "nodes[1]: 'exp' is a function or constant"),
    ({"nodes": ["q = x + y", "dq = q * z"]}, "nodes[1]: 'dq' beside 'q': dq is the step id of the gradient"),
    ({"nodes": ["q = x + y", "f = max(q, z) * 2"]}, "nodes[1]: max is a gate of its own"),
    ({"nodes": ["q = x + y", "r = x * z", "f = q * z"]}, "nodes: r is used by no later node"),
    ({"nodes": ["q = x + y", "f = q * z, 2"]}, "nodes[1]: not allowed in an expression: tuples"),
    ({"nodes": ["q x + y"]}, "nodes[0]: expected a node such as \"q = x + y\""),
    ({"nodes": "q = x + y"}, "nodes: expected a list of nodes"),
    ({"values": {"x": -2, "y": 5}}, "nodes[1]: unknown name 'z'"),
    ({"values": {"x": -2, "y": "five", "z": 1}}, "values.y: expected a number, got"),
    ({"values": {**VALUES, "max": 1}}, "values.max: 'max' is a function or constant"),
    ({"values": {**VALUES, "t": 1}}, "values.t: t is given a value but the graph does not use it"),
    ({"expression": "x * y"}, "expression: expected either expression"),
    ({"nodes": None, "expression": "x * y + z + u"}, "expression: unknown name 'u'"),
    ({"nodes": None, "expression": "x ^ y * z"}, "expression: a power's exponent must be a number"),
    ({"nodes": None, "expression": "min(x, y) * z"}, "expression: min is not a gate of a graph"),
    ({"nodes": None, "expression": "x"}, "expression: expected an expression with at least one operation"),
    ({"nodes": None, "expression": "__import__('os')"}, "expression: calling __import__ is not allowed"),
    ({"nodes": None, "expression": "x*y*z", "output": "x"}, "output: expected a name not used"),
    ({"nodes": None, "expression": "sigmoid(x*y*z)", "sigmoid": "gates"}, "sigmoid: expected one of 'expanded', 'gate'"),
    ({"output": "f"}, "output: only with expression"),
    ({"parts": [{"values": {"x": 1}}, {"start": "previous"}]}, "parts[1].start: a graph part has nothing to carry over"),
    ({"parts": [{"values": {"x": True}}]}, "parts[0].values.x: expected a number, got"),
    ({"values": {"x": -2, "y": 5}, "parts": [{"values": {"z": 1}}, {"title": "b"}]},
     "values: missing a value for z"),
])
def test_a_bad_graph_is_one_line_naming_the_key(source, expected):
    assert expected in error(**source)


def test_the_error_names_the_line_of_the_file(tmp_path):
    path = tmp_path / "g.toml"
    path.write_text('kind = "graph"\nvalues = { x = 1, y = 2 }\nnodes = ["q = x + y",\n  "f = q * u"]\n')
    with pytest.raises(ExerciseError) as raised:
        load_exercise(path)
    assert str(raised.value).startswith(f"{path}:") and "unknown name 'u'" in str(raised.value)


def test_a_part_may_give_its_own_values():
    exercise = parse_exercise({"kind": "graph", "values": VALUES, "nodes": NODES,
                               "parts": [{}, {"title": "z = 2", "values": {"z": 2}}]})
    assert [dict(p.values) for p in exercise.parts] == [VALUES, {**VALUES, "z": 2}]


def test_more_nodes_than_the_step_limit_allows_are_refused_before_any_work():
    from solver.limits import Limits

    data = {"kind": "graph", "values": {"x": 1}, "nodes": [f"n{i} = x + {i}" for i in range(30)]}
    with pytest.raises(ExerciseError) as raised:
        parse_exercise(data, "g.toml", limits=Limits(steps=40))
    assert "nodes: more than 20 nodes" in str(raised.value) and "--max-steps" in str(raised.value)
