#pragma once

namespace logad::model {

// Eigen splits a matrix product into blocks sized from the cache sizes it reads from the CPU, and
// the blocking decides in which order the terms of a long dot product are summed. So that a model
// trains and scores to the same bits on every x86-64 CPU, detectors run with fixed sizes (those of
// a common server core: 32 KiB L1, 1 MiB L2, 32 MiB L3). Called whenever a detector is made; it
// writes Eigen's process-wide setting only when something else changed it.
void use_fixed_eigen_blocking();

}  // namespace logad::model
