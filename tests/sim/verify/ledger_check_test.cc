// Tamper detection of stored ledgers (sim/verify): flipping ANY single byte of any stored block
// (header, proposer signature, transaction body or transaction signature) is detected and blamed
// on that block; so are a tampered or missing state root, swapped blocks, and, in a RocksDB
// ledger, a block or a world-state value changed on disk. A forged transaction that the validators
// legitimately recorded as invalid is not a defect.
#include "sim/verify/ledger_check.h"

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "ledger/block.h"
#include "ledger/chain.h"
#include "ledger/crypto/signature.h"
#include "ledger/storage/rocksdb_ledger_store.h"
#include "ledger/storage/temp_dir.h"
#include "ledger/verifier.h"
#include "sim/results/h5_writer.h"
#include "sim/results/summary.h"
#include "sim/run/simulation.h"
#include "sim/verify/ledger_sources.h"
#include "workloads/execute.h"

namespace hlsim {
namespace {

const std::string kDataDir = HLSIM_SOURCE_DIR;

// A tiny run: an election, then about eight transactions batched into a few blocks.
const char* kTiny =
    "seed: 4\nduration_s: 1\ndrain_s: 1\n"
    "consensus: {protocol: raft, nodes: 3, batch_timeout_ms: 250}\n"
    "workload: {kind: ehr, clients: 2, rate_tps: 8}\n";

// Runs kTiny with `scheme` and `storage` into <dir>/<name>.h5 (results file written, simulation
// destroyed so every store is closed). Returns the results path.
std::string run_tiny(const test_util::TempDir& dir, const std::string& name,
                     const std::string& scheme, const std::string& storage = "memory") {
  auto sc = load_scenario_text(kTiny, "tiny.yaml",
                               {{"ledger.signature", scheme}, {"ledger.storage", storage}},
                               kDataDir, kDataDir);
  EXPECT_TRUE(sc.ok()) << sc.error().message;
  Scenario scenario = sc.value();
  scenario.output_path = dir.sub(name + ".h5");
  auto sim = Simulation::create(scenario);
  EXPECT_TRUE(sim.ok()) << (sim.ok() ? "" : sim.error().message);
  const RunOutcome outcome = sim.value()->run(nullptr, nullptr);
  EXPECT_TRUE(outcome.complete) << outcome.stop_reason;
  EXPECT_TRUE(sim.value()->safety().violations().empty());
  const RunSummary summary = summarize(*sim.value(), outcome);
  EXPECT_TRUE(write_results_h5(scenario.output_path, "0", *sim.value(), outcome, summary).ok());
  return scenario.output_path;
}

LoadedLedger load_one(const std::string& path) {
  auto ledgers = load_ledgers(path);
  EXPECT_TRUE(ledgers.ok()) << ledgers.error().message;
  EXPECT_EQ(ledgers.value().size(), 1u);
  return std::move(ledgers.value().front());
}

std::unique_ptr<Contract> contract_of(const LoadedLedger& l) {
  auto c = contract_from_scenario(l.scenario_yaml, kDataDir);
  EXPECT_TRUE(c.ok()) << c.error().message;
  return std::move(c.value());
}

// Flips every byte of every block of `ledger` (xor 0x01, then xor 0xff) and checks each time that
// the check fails at that block. Returns the number of tampered encodings tried.
std::uint64_t expect_every_byte_flip_detected(StoredLedger ledger, Contract* contract) {
  std::uint64_t tried = 0;
  int reported = 0;
  for (std::size_t i = 0; i < ledger.blocks.size(); ++i) {
    const Height h = static_cast<Height>(i + 1);
    Bytes& block = ledger.blocks[i];
    for (std::size_t off = 0; off < block.size(); ++off) {
      for (const std::uint8_t mask : {std::uint8_t{0x01}, std::uint8_t{0xff}}) {
        block[off] ^= mask;
        const LedgerCheck r = check_ledger(ledger, contract);
        block[off] ^= mask;
        ++tried;
        if ((r.ok || r.bad_height != h) && reported++ < 10) {
          ADD_FAILURE() << ledger.source << ": block " << h << " byte " << off << " of "
                        << block.size() << " xor 0x" << std::hex << int{mask} << std::dec
                        << (r.ok ? " went undetected"
                                 : " was blamed on height " + std::to_string(r.bad_height) + ": " +
                                       r.failure);
        }
      }
    }
  }
  // The ledger itself, untouched, still passes.
  const LedgerCheck clean = check_ledger(ledger, contract);
  EXPECT_TRUE(clean.ok) << clean.failure;
  return tried;
}

class LedgerCheckTest : public ::testing::TestWithParam<const char*> {
 protected:
  test_util::TempDir dir_;
};

TEST_P(LedgerCheckTest, ExportedLedgerVerifiesAndEveryFlippedByteOfEveryBlockIsDetected) {
  const LoadedLedger l = load_one(run_tiny(dir_, "tiny", GetParam()));
  const StoredLedger& ledger = l.ledger;
  ASSERT_GE(ledger.blocks.size(), 3u);
  ASSERT_LE(ledger.blocks.size(), 8u) << "keep the sweep small";
  EXPECT_EQ(ledger.state_roots.size(), ledger.blocks.size());
  EXPECT_EQ(ledger.validators.size(), 3u);
  EXPECT_FALSE(ledger.final_state.has_value());  // a results file holds no world state
  const std::unique_ptr<Contract> contract = contract_of(l);

  const LedgerCheck clean = check_ledger(ledger, contract.get());
  ASSERT_TRUE(clean.ok) << clean.failure;
  EXPECT_TRUE(clean.reexecuted);
  EXPECT_EQ(clean.blocks, ledger.blocks.size());
  EXPECT_GE(clean.txs, 3u);
  EXPECT_EQ(clean.invalid_txs, 0u);
  EXPECT_TRUE(check_ledger(ledger, nullptr).ok);
  // The blocks carry the scenario's scheme.
  const auto first = Block::decode(ledger.blocks.front());
  ASSERT_TRUE(first);
  EXPECT_STREQ(to_string(first->header.proposer_key.scheme), GetParam());

  std::size_t bytes = 0;
  for (const Bytes& b : ledger.blocks) bytes += b.size();
  const std::uint64_t tried = expect_every_byte_flip_detected(ledger, contract.get());
  EXPECT_EQ(tried, 2 * bytes);
  RecordProperty("blocks", static_cast<int>(ledger.blocks.size()));
  RecordProperty("tampered_encodings", static_cast<int>(tried));
}

TEST_P(LedgerCheckTest, TamperedSwappedOrMissingStateRootsAndBlocksAreDetected) {
  const LoadedLedger l = load_one(run_tiny(dir_, "tiny", GetParam()));
  ASSERT_GE(l.ledger.blocks.size(), 3u);
  const std::unique_ptr<Contract> contract = contract_of(l);

  // A recorded state root changed: re-execution disagrees at that height.
  for (std::size_t i = 0; i < l.ledger.blocks.size(); ++i) {
    StoredLedger t = l.ledger;
    t.state_roots[i].bytes[7] ^= 0x01;
    const LedgerCheck r = check_ledger(t, contract.get());
    EXPECT_FALSE(r.ok) << "state root " << i + 1;
    EXPECT_EQ(r.bad_height, i + 1) << r.failure;
  }
  // Without the contract, a root a later header commits to is still checked against it.
  {
    StoredLedger t = l.ledger;
    Height referenced = 0, by = 0;
    for (std::size_t i = 0; i < t.blocks.size() && referenced == 0; ++i) {
      const auto b = Block::decode(t.blocks[i]);
      ASSERT_TRUE(b);
      if (b->header.state.height > 0) {
        referenced = b->header.state.height;
        by = b->header.height;
      }
    }
    ASSERT_GT(referenced, 0u) << "some header commits to a non-empty state";
    t.state_roots[referenced - 1].bytes[0] ^= 0x80;
    const LedgerCheck r = check_ledger(t, nullptr);
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.bad_height, by) << r.failure;
  }
  // Two blocks swapped: the first one out of place is named.
  {
    StoredLedger t = l.ledger;
    std::swap(t.blocks[1], t.blocks[2]);
    const LedgerCheck r = check_ledger(t, contract.get());
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.bad_height, 2u) << r.failure;
    // ...also with their state roots swapped along, and without re-execution.
    std::swap(t.state_roots[1], t.state_roots[2]);
    EXPECT_FALSE(check_ledger(t, contract.get()).ok);
    EXPECT_FALSE(check_ledger(t, nullptr).ok);
  }
  // The last block's state root entry dropped.
  {
    StoredLedger t = l.ledger;
    t.state_roots.pop_back();
    const LedgerCheck r = check_ledger(t, contract.get());
    EXPECT_FALSE(r.ok);
    EXPECT_NE(r.failure.find("state roots"), std::string::npos) << r.failure;
    EXPECT_FALSE(check_ledger(t, nullptr).ok);
  }
  // A block dropped from the middle breaks the hash chain at its successor.
  {
    StoredLedger t = l.ledger;
    t.blocks.erase(t.blocks.begin() + 1);
    t.state_roots.erase(t.state_roots.begin() + 1);
    const LedgerCheck r = check_ledger(t, contract.get());
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.bad_height, 2u) << r.failure;
  }
  // A proposer outside the recorded validator set.
  {
    StoredLedger t = l.ledger;
    t.validators[0] =
        SigningKey::derive(99, "stranger", *parse_sig_scheme(GetParam())).public_key();
    t.validators[1] = t.validators[0];
    t.validators[2] = t.validators[0];
    const LedgerCheck r = check_ledger(t, contract.get());
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.bad_height, 1u) << r.failure;
  }
}

