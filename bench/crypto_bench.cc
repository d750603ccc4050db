// Micro benchmarks of the ledger's real cryptography and encodings: the work the simulator does
// for real on every transaction, vote and block (its simulated cost comes from HardwareProfile).
#include <benchmark/benchmark.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "ledger/block.h"
#include "ledger/crypto/ecdsa_p256.h"
#include "ledger/crypto/sha256.h"
#include "ledger/crypto/signature.h"
#include "ledger/merkle.h"
#include "ledger/transaction.h"
#include "ledger/verifier.h"
#include "ledger/verify_cache.h"

namespace hlsim {
namespace {

constexpr std::size_t kMessageBytes = 200;  // about a transaction body with a small payload
constexpr std::size_t kPayloadBytes = 128;

Bytes message() {
  Bytes m(kMessageBytes);
  for (std::size_t i = 0; i < m.size(); ++i) m[i] = static_cast<std::uint8_t>(i);
  return m;
}

Transaction unsigned_tx(std::uint64_t nonce) {
  Transaction tx;
  tx.kind = 1;
  tx.client = 3;
  tx.nonce = nonce;
  tx.submit_ns = static_cast<TimeNs>(nonce) * 1000;
  tx.payload.assign(kPayloadBytes, static_cast<std::uint8_t>(nonce));
  return tx;
}

std::vector<TxRef> signed_txs(std::size_t n) {
  const SigningKey key = SigningKey::derive(1, "client-0");
  std::vector<TxRef> txs;
  txs.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    Transaction tx = unsigned_tx(i);
    sign_tx(tx, key);
    txs.push_back(std::make_shared<const Transaction>(std::move(tx)));
  }
  return txs;
}

void BM_Ed25519Sign(benchmark::State& state) {
  const SigningKey key = SigningKey::derive(1, "node-0");
  const Bytes msg = message();
  for (auto _ : state) benchmark::DoNotOptimize(key.sign(msg));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Ed25519Sign);

// One signer verified repeatedly: its parsed public key stays in the verifier's key cache.
void BM_Ed25519Verify(benchmark::State& state) {
  const SigningKey key = SigningKey::derive(1, "node-0");
  const Bytes msg = message();
  const Signature sig = key.sign(msg);
  for (auto _ : state) {
    const bool ok = verify_signature(key.public_key(), msg, sig);
    if (!ok) state.SkipWithError("valid signature rejected");
    benchmark::DoNotOptimize(ok);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Ed25519Verify);

// More signers, in rotation, than the key cache holds: every verification parses its key afresh.
// The difference to BM_Ed25519Verify is what the key cache saves.
void BM_Ed25519VerifyColdKeys(benchmark::State& state) {
  constexpr std::size_t kSigners = 20'000;
  const Bytes msg = message();
  std::vector<PublicKey> keys;
  std::vector<Signature> sigs;
  for (std::size_t i = 0; i < kSigners; ++i) {
    const SigningKey k = SigningKey::derive(2, "signer-" + std::to_string(i));
    keys.push_back(k.public_key());
    sigs.push_back(k.sign(msg));
  }
  std::size_t i = 0;
  for (auto _ : state) {
    const bool ok = verify_signature(keys[i], msg, sigs[i]);
    if (!ok) state.SkipWithError("valid signature rejected");
    benchmark::DoNotOptimize(ok);
    i = i + 1 == kSigners ? 0 : i + 1;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Ed25519VerifyColdKeys);

// ECDSA P-256 / SHA-256 with RFC 6979 nonces, over the same 200-byte message as Ed25519. Compare
// with `openssl speed ecdsap256`, which signs and verifies a precomputed digest.
void BM_EcdsaP256Sign(benchmark::State& state) {
  const ecdsa_p256::PrivateKey key = ecdsa_p256::PrivateKey::derive(1, "node-0");
  const Bytes msg = message();
  for (auto _ : state) benchmark::DoNotOptimize(key.sign(msg));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EcdsaP256Sign);

// One signer verified repeatedly: its parsed key stays in the verifier's per-thread cache.
void BM_EcdsaP256Verify(benchmark::State& state) {
  const ecdsa_p256::PrivateKey key = ecdsa_p256::PrivateKey::derive(1, "node-0");
  const Bytes msg = message();
  const Bytes sig = key.sign(msg);
  for (auto _ : state) {
    const bool ok = ecdsa_p256::verify(key.public_key(), msg, sig);
    if (!ok) state.SkipWithError("valid signature rejected");
    benchmark::DoNotOptimize(ok);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EcdsaP256Verify);

// More signers, in rotation, than the verifier's key cache holds: every verification parses its
// key afresh. The difference to BM_EcdsaP256Verify is what the cache saves.
void BM_EcdsaP256VerifyColdKeys(benchmark::State& state) {
  constexpr std::size_t kSigners = 5'000;
  const Bytes msg = message();
  std::vector<ecdsa_p256::PublicKeyBytes> keys;
  std::vector<Bytes> sigs;
  for (std::size_t i = 0; i < kSigners; ++i) {
    const auto k = ecdsa_p256::PrivateKey::derive(2, "signer-" + std::to_string(i));
    keys.push_back(k.public_key());
    sigs.push_back(k.sign(msg));
  }
  std::size_t i = 0;
  for (auto _ : state) {
    const bool ok = ecdsa_p256::verify(keys[i], msg, sigs[i]);
    if (!ok) state.SkipWithError("valid signature rejected");
    benchmark::DoNotOptimize(ok);
    i = i + 1 == kSigners ? 0 : i + 1;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EcdsaP256VerifyColdKeys);

void BM_Sha256(benchmark::State& state) {
  const Bytes data(static_cast<std::size_t>(state.range(0)), 0x61);
  for (auto _ : state) benchmark::DoNotOptimize(sha256(data));
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Sha256)->Arg(32)->Arg(1024)->Arg(64 * 1024);

void BM_TxSignEncode(benchmark::State& state) {
  const SigningKey key = SigningKey::derive(1, "client-0");
  std::uint64_t nonce = 0;
  for (auto _ : state) {
    Transaction tx = unsigned_tx(nonce++);
    sign_tx(tx, key);
    benchmark::DoNotOptimize(tx.encode());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TxSignEncode);

void BM_TxDecodeVerify(benchmark::State& state) {
  const Bytes enc = signed_txs(1).front()->encode();
  for (auto _ : state) {
    const std::optional<Transaction> tx = Transaction::decode(enc);
    if (!tx || !verify_tx(*tx)) state.SkipWithError("valid transaction rejected");
    benchmark::DoNotOptimize(tx);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TxDecodeVerify);

// A verification answered by the cache: hashing the body plus a lookup.
void BM_VerifyCacheHit(benchmark::State& state) {
  const TxRef tx = signed_txs(1).front();
  VerifyCache cache;
  cache.verify(*tx);
  for (auto _ : state) benchmark::DoNotOptimize(cache.verify(*tx));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_VerifyCacheHit);

void BM_BlockSeal(benchmark::State& state) {
  const std::vector<TxRef> txs = signed_txs(static_cast<std::size_t>(state.range(0)));
  const SigningKey key = SigningKey::derive(1, "node-0");
  Hash256 prev;
  for (auto _ : state) {
    BlockRef b = seal_block(7, prev, 0, 1, 1000, txs, key);
    benchmark::DoNotOptimize(b);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_BlockSeal)->Arg(500);

void BM_CheckBlock(benchmark::State& state) {
  const SigningKey key = SigningKey::derive(1, "node-0");
  const BlockRef b = seal_block(7, Hash256{}, 0, 1, 1000,
                                signed_txs(static_cast<std::size_t>(state.range(0))), key);
  for (auto _ : state) {
    if (check_block(*b) != BlockCheck::kOk) state.SkipWithError("valid block rejected");
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_CheckBlock)->Arg(500);

void BM_BlockDecode(benchmark::State& state) {
  const SigningKey key = SigningKey::derive(1, "node-0");
  const Bytes enc = seal_block(7, Hash256{}, 0, 1, 1000,
                               signed_txs(static_cast<std::size_t>(state.range(0))), key)
                        ->encode();
  for (auto _ : state) {
    std::optional<Block> b = Block::decode(enc);
    if (!b) state.SkipWithError("valid block rejected");
    benchmark::DoNotOptimize(b);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(enc.size()));
}
BENCHMARK(BM_BlockDecode)->Arg(500);

void BM_MerkleRoot(benchmark::State& state) {
  std::vector<Hash256> leaves(static_cast<std::size_t>(state.range(0)));
  for (std::size_t i = 0; i < leaves.size(); ++i) {
    leaves[i] = sha256(as_bytes(std::to_string(i)));
  }
  for (auto _ : state) benchmark::DoNotOptimize(merkle_root(leaves));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_MerkleRoot)->Arg(1000)->Arg(10'000);

// A block's transaction signatures checked on a TBB arena of range(1) threads: the parallel path
// validators take at commit (ledger/verifier.h). Compare threads=2 with threads=1 (the goal is
// >= 1.8x on two cores) and threads=1 with `openssl speed` (scripts: bench/openssl-ratio.sh).
// Real time, since the work runs on the arena's threads, not the benchmark thread.
void batch_verify(benchmark::State& state, SigScheme scheme) {
  const SigningKey key = SigningKey::derive(1, "client-0", scheme);
  std::vector<TxRef> txs;
  for (std::uint64_t i = 0; i < static_cast<std::uint64_t>(state.range(0)); ++i) {
    Transaction tx = unsigned_tx(i);
    sign_tx(tx, key);
    txs.push_back(std::make_shared<const Transaction>(std::move(tx)));
  }
  tbb::task_arena arena(static_cast<int>(state.range(1)));
  for (auto _ : state) {
    std::vector<std::uint8_t> valid;
    arena.execute([&] { valid = verify_txs_parallel(txs); });
    if (std::count(valid.begin(), valid.end(), 1) != state.range(0)) {
      state.SkipWithError("a valid signature was rejected");
    }
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
void BM_BatchVerifyEd25519(benchmark::State& state) { batch_verify(state, SigScheme::kEd25519); }
void BM_BatchVerifyEcdsaP256(benchmark::State& state) {
  batch_verify(state, SigScheme::kEcdsaP256);
}
BENCHMARK(BM_BatchVerifyEd25519)
    ->ArgsProduct({{500}, {1, 2}})
    ->ArgNames({"txs", "threads"})
    ->UseRealTime();
BENCHMARK(BM_BatchVerifyEcdsaP256)
    ->ArgsProduct({{500}, {1, 2}})
    ->ArgNames({"txs", "threads"})
    ->UseRealTime();

}  // namespace
}  // namespace hlsim

BENCHMARK_MAIN();
