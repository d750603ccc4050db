#include "workloads/credentials/credentials_contract.h"

#include <optional>
#include <stdexcept>
#include <string>

#include "workloads/credentials/credentials_payloads.h"

namespace hlsim::credentials {
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
ApplyResult denied() { return ApplyResult{TxOutcome::kDenied, 0, 0}; }

// The licence as it stands: stored, else the register's, else none. A stored value that does not
// decode counts as none (only a damaged store could hold one, and every validator sees the same).
std::optional<LicenceState> load_licence(const KvStore& state, const Register& reg,
                                         std::uint32_t board, std::uint64_t clinician) {
  if (const std::optional<std::string> raw = state.get(licence_key(board, clinician))) {
    return decode_licence_state(*raw);
  }
  if (!reg.holds(board, clinician)) return std::nullopt;
  return LicenceState{reg.register_issue_ns(board, clinician),
                      reg.register_expiry_ns(board, clinician), false, 0, 0};
}

}  // namespace

CredentialsContract::CredentialsContract(std::uint32_t organisations, const Register& reg)
    : organisations_(organisations), register_(reg) {
  if (organisations <= reg.boards()) {
    throw std::invalid_argument("CredentialsContract needs at least one hospital");
  }
}

ApplyResult CredentialsContract::apply(KvStore& state, const Transaction& tx,
                                       TimeNs block_time_ns) {
  if (tx.client >= organisations_) return invalid();
  if (is_verification_kind(tx.kind)) return apply_verification(state, tx, block_time_ns);
  if (tx.kind < kKindCount) return apply_licence_action(state, tx, block_time_ns);
  return invalid();
}

ApplyResult CredentialsContract::apply_licence_action(KvStore& state, const Transaction& tx,
                                                      TimeNs block_time_ns) {
  const std::optional<LicenceAction> p = decode_licence_action(tx.payload);
  if (!p || p->board != tx.client || p->board >= register_.boards()) return invalid();
  const TimeNs interval = register_.config().interval_ns;
  std::optional<LicenceState> lic = load_licence(state, register_, p->board, p->clinician);
  CountingWriter out(state);
  const std::string key = licence_key(p->board, p->clinician);
  switch (static_cast<Kind>(tx.kind)) {
    case Kind::kLicenceIssue:
      if (!register_.may_license(p->board, p->clinician)) return invalid();
      if (lic && (lic->revoked || block_time_ns < lic->expiry_ns)) return denied();
      out.put(key, encode_value(LicenceState{block_time_ns, block_time_ns + interval, false, 0,
                                             lic ? lic->renewals : 0}));
      return out.finish(TxOutcome::kApplied);
    case Kind::kRecredential:
      if (!lic || lic->revoked || block_time_ns >= lic->expiry_ns) return denied();
      lic->expiry_ns = block_time_ns + interval;
      ++lic->renewals;
      out.put(key, encode_value(*lic));
      return out.finish(TxOutcome::kApplied);
    case Kind::kRevoke:
      if (!lic || lic->revoked) return denied();
      lic->revoked = true;
      lic->revoked_ns = block_time_ns;
      out.put(key, encode_value(*lic));
      return out.finish(TxOutcome::kApplied);
    default:
      return invalid();
  }
}

ApplyResult CredentialsContract::apply_verification(KvStore& state, const Transaction& tx,
                                                    TimeNs block_time_ns) {
  const std::optional<Verification> p = decode_verification(tx.payload);
  if (!p || p->hospital != tx.client || p->hospital < register_.boards() ||
      p->board >= register_.boards()) {
    return invalid();
  }
  const std::optional<LicenceState> lic = load_licence(state, register_, p->board, p->clinician);
  VerifyResult result = VerifyResult::kValid;
  if (!lic) {
    result = VerifyResult::kUnknown;
  } else if (lic->revoked) {
    result = VerifyResult::kRevoked;
  } else if (block_time_ns >= lic->expiry_ns) {
    result = VerifyResult::kExpired;
  }
  CountingWriter out(state);
  const std::string next_key = audit_next_key(p->board, p->clinician);
  std::uint64_t seq = 0;
  if (const std::optional<std::string> raw = state.get(next_key)) {
    seq = decode_seq(*raw).value_or(0);
  }
  out.put(audit_key(p->board, p->clinician, seq),
          encode_value(VerificationAudit{p->hospital, block_time_ns, result, tx.id}));
  out.put(next_key, encode_seq(seq + 1));
  return out.finish(result == VerifyResult::kValid ? TxOutcome::kApplied : TxOutcome::kDenied);
}

}  // namespace hlsim::credentials
