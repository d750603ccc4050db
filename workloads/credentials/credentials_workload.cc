#include "workloads/credentials/credentials_workload.h"

#include <stdexcept>

#include "workloads/credentials/credentials_contract.h"
#include "workloads/credentials/credentials_metrics.h"

namespace hlsim::credentials {
namespace {

// Redraws of an honest verification whose clinician's revocation is due.
constexpr int kRedrawsMax = 8;

Bytes fill(std::size_t base, std::size_t target) {
  return Bytes(target > base ? target - base : 0);
}

}  // namespace

CredentialsWorkload::CredentialsWorkload(const CredentialsConfig& config)
    : config_(config),
      register_(config.register_config),
      clinician_zipf_(config.register_config.clinicians, config.zipf_s),
      clients_(config.organisations) {
  // Each board starts with the renewals of its register licences (lapsing clinicians excluded).
  const TimeNs lead = config.renew_lead_ns;
  for (std::uint64_t c = 0; c < register_.clinicians(); ++c) {
    if (register_.lapses(c)) continue;
    const std::uint32_t primary = register_.primary_board(c);
    clients_[primary].renewals.emplace(register_.register_expiry_ns(primary, c) - lead, c);
    if (register_.multi_licensed(c)) {
      const std::uint32_t second = register_.secondary_board(c);
      clients_[second].renewals.emplace(register_.register_expiry_ns(second, c) - lead, c);
    }
  }
}

const std::vector<std::string>& CredentialsWorkload::kind_names() const {
  static const std::vector<std::string> names = {"licence_issue", "recredential", "verify",
                                                 "revoke", "verify_revoked"};
  return names;
}

std::unique_ptr<Contract> CredentialsWorkload::make_contract() const {
  return std::make_unique<CredentialsContract>(config_.organisations, register_);
}

std::unique_ptr<WorkloadMetrics> CredentialsWorkload::make_metrics() const {
  return std::make_unique<CredentialsMetrics>(register_);
}

std::size_t CredentialsWorkload::renewals_tracked(ClientId client) const {
  return clients_.at(client).renewals.size();
}

TxDraft CredentialsWorkload::next_tx(ClientId client, TimeNs now_ns, Rng& rng) {
  if (client >= config_.organisations) {
    throw std::out_of_range("CredentialsWorkload::next_tx: client " + std::to_string(client) +
                            " is not an organisation");
  }
  if (client < config_.boards()) return board_draft(client, now_ns);
  return hospital_draft(client, now_ns, rng);
}

TxDraft CredentialsWorkload::board_draft(ClientId board, TimeNs now_ns) {
  ClientState& st = clients_[board];
  const std::uint64_t due = register_.revocations_due(now_ns);
  for (; st.next_scheduled < due; ++st.next_scheduled) {
    const std::uint64_t c = register_.revoked_clinician(st.next_scheduled);
    if (register_.primary_board(c) == board) st.to_revoke.push_back(c);
  }
  if (!st.to_revoke.empty()) {
    const std::uint64_t c = st.to_revoke.front();
    st.to_revoke.pop_front();
    st.revoked.insert(c);
    return licence_action(Kind::kRevoke, board, c);
  }
  const TimeNs renew_after_ns = config_.register_config.interval_ns - config_.renew_lead_ns;
  while (!st.renewals.empty() && st.renewals.top().first <= now_ns) {
    const std::uint64_t c = st.renewals.top().second;
    st.renewals.pop();
    // A revoked clinician's other licences (from other boards) stay valid and renewed.
    if (st.revoked.contains(c) && register_.primary_board(c) == board) continue;
    st.renewals.emplace(now_ns + renew_after_ns, c);
    return licence_action(Kind::kRecredential, board, c);
  }
  // A new clinician: the first id >= clinicians with id % boards == board, then every boards-th.
  const std::uint64_t n = register_.clinicians();
  const std::uint64_t boards = config_.boards();
  const std::uint64_t first = n + (board + boards - n % boards) % boards;
  const std::uint64_t c = first + st.new_clinicians++ * boards;
  if (!register_.lapses(c)) st.renewals.emplace(now_ns + renew_after_ns, c);
  return licence_action(Kind::kLicenceIssue, board, c);
}

TxDraft CredentialsWorkload::hospital_draft(ClientId hospital, TimeNs now_ns, Rng& rng) const {
  const std::uint64_t due = register_.revocations_due(now_ns);
  if (due > 0 && rng.bernoulli(config_.verify_revoked_fraction)) {
    const std::uint64_t back =
        rng.next_below(std::min<std::uint64_t>(config_.verify_revoked_window, due));
    const std::uint64_t c = register_.revoked_clinician(due - 1 - back);
    return verification(Kind::kVerifyRevoked, hospital, register_.primary_board(c), c);
  }
  std::uint64_t c = clinician_zipf_.sample(rng);
  for (int i = 0; i < kRedrawsMax && register_.revocation_due(c, now_ns); ++i) {
    c = clinician_zipf_.sample(rng);
  }
  std::uint32_t board = register_.primary_board(c);
  if (register_.multi_licensed(c) && rng.bernoulli(0.5)) board = register_.secondary_board(c);
  return verification(Kind::kVerify, hospital, board, c);
}

TxDraft CredentialsWorkload::licence_action(Kind kind, ClientId board,
                                            std::uint64_t clinician) const {
  LicenceAction p;
  p.clinician = clinician;
  p.board = board;
  p.details = fill(kLicenceActionFixedBytes, config_.licence_bytes);
  return TxDraft{static_cast<std::uint16_t>(kind), encode(p), nullptr};
}

TxDraft CredentialsWorkload::verification(Kind kind, ClientId hospital, std::uint32_t board,
                                          std::uint64_t clinician) const {
  Verification p;
  p.clinician = clinician;
  p.board = board;
  p.hospital = hospital;
  p.context = fill(kVerificationFixedBytes, config_.verify_bytes);
  return TxDraft{static_cast<std::uint16_t>(kind), encode(p), nullptr};
}

Result<std::unique_ptr<Workload>> make_credentials_workload(const ParamValues& values,
                                                            const WorkloadSetup& setup) {
  Result<CredentialsConfig> config = credentials_config(values, setup);
  if (!config) return config.error();
  return std::unique_ptr<Workload>(std::make_unique<CredentialsWorkload>(*config));
}

}  // namespace hlsim::credentials
