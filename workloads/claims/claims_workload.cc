#include "workloads/claims/claims_workload.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>
#include <utility>

#include "workloads/claims/claims_metrics.h"

namespace hlsim::claims {
namespace {

// Office E/M level mix for 99211..99215. No published mix is used; a design assumption with
// 99213 and 99214 dominating.
constexpr std::array<double, kEmLevelCount> kEmLevelWeights = {0.03, 0.12, 0.40, 0.38, 0.07};
// Documented minutes drawn for an E/M level: [minimum, minimum + span).
constexpr std::array<std::uint16_t, kEmLevelCount> kEmMinutesLow = {5, 10, 20, 30, 40};
constexpr std::array<std::uint16_t, kEmLevelCount> kEmMinutesSpan = {5, 10, 10, 10, 15};
// Committed claims a provider remembers as duplication candidates.
constexpr std::size_t kObservedClaimsMax = 64;
// Redraws of a claim whose fingerprint repeats one of the day, before a distinguishing line is
// appended instead.
constexpr int kRedrawsMax = 16;

std::size_t pick_weighted(Rng& rng, const std::array<double, kEmLevelCount>& weights) {
  double total = 0;
  for (double w : weights) total += w;
  const double u = rng.next_double() * total;
  double acc = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    acc += weights[i];
    if (u < acc) return i;
  }
  return weights.size() - 1;
}

// Zero fill that brings an encoding of `base` bytes up to `target` bytes.
Bytes fill(std::size_t base, std::size_t target) {
  return Bytes(target > base ? target - base : 0);
}

std::uint32_t service_day(TimeNs now_ns, TimeNs day_ns) {
  return static_cast<std::uint32_t>(std::max<TimeNs>(now_ns, 0) / day_ns);
}

}  // namespace

ClaimsWorkload::ClaimsWorkload(const ClaimsConfig& config)
    : config_(config),
      rules_(config.rules()),
      patient_zipf_(config.patients, config.zipf_s),
      covered_procedures_(kPlanCount),
      uncovered_procedures_(kPlanCount),
      clients_(config.organisations) {
  const double extra = config.lines_per_claim_mean - 1;
  extra_lines_mean_exp_ = extra > 0 ? 1 / std::log1p(1 / extra) : 0;
  const auto table = code_table();
  for (std::uint8_t plan = 0; plan < kPlanCount; ++plan) {
    for (std::size_t i = kEmLevelCount; i < table.size(); ++i) {
      (plan_covers(static_cast<Plan>(plan), table[i]) ? covered_procedures_
                                                      : uncovered_procedures_)[plan]
          .push_back(i);
    }
  }
}

const std::vector<std::string>& ClaimsWorkload::kind_names() const {
  static const std::vector<std::string> names = {"claim_submit", "payment", "enroll",
                                                 "fraud_duplicate_claim", "fraud_upcoded_claim"};
  return names;
}

std::unique_ptr<Contract> ClaimsWorkload::make_contract() const {
  return std::make_unique<ClaimsContract>(rules_);
}

std::unique_ptr<WorkloadMetrics> ClaimsWorkload::make_metrics() const {
  return std::make_unique<ClaimsMetrics>(rules_);
}

std::size_t ClaimsWorkload::claims_to_pay(ClientId client) const {
  return clients_.at(client).to_pay.size();
}

std::size_t ClaimsWorkload::remembered_claims(ClientId client) const {
  return clients_.at(client).observed.size();
}

TxDraft ClaimsWorkload::next_tx(ClientId client, TimeNs now_ns, Rng& rng) {
  if (client >= config_.organisations) {
    throw std::out_of_range("ClaimsWorkload::next_tx: client " + std::to_string(client) +
                            " is not an organisation");
  }
  if (rules_.is_payer(client)) {
    return clients_[client].to_pay.empty() ? enroll(client, rng) : payment(client);
  }
  if (rng.bernoulli(config_.fraud_fraction)) {
    if (rng.bernoulli(0.5) && !clients_[client].observed.empty()) {
      return duplicate_claim(client, rng);
    }
    return upcoded_claim(client, now_ns, rng);
  }
  return honest_claim(client, now_ns, rng);
}

