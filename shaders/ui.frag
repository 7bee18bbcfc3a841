#version 330
#include "shapes.glsl"
in vec2 v_local;
in vec2 v_half;
in float v_radius;
in vec4 v_colour;
in vec3 v_image;  // uv in the atlas or the picture, and the fill: 1 the atlas, 2 the picture

uniform sampler2D u_images;   // grey pixel images (the dataset's), one channel
uniform sampler2D u_picture;  // one colour picture (a decision map)

out vec4 f_colour;

void main() {
    // A signed distance gives crisp anti-aliased edges.
    float outside = rounded_box(v_local, v_half, v_radius);
    float coverage = clamp(0.5 - outside, 0.0, 1.0);
    vec4 colour = v_colour;
    // A program for each kind of batch: a software renderer runs every branch of a shader
    // for every pixel, so a batch of flat shapes (the panels) reads no texture at all.
#if defined(ATLAS) && defined(PICTURE)  // shapes of several fills: each chooses
    if (v_image.z > 1.5) {
        colour.rgb *= texture(u_picture, v_image.xy).rgb;
    } else if (v_image.z > 0.5) {
        colour.rgb *= texture(u_images, v_image.xy).r;
    }
#elif defined(ATLAS)
    colour.rgb *= texture(u_images, v_image.xy).r;
#elif defined(PICTURE)
    colour.rgb *= texture(u_picture, v_image.xy).rgb;
#endif
    f_colour = vec4(colour.rgb, colour.a * coverage);
}
