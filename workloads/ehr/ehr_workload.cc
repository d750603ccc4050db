#include "workloads/ehr/ehr_workload.h"

#include <array>
#include <span>
#include <stdexcept>

#include "ledger/crypto/aes_gcm.h"
#include "ledger/crypto/sha256.h"
#include "workloads/ehr/ehr_contract.h"
#include "workloads/ehr/ehr_metrics.h"
#include "workloads/ehr/ehr_payloads.h"

namespace hlsim::ehr {
namespace {

// Synthea encounter mix (measured on Synthea output): ambulatory 45%, wellness 25%,
// outpatient 17%, emergency 10%, inpatient 1.3%; the remaining 1.7% is "other".
constexpr std::array<double, kRecordTypeCount> kRecordTypeWeights = {45.0, 25.0, 17.0,
                                                                     10.0, 1.3,  1.7};

// Purpose of use of access requests: treatment dominates exchange traffic. No published mix was
// found; these shares are a design assumption and do not change any contract decision.
constexpr std::array<double, kPurposeCount> kPurposeWeights = {0.85, 0.07, 0.04, 0.02, 0.02};

// Index drawn with probability weights[i] / total. One Rng output.
std::size_t pick_weighted(Rng& rng, std::span<const double> weights, double total) {
  const double u = rng.next_double() * total;
  double acc = 0;
  std::size_t last_positive = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (weights[i] <= 0) continue;
    last_positive = i;
    acc += weights[i];
    if (u < acc) return i;
  }
  return last_positive;  // only reached through rounding when u is just below total
}

double sum(std::span<const double> weights) {
  double s = 0;
  for (double w : weights) s += w;
  return s;
}

// Patients of organisation `org` when `patients` are spread round-robin over `orgs`.
std::uint64_t patients_of(std::uint64_t patients, std::uint32_t orgs, std::uint32_t org) {
  return patients / orgs + (org < patients % orgs ? 1 : 0);
}

// A zero-filled field that brings an encoding of `base` bytes up to `target` bytes (empty when
// the fixed fields alone already reach it).
Bytes fill(std::size_t base, std::size_t target) {
  return Bytes(target > base ? target - base : 0);
}

std::string record_uri(std::uint32_t org, std::uint64_t patient, std::uint64_t record_id) {
  return "https://org-" + std::to_string(org) + ".hie.example/fhir/DocumentReference/" +
         std::to_string(patient) + "-" + std::to_string(record_id);
}

// The plaintext of a record's document: a FHIR-shaped header naming the patient and record,
// padded to `bytes` with a repeating filler (its contents do not matter, only that sealing and
// opening run over real bytes of the real size).
Bytes make_document(std::uint64_t patient, std::uint64_t record_id, std::uint32_t bytes) {
  const std::string head =
      "{\"resourceType\":\"Bundle\",\"type\":\"document\",\"subject\":"
      "\"Patient/" +
      std::to_string(patient) + "\",\"record\":\"" + std::to_string(record_id) + "\",\"entry\":[";
  Bytes doc(bytes, ' ');
  std::copy_n(head.begin(), std::min<std::size_t>(head.size(), bytes), doc.begin());
  for (std::size_t i = head.size(); i < doc.size(); ++i) {
    doc[i] = static_cast<std::uint8_t>('a' + (i * 7) % 26);
  }
  return doc;
}

}  // namespace

EhrWorkload::EhrWorkload(const EhrConfig& config)
    : config_(config),
      mix_total_(sum(config.mix)),
      population_zipf_(config.patients, config.zipf_s),
      org_zipf_small_(config.patients / config.organisations, config.zipf_s),
      org_zipf_large_(config.patients / config.organisations + 1, config.zipf_s),
      clients_(config.organisations) {}

const std::vector<std::string>& EhrWorkload::kind_names() const {
  static const std::vector<std::string> names = {"record_write", "consent_grant", "consent_revoke",
                                                 "access_request"};
  return names;
}

std::optional<OffchainPointer> EhrWorkload::offchain_pointer(const Transaction& tx) const {
  if (config_.document_bytes == 0 || tx.kind != static_cast<std::uint16_t>(Kind::kRecordWrite)) {
    return std::nullopt;
  }
  const std::optional<RecordWrite> p = decode_record_write(tx.payload);
  if (!p) return std::nullopt;
  return OffchainPointer{p->patient, p->content_hash, derive_payload_key(config_.seed, p->uri),
                         derive_payload_nonce(config_.seed, p->uri, 0), p->uri};
}

std::optional<std::uint64_t> EhrWorkload::offchain_read(const Transaction& tx) const {
  if (config_.document_bytes == 0 || tx.kind != static_cast<std::uint16_t>(Kind::kAccessRequest)) {
    return std::nullopt;
  }
  const std::optional<AccessRequest> p = decode_access_request(tx.payload);
  if (!p) return std::nullopt;
  return p->patient;
}

std::unique_ptr<WorkloadMetrics> EhrWorkload::make_metrics() const {
  return std::make_unique<EhrMetrics>();
}

std::unique_ptr<Contract> EhrWorkload::make_contract() const {
  return std::make_unique<EhrContract>(config_.organisations, config_.patients);
}

std::size_t EhrWorkload::remembered_grants(ClientId client) const {
  return clients_.at(client).grants.size();
}

