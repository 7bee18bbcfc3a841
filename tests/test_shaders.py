"""The shader loader: every program compiles, and a broken file is named with its line."""

from __future__ import annotations

import shutil

import pytest

from visualizer.errors import UserError
from visualizer.render.shaders import ShaderError, ShaderLibrary
from visualizer.resources import resource_path

# Every fragment shader shipped is a program; one without its own vertex shader uses the
# shared full-screen one. Derived from the folder, so a new program cannot be left out.
SHADERS = resource_path("shaders")
PROGRAMS = sorted(
    (frag.stem, None if frag.with_suffix(".vert").exists() else "fullscreen")
    for frag in SHADERS.glob("*.frag")
)


def test_the_programs_found_include_every_layers_program():
    assert {name for name, _ in PROGRAMS} >= {
        "synapses",
        "backdrop",
        "composite",
        "neurons",
        "particles",
        "sparkles",
        "text",
        "ui",
    }


@pytest.fixture
def shader_copy(tmp_path):
    folder = tmp_path / "shaders"
    shutil.copytree(resource_path("shaders"), folder)
    return folder


@pytest.mark.parametrize(("name", "vertex"), PROGRAMS)
def test_every_shipped_program_compiles_and_links(ctx, name, vertex):
    assert ShaderLibrary(ctx).program(name, vertex=vertex) is not None


def test_a_compile_error_names_the_file_and_the_line(ctx, shader_copy):
    path = shader_copy / "particles.frag"
    lines = path.read_text().splitlines()
    lines[14] = "    float broken = ;"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(ShaderError) as caught:
        ShaderLibrary(ctx, shader_copy).program("particles")
    message = str(caught.value)
    assert message.startswith("shader shaders/particles.frag line 15 does not compile: ")
    assert "\n" not in message and isinstance(caught.value, UserError)


def test_an_error_inside_an_included_file_names_that_file(ctx, shader_copy):
    common = shader_copy / "common.glsl"
    common.write_text(common.read_text() + "const float oops = undefined_thing;\n")
    with pytest.raises(ShaderError, match=r"shaders/common\.glsl line \d+ does not compile"):
        ShaderLibrary(ctx, shader_copy).program("sparkles")


def test_a_missing_file_is_named(ctx, shader_copy):
    (shader_copy / "text.vert").unlink()
    with pytest.raises(ShaderError, match=r"cannot read shader .*text\.vert"):
        ShaderLibrary(ctx, shader_copy).program("text")


def test_reload_picks_up_changes_and_keeps_the_old_program_when_the_new_one_fails(ctx, shader_copy):
    library = ShaderLibrary(ctx, shader_copy)
    old = library.program("text")
    assert library.reload() == [] and library.generation == 1
    fresh = library.program("text")
    assert fresh is not old
    path = shader_copy / "text.frag"
    path.write_text(path.read_text().replace("u_colour.a *", "u_colour.a * nonsense *"))
    failures = library.reload()
    assert len(failures) == 1 and "text.frag" in failures[0]
    assert library.program("text") is fresh and library.generation == 1
