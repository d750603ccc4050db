// The metrics observer: sees every submission, commit and leader change of the honest nodes of a
// run, from outside the nodes, and keeps what the results tables are made of. Judging the commits
// is the safety checker's job (safety_checker.h); a commit that disagrees with the block first
// committed at its height is ignored here.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "ledger/block.h"
#include "sim/kernel/ids.h"
#include "sim/kernel/time.h"
#include "workloads/contract.h"

namespace hlsim {

enum class TxStatus : std::uint8_t {
  kPending,    // submitted, not committed by the end of the run
  kCommitted,  // committed and applied by the contract
  kDenied,     // committed, the contract's rule said no (e.g. access without consent)
  kInvalid,    // committed, the contract found it invalid
  kRejected,   // its signature did not verify at the gateway: never ordered
  kLost,       // its gateway was down when it arrived
};
const char* to_string(TxStatus s);

struct TxRecord {
  Hash256 id;
  std::uint16_t kind = 0;
  ClientId client = 0;
  NodeId gateway = 0;
  std::uint32_t bytes = 0;
  TimeNs submit_ns = 0;
  TimeNs first_commit_ns = -1;    // first validator to commit it
  TimeNs gateway_commit_ns = -1;  // its gateway committing it (what the client is told)
  Height height = 0;
  TxStatus status = TxStatus::kPending;

  // When the client learns of the commit: its gateway's commit, else the first commit anywhere.
  TimeNs commit_ns() const { return gateway_commit_ns >= 0 ? gateway_commit_ns : first_commit_ns; }
};

struct BlockRecord {
  Height height = 0;
  Hash256 hash;
  NodeId proposer = 0;
  std::uint64_t epoch = 0;
  std::uint32_t tx_count = 0;
  std::uint64_t bytes = 0;
  TimeNs sealed_ns = 0;
  TimeNs first_commit_ns = 0;
  TimeNs last_commit_ns = 0;
  std::uint32_t commits = 0;  // validators that committed it
};

struct LeaderRecord {
  TimeNs time_ns;
  std::uint64_t epoch;
  NodeId leader;
};

// One off-chain read: an authorised reader fetching a subject's latest encrypted document from the
// owner organisation's store and decrypting it.
enum class FetchStatus : std::uint8_t {
  kOk,          // delivered, and the AES-GCM tag verified
  kAuthFailed,  // delivered, but the document did not authenticate (never, barring a bug)
  kLost,        // the request or the document was lost in the network
  kOwnerDown,   // the owner's gateway was down when the request arrived
};
const char* to_string(FetchStatus s);

struct FetchRecord {
  Hash256 tx;  // the access transaction that authorised it
  ClientId reader = 0;
  NodeId reader_gateway = 0;
  NodeId owner_gateway = 0;  // where the document is kept
  std::uint64_t bytes = 0;   // sealed document size
  TimeNs start_ns = 0;       // the access committed at the reader's gateway
  TimeNs done_ns = -1;       // decrypted at the reader (-1 unless kOk / kAuthFailed)
  FetchStatus status = FetchStatus::kOk;
};

class Metrics {
 public:
  explicit Metrics(std::vector<std::string> kind_names);

  // Returns the transaction's record index.
  std::uint32_t on_submit(const Transaction& tx, NodeId gateway, TimeNs now_ns);
  void on_lost(const Hash256& id);
  void on_rejected(const Hash256& id);
  void on_commit(NodeId node, const Block& block, const std::vector<TxOutcome>& outcomes,
                 TimeNs now_ns);
  // Execute-order-validate (sim/fabric/): transaction `index` (on_submit's) committed at a peer at
  // height h with `status`; at_gateway when that peer is the client's gateway. The first peer's
  // commit sets the status and the first commit time.
  void on_pipeline_commit(std::uint32_t index, Height h, TxStatus status, bool at_gateway,
                          TimeNs now_ns);
  void on_leader(std::uint64_t epoch, NodeId leader, TimeNs now_ns);
  // `node` restarted without its ledger (memory storage) after committing up to `height`: its
  // commits at heights <= height are re-commits while it catches up. They are still checked for
  // agreement but not counted again.
  void on_storage_lost(NodeId node, Height height);
  // Blocks re-committed by nodes catching up after losing their ledger.
  std::uint64_t recommits() const { return recommits_; }
  // An honest node's tentative chain switched forks, abandoning `depth_blocks` blocks.
  void on_reorg(std::uint32_t depth_blocks) {
    ++reorgs_;
    reorg_blocks_ += depth_blocks;
  }
  std::uint64_t reorgs() const { return reorgs_; }
  std::uint64_t reorg_blocks() const { return reorg_blocks_; }
  // A sealed document reached its organisation's off-chain store.
  void on_document_stored(std::uint64_t bytes) {
    ++documents_;
    document_bytes_ += bytes;
  }
  void on_fetch(const FetchRecord& r) { fetches_.push_back(r); }
  // An authorised read whose subject had no document yet.
  void on_fetch_without_document() { ++fetches_without_document_; }
  std::uint64_t documents() const { return documents_; }
  std::uint64_t document_bytes() const { return document_bytes_; }
  const std::vector<FetchRecord>& fetches() const { return fetches_; }
  std::uint64_t fetches_without_document() const { return fetches_without_document_; }

  const std::vector<TxRecord>& txs() const { return txs_; }
  const std::vector<BlockRecord>& blocks() const { return blocks_; }
  const std::vector<LeaderRecord>& leaders() const { return leaders_; }
  const std::vector<std::string>& kind_names() const { return kind_names_; }

 private:
  std::vector<std::string> kind_names_;
  std::vector<TxRecord> txs_;
  std::unordered_map<Hash256, std::uint32_t, Hash256Hasher> index_;
  std::vector<BlockRecord> blocks_;  // blocks_[h - 1] is height h
  std::vector<LeaderRecord> leaders_;
  std::set<std::pair<std::uint64_t, NodeId>> leader_seen_;
  std::uint64_t reorgs_ = 0;
  std::uint64_t reorg_blocks_ = 0;
  std::vector<Height> recommit_through_;  // by node
  std::uint64_t documents_ = 0;
  std::uint64_t document_bytes_ = 0;
  std::vector<FetchRecord> fetches_;
  std::uint64_t fetches_without_document_ = 0;
  std::uint64_t recommits_ = 0;
};

}  // namespace hlsim
