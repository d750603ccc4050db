// Tendermint (Buchman, Kwon & Milosevic, "The latest gossip on BFT consensus", arXiv:1807.04938,
// 2018) as an hlsim Protocol: one instance per validator, driven only through the Protocol
// interface. n = 3f + 1 validators with equal voting power; heights are block heights, each
// decided in one or more rounds; proposer(h, r) = (h + r) mod n.
//
// This class is the glue around the safety core (tendermint_core.h, Algorithm 1's upon-rules). It
//   * decodes and verifies every message before the core sees it: a proposal must come from
//     proposer(h, r) with a valid proposal signature and a block that decode_block accepts; each
//     prevote / precommit is checked with verify_votes; a commit certificate in one verify_votes
//     call. valid(v): the block extends the committed chain (height, prev_hash), a fresh proposal
//     (validRound -1) is sealed by proposer(h, r) in round r (header.epoch = r), a re-proposal's
//     block is from a round <= validRound, it respects the block limits and holds no transaction
//     that is already committed or twice;
//   * proposes (seal_block from the mempool, or validValue), signs and broadcasts votes, never two
//     different votes for the same height, round and step (the signed votes are hard state);
//   * runs the timers (tendermint_timing.h) and commits decisions: ctx.commit, then timeout_commit
//     (collecting late precommits into the block's certificate) before round 0 of the next height;
//   * gossips client transactions (tendermint_mempool.h; received ones are checked as CheckTx
//     would: id and signature);
//   * helps peers that are behind and catches up itself (tendermint_sync.h): fetch / commit-sync
//     of blocks with their 2f+1 precommits; messages of the next height are buffered and replayed;
//     a node that sees a peer in an earlier round of its height sends it its own messages of its
//     round; a node whose round stalls in prevote / precommit re-broadcasts its messages of the
//     round every gossip_retry (the paper assumes reliable gossip; this provides it).
//
// Per committed block in the fault-free steady state (round 0): proposal n - 1, prevote n(n - 1),
// precommit n(n - 1) messages; the decision comes 3 one-way delays after the proposal is sent.
//
// Hard state (kept across every restart): the core's height, round, step, lockedValue /
// lockedRound, validValue / validRound, and the proposals and votes this node signed in the
// current height. With durable storage the chain and the commit certificates survive too. With
// storage lost (memory) the chain is empty: the node is "catching up" while its chain is below the
// core's height; it then neither votes nor proposes, fetches the committed blocks from peers
// (each proven by its certificate), and resumes the kept round state once its chain reaches it.
// Volatile: mempool, message log, buffers, timers.
//
// Equivocation (built with equivocate = true, Behavior::kEquivocate): as proposer it seals two
// blocks (its normal one, and an empty one; or validValue and a fresh one) and sends one to
// validators [0, n/2) and the other to the rest, then each half the other block as well: an
// honest validator prevotes the first proposal it gets (with constant latency, its half's block;
// with jitter, either), while fellow equivocators learn both and vote for both. Without the second
// sends, f + 1 equivocators among n = 4 could never split the two honest validators, who are both
// in [n/2, n) when nodes 0 and 1 are the Byzantine ones. As voter it prevotes and precommits every
// valid proposal it sees (tendermint_core.h), signing conflicting votes.
// Not thread-safe; one instance is driven by one node's jobs.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <unordered_set>
#include <utility>
#include <vector>

#include "consensus/protocol.h"
#include "consensus/tendermint/tendermint_core.h"
#include "consensus/tendermint/tendermint_mempool.h"
#include "consensus/tendermint/tendermint_messages.h"
#include "consensus/tendermint/tendermint_params.h"
#include "consensus/tendermint/tendermint_sync.h"
#include "consensus/tendermint/tendermint_timing.h"

namespace hlsim {

class Tendermint final : public Protocol, private TendermintHost {
 public:
  // Messages of the next height buffered per validator count, at most this many per validator.
  static constexpr std::size_t kNextHeightBufferPerNode = 8;

  // REQUIRES: params.check() ok, self < nodes.
  Tendermint(const TendermintParams& params, NodeId self, std::uint32_t nodes,
             bool equivocate = false);

  void start(Context& ctx) override;
  void on_transaction(Context& ctx, const TxRef& tx) override;
  void on_message(Context& ctx, NodeId from, const Message& msg) override;
  void on_timer(Context& ctx, TimerId id, std::uint64_t tag) override;
  void on_restart(Context& ctx, bool storage_lost) override;

  // view_number(height, round): monotone over the run.
  std::uint64_t epoch() const override { return view_number(core_.height(), core_.round()); }
  bool is_leader() const override { return core_.is_proposer(); }

  // Introspection for tests and observers.
  const TendermintCore& core() const { return core_; }
  Height height() const { return core_.height(); }
  Round round() const { return core_.round(); }
  Step step() const { return core_.step(); }
  const Mempool& mempool() const { return mempool_; }
  const BlockSync& sync() const { return sync_; }
  const TendermintParams& params() const { return params_; }
  bool equivocating() const { return equivocate_; }
  // True after a restart that lost the chain, until the chain reaches the kept height.
  bool catching_up() const { return catching_up_; }
  // The votes this node signed in the current height (kind, round) -> votes.
  const std::map<std::pair<std::uint8_t, Round>, std::vector<SignedVote>>& signed_votes() const {
    return signed_votes_;
  }

