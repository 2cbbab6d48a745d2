// Architecture descriptions asking for absurd sizes are refused before any
// allocation, with an auris::Error naming the layer and field.
#include <doctest/doctest.h>

#include <string>

#include "auris/core/error.h"
#include "auris/nn/model.h"

using namespace auris;
using namespace auris::nn;

namespace {

std::string ErrorOf(const std::string& json, std::int64_t max_params = INT64_MAX) {
  try {
    Model m(json, 0, max_params);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

bool Has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

std::string Nested(int depth) {
  std::string layers = R"([{"type": "relu"}])";
  for (int i = 0; i < depth; ++i) layers = R"([{"type": "residual", "layers": )" + layers + "}]";
  return R"({"input_dim": 2, "layers": )" + layers + "}";
}

}  // namespace

TEST_CASE("Model: widths beyond 2^20 are refused, naming the layer and field") {
  // 4 x hidden overflows int; 2e9 outputs would be 8 GB of weights.
  const std::string lstm = ErrorOf(R"({"input_dim": 4, "layers": [{"type": "lstm", "hidden": 1073741824}]})");
  CHECK_MESSAGE(Has(lstm, "layer 0 (lstm): 'hidden' is 1073741824, above the limit 1048576"), lstm);
  const std::string linear = ErrorOf(R"({"input_dim": 4, "layers": [{"type": "linear", "out": 2000000000}]})");
  CHECK_MESSAGE(Has(linear, "layer 0 (linear): 'out' is 2000000000"), linear);
  const std::string pool = ErrorOf(R"({"input_dim": 4096, "layers": [{"type": "attention_pool", "queries": 65536}]})");
  CHECK_MESSAGE(Has(pool, "layer 0 (attention_pool): 'queries' 65536 x width 4096"), pool);
  CHECK(Has(ErrorOf(R"({"input_dim": 2000000, "layers": []})"), "'input_dim' must be in 1..1048576"));
  CHECK(ErrorOf(R"({"input_dim": 1048576, "layers": [{"type": "relu"}]})") == "no error");
}

TEST_CASE("Model: a parameter budget stops an architecture before it allocates") {
  const std::string arch = R"({"input_dim": 10, "layers": [{"type": "linear", "out": 10}]})";  // 110 parameters
  CHECK(ErrorOf(arch, 110) == "no error");
  const std::string error = ErrorOf(arch, 109);
  CHECK_MESSAGE(Has(error, "layers.0.bias: the parameters would exceed 109 values"), error);
}

TEST_CASE("Model: layers nested too deep are refused instead of exhausting the stack") {
  CHECK(ErrorOf(Nested(31)) == "no error");
  CHECK(Has(ErrorOf(Nested(32)), "nested more than 32 deep"));
}
