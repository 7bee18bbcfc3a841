#version 330
#include "common.glsl"
// The update settling: the baked picture before and after it, cross-faded, plus a flash
// where the weights changed most. (Outside the update the picture is simply copied.)
uniform sampler2D u_before;
uniform sampler2D u_after;  // alpha: the light of each wire's change |Δw|
uniform float u_settle;  // 0: weights before the update … 1: after
uniform float u_flash;   // brightness of the update's light

out vec4 f_colour;

void main() {
    ivec2 texel = ivec2(gl_FragCoord.xy);  // the textures match the target pixel for pixel
    vec3 before = texelFetch(u_before, texel, 0).rgb;
    vec4 after = texelFetch(u_after, texel, 0);
    f_colour = vec4(mix(before, after.rgb, u_settle) + u_flash * after.a * SPARK_LIGHT, 1.0);
}
