// The safety core of Tendermint: Algorithm 1 of Buchman, Kwon & Milosevic, "The latest gossip on
// BFT consensus" (arXiv:1807.04938, 2018), for one validator, as a deterministic state machine.
//
// State (the paper's names): h_p = height(), round_p = round(), step_p = step(), lockedValue /
// lockedRound, validValue / validRound, and the message log of the current height (proposals and
// votes by round). Each input (a proposal, a vote, a timeout, the start of a round) is recorded
// and then every upon-rule is re-evaluated until none fires:
//   line 22  PROPOSAL(h, r, v, -1) in step propose: prevote id(v) unless locked on another value
//   line 28  PROPOSAL(h, r, v, vr) + 2f+1 PREVOTE(h, vr, id(v)): prevote id(v) unless locked on
//            another value in a round later than vr
//   line 34  2f+1 PREVOTE(h, r, *) in step prevote, first time: schedule timeoutPrevote
//   line 36  PROPOSAL(h, r, v) + 2f+1 PREVOTE(h, r, id(v)), step >= prevote, first time: lock v
//            and precommit id(v) (in step prevote); validValue = v, validRound = r
//   line 44  2f+1 PREVOTE(h, r, nil) in step prevote: precommit nil
//   line 47  2f+1 PRECOMMIT(h, r, *), first time: schedule timeoutPrecommit
//   line 49  a proposal v and 2f+1 PRECOMMIT(h, r', id(v)) for any round r': decide v, go to h + 1
//   line 55  f+1 messages of height h and a round r' > r: StartRound(r')
//   line 57-65 OnTimeoutPropose / OnTimeoutPrevote / OnTimeoutPrecommit
// "2f+1" and "f+1" are quorum(n) and one_third_plus(n) (tendermint_votes.h).
//
// Where hlsim follows Tendermint Core rather than the paper's bare pseudocode:
//   * after a decision the node enters step kNewHeight of h + 1 and the host waits timeout_commit
//     before StartRound(0) (still collecting precommits for h); a proposal for round 0 that
//     arrives meanwhile ends the wait early (as Tendermint Core's handleCompleteProposal does);
//   * line 49 accepts the block with the decided hash from any valid proposal of the height (the
//     block is what it needs; safety rests on the 2f+1 precommits);
//   * create_empty_blocks = false: in round 0 the proposer proposes, and the others arm
//     timeoutPropose, only once the host has transactions (Host::wait_for_txs) or once another
//     validator's message of this height shows that the round has begun.
// Byzantine equivocation (the node was built with equivocate = true): as voter it also prevotes
// and precommits every valid proposal it sees in its round, ignoring its lock; as proposer the
// host seals two blocks (Host::propose returns both).
//
// The core does no I/O and no crypto: the host (the Protocol glue, tendermint.h) verifies every
// message before it gets here, decides valid(v), signs and broadcasts what the core casts, runs the
// timers and commits decisions. Not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "consensus/tendermint/tendermint_messages.h"
#include "consensus/tendermint/tendermint_timing.h"
#include "consensus/tendermint/tendermint_votes.h"
#include "ledger/block.h"
#include "ledger/vote.h"
#include "sim/kernel/ids.h"

namespace hlsim {

enum class Step : std::uint8_t { kNewHeight, kPropose, kPrevote, kPrecommit };
const char* to_string(Step step);

struct ProposalRecord {
  BlockRef block;
  std::int64_t valid_round = kNoRound;
  bool valid = false;  // valid(v) as the host judged it
};

// What the core asks of its host.
class TendermintHost {
 public:
  virtual ~TendermintHost() = default;
  // Round 0 only: true when the proposer should wait for transactions before proposing (and the
  // others before arming timeoutPropose): create_empty_blocks = false and nothing pending.
  virtual bool wait_for_txs() = 0;
  // StartRound's proposal (line 16-19): broadcasts PROPOSAL(h_p, round, value, valid_round) with
  // `value` = validValue, or a fresh block (getValue()) when value is null. Returns what it
  // proposed (two proposals when equivocating; the same one again if it had already proposed in
  // this round before a restart).
  virtual std::vector<ProposalRecord> propose(Round round, const BlockRef& value,
                                              std::int64_t valid_round) = 0;
  // Signs and broadcasts PREVOTE / PRECOMMIT(h_p, round, block_hash) (zero hash: nil). Returns the
  // signed vote, or nullopt when the host refuses (it never signs two different votes for the
  // same height, round and step; it then re-sends the one it signed and returns that).
  virtual std::optional<SignedVote> vote(VoteKind kind, Round round, const Hash256& block_hash) = 0;
  virtual void schedule_timeout(TimeoutKind kind, Height height, Round round) = 0;
  // Line 49: v is decided at h_p in `round` with these 2f+1 (or more) precommits.
  virtual void decide(Round round, const BlockRef& block, std::vector<SignedVote> precommits) = 0;
  // StartRound(round) happened (for note_leader and timers).
  virtual void round_started(Height height, Round round) = 0;
};

class TendermintCore {
 public:
  static constexpr std::size_t kMaxProposalsPerRound = 2;
  // A validator's messages are kept for at most this many rounds above round_p (as Tendermint
  // Core keeps a peer's votes for at most two rounds ahead): what a Byzantine validator can make
  // a node store is bounded, and honest validators ahead still reach f+1 senders in the round they
  // are in (line 55), since each of them counts there.
  static constexpr std::size_t kMaxFutureRoundsPerSender = 2;

