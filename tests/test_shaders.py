"""The shader loader: every program compiles, and a broken file is named with its line."""

from __future__ import annotations

import shutil

import moderngl
import numpy as np
import pytest

from visualizer.errors import UserError
from visualizer.render import palette
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


def test_a_variant_is_compiled_with_its_defines_in_both_stages(ctx, shader_copy):
    for stage in ("text.vert", "text.frag"):
        path = shader_copy / stage
        version, rest = path.read_text().split("\n", 1)
        path.write_text(f"{version}\n#ifndef SWITCH\n#error needs SWITCH\n#endif\n{rest}")
    library = ShaderLibrary(ctx, shader_copy)
    with pytest.raises(ShaderError, match=r"shaders/text\.vert line 3 does not compile"):
        library.program("text")
    switched = library.program("text", defines=("SWITCH",))
    assert library.program("text", defines=("SWITCH",)) is switched
    assert library.reload() == [] and library.program("text", defines=("SWITCH",)) is not switched


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


def test_the_palette_reaches_the_shaders_as_defines(ctx, shader_copy):
    """A shader's BACKWARD_LIGHT is palette.py's: drawn, read back, compared."""
    (shader_copy / "probe.frag").write_text(
        "#version 330\nout vec4 f_colour;\n"
        "void main() { f_colour = vec4(BACKWARD_LIGHT, float(SYNAPSE_DATA_WIDTH) / 4096.0); }\n"
    )
    program = ShaderLibrary(ctx, shader_copy).program("probe", vertex="fullscreen")
    target = ctx.simple_framebuffer((4, 4))
    target.use()
    ctx.vertex_array(program, []).render(moderngl.TRIANGLES, vertices=3)
    pixel = np.frombuffer(target.read(components=4), dtype=np.uint8)[:4] / 255.0
    expected = (*palette.BACKWARD_LIGHT, palette.SYNAPSE_DATA_WIDTH / 4096.0)
    assert pixel == pytest.approx(expected, abs=1 / 255)
    target.release()


def test_a_file_included_twice_is_included_once(ctx, shader_copy):
    path = shader_copy / "sparkles.vert"
    text = path.read_text().replace(
        '#include "common.glsl"', '#include "common.glsl"\n#include "common.glsl"'
    )
    path.write_text(text)
    assert ShaderLibrary(ctx, shader_copy).program("sparkles") is not None


def test_includes_that_form_a_cycle_are_refused_with_the_chain(ctx, shader_copy):
    (shader_copy / "a.glsl").write_text('#include "b.glsl"\n')
    (shader_copy / "b.glsl").write_text('#include "a.glsl"\n')
    path = shader_copy / "text.frag"
    path.write_text(path.read_text().replace("#version 330", '#version 330\n#include "a.glsl"'))
    with pytest.raises(ShaderError, match=r"cycle: text\.frag → a\.glsl → b\.glsl → a\.glsl"):
        ShaderLibrary(ctx, shader_copy).program("text")


def test_an_error_after_an_include_names_the_including_files_line(ctx, shader_copy):
    """Line numbers survive the defines and nested includes."""
    (shader_copy / "outer.glsl").write_text('// outer\n#include "shapes.glsl"\nfloat x = ;\n')
    path = shader_copy / "ui.frag"
    path.write_text(path.read_text().replace("#version 330", '#version 330\n#include "outer.glsl"'))
    with pytest.raises(ShaderError, match=r"shaders/outer\.glsl line 3 does not compile"):
        ShaderLibrary(ctx, shader_copy).program("ui")


def test_a_renderer_releases_every_program_it_compiled(ctx):
    """A lesson switch builds a new renderer on the same context: the old one's programs
    must go with it (llvmpipe keeps megabytes of compiled code per program)."""
    from visualizer.config import load_config
    from visualizer.render.renderer import Renderer

    renderer = Renderer(ctx, load_config(), (640, 360))
    programs = list(renderer.shaders._programs.values())
    assert programs, "the renderer compiled its programs"
    renderer.release()
    assert all(type(program.mglo).__name__ == "InvalidObject" for program in programs)
