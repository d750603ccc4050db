// End to end without the simulator: a small driver draws Poisson arrivals per client, asks the
// workload for drafts, orders them into blocks, applies them through the contract, feeds the
// metrics and delivers observations to the watchers. Long honest runs with counterfeits mixed
// in: every counterfeit is denied, no honest event is (verify aside, whose "not active" answers
// are legitimate), units flow from manufacturers to patients, and a run is a function of its seed.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ledger/storage/memory_store.h"
#include "sim/kernel/distributions.h"
#include "sim/kernel/params.h"
#include "sim/kernel/rng.h"
#include "workloads/supply/supply_params.h"
#include "workloads/supply/supply_payloads.h"
#include "workloads/supply/supply_state.h"
#include "workloads/supply/supply_workload.h"

namespace hlsim::supply {
namespace {

constexpr std::uint64_t kSeed = 20240607;

SupplyConfig config_with(std::uint32_t clients, const std::map<std::string, std::string>& given,
                         TimeNs day_ns = 86'400 * kNsPerSec) {
  Result<ParamValues> values = ParamValues::parse(supply_param_specs(), given, "workload");
  EXPECT_TRUE(values.ok()) << values.error().message;
  WorkloadSetup setup;
  setup.seed = kSeed;
  setup.clients = clients;
  setup.validators = 4;
  setup.day_ns = day_ns;
  Result<SupplyConfig> config = supply_config(*values, setup);
  EXPECT_TRUE(config.ok()) << config.error().message;
  return *config;
}

struct DriverOptions {
  TimeNs block_ns = 50 * kNsPerMs;
  double per_client_tps = 10;
  bool shuffle_blocks = false;     // order each block's transactions at random
  bool late_observations = false;  // deliver a block's observations only after the next block
};

// Outcome counts per kind, plus what the contract said about honest denials.
struct RunResult {
  std::array<std::array<std::uint64_t, 3>, kKindCount> outcomes{};  // [kind][outcome]
  std::map<Reason, std::uint64_t> honest_denial_reasons;            // verify excluded
  std::map<Reason, std::uint64_t> counterfeit_denial_reasons;
  std::uint64_t expired_decommissions = 0;  // applied decommissions giving expiry as the reason
  std::vector<WorkloadFigure> figures;
  std::uint64_t state_keys = 0;
  std::uint64_t state_bytes = 0;

  std::uint64_t count(Kind k, TxOutcome o) const {
    return outcomes[static_cast<std::size_t>(k)][static_cast<std::size_t>(o)];
  }
  double figure(const std::string& name) const {
    for (const WorkloadFigure& f : figures) {
      if (f.name == name) return f.value;
    }
    ADD_FAILURE() << "no figure " << name;
    return -1;
  }
};

class Driver {
 public:
  Driver(SupplyWorkload& workload, DriverOptions options)
      : w_(workload),
        options_(options),
        contract_(workload.make_contract()),
        metrics_(workload.make_metrics()),
        order_rng_(Rng::stream(kSeed, RngDomain::kScenario, 0)) {
    const std::uint32_t clients = w_.config().roles.organisations;
    mean_gap_ns_ = 1e9 / options_.per_client_tps;
    for (std::uint32_t c = 0; c < clients; ++c) {
      rngs_.push_back(Rng::stream(kSeed, RngDomain::kClient, c));
      next_arrival_.push_back(static_cast<TimeNs>(sample_exponential(rngs_.back(), mean_gap_ns_)));
      nonces_.push_back(0);
    }
  }

  RunResult run(TimeNs until_ns) {
    TimeNs next_block = options_.block_ns;
    while (next_block <= until_ns) {
      // Arrivals before the block cut, in time order (ties: lower client first).
      while (true) {
        const auto it = std::min_element(next_arrival_.begin(), next_arrival_.end());
        if (*it >= next_block) break;
        const auto c = static_cast<ClientId>(it - next_arrival_.begin());
        submit(c, *it);
        *it += std::max<TimeNs>(1, static_cast<TimeNs>(sample_exponential(rngs_[c], mean_gap_ns_)));
      }
      commit_block(next_block);
      next_block += options_.block_ns;
    }
    deliver(held_);
    RunResult out = result_;
    out.figures = metrics_->figures();
    out.state_keys = store_.key_count();
    out.state_bytes = store_.bytes();
    return out;
  }

