"""What a graph sheet says around the steps: the expression, its nodes in order and the values
given. Math between $…$, numbers written by solver/render/format.py."""

from __future__ import annotations

from solver.conventions import Conventions
from solver.exercise import Exercise
from solver.formula import Expression
from solver.kinds.graph.engine import symbol
from solver.kinds.graph.reader import Part
from solver.render.format import NumberFormat, matrix
from solver.render.formula_latex import expression
from solver.symbolic.graph import Graph

SETUP_HEADING = "The graph"


def graph_facts(exercise: Exercise, style: NumberFormat) -> tuple[str, ...]:
    graph: Graph = exercise.setup
    nodes = ", ".join(f"${symbol(node.name)} = {_latex(node.expression, graph.matrices)}$" for node in graph.nodes)
    facts = [f"The output: ${symbol(graph.output)} = {_latex(graph.expression, graph.matrices)}$"
             + (", broken into one node per gate." if graph.text is not None else "."),
             f"The nodes, in the order they are computed: {nodes}."]
    if len(exercise.parts) == 1:
        facts.append(_values_fact(exercise.parts[0], style))
    if graph.matrices:
        facts.append("Vectors are columns; $A B$ is the matrix product, $\\circ$ the product entry by entry, "
                     "and $\\mathbf{1}$ a vector or matrix of ones. Backward, a product $y = W x$ sends "
                     "$\\frac{\\partial L}{\\partial y} x^{T}$ to $W$ and $W^{T} \\frac{\\partial L}{\\partial y}$ "
                     "to $x$; a value broadcast over several columns gets its gradient summed over them.")
    facts.append("Backward, each gradient is the local derivative (by SymPy) times the gradient of the node it "
                 "feeds, summed over the nodes a value feeds. At a tie, max passes the gradient to its first "
                 "argument.")
    return tuple(facts)


def convention_facts(conventions: Conventions) -> tuple[str, ...]:
    return ()


def part_facts(exercise: Exercise, part: Part, style: NumberFormat) -> tuple[str, ...]:
    return () if len(exercise.parts) == 1 else (_values_fact(part, style),)


def derived_blocks(exercise: Exercise, part: Part) -> tuple:
    return ()


def _values_fact(part: Part, style: NumberFormat) -> str:
    given = ", ".join(f"${symbol(name)} = {matrix(value, style)}$" for name, value in part.values)
    return f"The values: {given}."


def _latex(expr, matrices: bool = False) -> str:
    return expression(Expression(expr, elementwise=matrices), {})