// Builds the chain validators would: blocks sealed by validator 0 (the run's own key) over the
// run's transactions, one of them forged (its signature altered after signing, as a forging client
// does), each executed with the signature verdicts before being appended.
StoredLedger chain_with_forgery(const LoadedLedger& l, const std::string& scheme,
                                Contract& contract) {
  std::vector<TxRef> txs;
  for (const Bytes& enc : l.ledger.blocks) {
    const auto b = Block::decode(enc);
    EXPECT_TRUE(b);
    for (const TxRef& tx : b->txs) txs.push_back(tx);
  }
  EXPECT_GE(txs.size(), 4u);
  Transaction forged = *txs[1];
  forged.signature.bytes[forged.signature.size / 2] ^= 0x01;
  EXPECT_FALSE(verify_tx(forged));
  txs[1] = std::make_shared<const Transaction>(std::move(forged));

  const SigningKey key = SigningKey::derive(4, "validator-0", *parse_sig_scheme(scheme));
  EXPECT_EQ(key.public_key(), l.ledger.validators[0]);
  Chain chain;
  std::vector<std::vector<TxRef>> groups = {{txs[0], txs[1]}, {txs[2], txs[3]}};
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const Height h = chain.next_height();
    const BlockRef block = seal_block(h, chain.head_hash(), 0, 1, static_cast<TimeNs>(h) * 1000,
                                      groups[g], key, chain.state_commitment());
    const std::vector<std::uint8_t> valid = verify_txs_parallel(block->txs);
    BlockExecution run = execute_block(contract, chain.store(), *block, valid);
    if (g == 0) {
      EXPECT_EQ(valid[1], 0);
      EXPECT_EQ(run.outcomes[1], TxOutcome::kInvalid);
    }
    EXPECT_TRUE(chain.append(block, run.writes).ok());
  }
  StoredLedger out;
  out.source = "hand-built chain with a forgery";
  for (Height h = 1; h <= chain.height(); ++h) {
    out.blocks.push_back(chain.at(h)->encode());
    out.state_roots.push_back(chain.state_root_at(h));
  }
  out.validators = l.ledger.validators;
  return out;
}

