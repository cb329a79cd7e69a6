"""A per-user cache on disk for work that comes out the same on every run: Jinja's compiled
templates and SymPy's slower derivations (an output delta's collapsed form, f' in terms of f).

Where: $BYHAND_CACHE_DIR, else $XDG_CACHE_HOME/byhand, else ~/.cache/byhand; BYHAND_CACHE=off
turns it off. The directory is created private (0700) and used only while it belongs to the
user and nobody else can write to it, since what it holds is loaded as code (pickle, Jinja
bytecode). Nothing is served stale: Jinja checks each template's source checksum, and a derivation
is filed under a hash of its inputs, of byhand's symbolic code and of the Python and SymPy
versions. Anything unreadable, corrupt or unwritable is recomputed, never an error.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TypeVar

import sympy

T = TypeVar("T")
_SYMBOLIC = Path(__file__).resolve().parent / "symbolic"


@cache
def cache_directory() -> Path | None:
    """The cache directory, created if need be, or None when it is off or cannot be trusted."""
    if os.environ.get("BYHAND_CACHE", "").strip().lower() in ("0", "off", "no", "false"):
        return None
    base = os.environ.get("BYHAND_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "byhand")
    path = Path(base)
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = path.stat()
    except OSError:
        return None
    if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & 0o022):
        return None
    return path


@cache
def _version() -> str:
    """What a derivation's result depends on besides its inputs: the code that derives it."""
    digest = hashlib.sha256(f"{sys.version}|{sympy.__version__}".encode())
    for source in sorted(_SYMBOLIC.glob("*.py")):
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()


def remembered(namespace: str, key: tuple, compute: Callable[[], T]) -> T:
    """compute(), or what it returned on an earlier run for the same `namespace` and `key` (a
    tuple of strings that determines the result, e.g. sympy.srepr of the inputs)."""
    directory = cache_directory()
    if directory is None:
        return compute()
    name = hashlib.sha256(repr((namespace, _version(), key)).encode()).hexdigest()
    path = directory / "derivations" / f"{namespace}-{name}.pickle"
    try:
        return pickle.loads(path.read_bytes())
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, IndexError, TypeError,
            ValueError):
        pass
    result = compute()
    try:
        data = pickle.dumps(result)
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return result  # some SymPy objects (functions made at run time) do not pickle: not cached
    _write(path, data)
    return result


def _write(path: Path, data: bytes) -> None:
    """Replace `path` with `data` in one step, so that a reader never sees half a file."""
    try:
        path.parent.mkdir(mode=0o700, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