 private:
  struct Observation {
    std::shared_ptr<const Transaction> tx;
    TxOutcome outcome;
    TimeNs at;
  };

  void submit(ClientId c, TimeNs at) {
    TxDraft d = w_.next_tx(c, at, rngs_[c]);
    auto tx = std::make_shared<Transaction>();
    tx->kind = d.kind;
    tx->client = c;
    tx->nonce = nonces_[c]++;
    tx->submit_ns = at;
    tx->payload = std::move(d.payload);
    tx->id = tx->compute_id();
    mempool_.push_back(std::move(tx));
  }

  void commit_block(TimeNs t) {
    if (options_.shuffle_blocks) {
      for (std::size_t i = mempool_.size(); i > 1; --i) {
        std::swap(mempool_[i - 1], mempool_[order_rng_.next_below(i)]);
      }
    }
    std::vector<Observation> now;
    for (const auto& tx : mempool_) {
      const TxOutcome o = contract_->apply(store_, *tx, t).outcome;
      metrics_->on_commit(*tx, o, t);
      ++result_.outcomes[tx->kind][static_cast<std::size_t>(o)];
      if (o == TxOutcome::kDenied) note_denial(*tx);
      if (const auto d = decode_decommission(tx->payload);
          d && o == TxOutcome::kApplied && d->reason == DecommissionReason::kExpired) {
        ++result_.expired_decommissions;
      }
      now.push_back(Observation{tx, o, t});
    }
    mempool_.clear();
    if (options_.late_observations) {
      deliver(held_);
      held_ = std::move(now);
    } else {
      deliver(now);
    }
  }

  void deliver(std::vector<Observation>& obs) {
    for (const Observation& o : obs) {
      for (ClientId c : w_.watchers(*o.tx)) w_.on_observed(c, *o.tx, o.outcome, o.at);
    }
    obs.clear();
  }

  // Reads the reason of a denial from the audit entry the contract just filed.
  void note_denial(const Transaction& tx) {
    const std::optional<std::uint64_t> subject = payload_subject(tx.payload);
    Reason reason = Reason::kNone;
    if (subject) {
      const std::optional<std::string> next = store_.get(audit_next_key(*subject));
      if (next) {
        const std::optional<std::string> raw =
            store_.get(audit_key(*subject, decode_seq(*next).value() - 1));
        if (raw) reason = decode_audit_entry(*raw)->reason;
      }
    }
    if (tx.kind >= kFirstCounterfeitKind) {
      ++result_.counterfeit_denial_reasons[reason];
    } else if (tx.kind != static_cast<std::uint16_t>(Kind::kVerify)) {
      ++result_.honest_denial_reasons[reason];
    }
  }