 private:
  // The proposal(s) this node made in a round of the current height, and how it sent them.
  struct OwnProposal {
    std::vector<ProposalRecord> records;
    std::vector<std::pair<std::vector<NodeId>, Message>> sends;
  };
  // Sets the job's context for the host callbacks and, when the job ends, runs after_job().
  class Job;

  // TendermintHost.
  bool wait_for_txs() override;
  std::vector<ProposalRecord> propose(Round round, const BlockRef& value,
                                      std::int64_t valid_round) override;
  std::optional<SignedVote> vote(VoteKind kind, Round round, const Hash256& block_hash) override;
  void schedule_timeout(TimeoutKind kind, Height height, Round round) override;
  void decide(Round round, const BlockRef& block, std::vector<SignedVote> precommits) override;
  void round_started(Height height, Round round) override;

  // Message handlers.
  void dispatch(NodeId from, const Message& msg);
  void handle_proposal(NodeId from, const Message& msg);
  void handle_vote(NodeId from, TendermintMessageType type, const Message& msg);
  void handle_tx_gossip(const Message& msg);
  void handle_fetch(NodeId from, const Message& msg);
  void handle_commit_sync(NodeId from, const Message& msg);
  // Where a consensus message of (height, round) from `from` stands against this node's height:
  // learns of peers ahead (fetch) and behind (push), buffers the next height's messages, helps a
  // peer in an earlier round. True when the message is for the height being decided now.
  // `relayed`: the message is another validator's vote passed on (a proof of lock), which says
  // nothing about the round the sender is in.
  bool observe(NodeId from, Height height, Round round, const Message& msg, bool relayed = false);
  // A precommit for the height just decided, during the commit wait: true when it was taken
  // (added to the certificate, or already there / not wanted).
  bool collect_late_precommit(const SignedVote& vote);

  // valid(v) of Algorithm 1 (see the class comment).
  bool valid_block(const Block& block, Round round, std::int64_t valid_round) const;
  BlockRef seal_fresh(Round round, bool with_txs);
  Message proposal_message(Round round, std::int64_t valid_round, const BlockRef& block);

  // Commits a decided block (from the core or a verified commit-sync) with its certificate.
  void commit_block(const BlockRef& block, CommitCertificate certificate);
  void new_height_bookkeeping();
  // Applies one commit-sync for the next height; false when it does not prove its block.
  bool apply_commit_sync(const CommitSync& m);
  void send_commit_sync(NodeId to, Height height);
  // Catching up.
  bool behind() const;
  void maybe_fetch(NodeId peer);
  void send_fetch(NodeId peer);
  void after_sync_progress();
  void finish_catch_up_if_reached();
  // Restart.
  void resume_core();
  void rebuild_committed_ids();

  // Sends this node's proposal(s) and votes of `round` again (to `to`, or to all).
  void resend_round(Round round, std::optional<NodeId> to);
  // Sends the 2f+1 prevotes that made validValue valid in validRound (its proof of lock, POL), as
  // this node holds them, to `to` or to all. A re-proposal (validRound >= 0) is prevoted only by a
  // validator that holds its POL (line 28); Tendermint Core's vote gossip hands peers the POL
  // prevotes of the proposal they wait on. Without it, validators that lost those prevotes (to a
  // partition or a crash) prevote nil on every re-proposal while the locked ones prevote nil on
  // every fresh one: no round can ever gather 2f+1 prevotes again.
  void send_proof_of_lock(std::optional<NodeId> to);
  void after_job();

  const TendermintParams params_;
  const NodeId self_;
  const std::uint32_t nodes_;
  const bool equivocate_;

  Context* ctx_ = nullptr;  // the current job's context, while a job runs

  TendermintCore core_;
  Mempool mempool_;
  BlockSync sync_;
  TimerSet timers_;

  // Hard state: what this node signed in the current height.
  std::map<std::pair<std::uint8_t, Round>, std::vector<SignedVote>> signed_votes_;
  std::map<Round, OwnProposal> own_proposals_;
  bool catching_up_ = false;

  // Volatile.
  std::unordered_set<Hash256, Hash256Hasher> committed_ids_;  // membership only
  std::vector<std::pair<NodeId, Message>> next_height_msgs_;
  std::map<NodeId, std::pair<Height, Round>> helped_;  // last (height, round) sent to a peer
  // (height, round, step) when the stall (gossip retry) timer was last considered.
  struct Progress {
    Height height = 0;
    Round round = 0;
    Step step = Step::kNewHeight;
    bool operator==(const Progress&) const = default;
  };
  Progress progress_;
  Height replayed_height_ = 0;  // next_height_msgs_ were last replayed for this height
};

}  // namespace hlsim
