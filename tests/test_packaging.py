"""An installed byhand (pip install ., not -e) holds every package of the source tree: setuptools
installs only the packages pyproject.toml lists, so a new kind's package must be listed there."""

from __future__ import annotations

import tomllib

from tests.conftest import REPO


def test_every_package_under_solver_is_listed_in_pyproject():
    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(init.parent.relative_to(REPO).parts) for init in (REPO / "solver").rglob("__init__.py")}
    assert found - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"
