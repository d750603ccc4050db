#include "sim/clients/client_pool.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>

#include "sim/kernel/distributions.h"

namespace hlsim {

ClientPool::ClientPool(std::uint64_t seed, std::uint32_t clients, std::uint32_t validators,
                       const ArrivalConfig& arrivals, double forged_fraction, TimeNs stop_ns,
                       const AccessLink& link, Workload* workload, SigScheme scheme)
    : workload_(workload),
      arrivals_(arrivals),
      process_(arrivals, std::max<std::uint32_t>(clients, 1)),
      own_arrivals_(workload->has_own_arrivals()),
      just_in_time_(workload->reacts_to_ledger() || arrivals.kind == ArrivalKind::kClosed),
      forged_fraction_(forged_fraction),
      stop_ns_(stop_ns) {
  // Prepare about 2,000 transactions per window: enough work per parallel step, little memory.
  const double rate_tps = arrivals.rate_tps * process_.max_multiplier();
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
    clients_.push_back(std::move(s));
    // Closed loop: every client starts after one think time, so they do not all start at 0.
    clients_.back().next_arrival_ns =
        closed_loop() ? think_then_arrive(c, 0) : next_after(c, TimeNs{-1});
  }
}

TimeNs ClientPool::next_after(ClientId c, TimeNs after_ns) {
  if (own_arrivals_) return workload_->next_arrival_ns(c, after_ns);
  return process_.next_after(after_ns, clients_[c].rng);
}

TimeNs ClientPool::think_then_arrive(ClientId c, TimeNs now_ns) {
  const double think = static_cast<double>(arrivals_.think_ns);
  const TimeNs at =
      now_ns + (think > 0 ? std::llround(sample_exponential(clients_[c].rng, think)) : 0);
  return at < stop_ns_ ? at : kTimeNever;
}

PreparedTx ClientPool::draft(ClientId c, TimeNs at_ns) {
  ClientState& client = clients_[c];
  TxDraft d = workload_->next_tx(c, at_ns, client.rng);
  Transaction tx;
  tx.kind = d.kind;
  tx.client = c;
  tx.nonce = client.nonce++;
  tx.submit_ns = at_ns;
  tx.payload = std::move(d.payload);
  sign_tx(tx, client.key);
  if (forged_fraction_ > 0 && client.rng.bernoulli(forged_fraction_)) {
    // A forgery: the body is kept, the signature is not the signer's.
    tx.signature.bytes[client.rng.next_below(tx.signature.size)] ^= 0x01;
  }
  const bool valid = verify_tx(tx);
  return {at_ns, std::make_shared<const Transaction>(std::move(tx)), valid, std::move(d.document)};
}

void ClientPool::advance(ClientId c, TimeNs horizon_ns) {
  ClientState& client = clients_[c];
  const TimeNs until = std::min(horizon_ns, stop_ns_);
  while (client.next_arrival_ns < until) {
    const TimeNs at = client.next_arrival_ns;
    client.ready.push_back(draft(c, at));
    client.next_arrival_ns = next_after(c, at);
  }
}

void ClientPool::prepare(TimeNs horizon_ns, Verifier& verifier) {
  if (just_in_time_ || horizon_ns <= prepared_to_ns_) return;
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
  if (just_in_time_) {
    if (client.next_arrival_ns >= stop_ns_) return std::nullopt;
    return client.next_arrival_ns;
  }
  if (client.ready.empty() && client.next_arrival_ns < stop_ns_) {
    prepare(std::max(now_ns, client.next_arrival_ns) + window_ns_, verifier);
  }
  if (client.ready.empty()) return std::nullopt;
  return client.ready.front().submit_ns;
}

PreparedTx ClientPool::take(ClientId c, TimeNs now_ns, Verifier& verifier) {
  ClientState& client = clients_[c];
  if (!just_in_time_) {
    PreparedTx p = std::move(client.ready.front());
    client.ready.pop_front();
    return p;
  }
  PreparedTx p = draft(c, now_ns);
  verifier.remember(*p.tx, p.signature_valid);
  client.next_arrival_ns = closed_loop() ? kTimeNever : next_after(c, now_ns);
  return p;
}

}  // namespace hlsim
