// Fuzzes the workloads' transaction-payload decoders (workloads/*/*_payloads.h) and their
// state-value decoders (workloads/*/*_state.h, which `hlsim verify` runs on stored state).
//
// Input: one selector byte (modulo the number of decoders), then the payload or value. Every
// format here is canonical ("decoders accept only an exact encoding"), so besides not crashing,
// leaking or reading out of bounds, a decoded value must re-encode to exactly the input.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "workloads/claims/claims_payloads.h"
#include "workloads/claims/claims_state.h"
#include "workloads/consent/consent_payloads.h"
#include "workloads/consent/consent_state.h"
#include "workloads/credentials/credentials_payloads.h"
#include "workloads/credentials/credentials_state.h"
#include "workloads/ehr/ehr_payloads.h"
#include "workloads/ehr/ehr_state.h"
#include "workloads/smallbank/smallbank_payloads.h"
#include "workloads/smallbank/smallbank_state.h"
#include "workloads/supply/supply_payloads.h"
#include "workloads/supply/supply_state.h"
#include "workloads/ycsb/ycsb_payloads.h"

namespace {

using hlsim::ByteView;
using hlsim::fuzz::as_text;
using hlsim::fuzz::round_trip;

using Decoder = void (*)(ByteView in);

// A payload decoder of namespace hlsim::ns, re-encoded with that namespace's encode overloads.
#define HLSIM_PAYLOAD(ns, decode)                                                      \
  +[](ByteView in) {                                                                   \
    round_trip(                                                                        \
        in, hlsim::ns::decode(in), [](const auto& p) { return hlsim::ns::encode(p); }, \
        #ns "::" #decode);                                                             \
  }
// A state-value decoder (text in, text out) and its encoder.
#define HLSIM_STATE(ns, decode, encode)                                                         \
  +[](ByteView in) {                                                                            \
    round_trip(                                                                                 \
        in, hlsim::ns::decode(as_text(in)), [](const auto& v) { return hlsim::ns::encode(v); }, \
        #ns "::" #decode);                                                                      \
  }
// Smallbank: one decoder keyed by the transaction kind.
#define HLSIM_SMALLBANK(kind)                                                           \
  +[](ByteView in) {                                                                    \
    constexpr auto k = hlsim::smallbank::Kind::kind;                                    \
    round_trip(                                                                         \
        in, hlsim::smallbank::decode(static_cast<std::uint16_t>(k), in),                \
        [](const hlsim::smallbank::Op& op) { return hlsim::smallbank::encode(k, op); }, \
        "smallbank::decode " #kind);                                                    \
  }

const auto kDecoders = std::to_array<Decoder>({
    // EHR.
    HLSIM_PAYLOAD(ehr, decode_record_write),
    HLSIM_PAYLOAD(ehr, decode_consent_grant),
    HLSIM_PAYLOAD(ehr, decode_consent_revoke),
    HLSIM_PAYLOAD(ehr, decode_access_request),
    HLSIM_STATE(ehr, decode_record_state, encode_value),
    HLSIM_STATE(ehr, decode_consent_state, encode_value),
    HLSIM_STATE(ehr, decode_audit_entry, encode_value),
    HLSIM_STATE(ehr, decode_seq, encode_seq),
    // Supply chain.
    HLSIM_PAYLOAD(supply, decode_commission),
    HLSIM_PAYLOAD(supply, decode_aggregate),
    HLSIM_PAYLOAD(supply, decode_ship),
    HLSIM_PAYLOAD(supply, decode_receive),
    HLSIM_PAYLOAD(supply, decode_unpack),
    HLSIM_PAYLOAD(supply, decode_dispense),
    HLSIM_PAYLOAD(supply, decode_decommission),
    HLSIM_PAYLOAD(supply, decode_verify),
    +[](ByteView in) {
      (void)hlsim::supply::payload_op(in);
      (void)hlsim::supply::payload_subject(in);
    },
    HLSIM_STATE(supply, decode_epc_state, encode_value),
    HLSIM_STATE(supply, decode_audit_entry, encode_value),
    HLSIM_STATE(supply, decode_seq, encode_seq),
    // Claims.
    HLSIM_PAYLOAD(claims, decode_claim),
    HLSIM_PAYLOAD(claims, decode_payment),
    HLSIM_PAYLOAD(claims, decode_enroll),
    HLSIM_STATE(claims, decode_claim_record, encode_value),
    HLSIM_STATE(claims, decode_claim_ref, encode_value),
    HLSIM_STATE(claims, decode_enrolment, encode_value),
    HLSIM_STATE(claims, decode_cents, encode_cents),
    // Credentials.
    HLSIM_PAYLOAD(credentials, decode_licence_action),
    HLSIM_PAYLOAD(credentials, decode_verification),
    HLSIM_STATE(credentials, decode_licence_state, encode_value),
    HLSIM_STATE(credentials, decode_verification_audit, encode_value),
    HLSIM_STATE(credentials, decode_seq, encode_seq),
    // Consent.
    HLSIM_PAYLOAD(consent, decode_trial_register),
    HLSIM_PAYLOAD(consent, decode_site_activate),
    HLSIM_PAYLOAD(consent, decode_enrol),
    HLSIM_PAYLOAD(consent, decode_amend),
    HLSIM_PAYLOAD(consent, decode_reconsent),
    HLSIM_PAYLOAD(consent, decode_withdraw),
    HLSIM_PAYLOAD(consent, decode_viewer_change),
    HLSIM_PAYLOAD(consent, decode_data_access),
    HLSIM_STATE(consent, decode_trial_state, encode_value),
    HLSIM_STATE(consent, decode_site_state, encode_value),
    HLSIM_STATE(consent, decode_participant_state, encode_value),
    HLSIM_STATE(consent, decode_viewer_state, encode_value),
    HLSIM_STATE(consent, decode_audit_entry, encode_value),
    HLSIM_STATE(consent, decode_seq, encode_seq),
    // YCSB.
    HLSIM_PAYLOAD(ycsb, decode_read),
    HLSIM_PAYLOAD(ycsb, decode_update),
    HLSIM_PAYLOAD(ycsb, decode_insert),
    // Smallbank.
    HLSIM_SMALLBANK(kBalance),
    HLSIM_SMALLBANK(kDepositChecking),
    HLSIM_SMALLBANK(kTransactSavings),
    HLSIM_SMALLBANK(kAmalgamate),
    HLSIM_SMALLBANK(kWriteCheck),
    HLSIM_SMALLBANK(kSendPayment),
    HLSIM_STATE(smallbank, decode_balance, encode_balance),
});

#undef HLSIM_PAYLOAD
#undef HLSIM_STATE
#undef HLSIM_SMALLBANK

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  kDecoders[data[0] % kDecoders.size()](ByteView(data + 1, size - 1));
  return 0;
}
