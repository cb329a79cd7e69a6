"""A table of named entries each built the first time it is looked up: the activation, loss and
initialisation catalogues, whose SymPy expressions cost start-up time a run rarely needs all of."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Generic, TypeVar

T = TypeVar("T")


class LazyTable(Mapping[str, T], Generic[T]):
    """`builders` by name; `aliases` map other names to theirs. Iterating lists the names without
    building anything; looking one up builds it once."""

    def __init__(self, builders: dict[str, Callable[[], T]], aliases: dict[str, str] | None = None):
        self._builders = builders
        self._aliases = aliases or {}
        self._built: dict[str, T] = {}

    def __getitem__(self, name: str) -> T:
        name = self._aliases.get(name, name)
        if name not in self._built:
            self._built[name] = self._builders[name]()
        return self._built[name]

    def __contains__(self, name: object) -> bool:
        return name in self._builders or name in self._aliases

    def __iter__(self) -> Iterator[str]:
        return iter((*self._builders, *self._aliases))

    def __len__(self) -> int:
        return len(self._builders) + len(self._aliases)
