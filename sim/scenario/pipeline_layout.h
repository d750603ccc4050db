// The channels and private data collections of a Fabric-style pipeline, from the scenario's
// pipeline keys (see PipelineConfig in scenario.h and the README's scenario keys).
//
// Syntax, every list separated by ';':
//   channels:            "name: org org ...; ..."   (empty: one channel "main" of every org)
//   channel_policies:    "name: POLICY; ..."        (default: pipeline.policy)
//   channel_kinds:       "name: kind kind ...; ..." (default: any kind)
//   collections:         "name@channel: org org ...; ..." (@channel may be left out when there
//                                                    is one channel)
//   collection_policies: "name: POLICY; ..."        (default: MAJORITY of the members)
//   collection_kinds:    "name: kind kind ...; ..." (required for every collection)
// MAJORITY is more than half of the channel's (collection's) members. A policy may name members
// only. Transaction kinds are checked against the workload when the pipeline is built.
#pragma once

#include <string>

#include "sim/kernel/result.h"
#include "sim/scenario/scenario.h"

namespace hlsim {

struct PipelineLayoutText {
  std::string policy;  // pipeline.policy
  std::string channels;
  std::string channel_policies;
  std::string channel_kinds;
  std::string collections;
  std::string collection_policies;
  std::string collection_kinds;
};

// Fills pc.policy, pc.channels and pc.collections; pc.orgs must be set. Errors start with the key
// ("pipeline.channels: ...") and name the item.
Status parse_pipeline_layout(const PipelineLayoutText& text, PipelineConfig& pc);

}  // namespace hlsim
