// A named float tensor: the exchange type between model parameters (nn) and
// model files (io, safetensors), which may not include each other.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace auris {

struct NamedTensor {
  std::string name;             // PyTorch state_dict name, e.g. "lstm.weight_ih_l0"
  std::vector<std::int64_t> shape;
  std::vector<float> data;      // C order (row-major)
};

}  // namespace auris
