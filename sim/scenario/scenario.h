// A scenario: everything that defines a run, typed and validated.
//
// A run is a pure function of (Scenario, hlsim version): the loader resolves every default, so
// `effective_yaml` records exactly what ran. Loading never runs anything; any problem is an Error
// naming the file, line and key path, the bad value and what was expected.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "consensus/behavior.h"
#include "ledger/crypto/signature.h"
#include "ledger/hardware_profile.h"
#include "ledger/verifier.h"
#include "sim/clients/arrivals.h"
#include "sim/faults/fault.h"
#include "sim/kernel/distributions.h"
#include "sim/kernel/ids.h"
#include "sim/kernel/params.h"
#include "sim/kernel/result.h"
#include "sim/kernel/time.h"
#include "workloads/workload.h"

namespace hlsim {

struct NetworkConfig {
  std::string topology = "full_mesh";  // full_mesh | star | regions | csv
  TimeNs latency_ns = 2 * kNsPerMs;    // link latency (full_mesh), hub link (star), intra-region
  TimeNs inter_latency_ns = 20 * kNsPerMs;  // regions: between regions
  std::uint32_t regions = 2;
  double bandwidth_bps = 1e9;
  double inter_bandwidth_bps = 1e9;
  double loss = 0.0;                                   // per-link loss probability
  std::string csv_path;                                // topology: csv (resolved path)
  Distribution jitter_ns = Distribution::constant(0);  // extra delay per message, in ns
  TimeNs client_latency_ns = 5 * kNsPerMs;             // client -> gateway access link
  double client_bandwidth_bps = 100e6;
};

struct ConsensusConfig {
  std::string protocol = "raft";
  std::uint32_t nodes = 4;
  ParamValues params;  // the protocol's own, validated against its registry entry
};

struct WorkloadConfig {
  std::string kind = "ehr";
  std::uint32_t clients = 10;
  double rate_tps = 100;       // total offered rate (all clients), daily mean (open loop)
  double forged_fraction = 0;  // share of transactions sent with a broken signature
  ArrivalConfig arrivals;      // when clients submit (rate_tps copied in)
  ParamValues params;          // the workload's own
  std::vector<MixPart> mix;    // kind: mix — the components, in the scenario's order
};

struct LedgerConfig {
  SigScheme signature = SigScheme::kEd25519;  // every validator's and client's key scheme
  VerifyPolicy verify = VerifyPolicy::kOnce;  // see ledger/verifier.h
  std::string storage = "memory";             // memory | rocksdb (ledger/storage/ledger_store.h)
};

struct NodeConfig {
  std::uint32_t cores = 4;
  std::string profile_name = "default";
  HardwareProfile profile;
};

// Validators assigned a Byzantine behaviour (consensus/behavior.h). At most the protocol's f
// unless beyond_f (for canaries that must break safety).
struct ByzantineConfig {
  std::vector<Behavior> behaviors;  // by validator; empty when every validator is honest
  // By validator: plays a Byzantine role during some window of the fault schedule (byzantine
  // faults); honest outside it, but counted as Byzantine for the whole run.
  std::vector<bool> scheduled;
  bool beyond_f = false;

  Behavior of(NodeId node) const {
    return node < behaviors.size() ? behaviors[node] : Behavior::kHonest;
  }
  bool is_scheduled(NodeId node) const { return node < scheduled.size() && scheduled[node]; }
  // Byzantine at some time of the run: its commits are its own business.
  bool faulty(NodeId node) const { return of(node) != Behavior::kHonest || is_scheduled(node); }
  bool any() const {
    for (Behavior b : behaviors) {
      if (b != Behavior::kHonest) return true;
    }
    return false;
  }
};

// The execute-order-validate pipeline (sim/fabric/). kind "none" is order-execute: every
// validator executes every block. kind "fabric" makes the validators a Fabric-style ordering
// service (running consensus.protocol, cutting blocks with its batching parameters) and adds
// organisations whose peers endorse, validate and commit.
//
// Channels: separate ledgers, each held by its member organisations' peers only, all ordered by the
// one ordering service. Private data collections: transaction kinds of a channel whose payload and
// state only the collection's members hold (sim/fabric/fabric_pipeline.h).
struct ChannelConfig {
  std::string name;
  std::vector<std::uint32_t> members;  // organisation indices, increasing
  std::string policy;                  // canonical endorsement policy text
  std::vector<std::string> kinds;      // transaction kinds routed to it; empty: any kind
};
struct CollectionConfig {
  std::string name;
  std::uint32_t channel = 0;
  std::vector<std::uint32_t> members;  // organisation indices, increasing; members of the channel
  std::string policy;                  // canonical endorsement policy text over members
  std::vector<std::string> kinds;      // transaction kinds that are private to it
};
struct PipelineConfig {
  std::string kind = "none";             // none | fabric
  std::vector<std::string> orgs;         // organisation names, in order (OrgIndex)
  std::vector<std::uint32_t> org_peers;  // peers of each organisation
  std::string policy;                    // the default endorsement policy, as written
  std::vector<ChannelConfig> channels;   // at least one when fabric
  std::vector<CollectionConfig> collections;
  bool fabric() const { return kind == "fabric"; }
};

struct Scenario {
  std::string name = "unnamed";
  std::string description;
  std::uint64_t seed = 1;
  TimeNs duration_ns = 60 * kNsPerSec;  // clients submit during [0, duration)
  TimeNs drain_ns = 5 * kNsPerSec;      // then the run continues this long for commits
  ConsensusConfig consensus;
  WorkloadConfig workload;
  NetworkConfig network;
  NodeConfig node;
  LedgerConfig ledger;
  std::vector<FaultEvent> faults;  // sorted by time
  ByzantineConfig byzantine;
  PipelineConfig pipeline;
  std::string output_path = "results.h5";
  std::string effective_yaml;  // the scenario after overrides, as loaded
};

// One `--set key.path=value` override; the value is parsed as YAML (so lists and maps work).
struct Override {
  std::string key;
  std::string value;
};
// Parses "a.b.c=value". Error names the bad argument.
Result<Override> parse_override(std::string_view text);

// Loads a scenario file, applies overrides, validates. `data_dir` is where named hardware profiles
// live (results/profiles/<name>.yaml below it).
Result<Scenario> load_scenario_file(const std::string& path, const std::vector<Override>& overrides,
                                    const std::string& data_dir);
// The same from text; `source_name` names it in errors; relative paths resolve against `base_dir`.
Result<Scenario> load_scenario_text(const std::string& text, const std::string& source_name,
                                    const std::vector<Override>& overrides,
                                    const std::string& base_dir, const std::string& data_dir);

// The top-level and section keys the loader accepts, with units and defaults, for `hlsim list`.
struct ScenarioKeyDoc {
  std::string key;
  std::string type;
  std::string default_value;
  std::string unit;
  std::string help;
};
const std::vector<ScenarioKeyDoc>& scenario_key_docs();

}  // namespace hlsim