TxDraft ClaimsWorkload::honest_claim(ClientId client, TimeNs now_ns, Rng& rng) {
  return finish_claim(Kind::kClaimSubmit, draft_claim(client, now_ns, false, rng));
}

TxDraft ClaimsWorkload::upcoded_claim(ClientId client, TimeNs now_ns, Rng& rng) {
  return finish_claim(Kind::kFraudUpcodedClaim, draft_claim(client, now_ns, true, rng));
}

TxDraft ClaimsWorkload::duplicate_claim(ClientId client, Rng& rng) {
  ClientState& st = clients_[client];
  Claim c = st.observed[rng.next_below(st.observed.size())];
  c.claim_seq = st.next_claim_seq++;
  return finish_claim(Kind::kFraudDuplicateClaim, std::move(c));
}

Claim ClaimsWorkload::draft_claim(ClientId client, TimeNs now_ns, bool upcode_it, Rng& rng) {
  ClientState& st = clients_[client];
  Claim c;
  c.claim_seq = st.next_claim_seq++;
  c.provider = client;
  c.service_day = service_day(now_ns, config_.day_ns);
  if (c.service_day != st.fingerprint_day) {
    st.fingerprints.clear();
    st.fingerprint_day = c.service_day;
  }
  Hash256 fp;
  for (int attempt = 0;; ++attempt) {
    if (attempt < kRedrawsMax) {
      // Patient and lines are redrawn together, so a repeat (which needs the same patient) does
      // not push short claims of hot patients towards long ones.
      c.patient = patient_zipf_.sample(rng);
      c.payer = rules_.payer_of(c.patient);
      c.lines = draw_lines(rules_.plan_of(c.patient), rng);
      if (upcode_it) upcode(c.lines, rng);
    } else {
      // Practically unreachable: a venipuncture line with ever more units makes it distinct.
      const std::uint16_t units = static_cast<std::uint16_t>(attempt - kRedrawsMax + 2);
      ClaimLine extra{code_table()[kEmLevelCount].code, units, 0,
                      code_table()[kEmLevelCount].fee_max_cents * units};
      if (attempt > kRedrawsMax) c.lines.pop_back();
      c.lines.push_back(extra);
    }
    fp = claim_fingerprint(c);
    if (!st.fingerprints.contains(fp)) break;
  }
  st.fingerprints.insert(fp);
  return c;
}

std::vector<ClaimLine> ClaimsWorkload::draw_lines(Plan plan, Rng& rng) const {
  std::uint32_t n = 1;
  if (extra_lines_mean_exp_ > 0) {
    const double extra = std::floor(sample_exponential(rng, extra_lines_mean_exp_));
    n = static_cast<std::uint32_t>(
        std::min<double>(config_.lines_per_claim_max, 1 + std::min(extra, 1e6)));
  }
  const auto table = code_table();
  std::vector<ClaimLine> lines;
  lines.reserve(n);
  const std::size_t level = pick_weighted(rng, kEmLevelWeights);
  const ProcedureCode& em = table[level];
  lines.push_back(ClaimLine{
      em.code, 1,
      static_cast<std::uint16_t>(kEmMinutesLow[level] + rng.next_below(kEmMinutesSpan[level])),
      em.fee_max_cents});
  const auto& covered = covered_procedures_[static_cast<std::size_t>(plan)];
  const auto& uncovered = uncovered_procedures_[static_cast<std::size_t>(plan)];
  for (std::uint32_t i = 1; i < n; ++i) {
    const bool off_plan = !uncovered.empty() && rng.bernoulli(config_.uncovered_line_fraction);
    const auto& from = off_plan ? uncovered : covered;
    const ProcedureCode& code = table[from[rng.next_below(from.size())]];
    const auto units = static_cast<std::uint16_t>(1 + rng.next_below(code.units_max));
    lines.push_back(ClaimLine{code.code, units, 0, code.fee_max_cents * units});
  }
  return lines;
}

