"""Where the templates and the shipped exercises are.

In an installed copy they sit inside the package (pyproject.toml maps the top-level folders
there); in a source checkout, including an editable install, they are the top-level folders.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _folder(name: str) -> Path:
    installed = _PACKAGE / name
    return installed if installed.is_dir() else _PACKAGE.parent / name


def templates_dir() -> Path:
    return _folder("templates")


def exercises_dir() -> Path:
    return _folder("exercises")


def shipped_exercises() -> list[Path]:
    """The exercise files that ship with byhand, by name."""
    return sorted(exercises_dir().glob("*.toml"))
