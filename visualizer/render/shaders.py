"""Loading GLSL programs from ``shaders/``: the one place shader source is read.

Contract: ``ShaderLibrary(ctx).program("particles")`` compiles ``particles.vert`` and
``particles.frag`` (each may ``#include "common.glsl"``) and caches the program;
``program("backdrop", vertex="fullscreen")`` shares one vertex shader between programs, and
``program("neurons", defines=("LIGHT",))`` compiles a variant with ``#define LIGHT`` in both
stages (a software renderer runs both sides of every ``if``, even on a uniform, so a part
that only some draws need is left out at compile time instead). A missing
file or a compile/link error raises ``ShaderError``, whose message is one line naming the
file and line; the full driver log goes to the log. ``reload()`` recompiles every cached
program from disk (F5 in development) and keeps the old program when the new one fails.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import moderngl

from visualizer.errors import UserError
from visualizer.render.palette import shader_defines
from visualizer.resources import resource_path

log = logging.getLogger(__name__)

_INCLUDE = re.compile(r'^\s*#include\s+"([^"]+)"\s*$')
# Drivers report "SOURCE:LINE(COLUMN): error: …" (Mesa) or "ERROR: SOURCE:LINE: …".
_LOCATION = re.compile(r"(\d+):(\d+)(?:\(\d+\))?:?\s*(?:error:)?\s*(.*)", re.IGNORECASE)
# Mesa ignores #line's source number, so an included file's lines are numbered from
# INCLUDE_STRIDE × (its position) + 1 and decoded back into a file name and line.
INCLUDE_STRIDE = 10_000
# The shared values (palette.py) are defined after each shader's #version line.
DEFINES_PART = "the #define lines from visualizer/render/palette.py"


class ShaderError(UserError):
    """A shader file is missing or does not compile."""


class ShaderLibrary:
    """Compiles and caches the programs of one GL context."""

    def __init__(self, ctx: moderngl.Context, directory: Path | None = None) -> None:
        self._ctx = ctx
        self._directory = directory or resource_path("shaders")
        self._programs: dict[tuple[str, str, tuple[str, ...]], moderngl.Program] = {}
        self._defines = shader_defines()
        self.generation = 0  # grows on every successful reload, so users can rebind

    def program(
        self, name: str, vertex: str | None = None, defines: tuple[str, ...] = ()
    ) -> moderngl.Program:
        """The program of ``name``.frag with ``vertex``.vert (default: ``name``.vert), each
        compiled with ``#define`` of every name in ``defines``."""
        key = (name, vertex or name, defines)
        if key not in self._programs:
            self._programs[key] = self._build(*key)
        return self._programs[key]

    def reload(self) -> list[str]:
        """Recompile all cached programs; returns one message per program that failed."""
        failures = []
        rebuilt = {}
        for key in self._programs:
            try:
                rebuilt[key] = self._build(*key)
            except ShaderError as error:
                failures.append(str(error))
        if not failures:
            for old in self._programs.values():
                old.release()
            self._programs = rebuilt
            self.generation += 1
        else:
            for program in rebuilt.values():
                program.release()
        return failures

    def release(self) -> None:
        """Release every program (a renderer's end: a lesson switch builds a new one, and
        llvmpipe's compiled code would otherwise stay, megabytes a switch)."""
        for program in self._programs.values():
            program.release()
        self._programs = {}

    def _build(self, name: str, vertex_name: str, defines: tuple[str, ...]) -> moderngl.Program:
        vertex, vertex_files = self._source(f"{vertex_name}.vert", defines)
        fragment, fragment_files = self._source(f"{name}.frag", defines)
        try:
            return self._ctx.program(vertex_shader=vertex, fragment_shader=fragment)
        except moderngl.Error as error:
            log.error("shader program %s failed:\n%s", name, error)
            raise ShaderError(
                _first_problem(str(error), name, vertex_files, fragment_files)
            ) from None

    def _source(self, filename: str, defines: tuple[str, ...]) -> tuple[str, list[str]]:
        """The file's text with the shared values and ``defines`` defined and includes
        expanded, and the names of its parts in GLSL source-number order (see
        ``INCLUDE_STRIDE``)."""
        parts = [f"shaders/{filename}"]
        version, *body = self._expand(filename, parts, {filename}, [filename])
        if not version.startswith("#version"):
            raise ShaderError(f"shader shaders/{filename} must start with a #version line")
        parts.append(DEFINES_PART)
        switches = [f"#define {name}" for name in defines]
        header = [
            f"#line {INCLUDE_STRIDE * (len(parts) - 1) + 1}",
            *self._defines,
            *switches,
            "#line 2",
        ]
        return "\n".join([version, *header, *body]) + "\n", parts

    def _expand(
        self, filename: str, parts: list[str], included: set[str], chain: list[str]
    ) -> list[str]:
        """The lines of ``filename`` with each ``#include`` replaced by that file's lines.

        A file is included once per shader (later includes of it are dropped, as with an
        include guard); a file that includes itself, directly or not, is an error."""
        index = len(parts) - 1  # this file's source number
        lines = []
        for number, line in enumerate(self._read(filename).splitlines(), start=1):
            match = _INCLUDE.match(line)
            if not match:
                lines.append(line)
                continue
            name = match.group(1)
            if name in chain:
                cycle = " → ".join([*chain, name])
                raise ShaderError(f"shader includes form a cycle: {cycle}; remove one #include")
            if name in included:
                lines.append("")  # keeps the line count
                continue
            included.add(name)
            parts.append(f"shaders/{name}")
            lines.append(f"#line {INCLUDE_STRIDE * (len(parts) - 1) + 1}")
            lines.extend(self._expand(name, parts, included, [*chain, name]))
            lines.append(f"#line {INCLUDE_STRIDE * index + number + 1}")
        return lines

    def _read(self, filename: str) -> str:
        path = self._directory / filename
        try:
            return path.read_text(encoding="utf-8")
        except OSError as error:
            raise ShaderError(
                f"cannot read shader {path}: {error.strerror or error}; "
                "reinstall or restore the file"
            ) from None


def _first_problem(
    log_text: str, name: str, vertex_files: list[str], fragment_files: list[str]
) -> str:
    """One line: which file, which line, what the driver said."""
    stage_files = fragment_files if "fragment" in log_text.lower() else vertex_files
    for line in log_text.splitlines():
        match = _LOCATION.search(line)
        if match and "error" in line.lower():
            included, number = divmod(int(match.group(2)), INCLUDE_STRIDE)
            filename = stage_files[included] if included < len(stage_files) else stage_files[0]
            return f"shader {filename} line {number} does not compile: {match.group(3)}"
    summary = " ".join(log_text.split())[:200]
    return f"shader program '{name}' does not compile or link: {summary}"