  // The message log of one round of the current height.
  struct RoundLog {
    std::vector<ProposalRecord> proposals;  // from proposer(h, r), arrival order, distinct blocks
    VoteTally prevotes;
    VoteTally precommits;
    std::set<NodeId> senders;                  // for line 55
    bool prevote_timeout_fired = false;        // line 34 fired
    bool precommit_timeout_fired = false;      // line 47 fired
    bool polka_fired = false;                  // line 36 fired
    std::set<Hash256, HashOrder> equivocated;  // Byzantine voter: values it voted for in this round
  };

  // REQUIRES: self < nodes.
  TendermintCore(NodeId self, std::uint32_t nodes, bool equivocate);

  // ---- Inputs (each re-evaluates the rules) ------------------------------------------------
  // A fresh height: round 0, step kNewHeight, lock and valid value reset, empty message log
  // (line 54). The host starts round 0 (start_round) when timeout_commit has passed.
  void start_height(Height height);
  // StartRound(round) (line 11).
  void start_round(TendermintHost& host, Round round);
  // PROPOSAL(h_p, round, block, valid_round) from proposer(h_p, round), its signature checked;
  // valid = valid(block). Ignored when it adds nothing (see wants_proposal).
  void on_proposal(TendermintHost& host, Round round, BlockRef block, std::int64_t valid_round,
                   bool valid);
  // A verified prevote or precommit of height h_p (others are ignored).
  void on_vote(TendermintHost& host, const SignedVote& vote);
  // OnTimeoutPropose / OnTimeoutPrevote / OnTimeoutPrecommit(height, round) (lines 57-66).
  void on_timeout(TendermintHost& host, TimeoutKind kind, Height height, Round round);
  // The host now has transactions to propose (ends a round-0 wait).
  void on_value_ready(TendermintHost& host);

  // False when a proposal / vote would add nothing to the log, so the host can skip verifying it.
  bool wants_proposal(Round round, const Hash256& block_hash) const;
  bool wants_vote(const SignedVote& vote) const;

  // ---- Restart -----------------------------------------------------------------------------
  // The message log is volatile: a restart clears it and keeps the hard state (height, round,
  // step, lockedValue / lockedRound, validValue / validRound). The host then re-records the
  // proposal and votes it had signed in this height (record_own_*) and calls resume(), which
  // re-enters the current step (re-arming its timeout, or proposing again the same proposal).
  void clear_log();
  void record_own_proposal(Round round, const ProposalRecord& proposal);
  void record_own_vote(const SignedVote& vote);
  void resume(TendermintHost& host);

  // ---- Introspection -----------------------------------------------------------------------
  Height height() const { return height_; }
  Round round() const { return round_; }
  Step step() const { return step_; }
  const BlockRef& locked_value() const { return locked_value_; }
  std::int64_t locked_round() const { return locked_round_; }
  const BlockRef& valid_value() const { return valid_value_; }
  std::int64_t valid_round() const { return valid_round_; }
  // Round 0 with create_empty_blocks = false: waiting for transactions before proposing / arming
  // timeoutPropose.
  bool waiting_for_txs() const { return waiting_; }
  bool is_proposer() const { return proposer(height_, round_, nodes_) == self_; }
  // nullptr when the log holds nothing for `round`.
  const RoundLog* log(Round round) const;
  NodeId self() const { return self_; }
  std::uint32_t nodes() const { return nodes_; }

 private:
  void start_round_quietly(TendermintHost& host, Round round);
  // The part of StartRound after step_p <- propose (lines 14-21).
  void enter_propose(TendermintHost& host, bool force);
  void evaluate(TendermintHost& host);
  bool try_decide(TendermintHost& host);          // line 49
  bool try_round_skip(TendermintHost& host);      // line 55
  bool upon_proposal(TendermintHost& host);       // lines 22 and 28
  bool upon_prevote_any(TendermintHost& host);    // line 34
  bool upon_polka(TendermintHost& host);          // line 36
  bool upon_nil_polka(TendermintHost& host);      // line 44
  bool upon_precommit_any(TendermintHost& host);  // line 47
  bool equivocating_votes(TendermintHost& host);  // Byzantine voter
  void cast(TendermintHost& host, VoteKind kind, const Hash256& value);
  // False when `sender` already has messages in kMaxFutureRoundsPerSender other rounds above
  // round_p and `round` is above round_p too.
  bool admits(NodeId sender, Round round) const;
  void add_vote(const SignedVote& vote);
  void add_proposal(Round round, const ProposalRecord& proposal);
  const ProposalRecord* find_valid_block(const Hash256& hash) const;
  bool locked_on_other(const BlockRef& block) const;

  const NodeId self_;
  const std::uint32_t nodes_;
  const bool equivocate_;

  // Hard state.
  Height height_ = 1;
  Round round_ = 0;
  Step step_ = Step::kNewHeight;
  BlockRef locked_value_;
  std::int64_t locked_round_ = kNoRound;
  BlockRef valid_value_;
  std::int64_t valid_round_ = kNoRound;

  // Volatile.
  std::map<Round, RoundLog> rounds_;
  bool waiting_ = false;
  bool heard_others_ = false;  // a message of this height from another validator was recorded
};

}  // namespace hlsim
