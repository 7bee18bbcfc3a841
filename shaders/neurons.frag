#version 330
#include "common.glsl"
#include "shapes.glsl"
// Drawn twice: u_pass 0 paints the bodies over the wires (alpha blending), u_pass 1 adds
// the light: activation glow (white) and error halo (red).
in float v_radius;
in float v_extent;
in float v_activation;
in float v_lit;
in float v_blame;
in float v_error;
in float v_kind;
in float v_mark;

uniform int u_pass;  // 0: bodies, 1: light
uniform float u_scale;

out vec4 f_colour;

void main() {
    vec2 p = (gl_PointCoord * 2.0 - 1.0) * v_extent;  // pixels from the centre
    float d = length(p);
    float aa = 0.75;
    if (v_kind > 0.5) {
        // A pixel of the input image: the image itself, lit, and reddened by ∂ℓ/∂x.
        float box = rounded_box(p, vec2(v_radius * 0.9), v_radius * 0.25);
        float inside = 1.0 - smoothstep(-aa, aa, box);
        if (u_pass == 0) {
            vec3 tile = mix(NEURON_BODY, INPUT_TILE_LIT, v_activation * (0.35 + 0.65 * v_lit));
            f_colour = vec4(tile, inside);
        } else {
            float outside = clamp(1.0 - max(box, 0.0) / (0.5 * v_radius), 0.0, 1.0);
            float blame = 0.65 * inside + 0.45 * outside * outside * (1.0 - inside);
            f_colour = vec4(BACKWARD_LIGHT * v_error * v_blame * blame, 0.0);
        }
        return;
    }
    float body = 1.0 - smoothstep(v_radius - aa, v_radius + aa, d);
    if (u_pass == 0) {
        float rim = smoothstep(v_radius - 1.6 * u_scale, v_radius - 0.4 * u_scale, d) * body;
        vec3 colour = mix(NEURON_BODY, NEURON_RIM, rim);
        // The true class of the focused image wears a thin white ring.
        float ring_radius = v_radius + 5.0 * u_scale;
        float ring = v_mark * (1.0 - smoothstep(0.6 * u_scale, 1.4 * u_scale, abs(d - ring_radius)));
        f_colour = vec4(mix(colour, TRUE_CLASS_RING, ring), max(body, ring));
        return;
    }
    float light = v_activation * v_lit;
    vec3 core = FORWARD_LIGHT * light * body * 0.95;
    // Soft falloffs as squared clamps: gaussian-like, and cheap on a software renderer.
    float out_of_body = max(d - v_radius, 0.0) / (1.5 * v_radius);
    float falloff = max(1.0 - out_of_body, 0.0);
    vec3 glow = FORWARD_LIGHT * light * 0.85 * falloff * falloff;
    float halo_radius = v_radius * (1.25 + 0.85 * v_error);
    float halo_width = max(1.2 * u_scale, 0.18 * v_radius);
    float ring = max(1.0 - abs(d - halo_radius) / (1.8 * halo_width), 0.0);
    float halo = ring * ring * v_blame * (0.3 + 0.7 * v_error);
    f_colour = vec4(core + glow + BACKWARD_LIGHT * halo * 1.3, 0.0);
}
