"""The picture of a graph: what each arrow says, where things stand, and the two drawings."""

import re
import xml.etree.ElementTree as ElementTree

import pytest

import solver
from solver.exercise import parse_exercise as exercise_from_dict
from solver.kinds.graph.picture import MAX_NODES, graph_picture
from solver.render import render_with_images
from solver.render.diagram import Diagram, Label, Vertex, layered_positions
from solver.render.drawing import svg, tikz
from tests.conftest import EXERCISES

SVG = "{http://www.w3.org/2000/svg}"


def _picture(name: str) -> Diagram:
    solution = solver.solve(solver.load_exercise(EXERCISES / f"{name}.toml"))
    steps = {step.id: step for step in solution.steps}
    return graph_picture(solution.exercise, solution.exercise.parts[0], steps)


def _arrows(diagram: Diagram) -> dict[tuple[str, str], tuple[str, str | None]]:
    """(source label, target caption or label) → (value, gradient) as plain text."""
    def name(vertex: Vertex) -> str:
        return (vertex.caption or vertex.label).plain

    return {(name(diagram.vertices[a.source]), name(diagram.vertices[a.target])):
            (a.above.plain, a.below.plain if a.below else None) for a in diagram.arrows}


def _central(f, x: float, h: float = 1e-6) -> float:
    return (f(x + h) - f(x - h)) / (2 * h)


def test_a_shared_value_has_the_gradient_of_each_path_on_its_arrow_and_their_sum_under_it():
    # f = 2 s x, s = q + r, q = x y, r = max(z, w) at x = 3, y = -4, z = 2, w = -1. The oracle
    # splits x into the copy q uses and the copy f uses and differentiates the whole expression
    # in each copy alone by central differences.
    y, z, w, x = -4.0, 2.0, -1.0, 3.0

    def f(x_in_q: float, x_in_f: float) -> float:
        return 2 * (x_in_q * y + max(z, w)) * x_in_f

    through_q = _central(lambda v: f(v, x), x)
    through_f = _central(lambda v: f(x, v), x)
    diagram = _picture("graph-add-multiply-max")
    arrows = _arrows(diagram)
    assert float(arrows[("x", "q")][1].replace("−", "-")) == pytest.approx(through_q, abs=1e-6)
    assert float(arrows[("x", "f")][1].replace("−", "-")) == pytest.approx(through_f, abs=1e-6)
    x_vertex = next(v for v in diagram.vertices if v.label.plain == "x")
    assert float(x_vertex.total.plain.replace("−", "-")) == pytest.approx(through_q + through_f, abs=1e-6)
    assert "sum of its arrows' gradients" in diagram.description


def test_the_sigmoid_neuron_shows_cs231n_numbers_on_its_arrows():
    # CS231n "Backpropagation, Intuitions": w = [2, -3, -3], x = [-1, -2]; the printed gradients
    # are dw = [-0.2, -0.39, 0.2] and dx = [0.39, -0.59] (two figures), the output 0.73
    arrows = _arrows(_picture("graph-sigmoid-neuron"))
    printed = {"w₀": "-0.2", "x₀": "0.39", "w₁": "-0.39", "x₁": "-0.59", "w₂": "0.2"}
    checked = 0
    for (source, _), (value, gradient) in arrows.items():
        if source in printed:
            assert float(gradient.replace("−", "-")) == pytest.approx(float(printed[source]), abs=0.006)
            checked += 1
    assert checked == 5
    assert arrows[("L", "L")] == ("0.731", "1")  # the output node, then its name


def test_gates_are_drawn_with_their_operation():
    labels = [v.label.plain for v in _picture("graph-sigmoid-neuron").vertices if v.circled]
    assert labels == ["×", "×", "+", "+", "×−1", "exp", "+", "1/x"]
    as_gate = exercise_from_dict({"kind": "graph", "title": "t", "expression": "sigmoid(w*x + b)",
                                  "sigmoid": "gate", "values": {"w": 1, "x": 2, "b": 0}})
    solution = solver.solve(as_gate)
    diagram = graph_picture(as_gate, as_gate.parts[0], {s.id: s for s in solution.steps})
    assert [v.label.plain for v in diagram.vertices if v.circled] == ["×", "+", "σ"]


