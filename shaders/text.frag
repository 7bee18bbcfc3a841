#version 330
in vec2 v_uv;

uniform sampler2D u_coverage;  // one channel: how much of each pixel the glyphs cover
uniform vec4 u_colour;

out vec4 f_colour;

void main() {
    f_colour = vec4(u_colour.rgb, u_colour.a * texture(u_coverage, v_uv).r);
}
