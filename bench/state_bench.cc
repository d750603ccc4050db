// Benchmarks of the authenticated world state (SparseMerkleTree): what a node pays per block to
// commit to its state root, to prove a read against it, and to hold it in memory.
//
//   BlockUpdate/<keys>/<writes>: a tree pre-filled with <keys> keys; each iteration applies one
//       block of <writes> writes (half overwrites of random present keys, half new keys) and
//       computes root(). Between iterations, untimed, the new keys are erased again so every
//       block starts from the same tree. items/s = writes per second.
//   BlockRootOnly/<keys>/<writes>: the same, timing only root() (the writes are applied untimed),
//       i.e. the rehash of the touched paths without hashing keys and values.
//   ProveVerify/<keys>: prove a random present key, encode, decode and verify the proof;
//       Prove/<keys> and Verify/<keys> time the two halves alone. proof_bytes = mean encoding.
//   Fill/<keys>: build a tree of <keys> keys from empty and compute its root; bytes_per_key is
//       the tree's memory (arena capacities) over its key count.
//   Copy/<keys>: a deep copy (a node's snapshot).
//
// Keys are "patient/<i>/record", values 128 bytes; all draws come from hlsim::Rng.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ledger/state/sparse_merkle.h"
#include "sim/kernel/rng.h"

namespace hlsim {
namespace {

constexpr std::size_t kValueBytes = 128;

std::string key_of(std::uint64_t i) { return "patient/" + std::to_string(i) + "/record"; }

std::string value_of(std::uint64_t i, std::uint64_t version) {
  std::string v = "v" + std::to_string(version) + ":" + std::to_string(i) + ":";
  v.resize(kValueBytes, static_cast<char>('a' + (i + version) % 26));
  return v;
}

SparseMerkleTree filled(std::size_t n) {
  SparseMerkleTree t;
  for (std::size_t i = 0; i < n; ++i) t.put(key_of(i), value_of(i, 0));
  t.root();
  return t;
}

// One block: writes/2 overwrites of random present keys (new versions), writes/2 new keys
// numbered from `n` up. `version` makes each block's overwrites differ from the last.
std::vector<StateWrite> block_writes(std::size_t n, std::size_t writes, std::uint64_t version,
                                     Rng& rng) {
  std::vector<StateWrite> out;
  out.reserve(writes);
  for (std::size_t j = 0; j < writes / 2; ++j) {
    const std::uint64_t i = rng.next_below(n);
    out.push_back({key_of(i), value_of(i, version)});
  }
  for (std::size_t j = writes / 2; j < writes; ++j) {
    out.push_back({key_of(n + j), value_of(n + j, version)});
  }
  return out;
}

// Restores the key count after a block: erases the block's new keys (the overwrites stay, which
// does not change the tree's shape).
void undo_new_keys(SparseMerkleTree& t, std::size_t n, std::size_t writes) {
  for (std::size_t j = writes / 2; j < writes; ++j) t.erase(key_of(n + j));
  t.root();
}

void BM_StateBlockUpdate(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto writes = static_cast<std::size_t>(state.range(1));
  SparseMerkleTree t = filled(n);
  Rng rng(1);
  std::uint64_t version = 1;
  for (auto _ : state) {
    state.PauseTiming();
    const std::vector<StateWrite> block = block_writes(n, writes, version++, rng);
    state.ResumeTiming();
    t.apply(block);
    benchmark::DoNotOptimize(t.root());
    state.PauseTiming();
    undo_new_keys(t, n, writes);
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(writes));
  state.counters["bytes_per_key"] = static_cast<double>(t.memory_bytes()) / static_cast<double>(n);
}
BENCHMARK(BM_StateBlockUpdate)
    ->Args({10'000, 200})
    ->Args({10'000, 1000})
    ->Args({100'000, 200})
    ->Args({100'000, 1000})
    ->Unit(benchmark::kMicrosecond);

void BM_StateBlockRootOnly(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto writes = static_cast<std::size_t>(state.range(1));
  SparseMerkleTree t = filled(n);
  Rng rng(2);
  std::uint64_t version = 1;
  for (auto _ : state) {
    state.PauseTiming();
    t.apply(block_writes(n, writes, version++, rng));
    state.ResumeTiming();
    benchmark::DoNotOptimize(t.root());
    state.PauseTiming();
    undo_new_keys(t, n, writes);
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(writes));
}
BENCHMARK(BM_StateBlockRootOnly)
    ->Args({10'000, 200})
    ->Args({10'000, 1000})
    ->Args({100'000, 200})
    ->Args({100'000, 1000})
    ->Unit(benchmark::kMicrosecond);

void BM_StateProveVerify(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  SparseMerkleTree t = filled(n);
  const Hash256 root = t.root();
  Rng rng(3);
  std::size_t bytes = 0;
  for (auto _ : state) {
    const std::uint64_t i = rng.next_below(n);
    const std::string key = key_of(i);
    const Bytes encoded = t.prove(key).encode();
    bytes += encoded.size();
    const std::optional<StateProof> p = StateProof::decode(encoded);
    const bool ok = p && verify_state_proof(root, key, value_of(i, 0), *p);
    if (!ok) state.SkipWithError("valid proof rejected");
    benchmark::DoNotOptimize(ok);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["proof_bytes"] =
      static_cast<double>(bytes) /
      static_cast<double>(std::max<std::int64_t>(state.iterations(), 1));
}
BENCHMARK(BM_StateProveVerify)->Arg(10'000)->Arg(100'000)->Arg(1'000'000);

void BM_StateProve(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  SparseMerkleTree t = filled(n);
  Rng rng(4);
  for (auto _ : state) benchmark::DoNotOptimize(t.prove(key_of(rng.next_below(n))));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_StateProve)->Arg(10'000)->Arg(100'000);

void BM_StateVerify(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  SparseMerkleTree t = filled(n);
  const Hash256 root = t.root();
  constexpr std::size_t kProofs = 256;
  std::vector<std::uint64_t> ids;
  std::vector<StateProof> proofs;
  Rng rng(5);
  for (std::size_t j = 0; j < kProofs; ++j) {
    ids.push_back(rng.next_below(n));
    proofs.push_back(t.prove(key_of(ids.back())));
  }
  std::vector<std::string> keys;
  std::vector<std::string> values;
  for (std::uint64_t i : ids) {
    keys.push_back(key_of(i));
    values.push_back(value_of(i, 0));
  }
  std::size_t j = 0;
  for (auto _ : state) {
    const bool ok = verify_state_proof(root, keys[j], values[j], proofs[j]);
    if (!ok) state.SkipWithError("valid proof rejected");
    benchmark::DoNotOptimize(ok);
    j = (j + 1) % kProofs;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_StateVerify)->Arg(10'000)->Arg(100'000);

void BM_StateFill(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  double bytes_per_key = 0;
  for (auto _ : state) {
    SparseMerkleTree t = filled(n);
    bytes_per_key = static_cast<double>(t.memory_bytes()) / static_cast<double>(n);
    benchmark::DoNotOptimize(t.root());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
  state.counters["bytes_per_key"] = bytes_per_key;
}
BENCHMARK(BM_StateFill)
    ->Arg(10'000)
    ->Arg(100'000)
    ->Arg(1'000'000)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(2);

void BM_StateCopy(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const SparseMerkleTree t = filled(n);
  for (auto _ : state) {
    SparseMerkleTree copy = t;
    benchmark::DoNotOptimize(copy.root());  // clean: the cached root, no hashing
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
}
BENCHMARK(BM_StateCopy)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace hlsim

BENCHMARK_MAIN();
