#version 330
#include "common.glsl"
// A run of text: a quad textured with the text's pre-rendered coverage.
in vec2 a_position;  // pixels
in vec2 a_uv;

out vec2 v_uv;

void main() {
    v_uv = a_uv;
    gl_Position = pixel_to_clip(a_position);
}
