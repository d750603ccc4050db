// Verification policies (ledger.verify) change host work only: every-node, once and model-only
// must simulate exactly the same run for honest input, for both signature schemes. With forged
// transactions, every-node and once reject every forgery and still agree; model-only accepts
// forgeries, and its results file says so.
#include <H5Cpp.h>
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "ledger/storage/temp_dir.h"
#include "ledger/transaction.h"
#include "sim/results/h5_writer.h"
#include "sim/results/summary.h"
#include "sim/run/run_fingerprint.h"
#include "sim/run/simulation.h"

namespace hlsim {
namespace {

using test_util::expect_same_run;
using test_util::run_fingerprint;

const std::string kDataDir = HLSIM_SOURCE_DIR;

const char* kScenario =
    "seed: 11\nduration_s: 3\ndrain_s: 2\n"
    "consensus: {protocol: raft, nodes: 4}\n"
    "workload: {kind: ehr, clients: 8, rate_tps: 200}\n"
    "network: {topology: full_mesh, latency_ms: 2, jitter: {dist: exponential, mean_ms: 0.3}}\n";

struct Ran {
  std::unique_ptr<Simulation> sim;
  RunOutcome outcome;
  std::vector<std::string> fingerprint;
};

Ran run(const std::vector<Override>& overrides) {
  auto sc = load_scenario_text(kScenario, "policies.yaml", overrides, kDataDir, kDataDir);
  EXPECT_TRUE(sc.ok()) << sc.error().message;
  auto sim = Simulation::create(sc.value());
  EXPECT_TRUE(sim.ok()) << (sim.ok() ? "" : sim.error().message);
  Ran r{std::move(sim.value()), {}, {}};
  r.outcome = r.sim->run(nullptr, nullptr);
  r.fingerprint = run_fingerprint(*r.sim, r.outcome);
  return r;
}

Ran run_with(const std::string& scheme, const std::string& policy,
             const std::string& forged = "0") {
  return run({{"ledger.signature", scheme},
              {"ledger.verify", policy},
              {"workload.forged_fraction", forged}});
}

// A sound run: complete, no safety violation, something committed, every node at the same head.
void expect_sound(const Ran& r) {
  ASSERT_TRUE(r.outcome.complete) << r.outcome.stop_reason;
  EXPECT_TRUE(r.sim->safety().violations().empty()) << r.sim->safety().descriptions().front();
  const RunSummary s = summarize(*r.sim, r.outcome);
  EXPECT_GT(s.submitted, 400u);  // ≈ 200 tx/s for 3 s
  EXPECT_GT(s.committed, 0u);
  EXPECT_EQ(s.pending, 0u);
  const Chain& first = r.sim->nodes()[0]->chain();
  EXPECT_GT(first.height(), 5u);
  for (const auto& node : r.sim->nodes()) {
    EXPECT_EQ(node->chain().height(), first.height());
    EXPECT_EQ(node->chain().head_hash(), first.head_hash());
  }
}

std::string text_attr(const H5::Group& g, const char* name) {
  if (!g.attrExists(name)) return "<absent>";
  H5::Attribute a = g.openAttribute(name);
  std::string out;
  a.read(a.getStrType(), out);
  return out;
}

TEST(LedgerPoliciesTest, Ed25519EveryNodeOnceAndModelOnlySimulateTheSameRun) {
  const Ran every = run_with("ed25519", "every-node");
  const Ran once = run_with("ed25519", "once");
  const Ran model = run_with("ed25519", "model-only");
  expect_sound(every);
  expect_sound(once);
  expect_sound(model);
  expect_same_run(every.fingerprint, once.fingerprint, "every-node vs once");
  expect_same_run(every.fingerprint, model.fingerprint, "every-node vs model-only");

  // The policies really differ in what the host did.
  const Verifier& ve = every.sim->shared().verifier;
  const Verifier& vo = once.sim->shared().verifier;
  const Verifier& vm = model.sim->shared().verifier;
  EXPECT_EQ(ve.policy(), VerifyPolicy::kEveryNode);
  EXPECT_EQ(vo.policy(), VerifyPolicy::kOnce);
  EXPECT_EQ(vm.policy(), VerifyPolicy::kModelOnly);
  EXPECT_GT(ve.real_checks(), 0u);
  EXPECT_EQ(ve.reused(), 0u);
  EXPECT_GT(vo.reused(), 0u);
  EXPECT_LT(vo.real_checks(), ve.real_checks());
  EXPECT_EQ(vm.real_checks(), 0u);
  EXPECT_GT(vm.skipped(), 0u);
}

TEST(LedgerPoliciesTest, EcdsaP256EveryNodeAndOnceSimulateTheSameRun) {
  const Ran every = run_with("ecdsa-p256", "every-node");
  const Ran once = run_with("ecdsa-p256", "once");
  expect_sound(every);
  expect_sound(once);
  expect_same_run(every.fingerprint, once.fingerprint, "ecdsa every-node vs once");
  EXPECT_GT(once.sim->shared().verifier.reused(), 0u);
  // The override took effect: blocks and transactions are ECDSA-signed.
  const Chain& chain = every.sim->nodes()[0]->chain();
  ASSERT_GT(chain.height(), 0u);
  EXPECT_EQ(chain.at(1)->header.proposer_key.scheme, SigScheme::kEcdsaP256);
  bool saw_tx = false;
  for (const BlockRef& b : chain.blocks()) {
    for (const TxRef& tx : b->txs) {
      EXPECT_EQ(tx->signer.scheme, SigScheme::kEcdsaP256);
      saw_tx = true;
    }
  }
  EXPECT_TRUE(saw_tx);
}

// The ids of every transaction committed in `sim`'s chains whose signature does not verify.
std::set<Hash256> committed_forgeries(const Simulation& sim) {
  std::set<Hash256> out;
  for (const auto& node : sim.nodes()) {
    for (const BlockRef& b : node->chain().blocks()) {
      for (const TxRef& tx : b->txs) {
        if (!verify_tx(*tx)) out.insert(tx->id);
      }
    }
  }
  return out;
}

std::set<Hash256> ids_with_status(const Simulation& sim, TxStatus status) {
  std::set<Hash256> out;
  for (const TxRecord& t : sim.metrics().txs()) {
    if (t.status == status) out.insert(t.id);
  }
  return out;
}

TEST(LedgerPoliciesTest, ForgeriesAreRejectedByEveryNodeAndOnceAndAcceptedByModelOnly) {
  for (const char* scheme : {"ed25519", "ecdsa-p256"}) {
    SCOPED_TRACE(scheme);
    const Ran every = run_with(scheme, "every-node", "0.05");
    const Ran once = run_with(scheme, "once", "0.05");
    const Ran model = run_with(scheme, "model-only", "0.05");
    expect_sound(every);
    expect_sound(once);
    expect_same_run(every.fingerprint, once.fingerprint, "forged: every-node vs once");

    // model-only accepts forgeries: they are ordered and committed like honest transactions,
    // which tells us exactly which transactions were forged (the clients' draws do not depend on
    // the policy).
    const std::set<Hash256> forged = committed_forgeries(*model.sim);
    ASSERT_GT(forged.size(), 5u) << "about 5% of ≈ 600 transactions are forged";
    EXPECT_TRUE(ids_with_status(*model.sim, TxStatus::kRejected).empty());
    for (const TxRecord& t : model.sim->metrics().txs()) {
      if (forged.contains(t.id)) {
        EXPECT_NE(t.status, TxStatus::kRejected);
        EXPECT_NE(t.status, TxStatus::kPending);
      }
    }

    // every-node and once reject each forgery at its gateway and nothing else; none is ever
    // ordered, let alone applied.
    for (const Ran* r : {&every, &once}) {
      EXPECT_EQ(ids_with_status(*r->sim, TxStatus::kRejected), forged);
      EXPECT_TRUE(committed_forgeries(*r->sim).empty());
      const RunSummary s = summarize(*r->sim, r->outcome);
      EXPECT_EQ(s.rejected, forged.size());
      EXPECT_EQ(s.committed + s.rejected, s.submitted);
      std::uint64_t rejected_at_gateways = 0;
      for (const auto& node : r->sim->nodes()) {
        rejected_at_gateways += node->counters().client_txs_rejected;
      }
      EXPECT_EQ(rejected_at_gateways, forged.size());
    }

    // The results files say which policy ran; only model-only carries the warning note.
    test_util::TempDir dir;
    for (const Ran* r : {&every, &once, &model}) {
      const std::string path = dir.sub("run.h5");
      const RunSummary s = summarize(*r->sim, r->outcome);
      const Status st = write_results_h5(path, "0", *r->sim, r->outcome, s);
      ASSERT_TRUE(st.ok()) << st.error().message;
      H5::H5File file(path, H5F_ACC_RDONLY);
      const H5::Group g = file.openGroup("/runs/0");
      const std::string policy = text_attr(g, "verification_policy");
      const std::string note = text_attr(g, "verification_note");
      EXPECT_EQ(policy, to_string(r->sim->scenario().ledger.verify));
      EXPECT_EQ(text_attr(g, "signature_scheme"), scheme);
      if (r == &model) {
        EXPECT_EQ(policy, "model-only");
        EXPECT_NE(note.find("model-only"), std::string::npos) << note;
        EXPECT_NE(note.find("forged"), std::string::npos) << note;
        EXPECT_NE(note.find("not"), std::string::npos) << note;
      } else {
        EXPECT_NE(policy, "model-only");
        EXPECT_EQ(note, "<absent>");
      }
    }
  }
}

}  // namespace
}  // namespace hlsim
