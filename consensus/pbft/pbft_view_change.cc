// PBFT view-change checks and NEW-VIEW planning; the argument is in pbft_view_change.h.
#include "consensus/pbft/pbft_view_change.h"

#include <algorithm>
#include <set>
#include <tuple>
#include <utility>

namespace hlsim::pbft {

PbftQuorum PbftQuorum::of(std::uint32_t nodes) {
  PbftQuorum r;
  r.n = nodes;
  r.f = nodes == 0 ? 0 : (nodes - 1) / 3;
  // Smallest q with 2q >= n + f + 1.
  r.q = (nodes + r.f + 2) / 2;
  return r;
}

bool proof_shape_ok(const PbftQuorum& quorum, const std::vector<SignedVote>& proof, Height height,
                    const Hash256& hash) {
  if (proof.size() < quorum.q || height == 0) return false;
  const std::uint8_t kind = proof.front().kind;
  if (kind != vote_kind(PbftVoteKind::kCommit) && kind != vote_kind(PbftVoteKind::kCheckpoint)) {
    return false;
  }
  const std::uint64_t epoch = proof.front().epoch;
  if (kind == vote_kind(PbftVoteKind::kCheckpoint) && epoch != 0) return false;
  std::set<NodeId> voters;
  for (const SignedVote& v : proof) {
    if (v.kind != kind || v.epoch != epoch || v.height != height || v.block_hash != hash ||
        v.voter >= quorum.n || !voters.insert(v.voter).second) {
      return false;
    }
  }
  return true;
}

bool cert_shape_ok(const PbftQuorum& quorum, const PreparedCert& cert, std::uint64_t below_view) {
  const SignedVote& pp = cert.pre_prepare;
  if (pp.kind != vote_kind(PbftVoteKind::kPrePrepare) || pp.epoch >= below_view ||
      pp.voter != quorum.primary(pp.epoch) || pp.height == 0 ||
      cert.prepares.size() + 1 < quorum.q) {
    return false;
  }
  std::set<NodeId> voters;
  for (const SignedVote& v : cert.prepares) {
    if (v.kind != vote_kind(PbftVoteKind::kPrepare) || v.epoch != pp.epoch ||
        v.height != pp.height || v.block_hash != pp.block_hash || v.voter >= quorum.n ||
        v.voter == pp.voter || !voters.insert(v.voter).second) {
      return false;
    }
  }
  return true;
}

namespace {

// Walks from the block with `hash` down to height floor+1 through `blocks`; true when every block
// is there with consecutive heights and the lowest links to floor_hash. `visit` sees each block.
template <class Visit>
bool walk_to_floor(const std::map<Hash256, BlockRef>& blocks, Hash256 hash, Height height,
                   Height floor, const Hash256& floor_hash, Visit&& visit) {
  while (height > floor) {
    auto it = blocks.find(hash);
    if (it == blocks.end() || it->second->header.height != height) return false;
    visit(it->second);
    hash = it->second->header.prev_hash;
    --height;
  }
  return hash == floor_hash;
}

}  // namespace

std::optional<CheckedViewChange> parse_view_change(NodeCrypto& crypto, const PbftQuorum& quorum,
                                                   NodeId sender, ByteView body) {
  std::optional<ViewChange> vc = decode_view_change(body);
  if (!vc) return std::nullopt;
  const SignedVote& auth = vc->auth;
  if (auth.kind != vote_kind(PbftVoteKind::kViewChange) || auth.voter != sender ||
      auth.epoch != vc->new_view || auth.height != vc->head || vc->new_view == 0) {
    return std::nullopt;
  }
  if (crypto.hash(vc->content()) != auth.block_hash) return std::nullopt;
  if (vc->head == 0) {
    if (!vc->head_hash.is_zero() || !vc->head_proof.empty()) return std::nullopt;
  } else if (!proof_shape_ok(quorum, vc->head_proof, vc->head, vc->head_hash)) {
    return std::nullopt;
  }
  CheckedViewChange out;
  out.sender = sender;
  Height last = vc->head;
  for (const PreparedCert& c : vc->certs) {
    if (!cert_shape_ok(quorum, c, vc->new_view) || c.seq() <= last) return std::nullopt;
    last = c.seq();
  }
  for (const Bytes& encoded : vc->blocks) {
    std::optional<BlockRef> block = crypto.decode_block(encoded);
    if (!block || !*block || (*block)->header.height <= vc->head) return std::nullopt;
    if (!out.blocks.emplace((*block)->hash, *block).second) return std::nullopt;
  }
  for (const PreparedCert& c : vc->certs) {
    if (!walk_to_floor(out.blocks, c.hash(), c.seq(), vc->head, vc->head_hash,
                       [](const BlockRef&) {})) {
      return std::nullopt;
    }
  }
  out.votes.reserve(1 + vc->head_proof.size() + vc->certs.size() * quorum.q);
  out.votes.push_back(auth);
  out.votes.insert(out.votes.end(), vc->head_proof.begin(), vc->head_proof.end());
  for (const PreparedCert& c : vc->certs) {
    out.votes.push_back(c.pre_prepare);
    out.votes.insert(out.votes.end(), c.prepares.begin(), c.prepares.end());
  }
  out.body.assign(body.begin(), body.end());
  out.vc = std::move(*vc);
  return out;
}

std::optional<NewViewPlan> plan_new_view(const std::vector<const CheckedViewChange*>& vcs) {
  NewViewPlan plan;
  // 1. The floor: the highest proven head (the first sender's, in the given order, on a tie).
  const CheckedViewChange* floor_vc = nullptr;
  for (const CheckedViewChange* c : vcs) {
    if (!floor_vc || c->vc.head > floor_vc->vc.head) floor_vc = c;
  }
  if (!floor_vc) return std::nullopt;
  plan.floor = floor_vc->vc.head;
  plan.floor_hash = floor_vc->vc.head_hash;
  plan.floor_proof = floor_vc->vc.head_proof;

  std::map<Hash256, BlockRef> blocks;
  for (const CheckedViewChange* c : vcs) blocks.insert(c->blocks.begin(), c->blocks.end());

  // 2. Connected certificates and each block's vouching view.
  std::map<Hash256, std::uint64_t> vouch;
  std::optional<std::tuple<std::uint64_t, Height, Hash256>> anchor;  // (view, seq, hash)
  for (const CheckedViewChange* c : vcs) {
    for (const PreparedCert& cert : c->vc.certs) {
      if (cert.seq() <= plan.floor) continue;
      std::vector<Hash256> chain;
      if (!walk_to_floor(blocks, cert.hash(), cert.seq(), plan.floor, plan.floor_hash,
                         [&chain](const BlockRef& b) { chain.push_back(b->hash); })) {
        continue;
      }
      for (const Hash256& h : chain) {
        auto [it, fresh] = vouch.emplace(h, cert.view());
        if (!fresh) it->second = std::max(it->second, cert.view());
      }
      const auto key = std::make_tuple(cert.view(), cert.seq(), cert.hash());
      if (!anchor || std::make_pair(cert.view(), cert.seq()) >
                         std::make_pair(std::get<0>(*anchor), std::get<1>(*anchor))) {
        anchor = key;
      }
    }
  }
  if (!anchor) return plan;

  // 3. The anchor's chain down to floor + 1.
  std::vector<BlockRef> down;
  if (!walk_to_floor(blocks, std::get<2>(*anchor), std::get<1>(*anchor), plan.floor,
                     plan.floor_hash, [&down](const BlockRef& b) { down.push_back(b); })) {
    return std::nullopt;
  }
  plan.chain.assign(down.rbegin(), down.rend());

  // 4. Upwards: the vouched child with the highest vouching view.
  std::multimap<Hash256, BlockRef> children;  // by parent hash
  for (const auto& [hash, view] : vouch) {
    const BlockRef& b = blocks.at(hash);
    children.emplace(b->header.prev_hash, b);
  }
  for (;;) {
    const BlockRef& last = plan.chain.back();
    const BlockRef* best = nullptr;
    std::uint64_t best_view = 0;
    auto [lo, hi] = children.equal_range(last->hash);
    for (auto it = lo; it != hi; ++it) {
      const BlockRef& b = it->second;
      if (b->header.height != last->header.height + 1) continue;
      const std::uint64_t v = vouch.at(b->hash);
      if (!best || v > best_view || (v == best_view && b->hash < (*best)->hash)) {
        best = &b;
        best_view = v;
      }
    }
    if (!best) break;
    plan.chain.push_back(*best);
  }
  return plan;
}

}  // namespace hlsim::pbft
