#include "sim/observers/metrics.h"

namespace hlsim {

const char* to_string(TxStatus s) {
  switch (s) {
    case TxStatus::kPending:
      return "pending";
    case TxStatus::kCommitted:
      return "committed";
    case TxStatus::kDenied:
      return "denied";
    case TxStatus::kInvalid:
      return "invalid";
    case TxStatus::kRejected:
      return "rejected";
    case TxStatus::kLost:
      return "lost";
  }
  return "?";
}

Metrics::Metrics(std::vector<std::string> kind_names) : kind_names_(std::move(kind_names)) {}

std::uint32_t Metrics::on_submit(const Transaction& tx, NodeId gateway, TimeNs now_ns) {
  const auto index = static_cast<std::uint32_t>(txs_.size());
  TxRecord r;
  r.id = tx.id;
  r.kind = tx.kind;
  r.client = tx.client;
  r.gateway = gateway;
  r.bytes = static_cast<std::uint32_t>(tx.encoded_size());
  r.submit_ns = now_ns;
  txs_.push_back(r);
  index_.emplace(tx.id, index);
  return index;
}

void Metrics::on_lost(const Hash256& id) {
  auto it = index_.find(id);
  if (it != index_.end() && txs_[it->second].status == TxStatus::kPending) {
    txs_[it->second].status = TxStatus::kLost;
  }
}

void Metrics::on_rejected(const Hash256& id) {
  auto it = index_.find(id);
  if (it != index_.end()) txs_[it->second].status = TxStatus::kRejected;
}

void Metrics::on_commit(NodeId node, const Block& block, const std::vector<TxOutcome>& outcomes,
                        TimeNs now_ns) {
  const Height h = block.header.height;
  if (h == 0) return;  // the safety checker reports it
  if (blocks_.size() < h) blocks_.resize(h);
  BlockRecord& b = blocks_[h - 1];
  if (b.commits == 0) {
    b.height = h;
    b.hash = block.hash;
    b.proposer = block.header.proposer;
    b.epoch = block.header.epoch;
    b.tx_count = block.header.tx_count;
    b.bytes = block.encoded_size();
    b.sealed_ns = block.header.timestamp_ns;
    b.first_commit_ns = now_ns;
  } else if (b.hash != block.hash) {
    return;  // a disagreement: the safety checker reports it
  }
  if (node < recommit_through_.size() && h <= recommit_through_[node]) {
    ++recommits_;
    return;
  }
  ++b.commits;
  b.last_commit_ns = now_ns;

  const bool first_commit_of_block = b.commits == 1;
  for (std::size_t i = 0; i < block.txs.size(); ++i) {
    const Transaction& tx = *block.txs[i];
    auto it = index_.find(tx.id);
    if (it == index_.end()) continue;  // never submitted: the safety checker reports it
    TxRecord& r = txs_[it->second];
    if (r.first_commit_ns >= 0 && r.height != h) continue;  // committed twice: likewise
    if (first_commit_of_block) {
      r.first_commit_ns = now_ns;
      r.height = h;
      switch (outcomes[i]) {
        case TxOutcome::kApplied:
          r.status = TxStatus::kCommitted;
          break;
        case TxOutcome::kDenied:
          r.status = TxStatus::kDenied;
          break;
        case TxOutcome::kInvalid:
          r.status = TxStatus::kInvalid;
          break;
      }
    }
    if (node == r.gateway && r.gateway_commit_ns < 0) r.gateway_commit_ns = now_ns;
  }
}

void Metrics::on_pipeline_commit(std::uint32_t index, Height h, TxStatus status, bool at_gateway,
                                 TimeNs now_ns) {
  TxRecord& r = txs_[index];
  if (r.first_commit_ns < 0) {
    r.first_commit_ns = now_ns;
    r.height = h;
    r.status = status;
  }
  if (at_gateway && r.gateway_commit_ns < 0) r.gateway_commit_ns = now_ns;
}

const char* to_string(FetchStatus s) {
  switch (s) {
    case FetchStatus::kOk:
      return "ok";
    case FetchStatus::kAuthFailed:
      return "auth_failed";
    case FetchStatus::kLost:
      return "lost";
    case FetchStatus::kOwnerDown:
      return "owner_down";
  }
  return "unknown";
}

void Metrics::on_storage_lost(NodeId node, Height height) {
  if (recommit_through_.size() <= node) recommit_through_.resize(node + 1, 0);
  recommit_through_[node] = std::max(recommit_through_[node], height);
}

void Metrics::on_leader(std::uint64_t epoch, NodeId leader, TimeNs now_ns) {
  if (!leader_seen_.insert({epoch, leader}).second) return;
  leaders_.push_back({now_ns, epoch, leader});
}

}  // namespace hlsim
