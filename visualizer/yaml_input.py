"""YAML a user gave us (config files, ``--set`` values), read within bounds.

Contract:

- ``read_regular_file(path, limit)`` returns the UTF-8 text of ``path`` if it is a regular
  file of at most ``limit`` bytes (``regular_file.read_regular``: no FIFO, no device).
  ``InputRefused`` says what is wrong in a few words; I/O failures raise ``OSError``.
- ``load_yaml(text)`` parses like ``yaml.safe_load``, with four differences, each raising
  ``InputRefused`` rather than costing memory, time or a traceback:
  - a number in scientific notation is a float even without a dot (``1e-3``), as in
    YAML 1.2 (YAML 1.1, which PyYAML follows, reads ``1e-3`` as text);
  - a mapping that repeats a key is refused, naming the key and both lines (YAML says
    keys are unique; PyYAML silently keeps the last);
  - aliases may not expand the document beyond ``MAX_NODES`` values (the "billion
    laughs": a few lines of ``&a [*b, *b, …]`` stand for 10⁹ values), nor contain
    themselves;
  - nesting too deep for the parser, and values Python cannot build (an integer of
    5,000 digits, the 13th month of a date), are one line too.
  Other malformed YAML raises ``yaml.YAMLError`` as ``safe_load`` does.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from visualizer.errors import one_line
from visualizer.regular_file import NotRegular, read_regular

MAX_NODES = 10_000  # values after expanding aliases; the whole default config has ~80
_MERGE_TAG = "tag:yaml.org,2002:merge"


class InputRefused(ValueError):
    """The input is refused; the message says why, in a few words."""


def read_regular_file(path: Path, limit: int) -> str:
    """The text of ``path``, a regular file of at most ``limit`` bytes."""
    try:
        data = read_regular(path, limit)
    except NotRegular as error:
        raise InputRefused(str(error)) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputRefused(f"it is not UTF-8 text (byte {error.start})") from None


def load_yaml(text: str) -> Any:
    """``yaml.safe_load(text)``, within the bounds the module docstring lists."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_expansion(node)
        return loader.construct_document(node)
    except RecursionError:
        raise InputRefused("its values are nested too deeply") from None
    except yaml.YAMLError as error:
        if "maximum nesting depth" in str(error):  # libyaml's own limit, said as ours
            raise InputRefused("its values are nested too deeply") from None
        raise
    except (ValueError, OverflowError) as error:
        if isinstance(error, InputRefused):
            raise
        raise InputRefused(f"a value cannot be read: {one_line(error, 100)}") from None
    finally:
        loader.dispose()


# libyaml's parser where PyYAML was built with it (the wheels are): the same nodes, several
# times faster than the pure-Python one — the catalogues and configs are read at every start.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeLoader):  # type: ignore[valid-type,misc]
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        # Checked before the base class flattens merges (<<), whose keys may repeat.
        lines: dict[tuple[str, str], int] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _MERGE_TAG:
                continue
            key, line = (key_node.tag, key_node.value), key_node.start_mark.line + 1
            if key in lines:
                raise InputRefused(
                    f"the key {key_node.value[:40]!r} appears twice, "
                    f"on lines {lines[key]} and {line}"
                )
            lines[key] = line
        return super().construct_mapping(node, deep)


_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)[eE][-+]?[0-9]+$"),
    list("-+.0123456789"),
)


def _check_expansion(root: yaml.Node) -> None:
    """Count the values the document stands for, aliases expanded, without expanding them."""
    sizes: dict[int, int] = {}  # by id(node): each distinct node is counted once
    open_nodes: set[int] = set()  # the path from the root to the node being counted
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            open_nodes.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in _children(node))
            if sizes[key] > MAX_NODES:
                raise InputRefused(
                    f"its aliases expand to more than {MAX_NODES:,} values; write the values out"
                )
        elif key in open_nodes:
            raise InputRefused("an alias (*name) refers to a value that contains it")
        elif key not in sizes:
            open_nodes.add(key)
            stack.append((node, True))
            stack.extend((child, False) for child in _children(node))


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []
