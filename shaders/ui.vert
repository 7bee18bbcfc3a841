#version 330
#include "common.glsl"
// Flat interface shapes, batched: rounded rectangles, line segments and pixel images.
in vec2 a_position;  // pixels
in vec2 a_local;     // pixels from the shape's centre (rectangles) or along/across (lines)
in vec2 a_half;      // half size of the shape in pixels
in float a_radius;   // corner radius in pixels
in vec4 a_colour;    // straight (not premultiplied) colour
in vec3 a_image;     // uv, and what fills the shape: 0 its colour, 1 the grey atlas, 2 the picture

out vec2 v_local;
out vec2 v_half;
out float v_radius;
out vec4 v_colour;
out vec3 v_image;

void main() {
    v_local = a_local;
    v_half = a_half;
    v_radius = a_radius;
    v_colour = a_colour;
    v_image = a_image;
    gl_Position = pixel_to_clip(a_position);
}
