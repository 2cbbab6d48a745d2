// Combining trained classifiers into one ensemble model file (`auris
// ensemble`): the members' networks become the members of an nn "ensemble"
// layer (the mean of their logits), with their weights renamed under
// "layers.0.members.<k>.". Members must be classifiers with the same labels,
// the same feature configuration, the same input width and the same test-time
// VTLN search (carried over), so the result is used exactly like each of them.
#pragma once

#include <string>
#include <vector>

#include "auris/modelfile/model_file.h"

namespace auris::modelfile {

// `names` name the members in errors (e.g. their paths). Throws auris::Error
// naming the member and what differs; needs at least two members.
LoadedModel CombineModels(const std::vector<LoadedModel>& members, const std::vector<std::string>& names);

}  // namespace auris::modelfile
