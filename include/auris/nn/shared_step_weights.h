// Step weights shared by every stream of a layer: the layout the streaming
// step reads (Wᵀ, int8), derived from the parameters once and kept while any
// stream holds it, instead of a copy per stream (a server's memory per
// connection was mostly these copies, and deriving them its connection cost).
// A stream requires its model not to change while it lives (ModelStream), so
// what a live stream holds is still what the parameters give; after the last
// stream ends, the next one derives the weights again. Float and int8 steps
// (ParamStore::Int8Step) are kept apart. Thread-safe.
#pragma once

#include <array>
#include <memory>
#include <mutex>

#include "auris/nn/param.h"

namespace auris::nn {

template <typename W>
class SharedStepWeights {
 public:
  // The weights for `params`: those a live stream holds, else make()'s.
  template <typename Make>
  std::shared_ptr<const W> Get(const ParamStore& params, Make&& make) const {
    std::lock_guard lock(mutex_);
    Slot& slot = slots_[params.Int8Step() ? 1 : 0];
    if (slot.params == &params)
      if (std::shared_ptr<const W> held = slot.weights.lock()) return held;
    auto made = std::make_shared<const W>(make());
    slot = Slot{&params, made};
    return made;
  }

 private:
  struct Slot {
    const ParamStore* params = nullptr;
    std::weak_ptr<const W> weights;
  };
  mutable std::mutex mutex_;
  mutable std::array<Slot, 2> slots_;
};

}  // namespace auris::nn
