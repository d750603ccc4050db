#include "sim/clients/client_pool.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>

#include "sim/kernel/distributions.h"

namespace hlsim {

ClientPool::ClientPool(std::uint64_t seed, std::uint32_t clients, std::uint32_t validators,
                       double rate_tps, double forged_fraction, TimeNs stop_ns,
                       const AccessLink& link, Workload* workload, SigScheme scheme)
    : workload_(workload),
      mean_gap_ns_(rate_tps > 0 ? 1e9 * clients / rate_tps : 0),
      forged_fraction_(forged_fraction),
      stop_ns_(stop_ns) {
  // Prepare about 2,000 transactions per window: enough work per parallel step, little memory.
  const double window_s = rate_tps > 0 ? std::clamp(2000.0 / rate_tps, 0.01, 10.0) : 1.0;
  window_ns_ = static_cast<TimeNs>(window_s * 1e9);
  clients_.reserve(clients);
  for (ClientId c = 0; c < clients; ++c) {
    ClientState s{Rng::stream(seed, RngDomain::kClient, c),
                  SigningKey::derive(seed, "client-" + std::to_string(c), scheme),
                  link,
                  static_cast<NodeId>(c % validators),
                  0,
                  kTimeNever,
                  {}};
    if (mean_gap_ns_ > 0) {
      s.next_arrival_ns = std::llround(sample_exponential(s.rng, mean_gap_ns_));
    }
    clients_.push_back(std::move(s));
  }
}

void ClientPool::advance(ClientId c, TimeNs horizon_ns) {
  ClientState& client = clients_[c];
  const TimeNs until = std::min(horizon_ns, stop_ns_);
  while (client.next_arrival_ns < until) {
    const TimeNs at = client.next_arrival_ns;
    TxDraft draft = workload_->next_tx(c, at, client.rng);
    Transaction tx;
    tx.kind = draft.kind;
    tx.client = c;
    tx.nonce = client.nonce++;
    tx.submit_ns = at;
    tx.payload = std::move(draft.payload);
    sign_tx(tx, client.key);
    if (forged_fraction_ > 0 && client.rng.bernoulli(forged_fraction_)) {
      // A forgery: the body is kept, the signature is not the signer's.
      tx.signature.bytes[client.rng.next_below(tx.signature.size)] ^= 0x01;
    }
    const bool valid = verify_tx(tx);
    client.ready.push_back(
        {at, std::make_shared<const Transaction>(std::move(tx)), valid, std::move(draft.document)});
    client.next_arrival_ns = at + std::llround(sample_exponential(client.rng, mean_gap_ns_));
  }
}

void ClientPool::prepare(TimeNs horizon_ns, Verifier& verifier) {
  if (horizon_ns <= prepared_to_ns_) return;
  std::vector<std::size_t> before(clients_.size());
  for (std::size_t c = 0; c < clients_.size(); ++c) before[c] = clients_[c].ready.size();
  // Each task touches only its own client (and the workload's state for that client).
  tbb::parallel_for(std::size_t{0}, clients_.size(),
                    [&](std::size_t c) { advance(static_cast<ClientId>(c), horizon_ns); });
  // The cache is single-threaded: fill it afterwards, in client order.
  for (std::size_t c = 0; c < clients_.size(); ++c) {
    const auto& ready = clients_[c].ready;
    for (std::size_t i = before[c]; i < ready.size(); ++i) {
      verifier.remember(*ready[i].tx, ready[i].signature_valid);
    }
  }
  prepared_to_ns_ = horizon_ns;
}

std::optional<TimeNs> ClientPool::next_arrival(ClientId c, TimeNs now_ns, Verifier& verifier) {
  ClientState& client = clients_[c];
  if (client.ready.empty() && client.next_arrival_ns < stop_ns_) {
    prepare(std::max(now_ns, client.next_arrival_ns) + window_ns_, verifier);
  }
  if (client.ready.empty()) return std::nullopt;
  return client.ready.front().submit_ns;
}

}  // namespace hlsim
