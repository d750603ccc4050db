#include "workloads/claims/claims_metrics.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

#include "workloads/claims/claims_state.h"
#include "workloads/percentile.h"

namespace hlsim::claims {
namespace {

// Nearest-rank percentile, p in percent (workloads/percentile.h).
double percentile(std::vector<double> v, double p) { return nearest_rank(std::move(v), p / 100); }

double usd(std::uint64_t cents) { return static_cast<double>(cents) / 100; }

}  // namespace

ClaimsMetrics::ClaimsMetrics(const ClaimsRules& rules) : contract_(rules) {}

void ClaimsMetrics::on_commit(const Transaction& tx, TxOutcome outcome, TimeNs commit_ns) {
  if (outcome == TxOutcome::kInvalid) {
    ++invalid_;
    return;
  }
  const ApplyResult replayed = contract_.apply(replica_, tx, commit_ns);
  if (replayed.outcome != outcome) ++mismatch_;
  if (is_claim_kind(tx.kind)) {
    count_claim(tx, outcome, commit_ns);
  } else if (tx.kind == static_cast<std::uint16_t>(Kind::kPayment)) {
    count_payment(tx, outcome, commit_ns);
  } else if (tx.kind == static_cast<std::uint16_t>(Kind::kEnroll) &&
             outcome == TxOutcome::kApplied) {
    ++enrolments_;
  }
}

void ClaimsMetrics::count_claim(const Transaction& tx, TxOutcome outcome, TimeNs commit_ns) {
  const std::optional<Claim> c = decode_claim(tx.payload);
  if (!c) return;
  std::optional<ClaimRecord> rec;
  if (const std::optional<std::string> raw = replica_.get(claim_key(c->provider, c->claim_seq))) {
    rec = decode_claim_record(*raw);
  }
  ++claims_committed_;
  lines_ += c->lines.size();
  const bool applied = outcome == TxOutcome::kApplied;
  if (applied) {
    ++claims_approved_;
    unpaid_[ClaimRef{c->provider, c->claim_seq}] = commit_ns;
    if (rec) {
      approved_cents_ += rec->approved_cents;
      for (const LineResult& l : rec->lines) {
        if (l.reason == LineReason::kNotCovered || l.reason == LineReason::kLimitExhausted) {
          ++lines_denied_in_approved_;
        }
      }
    }
  } else {
    ++claims_denied_;
    if (rec) {
      switch (rec->reason) {
        case ClaimReason::kNotMember:
          ++denied_not_member_;
          break;
        case ClaimReason::kDuplicate:
          ++denied_duplicate_;
          break;
        case ClaimReason::kUpcoded:
          ++denied_upcoded_;
          break;
        default:
          ++denied_all_lines_;
          break;
      }
    }
  }
  switch (static_cast<Kind>(tx.kind)) {
    case Kind::kClaimSubmit:
      if (!applied) ++honest_denied_;
      break;
    case Kind::kFraudDuplicateClaim:
      ++(applied ? duplicate_accepted_ : duplicate_detected_);
      break;
    case Kind::kFraudUpcodedClaim:
      ++(applied ? upcoded_accepted_ : upcoded_detected_);
      break;
    default:
      break;
  }
}

void ClaimsMetrics::count_payment(const Transaction& tx, TxOutcome outcome, TimeNs commit_ns) {
  if (outcome != TxOutcome::kApplied) {
    ++payments_denied_;
    return;
  }
  ++payments_applied_;
  const std::optional<Payment> p = decode_payment(tx.payload);
  if (!p) return;
  for (const ClaimRef& ref : p->claims) {
    if (const std::optional<std::string> raw =
            replica_.get(claim_key(ref.provider, ref.claim_seq))) {
      if (const std::optional<ClaimRecord> rec = decode_claim_record(*raw)) {
        paid_cents_ += rec->approved_cents;
      }
    }
    if (auto it = unpaid_.find(ref); it != unpaid_.end()) {
      claim_to_payment_ms_.push_back(static_cast<double>(commit_ns - it->second) / 1e6);
      unpaid_.erase(it);
    }
  }
}

std::vector<WorkloadFigure> ClaimsMetrics::figures() const {
  const auto count = [](std::uint64_t v) { return static_cast<double>(v); };
  std::vector<WorkloadFigure> f = {
      {"claims_committed", count(claims_committed_), "tx",
       "claims ordered (claim_submit and both fraud kinds), not invalid"},
      {"claims_approved", count(claims_approved_), "tx", "claims approved in full or in part"},
      {"claims_denied", count(claims_denied_), "tx", "claims denied as a whole"},
      {"claims_denied_not_member", count(denied_not_member_), "tx",
       "denied: patient not a member of the named payer"},
      {"claims_denied_duplicate", count(denied_duplicate_), "tx",
       "denied: same patient, provider, service day and line set as an earlier claim"},
      {"claims_denied_upcoded", count(denied_upcoded_), "tx",
       "denied: a line above its fee maximum or an E/M level its minutes do not support"},
      {"claims_denied_all_lines", count(denied_all_lines_), "tx",
       "denied: no line approved (not covered, annual limit exhausted)"},
      {"honest_claims_denied", count(honest_denied_), "tx",
       "claim_submit transactions denied (an honest provider cannot see the annual limit)"},
      {"lines_per_claim_mean", claims_committed_ > 0 ? count(lines_) / count(claims_committed_) : 0,
       "lines", "service lines per committed claim"},
      {"lines_denied_in_approved_claims", count(lines_denied_in_approved_), "lines",
       "lines denied (not covered, limit exhausted) within approved claims"},
      {"approved_usd", usd(approved_cents_), "USD", "amount approved over all claims"},
      {"paid_usd", usd(paid_cents_), "USD", "amount paid by applied payments"},
      {"payments_applied", count(payments_applied_), "tx", "payments applied"},
      {"payments_denied", count(payments_denied_), "tx",
       "payments denied (a claim unknown, not approved, already paid or another payer's)"},
      {"enrolments", count(enrolments_), "tx", "enrolments applied"},
      {"fraud_duplicate_detected", count(duplicate_detected_), "tx",
       "fraud_duplicate_claim transactions denied"},
      {"fraud_duplicate_accepted", count(duplicate_accepted_), "tx",
       "fraud_duplicate_claim transactions applied (expected 0)"},
      {"fraud_upcoded_detected", count(upcoded_detected_), "tx",
       "fraud_upcoded_claim transactions denied"},
      {"fraud_upcoded_accepted", count(upcoded_accepted_), "tx",
       "fraud_upcoded_claim transactions applied (expected 0)"},
  };
  const std::uint64_t frauds =
      duplicate_detected_ + duplicate_accepted_ + upcoded_detected_ + upcoded_accepted_;
  if (frauds > 0) {
    f.push_back({"fraud_detection_rate",
                 100 * count(duplicate_detected_ + upcoded_detected_) / count(frauds), "%",
                 "committed fraud claims that were denied"});
  }
  if (!claim_to_payment_ms_.empty()) {
    f.push_back({"claim_to_payment_p50", percentile(claim_to_payment_ms_, 50), "ms",
                 "claim commit to its payment's commit, median"});
    f.push_back({"claim_to_payment_p99", percentile(claim_to_payment_ms_, 99), "ms",
                 "claim commit to its payment's commit, 99th percentile"});
  }
  f.push_back({"claims_unpaid_end", count(unpaid_.size()), "tx",
               "approved claims without an applied payment at the end"});
  f.push_back({"ledger_invalid", count(invalid_), "tx", "ordered transactions found invalid"});
  f.push_back({"contract_mismatch", count(mismatch_), "tx",
               "re-applied outcome differing from the ledger's (expected 0)"});
  return f;
}

}  // namespace hlsim::claims
