// FeaturePipelineOptions as JSON: what a model file's "features" metadata
// holds, so inference rebuilds exactly the chain the model was trained on.
//
//   {"features": {<dsp::ToJson: type and every option of that type>},
//    "deltas": null | {"order": 2, "window": 2},
//    "cmvn": {"mode": "none"}
//          | {"mode": "utterance", "norm_means": true, "norm_vars": false}
//          | {"mode": "sliding", "cmn_window": 600, "min_cmn_window": 100,
//             "center": false, "norm_vars": false}
//          | {"mode": "global", "norm_means": true, "norm_vars": true, "stats": [[...], [...]]}
//          | {"mode": "online", "cmn_window": 600, "global_frames": 200, "norm_vars": false,
//             "stats": [[...], [...]]},
//    "trim": {"above_floor_db": 15, "below_peak_db": 40, "margin_ms": 200}}  (optional: dsp/speech_trim.h)
// ("norm_means" may be absent: true). Unknown keys at any level are errors.
//
// Audio loading is not stored: a model always takes any rate (resampled to
// its own) and any channel count (averaged), see ModelAudioOptions.
#pragma once

#include <string>

#include "auris/pipeline/feature_pipeline.h"

namespace auris::pipeline {

std::string FeatureConfigToJson(const FeaturePipelineOptions& options);
// Throws auris::Error naming the bad field; the result is validated and has
// ModelAudioOptions() as its audio settings.
FeaturePipelineOptions FeatureConfigFromJson(const std::string& json);

// Audio settings for model input: resample either way, average channels.
audio::AudioLoadOptions ModelAudioOptions(double sample_rate_hz);

}  // namespace auris::pipeline
