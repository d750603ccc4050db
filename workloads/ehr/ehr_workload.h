// The EHR-sharing workload of a regional health information exchange (first cut).
//
// Organisations (clinics, hospitals) are the clients: client c is organisation c. Patient p
// (0..patients-1) has home organisation p % clients. Each draft is one of four kinds
// (ehr_payloads.h), chosen with the mix weights:
//   record_write   a pointer to a new off-chain record of one of the organisation's own patients:
//                  a document of document_bytes (a FHIR-shaped text naming the patient and record,
//                  padded) sealed for real with AES-256-GCM under a key and nonce derived from the
//                  run seed and the record's URI (the AAD); the content hash is SHA-256 of the
//                  sealed bytes. With document_bytes = 0 there is no document and the hash is
//                  drawn from the client's Rng. The record type follows Synthea's encounter mix.
//   consent_grant  one of the organisation's own patients grants another organisation access
//                  until now + consent_duration_s.
//   consent_revoke revokes a grant this organisation made earlier (it remembers its own grants,
//                  one per (patient, grantee), and forgets a grant once it revoked it); with none
//                  remembered, a consent_grant is drafted instead.
//   access_request the organisation asks for a patient's records.
// Patients are picked by popularity: Zipf(zipf_s) over the population for access requests, and
// Zipf over an organisation's own patients (rank r of organisation h is patient h + r * clients)
// for writes, grants and biased requests, so the same patients are hot everywhere.
//
// Consent bias without shared state. A client may not read another client's state (clients are
// independent logical processes), so requests cannot look up who holds a grant. Instead both
// sides follow one convention: with probability consented_access_fraction organisation h grants
// to organisation (h - 1) mod clients (otherwise to a uniformly chosen other organisation), and
// with the same probability an organisation r requests a patient whose home is (r + 1) mod
// clients (otherwise a patient from the whole population). Once grants have built up, most
// biased requests find a grant the home made earlier (with the defaults and 8 organisations,
// about 45% over the first 50,000 transactions and about 73% after 500,000), while unbiased
// requests, revocations and expiry produce denials.
//
// next_tx(c, ...) touches only client c's state and draws only from the Rng it is given, so
// drafts of client c depend only on client c's stream; calls for different clients may run
// concurrently.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "sim/kernel/distributions.h"
#include "sim/kernel/params.h"
#include "sim/kernel/result.h"
#include "workloads/ehr/ehr_params.h"
#include "workloads/workload.h"

namespace hlsim::ehr {

class EhrWorkload final : public Workload {
 public:
  // REQUIRES: a config from ehr_config() (organisations >= 2, patients >= organisations).
  explicit EhrWorkload(const EhrConfig& config);

  // {"record_write", "consent_grant", "consent_revoke", "access_request"}: the Kind codes.
  const std::vector<std::string>& kind_names() const override;
  // REQUIRES: client < organisations.
  TxDraft next_tx(ClientId client, TimeNs now_ns, Rng& rng) override;
  std::unique_ptr<Contract> make_contract() const override;
  // Revocation enforcement and audit figures (ehr_metrics.h).
  std::unique_ptr<WorkloadMetrics> make_metrics() const override;
  // record_write (with documents on): its patient's latest document. access_request: its patient.
  std::optional<OffchainPointer> offchain_pointer(const Transaction& tx) const override;
  std::optional<std::uint64_t> offchain_read(const Transaction& tx) const override;

  const EhrConfig& config() const { return config_; }
  // Grants client `client` currently remembers (and could revoke).
  std::size_t remembered_grants(ClientId client) const;

 private:
  struct Grant {
    std::uint64_t patient = 0;
    std::uint32_t grantee = 0;
    std::uint64_t consent_id = 0;
  };
  struct ClientState {
    std::uint64_t next_record_id = 0;
    std::uint64_t next_consent_id = 0;
    std::vector<Grant> grants;  // in an order fixed by the draws, for a reproducible pick
    std::map<std::pair<std::uint64_t, std::uint32_t>, std::size_t> grant_index;  // -> grants
  };

  Kind pick_kind(Rng& rng) const;
  std::uint64_t patient_of_org(std::uint32_t org, Rng& rng) const;
  TxDraft record_write(ClientId client, Rng& rng);
  TxDraft consent_grant(ClientId client, TimeNs now_ns, Rng& rng);
  TxDraft consent_revoke(ClientId client, Rng& rng);
  TxDraft access_request(ClientId client, Rng& rng) const;

  EhrConfig config_;
  double mix_total_ = 0;
  Zipf population_zipf_;  // ranks of the whole population
  Zipf org_zipf_small_;   // ranks within an organisation with patients / clients patients
  Zipf org_zipf_large_;   // ... and with one more (the first patients % clients ones)
  std::vector<ClientState> clients_;
};

// The factory the registry uses: checks the values (ehr_config) and builds the workload.
Result<std::unique_ptr<Workload>> make_ehr_workload(const ParamValues& values,
                                                    const WorkloadSetup& setup);

}  // namespace hlsim::ehr
