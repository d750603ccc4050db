#include "workloads/consent/consent_payloads.h"

#include <array>

#include "ledger/encoding.h"

namespace hlsim::consent {
namespace {

constexpr std::array<const char*, kKindCount> kKindNames = {
    "trial_register",
    "site_activate",
    "enrol",
    "amend",
    "reconsent",
    "withdraw",
    "grant_viewer",
    "revoke_viewer",
    "data_access",
    "violation_access_after_withdrawal",
    "violation_stale_consent_access",
    "violation_ungranted_viewer",
};

// Ends a decode: the value if every field was read and nothing is left over.
template <class T>
std::optional<T> finish(const Reader& r, T p) {
  if (!r.done()) return std::nullopt;
  return p;
}

}  // namespace

const char* kind_name(std::uint16_t kind) { return kind < kKindCount ? kKindNames[kind] : nullptr; }

bool is_access_kind(std::uint16_t kind) {
  return kind >= static_cast<std::uint16_t>(Kind::kDataAccess) && kind < kKindCount;
}

bool is_violation_kind(std::uint16_t kind) {
  return kind > static_cast<std::uint16_t>(Kind::kDataAccess) && kind < kKindCount;
}

Bytes encode(const TrialRegister& p) {
  Writer w(kTrialRegisterFixedBytes + p.doc.size());
  w.u32(p.trial);
  w.u32(p.sponsor);
  w.bytes(p.doc);
  return w.take();
}

Bytes encode(const SiteActivate& p) {
  Writer w(kSiteActivateFixedBytes + p.doc.size());
  w.u32(p.trial);
  w.u32(p.site);
  w.bytes(p.doc);
  return w.take();
}

Bytes encode(const Enrol& p) {
  Writer w(kEnrolFixedBytes + p.doc.size());
  w.u32(p.trial);
  w.u64(p.participant);
  w.u32(p.site);
  w.u32(p.consent_version);
  w.bytes(p.doc);
  return w.take();
}

Bytes encode(const Amend& p) {
  Writer w(kAmendFixedBytes + p.doc.size());
  w.u32(p.trial);
  w.u32(p.new_version);
  w.bytes(p.doc);
  return w.take();
}

Bytes encode(const Reconsent& p) {
  Writer w(kReconsentFixedBytes + p.doc.size());
  w.u32(p.trial);
  w.u64(p.participant);
  w.u32(p.consent_version);
  w.bytes(p.doc);
  return w.take();
}

Bytes encode(const Withdraw& p) {
  Writer w(kWithdrawFixedBytes + p.doc.size());
  w.u32(p.trial);
  w.u64(p.participant);
  w.bytes(p.doc);
  return w.take();
}

Bytes encode(const ViewerChange& p) {
  Writer w(kViewerChangeFixedBytes + p.doc.size());
  w.u32(p.trial);
  w.u32(p.viewer);
  w.bytes(p.doc);
  return w.take();
}

Bytes encode(const DataAccess& p) {
  Writer w(kDataAccessFixedBytes + p.doc.size());
  w.u32(p.trial);
  w.u64(p.participant);
  w.u32(p.reader);
  w.u32(p.consent_version);
  w.bytes(p.doc);
  return w.take();
}

std::optional<TrialRegister> decode_trial_register(ByteView payload) {
  Reader r(payload);
  TrialRegister p;
  r.u32(p.trial);
  r.u32(p.sponsor);
  r.bytes(p.doc, kConsentMaxFieldBytes);
  return finish(r, std::move(p));
}

std::optional<SiteActivate> decode_site_activate(ByteView payload) {
  Reader r(payload);
  SiteActivate p;
  r.u32(p.trial);
  r.u32(p.site);
  r.bytes(p.doc, kConsentMaxFieldBytes);
  return finish(r, std::move(p));
}

std::optional<Enrol> decode_enrol(ByteView payload) {
  Reader r(payload);
  Enrol p;
  r.u32(p.trial);
  r.u64(p.participant);
  r.u32(p.site);
  r.u32(p.consent_version);
  r.bytes(p.doc, kConsentMaxFieldBytes);
  return finish(r, std::move(p));
}

std::optional<Amend> decode_amend(ByteView payload) {
  Reader r(payload);
  Amend p;
  r.u32(p.trial);
  r.u32(p.new_version);
  r.bytes(p.doc, kConsentMaxFieldBytes);
  return finish(r, std::move(p));
}

std::optional<Reconsent> decode_reconsent(ByteView payload) {
  Reader r(payload);
  Reconsent p;
  r.u32(p.trial);
  r.u64(p.participant);
  r.u32(p.consent_version);
  r.bytes(p.doc, kConsentMaxFieldBytes);
  return finish(r, std::move(p));
}

std::optional<Withdraw> decode_withdraw(ByteView payload) {
  Reader r(payload);
  Withdraw p;
  r.u32(p.trial);
  r.u64(p.participant);
  r.bytes(p.doc, kConsentMaxFieldBytes);
  return finish(r, std::move(p));
}

std::optional<ViewerChange> decode_viewer_change(ByteView payload) {
  Reader r(payload);
  ViewerChange p;
  r.u32(p.trial);
  r.u32(p.viewer);
  r.bytes(p.doc, kConsentMaxFieldBytes);
  return finish(r, std::move(p));
}

std::optional<DataAccess> decode_data_access(ByteView payload) {
  Reader r(payload);
  DataAccess p;
  r.u32(p.trial);
  r.u64(p.participant);
  r.u32(p.reader);
  r.u32(p.consent_version);
  r.bytes(p.doc, kConsentMaxFieldBytes);
  return finish(r, std::move(p));
}

}  // namespace hlsim::consent