TEST_P(LedgerCheckTest, ForgedTransactionRecordedInvalidIsNotADefectButTamperingItIs) {
  const LoadedLedger l = load_one(run_tiny(dir_, "tiny", GetParam()));
  const std::unique_ptr<Contract> builder = contract_of(l);
  const StoredLedger ledger = chain_with_forgery(l, GetParam(), *builder);
  ASSERT_EQ(ledger.blocks.size(), 2u);
  const std::unique_ptr<Contract> contract = contract_of(l);
  const LedgerCheck r = check_ledger(ledger, contract.get());
  EXPECT_TRUE(r.ok) << r.failure;
  EXPECT_EQ(r.invalid_txs, 1u);
  EXPECT_EQ(r.txs, 4u);
  EXPECT_TRUE(r.reexecuted);
  const LedgerCheck without = check_ledger(ledger, nullptr);
  EXPECT_TRUE(without.ok) << without.failure;
  EXPECT_EQ(without.invalid_txs, 1u);
  // The forged signature is committed to like any other: changing any byte anywhere, including
  // "repairing" the forgery, is caught.
  expect_every_byte_flip_detected(ledger, contract.get());
}

INSTANTIATE_TEST_SUITE_P(Schemes, LedgerCheckTest, ::testing::Values("ed25519", "ecdsa-p256"),
                         [](const auto& p) {
                           return std::string(p.param) == "ed25519" ? "Ed25519" : "EcdsaP256";
                         });

// Direct access to a node's RocksDB ledger, bypassing the store's interface, as an attacker with
// the disk would have.
class RawLedgerDb {
 public:
  explicit RawLedgerDb(const std::string& dir) {
    const std::vector<rocksdb::ColumnFamilyDescriptor> families = {
        {rocksdb::kDefaultColumnFamilyName, {}},
        {std::string(rocksdb_ledger::kBlocksFamily), {}},
        {std::string(rocksdb_ledger::kStateFamily), {}},
        {std::string(rocksdb_ledger::kMetaFamily), {}}};
    rocksdb::DB* raw = nullptr;
    status_ = rocksdb::DB::Open(rocksdb::DBOptions(), dir, families, &handles_, &raw);
    db_.reset(raw);
  }
  ~RawLedgerDb() {
    for (rocksdb::ColumnFamilyHandle* h : handles_) (void)db_->DestroyColumnFamilyHandle(h);
    if (db_) (void)db_->Close();
  }
  bool ok() const { return status_.ok(); }
  std::string error() const { return status_.ToString(); }
  rocksdb::DB& db() { return *db_; }
  rocksdb::ColumnFamilyHandle* blocks() { return handles_[1]; }
  rocksdb::ColumnFamilyHandle* state() { return handles_[2]; }