TxDraft EhrWorkload::next_tx(ClientId client, TimeNs now_ns, Rng& rng) {
  if (client >= config_.organisations) {
    throw std::out_of_range("EhrWorkload::next_tx: client " + std::to_string(client) +
                            " is not an organisation");
  }
  switch (pick_kind(rng)) {
    case Kind::kRecordWrite:
      return record_write(client, rng);
    case Kind::kConsentGrant:
      return consent_grant(client, now_ns, rng);
    case Kind::kConsentRevoke:
      if (clients_[client].grants.empty()) return consent_grant(client, now_ns, rng);
      return consent_revoke(client, rng);
    case Kind::kAccessRequest:
      return access_request(client, rng);
  }
  throw std::logic_error("EhrWorkload::next_tx: unknown kind");
}

Kind EhrWorkload::pick_kind(Rng& rng) const {
  return static_cast<Kind>(pick_weighted(rng, config_.mix, mix_total_));
}

std::uint64_t EhrWorkload::patient_of_org(std::uint32_t org, Rng& rng) const {
  const std::uint32_t orgs = config_.organisations;
  const bool large = patients_of(config_.patients, orgs, org) > config_.patients / orgs;
  const std::uint64_t rank = (large ? org_zipf_large_ : org_zipf_small_).sample(rng);
  return org + rank * orgs;
}

TxDraft EhrWorkload::record_write(ClientId client, Rng& rng) {
  ClientState& st = clients_[client];
  RecordWrite p;
  p.patient = patient_of_org(client, rng);
  p.record_id = st.next_record_id++;
  for (std::size_t i = 0; i < p.content_hash.bytes.size(); i += 8) {
    std::uint64_t word = rng.next_u64();
    for (std::size_t j = 0; j < 8; ++j) {
      p.content_hash.bytes[i + j] = static_cast<std::uint8_t>(word >> (8 * j));
    }
  }
  p.uri = record_uri(client, p.patient, p.record_id);
  p.record_type =
      static_cast<RecordType>(pick_weighted(rng, kRecordTypeWeights, sum(kRecordTypeWeights)));
  p.meta = fill(kRecordWriteFixedBytes + p.uri.size(), config_.record_bytes);
  std::shared_ptr<const Bytes> document;
  if (config_.document_bytes > 0) {
    auto sealed = std::make_shared<Bytes>(aes256gcm_seal(
        derive_payload_key(config_.seed, p.uri), derive_payload_nonce(config_.seed, p.uri, 0),
        as_bytes(p.uri), make_document(p.patient, p.record_id, config_.document_bytes)));
    p.content_hash = sha256(*sealed);
    document = std::move(sealed);
  }
  return TxDraft{static_cast<std::uint16_t>(Kind::kRecordWrite), encode(p), std::move(document)};
}

TxDraft EhrWorkload::consent_grant(ClientId client, TimeNs now_ns, Rng& rng) {
  ClientState& st = clients_[client];
  const std::uint32_t orgs = config_.organisations;
  ConsentGrant p;
  p.patient = patient_of_org(client, rng);
  if (rng.bernoulli(config_.consented_access_fraction)) {
    p.grantee = (client + orgs - 1) % orgs;
  } else {
    p.grantee = static_cast<std::uint32_t>((client + 1 + rng.next_below(orgs - 1)) % orgs);
  }
  p.expiry_ns = now_ns + config_.consent_duration_ns;
  p.consent_id = st.next_consent_id++;
  p.scope = fill(kConsentGrantFixedBytes, config_.consent_bytes);

  const auto key = std::make_pair(p.patient, p.grantee);
  if (auto it = st.grant_index.find(key); it != st.grant_index.end()) {
    st.grants[it->second].consent_id = p.consent_id;
  } else {
    st.grant_index.emplace(key, st.grants.size());
    st.grants.push_back(Grant{p.patient, p.grantee, p.consent_id});
  }
  return TxDraft{static_cast<std::uint16_t>(Kind::kConsentGrant), encode(p), nullptr};
}

TxDraft EhrWorkload::consent_revoke(ClientId client, Rng& rng) {
  ClientState& st = clients_[client];
  const std::size_t i = static_cast<std::size_t>(rng.next_below(st.grants.size()));
  const Grant g = st.grants[i];
  // Forget it: move the last grant into its slot.
  st.grant_index.erase({g.patient, g.grantee});
  if (i + 1 != st.grants.size()) {
    st.grants[i] = st.grants.back();
    st.grant_index[{st.grants[i].patient, st.grants[i].grantee}] = i;
  }
  st.grants.pop_back();

  ConsentRevoke p;
  p.patient = g.patient;
  p.grantee = g.grantee;
  p.consent_id = g.consent_id;
  p.scope = fill(kConsentRevokeFixedBytes, config_.consent_bytes);
  return TxDraft{static_cast<std::uint16_t>(Kind::kConsentRevoke), encode(p), nullptr};
}

TxDraft EhrWorkload::access_request(ClientId client, Rng& rng) const {
  const std::uint32_t orgs = config_.organisations;
  AccessRequest p;
  if (rng.bernoulli(config_.consented_access_fraction)) {
    p.patient = patient_of_org((client + 1) % orgs, rng);
  } else {
    p.patient = population_zipf_.sample(rng);
  }
  p.requester = client;
  p.purpose = static_cast<Purpose>(pick_weighted(rng, kPurposeWeights, sum(kPurposeWeights)));
  p.justification = fill(kAccessRequestFixedBytes, config_.access_bytes);
  return TxDraft{static_cast<std::uint16_t>(Kind::kAccessRequest), encode(p), nullptr};
}

Result<std::unique_ptr<Workload>> make_ehr_workload(const ParamValues& values,
                                                    const WorkloadSetup& setup) {
  Result<EhrConfig> config = ehr_config(values, setup);
  if (!config) return config.error();
  return std::unique_ptr<Workload>(std::make_unique<EhrWorkload>(*config));
}

}  // namespace hlsim::ehr
