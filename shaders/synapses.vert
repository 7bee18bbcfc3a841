#version 330
#include "common.glsl"
// A synapse is a ribbon along its Bézier curve, as wide and bright as |w|, blue or amber
// by the sign of w. Baked into textures when the weights change, not drawn every frame.
in vec2 a_centre;    // a point on the curve, in pixels
in vec2 a_normal;    // the curve's unit normal there
in float a_side;     // -1 or +1: which edge of the ribbon
in float a_synapse;  // which synapse

uniform sampler2D u_weights;  // per synapse: r = |w| / reference, g = sign(w), b = |Δw| light
uniform float u_scale;        // pixels per design pixel (bigger windows, wider wires)

out vec3 v_colour;
out float v_across;      // signed distance from the centre line, in pixels
out float v_half_width;
out float v_change;

void main() {
    int id = int(a_synapse);
    vec4 w = texelFetch(u_weights, ivec2(id % SYNAPSE_DATA_WIDTH, id / SYNAPSE_DATA_WIDTH), 0);
    v_half_width = mix(0.3, 1.4, w.r) * u_scale;
    float extent = v_half_width + 1.0;  // one pixel more for the anti-aliased edge
    v_across = a_side * extent;
    v_colour = (w.g > 0.0 ? POSITIVE_WEIGHT : NEGATIVE_WEIGHT) * (0.035 + 0.3 * pow(w.r, 1.4));
    v_change = w.b;
    gl_Position = pixel_to_clip(a_centre + a_normal * v_across);
}