  SupplyWorkload& w_;
  DriverOptions options_;
  std::unique_ptr<Contract> contract_;
  std::unique_ptr<WorkloadMetrics> metrics_;
  MemoryStore store_;
  Rng order_rng_;
  double mean_gap_ns_ = 0;
  std::vector<Rng> rngs_;
  std::vector<TimeNs> next_arrival_;
  std::vector<std::uint64_t> nonces_;
  std::vector<std::shared_ptr<const Transaction>> mempool_;
  std::vector<Observation> held_;
  RunResult result_;
};

// The defaults with 2 manufacturers, 3 wholesalers and 6 pharmacies (the balanced mix), a
// counterfeit rate high enough to see every type many times.
SupplyConfig balanced(const std::map<std::string, std::string>& extra = {}) {
  std::map<std::string, std::string> given = {{"counterfeit_fraction", "0.05"}};
  for (const auto& [k, v] : extra) given[k] = v;
  return config_with(11, given);
}

void expect_healthy(const RunResult& r, const SupplyWorkload& w) {
  // Every counterfeit ordered and denied, none applied or invalid.
  for (std::uint16_t k = kFirstCounterfeitKind; k < kKindCount; ++k) {
    const auto kind = static_cast<Kind>(k);
    EXPECT_GT(r.count(kind, TxOutcome::kDenied), 20u) << kind_name(k);
    EXPECT_EQ(r.count(kind, TxOutcome::kApplied), 0u) << kind_name(k);
    EXPECT_EQ(r.count(kind, TxOutcome::kInvalid), 0u) << kind_name(k);
  }
  // No honest event denied or invalid (verify may be answered "not active").
  for (std::uint16_t k = 0; k < kFirstCounterfeitKind; ++k) {
    const auto kind = static_cast<Kind>(k);
    EXPECT_EQ(r.count(kind, TxOutcome::kInvalid), 0u) << kind_name(k);
    if (kind == Kind::kVerify) continue;
    EXPECT_EQ(r.count(kind, TxOutcome::kDenied), 0u) << kind_name(k);
    EXPECT_GT(r.count(kind, TxOutcome::kApplied), 0u) << kind_name(k);
  }
  EXPECT_TRUE(r.honest_denial_reasons.empty());
  for (ClientId c = 0; c < w.config().roles.organisations; ++c) {
    EXPECT_EQ(w.dropped_events(c), 0u) << "client " << c;
  }
  // The metrics agree with the outcome table.
  EXPECT_EQ(r.figure("counterfeit_unknown_serial_accepted"), 0);
  EXPECT_EQ(r.figure("counterfeit_double_dispense_accepted"), 0);
  EXPECT_EQ(r.figure("counterfeit_broken_custody_accepted"), 0);
  EXPECT_EQ(r.figure("counterfeit_detection_rate"), 100);
  EXPECT_EQ(r.figure("honest_denied"), 0);
  EXPECT_EQ(r.figure("units_dispensed"),
            static_cast<double>(r.count(Kind::kDispense, TxOutcome::kApplied)));
  EXPECT_EQ(r.figure("units_commissioned"),
            static_cast<double>(r.count(Kind::kCommission, TxOutcome::kApplied) * 12));
  EXPECT_LE(r.figure("units_dispensed") + r.figure("units_decommissioned"),
            r.figure("units_commissioned"));
  EXPECT_GT(r.figure("custody_time_p50"), 0);
  EXPECT_GE(r.figure("custody_time_p99"), r.figure("custody_time_p50"));
}

TEST(SupplyFlowTest, TenMinutesOfTheBalancedNetworkDenyEveryCounterfeitAndNoHonestEvent) {
  SupplyWorkload w(balanced());
  const RunResult r = Driver(w, {}).run(600 * kNsPerSec);
  expect_healthy(r, w);
  // Units reach patients: most of what was commissioned more than a few steps ago is dispensed.
  EXPECT_GT(r.figure("units_dispensed"), 0.5 * r.figure("units_commissioned"));
  EXPECT_GT(r.count(Kind::kDecommission, TxOutcome::kApplied), 0u);  // damaged, 1%
  // Honest verifications are mostly of held or in-transit EPCs.
  EXPECT_LT(r.count(Kind::kVerify, TxOutcome::kDenied),
            r.count(Kind::kVerify, TxOutcome::kApplied));
}

TEST(SupplyFlowTest, ShuffledBlocksAndLateObservationsStillDenyNoHonestEvent) {
  // Dependent events are drafted only after their prerequisite was observed applied, so neither
  // reordering within blocks nor observations arriving a block late can make one fail.
  SupplyWorkload w(balanced());
  DriverOptions o;
  o.shuffle_blocks = true;
  o.late_observations = true;
  const RunResult r = Driver(w, o).run(600 * kNsPerSec);
  expect_healthy(r, w);
}

TEST(SupplyFlowTest, EveryCounterfeitIsDeniedForTheReasonItsTypeStandsFor) {
  SupplyWorkload w(balanced({{"counterfeit_fraction", "0.2"}}));
  const RunResult r = Driver(w, {}).run(300 * kNsPerSec);
  for (const auto& [reason, n] : r.counterfeit_denial_reasons) {
    EXPECT_TRUE(reason == Reason::kUnknownEpc || reason == Reason::kNotActive ||
                reason == Reason::kNotOwner || reason == Reason::kInTransit ||
                reason == Reason::kNotDestination || reason == Reason::kNotInTransit ||
                reason == Reason::kRoleNotAllowed)
        << to_string(reason) << " x" << n;
  }
  const auto denied_for = [&](Reason reason) {
    const auto it = r.counterfeit_denial_reasons.find(reason);
    return it == r.counterfeit_denial_reasons.end() ? std::uint64_t{0} : it->second;
  };
  EXPECT_GT(denied_for(Reason::kUnknownEpc), 0u);
  EXPECT_GT(denied_for(Reason::kNotActive), 0u);  // double dispense
  EXPECT_GT(denied_for(Reason::kNotOwner), 0u);   // broken custody
  EXPECT_GT(denied_for(Reason::kNotDestination) + denied_for(Reason::kNotInTransit),
            0u);  // receive by the shipper
  EXPECT_EQ(r.count(Kind::kCounterfeitBrokenCustody, TxOutcome::kApplied), 0u);
}

TEST(SupplyFlowTest, ShortShelfLifeMakesPharmaciesDecommissionExpiredUnits) {
  // One workload day = 1 s and a 20-day shelf life: units expire 20 s after commissioning, so
  // units that wait at a backlogged pharmacy expire. A unit that expires between draft and
  // commit is the only honest denial possible, and it says so.
  SupplyConfig config = config_with(8,
                                    {{"counterfeit_fraction", "0"},
                                     {"decommission_fraction", "0"},
                                     {"shelf_life_days", "20"},
                                     {"pharmacy_zipf_s", "2"}},
                                    kNsPerSec);
  SupplyWorkload w(config);
  const RunResult r = Driver(w, {}).run(300 * kNsPerSec);
  EXPECT_GT(r.expired_decommissions, 100u);
  EXPECT_EQ(r.expired_decommissions, r.count(Kind::kDecommission, TxOutcome::kApplied));
  for (const auto& [reason, n] : r.honest_denial_reasons) {
    EXPECT_EQ(reason, Reason::kExpired) << to_string(reason) << " x" << n;
  }
  EXPECT_GT(r.count(Kind::kDispense, TxOutcome::kApplied), 0u);
}

TEST(SupplyFlowTest, ARunIsAFunctionOfItsSeed) {
  SupplyWorkload a(balanced());
  SupplyWorkload b(balanced());
  const RunResult ra = Driver(a, {}).run(120 * kNsPerSec);
  const RunResult rb = Driver(b, {}).run(120 * kNsPerSec);
  EXPECT_EQ(ra.outcomes, rb.outcomes);
  EXPECT_EQ(ra.state_keys, rb.state_keys);
  EXPECT_EQ(ra.state_bytes, rb.state_bytes);
  ASSERT_EQ(ra.figures.size(), rb.figures.size());
  for (std::size_t i = 0; i < ra.figures.size(); ++i) {
    EXPECT_EQ(ra.figures[i].value, rb.figures[i].value) << ra.figures[i].name;
  }
}

TEST(SupplyFlowTest, WithoutWholesalersManufacturersShipStraightToPharmacies) {
  SupplyWorkload w(config_with(4, {{"wholesalers", "0"}, {"counterfeit_fraction", "0.05"}}));
  const RunResult r = Driver(w, {}).run(300 * kNsPerSec);
  expect_healthy(r, w);
}

TEST(SupplyFlowTest, WithoutObservationsOnlyManufacturersCommissionAndEveryoneElseVerifies) {
  // What `hlsim run` shows until the simulator delivers observations: no shipment is ever seen.
  SupplyWorkload w(balanced({{"counterfeit_fraction", "0"}}));
  std::vector<Rng> rngs;
  std::array<std::uint64_t, kKindCount> kinds{};
  for (ClientId c = 0; c < 11; ++c) rngs.push_back(Rng::stream(kSeed, RngDomain::kClient, c));
  for (int i = 0; i < 1'100; ++i) {
    const auto c = static_cast<ClientId>(i % 11);
    ++kinds[w.next_tx(c, i * kNsPerMs, rngs[c]).kind];
  }
  EXPECT_EQ(kinds[static_cast<std::size_t>(Kind::kCommission)], 4u);  // two pallets' worth each
  EXPECT_EQ(kinds[static_cast<std::size_t>(Kind::kVerify)], 1'100u - 4u);
}

}  // namespace
}  // namespace hlsim::supply