 private:
  rocksdb::Status status_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  std::unique_ptr<rocksdb::DB> db_;
};

TEST(LedgerCheckRocksdbTest, BlockOrStateChangedOnDiskIsDetected) {
  test_util::TempDir dir;
  const std::string results = run_tiny(dir, "rocks", "ed25519", "rocksdb");
  const std::string ledger_dir = ledger_dir_for(results);
  auto all = load_ledgers(ledger_dir);
  ASSERT_TRUE(all.ok()) << all.error().message;
  ASSERT_EQ(all.value().size(), 3u);
  for (const LoadedLedger& l : all.value()) {
    ASSERT_TRUE(l.ledger.final_state.has_value());
    EXPECT_FALSE(l.ledger.final_state->empty());
    const LedgerCheck r = check_ledger(l.ledger, contract_of(l).get());
    ASSERT_TRUE(r.ok) << l.ledger.source << ": " << r.failure;
    ASSERT_GE(r.blocks, 3u);
  }

  // Block 2 of node 0 with one flipped byte.
  const std::string node0 = ledger_dir + "/node-0";
  {
    RawLedgerDb raw(node0);
    ASSERT_TRUE(raw.ok()) << raw.error();
    const auto key = rocksdb_ledger::block_key(2);
    const rocksdb::Slice k(reinterpret_cast<const char*>(key.data()), key.size());
    std::string value;
    ASSERT_TRUE(raw.db().Get(rocksdb::ReadOptions(), raw.blocks(), k, &value).ok());
    value[value.size() - 5] ^= 0x01;
    ASSERT_TRUE(raw.db().Put(rocksdb::WriteOptions(), raw.blocks(), k, value).ok());
  }
  {
    const LoadedLedger l = load_one(node0);
    const LedgerCheck r = check_ledger(l.ledger, contract_of(l).get());
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.bad_height, 2u) << r.failure;
    EXPECT_EQ(r.failure.rfind("block 2:", 0), 0u) << r.failure;
    const LedgerCheck plain = check_ledger(l.ledger, nullptr);
    EXPECT_FALSE(plain.ok);
    EXPECT_EQ(plain.bad_height, 2u) << plain.failure;
  }

  // One world-state value of node 2 changed: its blocks are intact, but the stored state is no
  // longer the state they produce.
  const std::string node2 = ledger_dir + "/node-2";
  {
    RawLedgerDb raw(node2);
    ASSERT_TRUE(raw.ok()) << raw.error();
    std::unique_ptr<rocksdb::Iterator> it(
        raw.db().NewIterator(rocksdb::ReadOptions(), raw.state()));
    it->SeekToFirst();
    ASSERT_TRUE(it->Valid());
    const std::string key = it->key().ToString();
    std::string value = it->value().ToString();
    it.reset();
    ASSERT_FALSE(value.empty());
    value[0] ^= 0x01;
    ASSERT_TRUE(raw.db().Put(rocksdb::WriteOptions(), raw.state(), key, value).ok());
  }
  {
    const LoadedLedger l = load_one(node2);
    const LedgerCheck r = check_ledger(l.ledger, contract_of(l).get());
    EXPECT_FALSE(r.ok);
    EXPECT_NE(r.failure.find("stored world state"), std::string::npos) << r.failure;
    EXPECT_EQ(r.blocks, l.ledger.blocks.size()) << "every block itself still holds";
    // Also without re-execution: the stored state must match the last recorded root.
    EXPECT_FALSE(check_ledger(l.ledger, nullptr).ok);
    // And the node itself would refuse to recover from it.
    auto store = open_rocksdb_ledger_store(node2, /*create=*/false);
    ASSERT_TRUE(store.ok()) << store.error().message;
    EXPECT_FALSE(Chain::open(std::move(store.value())).ok());
  }

  // Node 1 was left alone and still verifies; the directory as a whole does not.
  {
    const LoadedLedger l = load_one(ledger_dir + "/node-1");
    EXPECT_TRUE(check_ledger(l.ledger, contract_of(l).get()).ok);
  }
}

}  // namespace
}  // namespace hlsim
