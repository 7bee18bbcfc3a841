#version 330
in vec3 v_colour;
in float v_across;
in float v_half_width;
in float v_change;

out vec4 f_wire;  // rgb: the wire's light, a: the light of its change |Δw|

void main() {
    float coverage = clamp(v_half_width + 0.5 - abs(v_across), 0.0, 1.0);
    // A wire thinner than a pixel dims rather than thinning below what a pixel can show.
    coverage *= min(1.0, 2.0 * v_half_width);
    f_wire = vec4(v_colour, v_change) * coverage;
}
