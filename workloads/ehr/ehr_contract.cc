#include "workloads/ehr/ehr_contract.h"

#include <optional>
#include <stdexcept>
#include <string>

#include "workloads/ehr/ehr_payloads.h"
#include "workloads/ehr/ehr_state.h"

namespace hlsim::ehr {
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

// A stored consent, or nullopt when there is none. A value that does not decode counts as none:
// only this contract writes these keys, so that can only be a damaged store, and every validator
// then sees the same thing.
std::optional<ConsentState> load_consent(const KvStore& state, std::uint64_t patient,
                                         std::uint32_t grantee) {
  const std::optional<std::string> raw = state.get(consent_key(patient, grantee));
  if (!raw) return std::nullopt;
  return decode_consent_state(*raw);
}

}  // namespace

EhrContract::EhrContract(std::uint32_t organisations, std::uint64_t patients)
    : organisations_(organisations), patients_(patients) {
  if (organisations == 0 || patients == 0) {
    throw std::invalid_argument("EhrContract needs at least one organisation and one patient");
  }
}

ApplyResult EhrContract::apply(KvStore& state, const Transaction& tx, TimeNs block_time_ns) {
  if (tx.client >= organisations_) return invalid();
  CountingWriter out(state);

  switch (tx.kind) {
    case static_cast<std::uint16_t>(Kind::kRecordWrite): {
      std::optional<RecordWrite> p = decode_record_write(tx.payload);
      if (!p || p->patient >= patients_ || tx.client != home_of(p->patient)) return invalid();
      const std::string key = record_key(p->patient, p->record_id);
      if (state.get(key)) return invalid();
      RecordState v;
      v.written_ns = block_time_ns;
      v.content_hash = p->content_hash;
      v.uri = std::move(p->uri);
      v.record_type = p->record_type;
      v.meta = std::move(p->meta);
      out.put(key, encode_value(v));
      return out.finish(TxOutcome::kApplied);
    }

    case static_cast<std::uint16_t>(Kind::kConsentGrant): {
      const std::optional<ConsentGrant> p = decode_consent_grant(tx.payload);
      if (!p || p->patient >= patients_) return invalid();
      const std::uint32_t home = home_of(p->patient);
      if (tx.client != home || p->grantee >= organisations_ || p->grantee == home ||
          p->expiry_ns <= block_time_ns) {
        return invalid();
      }
      const ConsentState v{p->expiry_ns, false, p->consent_id, block_time_ns};
      out.put(consent_key(p->patient, p->grantee), encode_value(v));
      return out.finish(TxOutcome::kApplied);
    }

    case static_cast<std::uint16_t>(Kind::kConsentRevoke): {
      const std::optional<ConsentRevoke> p = decode_consent_revoke(tx.payload);
      if (!p || p->patient >= patients_ || tx.client != home_of(p->patient)) return invalid();
      std::optional<ConsentState> v = load_consent(state, p->patient, p->grantee);
      if (!v || v->revoked) return invalid();
      v->revoked = true;
      v->updated_ns = block_time_ns;
      out.put(consent_key(p->patient, p->grantee), encode_value(*v));
      return out.finish(TxOutcome::kApplied);
    }

    case static_cast<std::uint16_t>(Kind::kAccessRequest): {
      const std::optional<AccessRequest> p = decode_access_request(tx.payload);
      if (!p || p->patient >= patients_ || p->requester != tx.client) return invalid();
      bool granted = p->requester == home_of(p->patient);
      if (!granted) {
        const std::optional<ConsentState> c = load_consent(state, p->patient, p->requester);
        granted = c && !c->revoked && c->expiry_ns > block_time_ns;
      }
      const std::string next_key = audit_next_key(p->patient);
      std::uint64_t seq = 0;
      if (const std::optional<std::string> raw = state.get(next_key)) {
        seq = decode_seq(*raw).value_or(0);
      }
      const AuditEntry entry{p->requester, block_time_ns,
                             granted ? AuditDecision::kGranted : AuditDecision::kDenied, p->purpose,
                             tx.id};
      out.put(audit_key(p->patient, seq), encode_value(entry));
      out.put(next_key, encode_seq(seq + 1));
      return out.finish(granted ? TxOutcome::kApplied : TxOutcome::kDenied);
    }

    default:
      return invalid();
  }
}

}  // namespace hlsim::ehr
