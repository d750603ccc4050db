// Helpers of the pipeline's run tests: run a scenario text, and check that the peers agree.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>

#include "sim/run/simulation.h"

namespace hlsim {

inline const std::string kDataDir = HLSIM_SOURCE_DIR;

struct Ran {
  std::unique_ptr<Simulation> sim;
  RunOutcome outcome;
  std::map<std::string, double> figures;
};

// Runs `text`; `before` (when set) sees the simulation before it runs.
inline Ran run(const std::string& text, const std::function<void(Simulation&)>& before = {}) {
  auto sc = load_scenario_text(text, "test.yaml", {}, kDataDir, kDataDir);
  EXPECT_TRUE(sc.ok()) << (sc.ok() ? "" : sc.error().message);
  auto sim = Simulation::create(sc.value());
  EXPECT_TRUE(sim.ok()) << (sim.ok() ? "" : sim.error().message);
  Ran r;
  r.sim = std::move(sim.value());
  if (before) before(*r.sim);
  r.outcome = r.sim->run(nullptr, nullptr);
  for (const auto& f : r.sim->pipeline_figures()) r.figures[f.name] = f.value;
  return r;
}

// On every channel, every member peer committed at least what the ordering service cut from the
// blocks every live orderer committed (a peer pulls from one orderer, and orderers may end a run
// a block apart), and member peers at one height hold the same state (the pipeline also checks
// this at every height: violation()).
inline void expect_peers_agree(const Simulation& sim) {
  const FabricPipeline& p = *sim.pipeline();
  Height ordered = kTimeNever;
  for (const auto& n : sim.nodes()) {
    if (!n->crashed()) ordered = std::min<Height>(ordered, n->chain().height());
  }
  ASSERT_GT(ordered, 0u);
  for (std::uint32_t c = 0; c < p.channel_count(); ++c) {
    const Height cut = p.channel_height_at(c, ordered);
    EXPECT_GT(cut, 0u) << "channel " << c;
    std::map<Height, std::uint64_t> digest_at;
    for (std::uint32_t i = 0; i < p.peer_count(); ++i) {
      const auto h = p.peer_height(i, c);
      if (!h) continue;
      EXPECT_GE(*h, cut) << "peer " << i << ", channel " << c;
      const auto [it, first] = digest_at.emplace(*h, p.peer_state_digest(i, c));
      EXPECT_EQ(it->second, p.peer_state_digest(i, c)) << "peer " << i << ", channel " << c;
    }
  }
  EXPECT_EQ(p.violation(), "");
}

}  // namespace hlsim
