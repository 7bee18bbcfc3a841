#version 330
#include "common.glsl"
// Particles flow along synapses. Which synapse a slot rides, where along it, and that
// synapse's curve and brightness are written once per pass; motion comes from time.
// A software renderer runs this per particle on one core, so it is kept lean: the curve
// comes as polynomial coefficients (no texture reads), the crest as a polynomial.
in float a_lane;  // sideways offset -1..1, fixed per slot
in vec2 a_cubic;  // the curve p(t) = ((a t + b) t + c) t + d …
in vec2 a_square;
in vec2 a_linear;
in vec2 a_start;
in vec3 a_info;   // the gap it crosses (0 = input → hidden), its brightness (< 0: it holds
                  // its neuron down, a·w < 0), its phase 0..1

uniform float u_motion;    // motion time, seconds
uniform float u_wavefront;
uniform float u_backward;  // 0: forward pass (up), 1: backward pass (down)
uniform float u_fade;      // the pass fading in or out
uniform float u_scale;
uniform float u_sprite_scale;  // sprite sizes grow with √scale

out vec2 v_direction;  // motion direction in sprite coordinates (y down)
out float v_brightness;
out float v_holds_down;  // 1: drawn hollow (a forward contribution a·w < 0)

const float GAP_SECONDS = 2.6;  // motion seconds to cross one gap

void main() {
    float s = fract(a_info.z + u_motion / GAP_SECONDS);
    float t = mix(s, 1.0 - s, u_backward);  // 0 at the lower layer, 1 at the upper
    // Forward light exists below the wave front, backward light above it; the crest glows.
    float behind = mix(u_wavefront - (a_info.x + t), a_info.x + t - u_wavefront, u_backward);
    float reveal = clamp(behind * 12.0 + 0.25, 0.0, 1.0);
    float near = max(1.0 - behind * behind * 70.0, 0.0);
    v_holds_down = a_info.y < 0.0 ? 1.0 : 0.0;
    // What holds a neuron down fades out before it arrives: it adds no light to the neuron.
    float arrives = 1.0 - v_holds_down * smoothstep(0.35, 0.8, t);
    v_brightness = abs(a_info.y) * arrives * reveal * (1.0 + 1.6 * near * near) * u_fade;
    vec2 position = ((a_cubic * t + a_square) * t + a_linear) * t + a_start;
    vec2 along = (3.0 * a_cubic * t + 2.0 * a_square) * t + a_linear;
    along *= inversesqrt(dot(along, along) + 1e-6) * (1.0 - 2.0 * u_backward);
    v_direction = along;
    float sprite = mix(mix(5.0, 7.0, v_holds_down), 6.0, u_backward);  // room for a ring
    position += vec2(-along.y, along.x) * a_lane * 1.6 * u_scale;
    gl_PointSize = v_brightness > 0.0 ? seen_size(position, sprite * u_sprite_scale) : 0.0;
    gl_Position = pixel_to_clip(position);
}
