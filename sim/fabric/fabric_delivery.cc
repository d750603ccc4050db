// Step 5 of FabricPipeline (fabric_pipeline.h): the ordering service cuts channel blocks from
// each consensus block and streams them to member peers, who reconnect and seek after a crash.
#include <algorithm>

#include "sim/fabric/fabric_pipeline.h"

namespace hlsim {

// --- 5. ordered blocks reach the peers ---

void FabricPipeline::cut_channel_blocks(NodeId orderer, const BlockRef& block) {
  const Chain& chain = (*host_.orderers)[orderer]->chain();
  const auto channels = static_cast<std::uint32_t>(chains_.size());
  for (Height h = cut_from_.size() + 1; h <= block->header.height; ++h) {
    const BlockRef b = h == block->header.height ? block : chain.at(h);
    std::vector<std::vector<TxRef>> txs(channels);
    for (const TxRef& tx : b->txs) {
      // An ordered transaction that names no channel is no envelope: no peer receives it.
      const auto channel = envelope_channel(tx->payload);
      if (channel && *channel < channels) txs[*channel].push_back(tx);
    }
    const SigningKey& key = (*host_.orderers)[b->header.proposer]->signing_key();
    std::vector<std::pair<std::uint32_t, Height>> cut;
    for (std::uint32_t c = 0; c < channels; ++c) {
      if (txs[c].empty()) continue;
      std::vector<BlockRef>& chain_c = chains_[c];
      const Hash256 prev = chain_c.empty() ? Hash256{} : chain_c.back()->hash;
      chain_c.push_back(seal_block(chain_c.size() + 1, prev, b->header.proposer, b->header.epoch,
                                   b->header.timestamp_ns, std::move(txs[c]), key));
      cut.emplace_back(c, chain_c.size());
    }
    cut_from_.push_back(std::move(cut));
    for (std::uint32_t c = 0; c < channels; ++c) tips_.push_back(chains_[c].size());
  }
}

void FabricPipeline::on_ordered(NodeId orderer, const BlockRef& block, TimeNs now_ns) {
  const Height h = block->header.height;
  if (h > ordered_height_) {
    ordered_height_ = h;
    for (const TxRef& tx : block->txs) {
      const auto it = envelope_index_.find(tx->id);
      if (it != envelope_index_.end() && times_[it->second].ordered_ns < 0) {
        times_[it->second].ordered_ns = now_ns;
      }
    }
  }
  if (cut_from_.size() < h) cut_channel_blocks(orderer, block);
  // Each channel block goes to the subscribed peers that are members of its channel, after the
  // orderer has hashed and signed it.
  const HardwareProfile& prof = host_.shared->profile;
  TimeNs at_ns = now_ns;
  for (const auto& [channel, height] : cut_from_[h - 1]) {
    const BlockRef& cb = chains_[channel][height - 1];
    at_ns +=
        prof.hash_cost_ns(cb->encoded_size()) + prof.sign_cost_ns(cb->header.proposer_key.scheme);
    for (const std::uint32_t peer : subscribers_[orderer]) {
      if (peers_[peer]->ledger_of[channel] >= 0) send_block(orderer, peer, channel, cb, at_ns);
    }
  }
}

void FabricPipeline::send_block(NodeId orderer, std::uint32_t peer, std::uint32_t channel,
                                const BlockRef& block, TimeNs now_ns) {
  const TimeNs at_ns =
      hop(orderer, orderers_ + peer, block->encoded_size(), now_ns, orderer_rngs_[orderer]);
  Delivery d;
  d.peer = peer;
  d.orderer = orderer;
  d.channel = channel;
  d.block = block;
  host_.kernel->schedule(at_ns, peer_lp(peer), block_at_peer_kind_, deliveries_.put(std::move(d)));
}

void FabricPipeline::on_orderer_crash(NodeId orderer, TimeNs now_ns) {
  // Its delivery streams break; each subscribed peer notices and reconnects elsewhere.
  for (const std::uint32_t peer : subscribers_[orderer]) {
    Delivery d;
    d.peer = peer;
    d.orderer = orderer;
    host_.kernel->schedule(now_ns + kDeliverReconnectNs, peer_lp(peer), reconnect_kind_,
                           deliveries_.put(std::move(d)));
  }
  subscribers_[orderer].clear();
}

void FabricPipeline::on_reconnect(const Event& e) {
  Delivery d = deliveries_.take(e.arg);
  Peer& peer = *peers_[d.peer];
  ++counters_[peer.index].reconnects;
  // Seek from the next orderer every block of each of its channels above its height there.
  const NodeId next = (d.orderer + 1) % orderers_;
  peer.deliver_from = next;
  d.orderer = next;
  d.from_heights.assign(chains_.size(), 0);
  for (const Ledger& l : peer.ledgers) d.from_heights[l.channel] = l.height + 1;
  const TimeNs at_ns =
      e.time_ns + network_.topology().path_latency_ns(orderers_ + peer.index, next);
  host_.kernel->schedule(at_ns, next, seek_kind_, deliveries_.put(std::move(d)));
}

void FabricPipeline::on_seek(const Event& e) {
  Delivery d = deliveries_.take(e.arg);
  const NodeId orderer = e.node;
  const TimeNs back_ns =
      e.time_ns + network_.topology().path_latency_ns(orderer, orderers_ + d.peer);
  const Node& o = *(*host_.orderers)[orderer];
  if (o.crashed()) {
    // The connection fails; the peer learns of it a path latency later and tries the next one.
    const NodeId peer_lp_id = peer_lp(d.peer);
    host_.kernel->schedule(back_ns, peer_lp_id, reconnect_kind_, deliveries_.put(std::move(d)));
    return;
  }
  subscribers_[orderer].insert(d.peer);
  // What this orderer holds: the channel blocks cut from its consensus chain.
  const Height height = std::min<Height>(o.chain().height(), cut_from_.size());
  const auto channels = static_cast<std::uint32_t>(chains_.size());
  for (std::uint32_t c = 0; c < channels; ++c) {
    if (d.from_heights[c] == 0) continue;  // not a member
    const Height tip = channel_height_at(c, height);
    for (Height h = d.from_heights[c]; h <= tip; ++h) {
      send_block(orderer, d.peer, c, chains_[c][h - 1], e.time_ns);
    }
  }
}

}  // namespace hlsim
