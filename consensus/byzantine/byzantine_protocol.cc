// ByzantineProtocol (byzantine_protocol.h).
#include "consensus/byzantine/byzantine_protocol.h"

#include <algorithm>
#include <utility>

namespace hlsim {

Signature corrupt_signature(Signature signature) {
  if (signature.size > 0) signature.bytes[signature.size - 1] ^= 0x01;
  return signature;
}

// The Context (and NodeCrypto) the wrapped protocol sees during one job: the node's own, with
// the behaviour applied to sends and signatures.
class ByzantineProtocol::FaultyContext final : public Context, public NodeCrypto {
 public:
  FaultyContext(ByzantineProtocol& owner, Context& real) : owner_(owner), real_(real) {}

  TimeNs now() const override { return real_.now(); }
  NodeId self() const override { return real_.self(); }
  std::uint32_t cluster_size() const override { return real_.cluster_size(); }

  void send(NodeId to, Message msg) override {
    if (drops(msg.type)) {
      ++owner_.dropped_;
      return;
    }
    if (delays(msg.type)) {
      hold(Held{false, to, std::move(msg)});
      return;
    }
    real_.send(to, std::move(msg));
  }
  void broadcast(const Message& msg) override {
    if (drops(msg.type)) {
      owner_.dropped_ += real_.cluster_size() - 1;
      return;
    }
    if (delays(msg.type)) {
      hold(Held{true, 0, msg});
      return;
    }
    real_.broadcast(msg);
  }

  TimerId set_timer(TimeNs delay_ns, std::uint64_t tag) override {
    return real_.set_timer(delay_ns, tag);
  }
  void cancel_timer(TimerId id) override { real_.cancel_timer(id); }
  NodeCrypto& crypto() override { return *this; }
  const Chain& ledger() const override { return real_.ledger(); }
  void commit(const BlockRef& block) override { real_.commit(block); }
  Rng& rng() override { return real_.rng(); }
  void charge(TimeNs cpu_ns) override { real_.charge(cpu_ns); }
  void note_leader(std::uint64_t epoch, NodeId leader) override {
    real_.note_leader(epoch, leader);
  }
  void note_reorg(Height fork_height, std::uint32_t depth_blocks,
                  std::uint32_t own_blocks) override {
    real_.note_reorg(fork_height, depth_blocks, own_blocks);
  }
  MessageDecodeMemo* decode_memo() override { return real_.decode_memo(); }

  // NodeCrypto
  const PublicKey& public_key() const override { return real_.crypto().public_key(); }
  const PublicKey& public_key_of(NodeId validator) const override {
    return real_.crypto().public_key_of(validator);
  }
  Signature sign(ByteView message) override {
    Signature s = real_.crypto().sign(message);
    return corrupts() ? corrupt_signature(s) : s;
  }
  bool verify(const PublicKey& key, ByteView message, const Signature& signature) override {
    return real_.crypto().verify(key, message, signature);
  }
  Hash256 hash(ByteView data) override { return real_.crypto().hash(data); }
  void sign_vote(SignedVote& vote) override {
    real_.crypto().sign_vote(vote);
    if (corrupts()) vote.signature = corrupt_signature(vote.signature);
  }
  std::vector<std::uint8_t> verify_votes(std::span<const SignedVote> votes) override {
    return real_.crypto().verify_votes(votes);
  }
  BlockRef seal_block(Height height, const Hash256& prev_hash, std::uint64_t epoch,
                      std::vector<TxRef> txs) override {
    BlockRef block = real_.crypto().seal_block(height, prev_hash, epoch, std::move(txs));
    if (!corrupts()) return block;
    auto forged = std::make_shared<Block>(*block);
    forged->signature = corrupt_signature(forged->signature);
    return forged;
  }
  std::optional<BlockRef> decode_block(ByteView encoded) override {
    return real_.crypto().decode_block(encoded);
  }
  std::optional<BlockRef> decode_block_in(const Message& carrier, ByteView encoded) override {
    return real_.crypto().decode_block_in(carrier, encoded);
  }

 private:
  bool corrupts() const { return owner_.behavior_ == Behavior::kInvalidSignatures; }
  bool drops(std::uint16_t type) const {
    return owner_.behavior_ == Behavior::kSilent ||
           (owner_.behavior_ == Behavior::kWithholdVotes && owner_.is_vote(type));
  }
  bool delays(std::uint16_t type) const {
    return owner_.behavior_ == Behavior::kDelayProposals && owner_.delay_ns_ > 0 &&
           owner_.is_proposal(type);
  }
  void hold(Held held) {
    const std::uint64_t seq = owner_.next_held_++;
    owner_.held_.emplace(seq, std::move(held));
    ++owner_.delayed_;
    real_.set_timer(owner_.delay_ns_, kDelayedSendTag | seq);
  }

  ByzantineProtocol& owner_;
  Context& real_;
};

ByzantineProtocol::ByzantineProtocol(std::unique_ptr<Protocol> inner, Behavior behavior,
                                     std::vector<std::uint16_t> proposal_types,
                                     std::vector<std::uint16_t> vote_types, TimeNs delay_ns)
    : inner_(std::move(inner)),
      behavior_(behavior),
      proposal_types_(std::move(proposal_types)),
      vote_types_(std::move(vote_types)),
      delay_ns_(delay_ns) {}

ByzantineProtocol::~ByzantineProtocol() = default;

bool ByzantineProtocol::is_vote(std::uint16_t type) const {
  return std::find(vote_types_.begin(), vote_types_.end(), type) != vote_types_.end();
}
bool ByzantineProtocol::is_proposal(std::uint16_t type) const {
  return std::find(proposal_types_.begin(), proposal_types_.end(), type) != proposal_types_.end();
}

void ByzantineProtocol::start(Context& ctx) {
  FaultyContext f(*this, ctx);
  inner_->start(f);
}
void ByzantineProtocol::on_transaction(Context& ctx, const TxRef& tx) {
  FaultyContext f(*this, ctx);
  inner_->on_transaction(f, tx);
}
void ByzantineProtocol::on_message(Context& ctx, NodeId from, const Message& msg) {
  FaultyContext f(*this, ctx);
  inner_->on_message(f, from, msg);
}
void ByzantineProtocol::on_timer(Context& ctx, TimerId id, std::uint64_t tag) {
  if ((tag & kDelayedSendTag) == 0) {
    FaultyContext f(*this, ctx);
    inner_->on_timer(f, id, tag);
    return;
  }
  auto it = held_.find(tag & ~kDelayedSendTag);
  if (it == held_.end()) return;
  Held held = std::move(it->second);
  held_.erase(it);
  if (held.broadcast) {
    ctx.broadcast(held.msg);
  } else {
    ctx.send(held.to, std::move(held.msg));
  }
}
void ByzantineProtocol::on_restart(Context& ctx, bool storage_lost) {
  held_.clear();
  FaultyContext f(*this, ctx);
  inner_->on_restart(f, storage_lost);
}

}  // namespace hlsim
