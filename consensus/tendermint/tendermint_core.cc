// Algorithm 1's upon-rules; the contract is in tendermint_core.h. Line numbers cite Algorithm 1 of
// Buchman, Kwon & Milosevic 2018.
#include "consensus/tendermint/tendermint_core.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>

namespace hlsim {

const char* to_string(Step step) {
  switch (step) {
    case Step::kNewHeight:
      return "new-height";
    case Step::kPropose:
      return "propose";
    case Step::kPrevote:
      return "prevote";
    case Step::kPrecommit:
      return "precommit";
  }
  return "?";
}

TendermintCore::TendermintCore(NodeId self, std::uint32_t nodes, bool equivocate)
    : self_(self), nodes_(nodes), equivocate_(equivocate) {
  if (nodes == 0 || self >= nodes) {
    throw std::invalid_argument("Tendermint: node " + std::to_string(self) +
                                " outside a cluster of " + std::to_string(nodes));
  }
}

const TendermintCore::RoundLog* TendermintCore::log(Round round) const {
  auto it = rounds_.find(round);
  return it == rounds_.end() ? nullptr : &it->second;
}

// ---------------------------------------------------------------------------------------------
// Heights and rounds

void TendermintCore::start_height(Height height) {
  // Line 54: reset lockedRound, lockedValue, validRound and validValue and empty the message log.
  height_ = height;
  round_ = 0;
  step_ = Step::kNewHeight;
  locked_value_.reset();
  locked_round_ = kNoRound;
  valid_value_.reset();
  valid_round_ = kNoRound;
  rounds_.clear();
  waiting_ = false;
  heard_others_ = false;
}

void TendermintCore::start_round(TendermintHost& host, Round round) {
  start_round_quietly(host, round);
  evaluate(host);
}

void TendermintCore::start_round_quietly(TendermintHost& host, Round round) {
  // Line 11: StartRound(round).
  round_ = round;
  step_ = Step::kPropose;
  waiting_ = false;
  host.round_started(height_, round_);
  enter_propose(host, false);
}

void TendermintCore::enter_propose(TendermintHost& host, bool force) {
  // create_empty_blocks = false (Tendermint Core's waitForTxs): round 0 waits for transactions,
  // unless another validator has already shown that this height's rounds are under way.
  if (!force && round_ == 0 && !valid_value_ && !heard_others_ && host.wait_for_txs()) {
    waiting_ = true;
    return;
  }
  waiting_ = false;
  if (proposer(height_, round_, nodes_) == self_) {
    // Lines 15-19: propose validValue if there is one, else getValue().
    const std::int64_t vr = valid_value_ ? valid_round_ : kNoRound;
    for (const ProposalRecord& p : host.propose(round_, valid_value_, vr)) add_proposal(round_, p);
  } else {
    // Line 21.
    host.schedule_timeout(TimeoutKind::kPropose, height_, round_);
  }
}

void TendermintCore::on_value_ready(TendermintHost& host) {
  if (!waiting_ || step_ != Step::kPropose) return;
  enter_propose(host, true);
  evaluate(host);
}

// ---------------------------------------------------------------------------------------------
// Inputs

bool TendermintCore::admits(NodeId sender, Round round) const {
  if (round <= round_) return true;
  std::size_t others = 0;
  for (auto it = rounds_.upper_bound(round_); it != rounds_.end(); ++it) {
    if (!it->second.senders.contains(sender)) continue;
    if (it->first == round) return true;
    ++others;
  }
  return others < kMaxFutureRoundsPerSender;
}

bool TendermintCore::wants_proposal(Round round, const Hash256& block_hash) const {
  if (!admits(proposer(height_, round, nodes_), round)) return false;
  const RoundLog* l = log(round);
  if (l == nullptr) return true;
  if (l->proposals.size() >= kMaxProposalsPerRound) return false;
  return std::none_of(l->proposals.begin(), l->proposals.end(),
                      [&](const ProposalRecord& p) { return p.block->hash == block_hash; });
}

bool TendermintCore::wants_vote(const SignedVote& vote) const {
  if (vote.height != height_ || !admits(vote.voter, vote.epoch)) return false;
  const RoundLog* l = log(vote.epoch);
  if (l == nullptr) return true;
  const VoteTally& tally =
      vote.kind == static_cast<std::uint8_t>(VoteKind::kPrevote) ? l->prevotes : l->precommits;
  return !tally.redundant(vote.voter, vote.block_hash);
}

void TendermintCore::add_proposal(Round round, const ProposalRecord& proposal) {
  if (!proposal.block || !wants_proposal(round, proposal.block->hash)) return;
  RoundLog& l = rounds_[round];
  l.proposals.push_back(proposal);
  const NodeId from = proposer(height_, round, nodes_);
  l.senders.insert(from);
  if (from != self_) heard_others_ = true;
}

void TendermintCore::add_vote(const SignedVote& vote) {
  if (vote.height != height_ || !admits(vote.voter, vote.epoch)) return;
  RoundLog& l = rounds_[vote.epoch];
  VoteTally& tally =
      vote.kind == static_cast<std::uint8_t>(VoteKind::kPrevote) ? l.prevotes : l.precommits;
  if (!tally.add(vote)) return;
  l.senders.insert(vote.voter);
  if (vote.voter != self_) heard_others_ = true;
}

void TendermintCore::on_proposal(TendermintHost& host, Round round, BlockRef block,
                                 std::int64_t valid_round, bool valid) {
  add_proposal(round, ProposalRecord{std::move(block), valid_round, valid});
  evaluate(host);
}

void TendermintCore::on_vote(TendermintHost& host, const SignedVote& vote) {
  if (vote.height != height_) return;
  add_vote(vote);
  evaluate(host);
}

void TendermintCore::on_timeout(TendermintHost& host, TimeoutKind kind, Height height,
                                Round round) {
  if (height != height_ || round != round_) return;
  switch (kind) {
    case TimeoutKind::kPropose:
      // Line 57: OnTimeoutPropose.
      if (step_ != Step::kPropose) return;
      cast(host, VoteKind::kPrevote, Hash256{});
      step_ = Step::kPrevote;
      waiting_ = false;
      break;
    case TimeoutKind::kPrevote:
      // Line 61: OnTimeoutPrevote.
      if (step_ != Step::kPrevote) return;
      cast(host, VoteKind::kPrecommit, Hash256{});
      step_ = Step::kPrecommit;
      break;
    case TimeoutKind::kPrecommit:
      // Line 65: OnTimeoutPrecommit.
      if (step_ == Step::kNewHeight) return;
      start_round_quietly(host, round_ + 1);
      break;
  }
  evaluate(host);
}

// ---------------------------------------------------------------------------------------------
// Restart

void TendermintCore::clear_log() {
  rounds_.clear();
  waiting_ = false;
  heard_others_ = false;
}

void TendermintCore::record_own_proposal(Round round, const ProposalRecord& proposal) {
  add_proposal(round, proposal);
}

void TendermintCore::record_own_vote(const SignedVote& vote) { add_vote(vote); }

void TendermintCore::resume(TendermintHost& host) {
  switch (step_) {
    case Step::kNewHeight:
      return;  // the host re-arms timeout_commit
    case Step::kPropose:
      host.round_started(height_, round_);
      enter_propose(host, false);
      break;
    case Step::kPrevote:
    case Step::kPrecommit:
      // The vote of this step was signed before the crash (and re-recorded by the host); wait
      // for the others' votes as before.
      host.round_started(height_, round_);
      break;
  }
  evaluate(host);
}

// ---------------------------------------------------------------------------------------------
// The rules

void TendermintCore::evaluate(TendermintHost& host) {
  // Every rule that fires changes the state so that it cannot fire again with the same inputs
  // (a step moves forward, a first-time flag is set, the round or the height grows), so this
  // terminates; the bound only guards against a defect turning into a hang.
  for (int guard = 0; guard < 100'000; ++guard) {
    if (try_decide(host)) return;
    if (try_round_skip(host)) continue;
    if (step_ == Step::kNewHeight) {
      // Tendermint Core: a proposal for round 0 of the new height ends the commit wait.
      const RoundLog* l = log(0);
      if (l != nullptr && !l->proposals.empty()) {
        start_round_quietly(host, 0);
        continue;
      }
      return;
    }
    if (waiting_ && heard_others_) {
      enter_propose(host, true);
      continue;
    }
    bool fired = false;
    if (equivocate_) fired |= equivocating_votes(host);
    fired |= upon_proposal(host);
    fired |= upon_prevote_any(host);
    fired |= upon_polka(host);
    fired |= upon_nil_polka(host);
    fired |= upon_precommit_any(host);
    if (!fired) return;
  }
  throw std::logic_error("Tendermint: the rules did not settle");
}

const ProposalRecord* TendermintCore::find_valid_block(const Hash256& hash) const {
  for (const auto& [r, l] : rounds_) {
    for (const ProposalRecord& p : l.proposals) {
      if (p.valid && p.block->hash == hash) return &p;
    }
  }
  return nullptr;
}

bool TendermintCore::locked_on_other(const BlockRef& block) const {
  return locked_value_ && locked_value_->hash != block->hash;
}

bool TendermintCore::try_decide(TendermintHost& host) {
  // Line 49: upon PROPOSAL(h_p, r, v, *) AND 2f+1 PRECOMMIT(h_p, r, id(v)) while decision_p[h_p]
  // = nil: decide v and start the next height.
  for (const auto& [r, l] : rounds_) {
    for (const Hash256& value : l.precommits.values_with(quorum(nodes_))) {
      const ProposalRecord* p = find_valid_block(value);
      if (p == nullptr) continue;  // the block has not arrived (yet)
      const BlockRef block = p->block;
      const Round round = r;
      std::vector<SignedVote> certificate = l.precommits.votes_for(value);
      const Height next = height_ + 1;
      host.decide(round, block, std::move(certificate));
      start_height(next);
      return true;
    }
  }
  return false;
}

bool TendermintCore::try_round_skip(TendermintHost& host) {
  // Line 55: upon f+1 messages of height h_p and a round r > round_p: StartRound(r).
  std::optional<Round> target;
  for (auto it = rounds_.upper_bound(round_); it != rounds_.end(); ++it) {
    if (it->second.senders.size() >= one_third_plus(nodes_)) target = it->first;
  }
  if (!target) return false;
  start_round_quietly(host, *target);
  return true;
}

bool TendermintCore::upon_proposal(TendermintHost& host) {
  if (step_ != Step::kPropose) return false;
  const RoundLog* l = log(round_);
  if (l == nullptr) return false;
  for (const ProposalRecord& p : l->proposals) {
    bool accept = false;
    if (p.valid_round == kNoRound) {
      // Line 22: a fresh proposal. Prevote it if valid and not locked on another value.
      accept = p.valid && !locked_on_other(p.block);
    } else {
      // Line 28: a re-proposal with a proof-of-lock round vr < round_p; wait for 2f+1 prevotes
      // for it in vr. Prevote it if valid and the lock is not from a round later than vr.
      const RoundLog* pol = log(static_cast<Round>(p.valid_round));
      if (pol == nullptr || pol->prevotes.count(p.block->hash) < quorum(nodes_)) continue;
      accept = p.valid && (locked_round_ <= p.valid_round || !locked_on_other(p.block));
    }
    cast(host, VoteKind::kPrevote, accept ? p.block->hash : Hash256{});
    step_ = Step::kPrevote;
    return true;
  }
  return false;
}

bool TendermintCore::upon_prevote_any(TendermintHost& host) {
  // Line 34: upon 2f+1 PREVOTE(h_p, round_p, *) while step_p = prevote for the first time.
  if (step_ != Step::kPrevote) return false;
  RoundLog& l = rounds_[round_];
  if (l.prevote_timeout_fired || l.prevotes.voters() < quorum(nodes_)) return false;
  l.prevote_timeout_fired = true;
  host.schedule_timeout(TimeoutKind::kPrevote, height_, round_);
  return true;
}

bool TendermintCore::upon_polka(TendermintHost& host) {
  // Line 36: upon PROPOSAL(h_p, round_p, v, *) AND 2f+1 PREVOTE(h_p, round_p, id(v)) while
  // valid(v) and step_p >= prevote for the first time.
  if (step_ != Step::kPrevote && step_ != Step::kPrecommit) return false;
  RoundLog& l = rounds_[round_];
  if (l.polka_fired) return false;
  for (const Hash256& value : l.prevotes.values_with(quorum(nodes_))) {
    auto it = std::find_if(l.proposals.begin(), l.proposals.end(), [&](const ProposalRecord& p) {
      return p.valid && p.block->hash == value;
    });
    if (it == l.proposals.end()) continue;
    const BlockRef block = it->block;
    l.polka_fired = true;
    if (step_ == Step::kPrevote) {
      locked_value_ = block;
      locked_round_ = static_cast<std::int64_t>(round_);
      cast(host, VoteKind::kPrecommit, value);
      step_ = Step::kPrecommit;
    }
    valid_value_ = block;
    valid_round_ = static_cast<std::int64_t>(round_);
    return true;
  }
  return false;
}

bool TendermintCore::upon_nil_polka(TendermintHost& host) {
  // Line 44: upon 2f+1 PREVOTE(h_p, round_p, nil) while step_p = prevote.
  if (step_ != Step::kPrevote) return false;
  const RoundLog* l = log(round_);
  if (l == nullptr || l->prevotes.count(Hash256{}) < quorum(nodes_)) return false;
  cast(host, VoteKind::kPrecommit, Hash256{});
  step_ = Step::kPrecommit;
  return true;
}

bool TendermintCore::upon_precommit_any(TendermintHost& host) {
  // Line 47: upon 2f+1 PRECOMMIT(h_p, round_p, *) for the first time.
  RoundLog& l = rounds_[round_];
  if (l.precommit_timeout_fired || l.precommits.voters() < quorum(nodes_)) return false;
  l.precommit_timeout_fired = true;
  host.schedule_timeout(TimeoutKind::kPrecommit, height_, round_);
  return true;
}

bool TendermintCore::equivocating_votes(TendermintHost& host) {
  // Byzantine voter: prevote and precommit every valid proposal of the round, whatever the lock.
  bool fired = false;
  const Round round = round_;
  std::vector<Hash256> values;
  for (const ProposalRecord& p : rounds_[round].proposals) {
    if (p.valid && !rounds_[round].equivocated.contains(p.block->hash)) {
      values.push_back(p.block->hash);
    }
  }
  for (const Hash256& value : values) {
    rounds_[round].equivocated.insert(value);
    cast(host, VoteKind::kPrevote, value);
    cast(host, VoteKind::kPrecommit, value);
    fired = true;
  }
  return fired;
}

void TendermintCore::cast(TendermintHost& host, VoteKind kind, const Hash256& value) {
  std::optional<SignedVote> v = host.vote(kind, round_, value);
  if (v) add_vote(*v);
}

}  // namespace hlsim