def test_a_node_written_as_a_longer_expression_is_drawn_with_its_name():
    diagram = _picture("graph-matrix-homework")
    circled = [v for v in diagram.vertices if v.circled]
    assert [v.label.plain for v in circled] == ["×", "+", "max", "L"]
    assert circled[-1].caption is None
    arrows = _arrows(diagram)
    assert arrows[("W", "z")] == ("2×3", None)  # an array's arrow shows its shape


def test_every_arrow_goes_left_to_right_and_no_two_vertices_overlap():
    for name in ("graph-sigmoid-neuron", "graph-add-multiply-max", "graph-matrix-homework"):
        diagram = _picture(name)
        for arrow in diagram.arrows:
            assert diagram.vertices[arrow.source].x < diagram.vertices[arrow.target].x
        places = [(v.x, v.y) for v in diagram.vertices]
        assert len(set(places)) == len(places)
        assert max(v.x for v in diagram.vertices) - min(v.x for v in diagram.vertices) <= 16.0 + 1e-9


def test_layered_positions_put_a_given_value_next_to_the_node_that_takes_it():
    inputs = {"a": ("x",), "b": ("a", "y")}
    positions = layered_positions(["x", "y", "a", "b"], inputs)
    assert positions["y"][0] == positions["a"][0]  # y is used by b only: one column left of b
    assert positions["x"][0] < positions["a"][0] < positions["b"][0]


def test_a_graph_too_large_to_draw_has_no_picture_and_still_renders():
    names = [f"v{i}" for i in range(MAX_NODES + 1)]
    nodes = ["v0 = x + 1", *(f"{b} = {a} + 1" for a, b in zip(names, names[1:]))]
    exercise = exercise_from_dict({"kind": "graph", "title": "t", "nodes": nodes, "values": {"x": 1}})
    solution = solver.solve(exercise)
    assert graph_picture(exercise, exercise.parts[0], {s.id: s for s in solution.steps}) is None
    assert "tikzpicture" not in solution.render("tex") and "![" not in solution.render("md")


def test_svg_is_well_formed_and_escapes_its_text():
    diagram = Diagram("a", (Vertex(0, 0, Label("a", "<a&b>"), circled=False), Vertex(3, 0, Label("+", "+"))),
                      (), description="", alt='"quoted" <alt>')
    root = ElementTree.fromstring(svg(diagram))
    assert root.find(f"{SVG}title").text == '"quoted" <alt>'
    assert [t.text for t in root.iter(f"{SVG}text")] == ["<a&b>", "+"]


def test_the_svg_of_a_shipped_graph_has_a_circle_per_gate_and_every_arrow():
    diagram = _picture("graph-add-multiply-max")
    root = ElementTree.fromstring(svg(diagram))
    assert len(list(root.iter(f"{SVG}circle"))) == sum(v.circled for v in diagram.vertices) == 4
    assert len(list(root.iter(f"{SVG}line"))) == len(diagram.arrows) == 9
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "−24" in texts and "−20" in texts and "−44" in texts


def test_tikz_has_a_node_per_vertex_and_a_path_per_arrow():
    diagram = _picture("graph-add-multiply-max")
    code = tikz(diagram)
    assert len(re.findall(r"\\node\[", code)) == len(diagram.vertices)
    assert len(re.findall(r"\\draw\[->", code)) == len(diagram.arrows)
    assert r"{$-24$}" in code


def test_a_markdown_sheet_links_its_picture_as_a_file_beside_it():
    solution = solver.solve(solver.load_exercise(EXERCISES / "graph-add-multiply-max.toml"))
    text, images = render_with_images(solution, "md", "my sheet")
    assert list(images) == ["my sheet-a.svg"]
    assert "](my%20sheet-a.svg)" in text
    assert "](data:image/svg+xml;base64," in solution.render("md")
    assert render_with_images(solution, "tex", "s")[1] == {}
