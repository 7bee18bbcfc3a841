#version 330
#include "common.glsl"
// The backdrop under the wires, baked with them: a deep blue glow fading to black.
in vec2 v_uv;

out vec4 f_colour;  // alpha 0: no change light yet (the wires add theirs)

void main() {
    vec2 p = v_uv * 2.0 - 1.0;
    p.x *= u_viewport.x / u_viewport.y;
    float r = length(p - vec2(0.0, 0.1));
    vec3 backdrop = mix(vec3(0.030, 0.045, 0.090), vec3(0.006, 0.008, 0.016), smoothstep(0.0, 1.7, r));
    // A whisper of noise keeps the dark gradient from banding on 8-bit screens.
    float noise = fract(sin(dot(gl_FragCoord.xy, vec2(12.9898, 78.233))) * 43758.5453);
    f_colour = vec4(backdrop + (noise - 0.5) / 255.0, 0.0);
}