void ClaimsWorkload::upcode(std::vector<ClaimLine>& lines, Rng& rng) const {
  const auto table = code_table();
  // lines[0] is an office E/M level; the table lists the levels first, lowest first.
  std::size_t level = 0;
  while (table[level].code != lines[0].code) ++level;
  if (level + 1 < kEmLevelCount && rng.bernoulli(0.5)) {
    // Raise the level above what the documented minutes support (they are below the next
    // level's minimum by construction) and bill the higher fee.
    const std::size_t raised =
        level + 1 + rng.next_below(std::min<std::size_t>(2, kEmLevelCount - 1 - level));
    lines[0].code = table[raised].code;
    lines[0].amount_cents = table[raised].fee_max_cents;
    return;
  }
  ClaimLine& l = lines[rng.next_below(lines.size())];
  const std::uint64_t max_cents = find_code(l.code)->fee_max_cents * l.units;
  const double factor = sample_uniform(rng, 1.5, 3.0);
  l.amount_cents =
      std::max(max_cents + 1,
               static_cast<std::uint64_t>(std::llround(static_cast<double>(max_cents) * factor)));
}

TxDraft ClaimsWorkload::finish_claim(Kind kind, Claim claim) const {
  claim.attachment =
      fill(kClaimFixedBytes + kClaimLineBytes * claim.lines.size(), config_.claim_bytes);
  return TxDraft{static_cast<std::uint16_t>(kind), encode(claim), nullptr};
}

TxDraft ClaimsWorkload::payment(ClientId client) {
  ClientState& st = clients_[client];
  Payment p;
  p.payer = client;
  const std::size_t n = std::min<std::size_t>(st.to_pay.size(), config_.remit_max_claims);
  p.claims.assign(st.to_pay.begin(), st.to_pay.begin() + static_cast<std::ptrdiff_t>(n));
  st.to_pay.erase(st.to_pay.begin(), st.to_pay.begin() + static_cast<std::ptrdiff_t>(n));
  p.remittance = fill(kPaymentFixedBytes + kPaymentClaimBytes * n, config_.payment_bytes);
  return TxDraft{static_cast<std::uint16_t>(Kind::kPayment), encode(p), nullptr};
}

TxDraft ClaimsWorkload::enroll(ClientId client, Rng& rng) const {
  const std::uint64_t members =
      config_.patients / config_.payers + (client < config_.patients % config_.payers ? 1 : 0);
  Enroll p;
  p.patient = client + rng.next_below(members) * config_.payers;
  p.payer = client;
  p.plan = rules_.plan_of(p.patient);
  p.annual_limit_cents = config_.annual_limit_cents;
  p.member = fill(kEnrollFixedBytes, config_.enroll_bytes);
  return TxDraft{static_cast<std::uint16_t>(Kind::kEnroll), encode(p), nullptr};
}

std::vector<ClientId> ClaimsWorkload::watchers(const Transaction& tx) const {
  if (!is_claim_kind(tx.kind)) return {};
  const std::optional<Claim> c = decode_claim(tx.payload);
  if (!c || !rules_.is_payer(c->payer) || !rules_.is_provider(c->provider)) return {};
  return {c->payer, c->provider};
}

void ClaimsWorkload::on_observed(ClientId client, const Transaction& tx, TxOutcome outcome,
                                 TimeNs /*now_ns*/) {
  if (client >= config_.organisations || !is_claim_kind(tx.kind)) return;
  std::optional<Claim> c = decode_claim(tx.payload);
  if (!c) return;
  ClientState& st = clients_[client];
  if (client == c->payer && outcome == TxOutcome::kApplied) {
    st.to_pay.push_back(ClaimRef{c->provider, c->claim_seq});
  }
  if (client == c->provider && client == tx.client && outcome != TxOutcome::kInvalid) {
    c->attachment.clear();
    if (st.observed.size() < kObservedClaimsMax) {
      st.observed.push_back(std::move(*c));
    } else {
      st.observed[st.observed_next] = std::move(*c);
      st.observed_next = (st.observed_next + 1) % kObservedClaimsMax;
    }
  }
}

Result<std::unique_ptr<Workload>> make_claims_workload(const ParamValues& values,
                                                       const WorkloadSetup& setup) {
  Result<ClaimsConfig> config = claims_config(values, setup);
  if (!config) return config.error();
  return std::unique_ptr<Workload>(std::make_unique<ClaimsWorkload>(*config));
}

}  // namespace hlsim::claims
