#include "workloads/claims/claims_contract.h"

#include <algorithm>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "workloads/claims/claims_payloads.h"
#include "workloads/claims/claims_state.h"

namespace hlsim::claims {
namespace {

// Counts what a transaction writes, for ApplyResult.
class CountingWriter {
 public:
  explicit CountingWriter(KvStore& state) : state_(state) {}

  void put(const std::string& key, const std::string& value) {
    state_.put(key, value);
    ++result_.writes;
    result_.written_bytes += key.size() + value.size();
  }

  ApplyResult finish(TxOutcome outcome) {
    result_.outcome = outcome;
    return result_;
  }

 private:
  KvStore& state_;
  ApplyResult result_;
};

ApplyResult invalid() { return ApplyResult{TxOutcome::kInvalid, 0, 0}; }

// A value that does not decode counts as absent: only this contract writes these keys, so that
// can only be a damaged store, and every validator then sees the same thing.
std::optional<ClaimRecord> load_claim(const KvStore& state, const ClaimRef& ref) {
  const std::optional<std::string> raw = state.get(claim_key(ref.provider, ref.claim_seq));
  if (!raw) return std::nullopt;
  return decode_claim_record(*raw);
}

// True if some line bills above its fee maximum or an office E/M level its documented time does
// not support. REQUIRES: every code is in the table.
bool upcoded(const Claim& c) {
  return std::any_of(c.lines.begin(), c.lines.end(), [](const ClaimLine& l) {
    const ProcedureCode code = *find_code(l.code);
    if (l.amount_cents > code.fee_max_cents * l.units) return true;
    return code.office_em && l.minutes < code.em_min_minutes;
  });
}

// The member's coverage for a claim to `payer`, or nullopt when the patient is not its member.
std::optional<Enrolment> coverage(const KvStore& state, const ClaimsRules& rules,
                                  std::uint64_t patient, std::uint32_t payer) {
  if (rules.membership == Membership::kEnrolled) {
    const std::optional<std::string> raw = state.get(member_key(patient, payer));
    if (!raw) return std::nullopt;
    return decode_enrolment(*raw);  // a damaged record counts as absent, as in load_claim
  }
  if (rules.payer_of(patient) != payer) return std::nullopt;
  Enrolment cover{rules.plan_of(patient), rules.annual_limit_cents, 0};
  if (const std::optional<std::string> raw = state.get(member_key(patient))) {
    if (std::optional<Enrolment> e = decode_enrolment(*raw)) cover = *e;
  }
  return cover;
}

}  // namespace

ClaimsContract::ClaimsContract(const ClaimsRules& rules) : rules_(rules) {
  if (rules.payers == 0 || rules.payers >= rules.organisations ||
      rules.first_payer > rules.organisations - rules.payers || rules.patients == 0 ||
      rules.annual_limit_cents == 0) {
    throw std::invalid_argument(
        "ClaimsContract needs 1 <= payers < organisations, first_payer + payers <= "
        "organisations, patients >= 1 and an annual limit");
  }
}

ApplyResult ClaimsContract::apply(KvStore& state, const Transaction& tx, TimeNs block_time_ns) {
  if (tx.client >= rules_.organisations) return invalid();
  if (is_claim_kind(tx.kind)) return apply_claim(state, tx, block_time_ns);
  if (tx.kind == static_cast<std::uint16_t>(Kind::kPayment)) {
    return apply_payment(state, tx, block_time_ns);
  }
  if (tx.kind == static_cast<std::uint16_t>(Kind::kEnroll)) {
    return apply_enroll(state, tx, block_time_ns);
  }
  return invalid();
}

ApplyResult ClaimsContract::apply_claim(KvStore& state, const Transaction& tx,
                                        TimeNs block_time_ns) {
  const std::optional<Claim> c = decode_claim(tx.payload);
  if (!c || c->provider != tx.client || !rules_.is_provider(c->provider) ||
      c->patient >= rules_.patients || !rules_.is_payer(c->payer)) {
    return invalid();
  }
  const bool table = rules_.codes == Codes::kTable;
  for (const ClaimLine& l : c->lines) {
    if ((table && !find_code(l.code)) || l.units == 0 || l.amount_cents > kLineAmountMaxCents) {
      return invalid();
    }
  }
  const std::string key = claim_key(c->provider, c->claim_seq);
  if (state.get(key)) return invalid();

  CountingWriter out(state);
  ClaimRecord rec;
  rec.patient = c->patient;
  rec.payer = c->payer;
  rec.service_day = c->service_day;
  rec.submitted_ns = block_time_ns;
  rec.lines.resize(c->lines.size());
  for (const ClaimLine& l : c->lines) rec.billed_cents += l.amount_cents;

  const Hash256 fingerprint = claim_fingerprint(*c);
  const std::string dup_key = duplicate_key(fingerprint);
  const std::optional<Enrolment> cover = coverage(state, rules_, c->patient, c->payer);
  if (!cover) {
    rec.reason = ClaimReason::kNotMember;
  } else if (state.get(dup_key)) {
    rec.reason = ClaimReason::kDuplicate;
  } else if (table && upcoded(*c)) {
    rec.reason = ClaimReason::kUpcoded;
  } else {
    const std::string used_key = usage_key(c->patient, c->service_day / kDaysPerPlanYear);
    std::uint64_t used = 0;
    if (const std::optional<std::string> raw = state.get(used_key)) {
      used = decode_cents(*raw).value_or(0);
    }
    std::uint64_t left = cover->annual_limit_cents > used ? cover->annual_limit_cents - used : 0;
    bool any_approved = false;
    bool all_in_full = true;
    for (std::size_t i = 0; i < c->lines.size(); ++i) {
      const ClaimLine& l = c->lines[i];
      LineResult& r = rec.lines[i];
      if (table && !plan_covers(cover->plan, *find_code(l.code))) {
        r.reason = LineReason::kNotCovered;
      } else if (left == 0 && l.amount_cents > 0) {
        r.reason = LineReason::kLimitExhausted;
      } else {
        r.approved_cents = std::min(l.amount_cents, left);
        r.reason =
            r.approved_cents == l.amount_cents ? LineReason::kApproved : LineReason::kLimitReduced;
        left -= r.approved_cents;
        rec.approved_cents += r.approved_cents;
        any_approved = true;
      }
      all_in_full = all_in_full && r.reason == LineReason::kApproved;
    }
    if (!any_approved) {
      rec.reason = ClaimReason::kAllLinesDenied;
    } else {
      rec.reason = all_in_full ? ClaimReason::kApproved : ClaimReason::kPartial;
      out.put(used_key, encode_cents(used + rec.approved_cents));
    }
  }
  if (rec.reason != ClaimReason::kDuplicate) {
    out.put(dup_key, encode_value(ClaimRef{c->provider, c->claim_seq}));
  }
  out.put(key, encode_value(rec));
  return out.finish(is_approved(rec.reason) ? TxOutcome::kApplied : TxOutcome::kDenied);
}

ApplyResult ClaimsContract::apply_payment(KvStore& state, const Transaction& tx,
                                          TimeNs block_time_ns) {
  const std::optional<Payment> p = decode_payment(tx.payload);
  if (!p || p->payer != tx.client || !rules_.is_payer(p->payer)) return invalid();
  const ApplyResult denied{TxOutcome::kDenied, 0, 0};
  std::set<ClaimRef> seen;
  std::vector<std::pair<ClaimRef, ClaimRecord>> paying;
  paying.reserve(p->claims.size());
  for (const ClaimRef& ref : p->claims) {
    if (!seen.insert(ref).second) return denied;
    std::optional<ClaimRecord> rec = load_claim(state, ref);
    if (!rec || rec->payer != p->payer || !is_approved(rec->reason) || rec->paid) return denied;
    paying.emplace_back(ref, std::move(*rec));
  }
  CountingWriter out(state);
  for (auto& [ref, rec] : paying) {
    rec.paid = true;
    rec.paid_ns = block_time_ns;
    out.put(claim_key(ref.provider, ref.claim_seq), encode_value(rec));
  }
  return out.finish(TxOutcome::kApplied);
}

ApplyResult ClaimsContract::apply_enroll(KvStore& state, const Transaction& tx,
                                         TimeNs block_time_ns) {
  const std::optional<Enroll> p = decode_enroll(tx.payload);
  if (!p || p->payer != tx.client || !rules_.is_payer(p->payer) || p->patient >= rules_.patients ||
      p->annual_limit_cents == 0) {
    return invalid();
  }
  const bool enrolled = rules_.membership == Membership::kEnrolled;
  if (!enrolled && rules_.payer_of(p->patient) != p->payer) {
    return ApplyResult{TxOutcome::kDenied, 0, 0};
  }
  CountingWriter out(state);
  out.put(enrolled ? member_key(p->patient, p->payer) : member_key(p->patient),
          encode_value(Enrolment{p->plan, p->annual_limit_cents, block_time_ns}));
  return out.finish(TxOutcome::kApplied);
}

}  // namespace hlsim::claims
