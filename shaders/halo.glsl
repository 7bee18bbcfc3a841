// The error halo's reach, in core radii, shared by the neuron shaders: neurons.frag draws
// it, neurons.vert sizes the light sprite that holds it.
const float HALO_START = 1.08;  // the halo starts just outside the body …
const float HALO_FULL = 1.3;    // … and reaches this many radii further at the largest error
