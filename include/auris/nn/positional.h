// Positional information for self-attention.
//
// Choice: attention layers take a relative scheme or none — never an absolute
// position encoding. Reasons:
//  * auris streams run endlessly; an absolute position (sinusoidal or learned
//    table) grows without bound, leaves the range seen in training after a
//    few seconds, and would make a stream's output depend on when it started.
//  * the reference model puts LSTM layers before attention, and the LSTM
//    state already carries order, so "none" is the default.
//  * where attention needs order on its own, "alibi" (Press et al., "Train
//    Short, Test Long", 2022) adds a fixed, parameter-free bias to each score
//    that depends only on the distance between query and key:
//        score(t, s) += -slope_h * |t - s|
//    with head h (0-based) of H using slope_h = 2^(-8 (h + 1) / H). It needs
//    no state beyond the key cache, so Step() computes exactly what Forward()
//    computes, and a limited window keeps the bias bounded.
#pragma once

#include <string>
#include <vector>

namespace auris::nn {

enum class Positional { kNone, kAlibi };

// "none" | "alibi"; throws auris::Error naming the accepted values otherwise.
Positional ParsePositional(const std::string& name);
std::string PositionalName(Positional p);

// Slopes of the ALiBi bias, one per head (see above).
std::vector<float> AlibiSlopes(int num_heads);

}  // namespace auris::nn
