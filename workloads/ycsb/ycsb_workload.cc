#include "workloads/ycsb/ycsb_workload.h"

#include <stdexcept>
#include <string>

#include "workloads/ycsb/ycsb_contract.h"
#include "workloads/ycsb/ycsb_metrics.h"
#include "workloads/ycsb/ycsb_payloads.h"

namespace hlsim::ycsb {
namespace {

// A prime above the largest record count (1e9): multiplying by it permutes 0..records-1.
constexpr std::uint64_t kScramblePrime = 2'147'483'647;

}  // namespace

YcsbWorkload::YcsbWorkload(const YcsbConfig& config)
    : config_(config), zipf_(config.records, config.zipf_constant) {
  if (config_.clients == 0) throw std::invalid_argument("YcsbWorkload needs a client");
  next_insert_.resize(config_.clients);
  for (ClientId c = 0; c < config_.clients; ++c) next_insert_[c] = load_first(c);
}

const std::vector<std::string>& YcsbWorkload::kind_names() const {
  static const std::vector<std::string> names = {"read", "update", "insert"};
  return names;
}

std::unique_ptr<Contract> YcsbWorkload::make_contract() const {
  return std::make_unique<YcsbContract>(config_.records, config_.field_count, config_.field_bytes,
                                        !config_.load);
}

std::unique_ptr<WorkloadMetrics> YcsbWorkload::make_metrics() const {
  return std::make_unique<YcsbMetrics>(config_.load ? config_.records : 0);
}

std::uint64_t YcsbWorkload::load_first(ClientId client) const {
  return config_.records * client / config_.clients;
}

std::uint64_t YcsbWorkload::load_end(ClientId client) const {
  return config_.records * (std::uint64_t{client} + 1) / config_.clients;
}

std::uint64_t YcsbWorkload::key_of_rank(std::uint64_t rank) const {
  return rank * kScramblePrime % config_.records;
}

std::uint64_t YcsbWorkload::draw_key(Rng& rng) const {
  if (!config_.zipfian) return rng.next_below(config_.records);
  return key_of_rank(zipf_.sample(rng));
}

Bytes YcsbWorkload::random_bytes(std::size_t n, Rng& rng) const {
  Bytes out(n);
  for (std::size_t i = 0; i < n; i += 8) {
    const std::uint64_t word = rng.next_u64();
    for (std::size_t j = 0; j < 8 && i + j < n; ++j) {
      out[i + j] = static_cast<std::uint8_t>(word >> (8 * j));
    }
  }
  return out;
}

TxDraft YcsbWorkload::next_tx(ClientId client, TimeNs /*now_ns*/, Rng& rng) {
  if (client >= config_.clients) {
    throw std::out_of_range("YcsbWorkload::next_tx: no client " + std::to_string(client));
  }
  const std::size_t record_bytes = std::size_t{config_.field_count} * config_.field_bytes;
  if (config_.load && next_insert_[client] < load_end(client)) {
    const Insert p{next_insert_[client]++, random_bytes(record_bytes, rng)};
    return TxDraft{static_cast<std::uint16_t>(Kind::kInsert), encode(p), nullptr};
  }
  if (rng.bernoulli(config_.read_proportion)) {
    return TxDraft{static_cast<std::uint16_t>(Kind::kRead), encode(Read{draw_key(rng)}), nullptr};
  }
  Update p;
  p.key = draw_key(rng);
  if (config_.write_all_fields) {
    p.field = kAllFields;
    p.value = random_bytes(record_bytes, rng);
  } else {
    p.field = static_cast<std::uint8_t>(rng.next_below(config_.field_count));
    p.value = random_bytes(config_.field_bytes, rng);
  }
  return TxDraft{static_cast<std::uint16_t>(Kind::kUpdate), encode(p), nullptr};
}

Result<std::unique_ptr<Workload>> make_ycsb_workload(const ParamValues& values,
                                                     const WorkloadSetup& setup) {
  if (setup.clients == 0) return Error{"workload.clients: the ycsb workload needs a client"};
  Result<YcsbConfig> config = ycsb_config(values, setup);
  if (!config) return config.error();
  return std::unique_ptr<Workload>(std::make_unique<YcsbWorkload>(*config));
}

}  // namespace hlsim::ycsb
