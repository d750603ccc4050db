#include "ledger/verifier.h"

#include <tbb/parallel_for.h>

#include "ledger/crypto/sha256.h"

namespace hlsim {

const char* to_string(VerifyPolicy policy) {
  switch (policy) {
    case VerifyPolicy::kEveryNode:
      return "every-node";
    case VerifyPolicy::kOnce:
      return "once";
    case VerifyPolicy::kModelOnly:
      return "model-only";
  }
  return "unknown";
}

std::optional<VerifyPolicy> parse_verify_policy(std::string_view name) {
  if (name == "every-node") return VerifyPolicy::kEveryNode;
  if (name == "once") return VerifyPolicy::kOnce;
  if (name == "model-only") return VerifyPolicy::kModelOnly;
  return std::nullopt;
}

namespace {

// Small blocks are not worth waking worker threads for.
constexpr std::size_t kParallelGrain = 4;

}  // namespace

std::vector<std::uint8_t> verify_txs_parallel(std::span<const TxRef> txs) {
  std::vector<std::uint8_t> valid(txs.size(), 0);
  // Each index is written by exactly one task, so the output does not depend on scheduling.
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, txs.size(), kParallelGrain),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      for (std::size_t i = r.begin(); i != r.end(); ++i) {
                        valid[i] = (txs[i] && verify_tx(*txs[i])) ? 1 : 0;
                      }
                    });
  return valid;
}

bool Verifier::verify_tx(const Transaction& tx) {
  switch (policy_) {
    case VerifyPolicy::kModelOnly:
      ++skipped_;
      return true;
    case VerifyPolicy::kEveryNode:
      ++real_checks_;
      return hlsim::verify_tx(tx);
    case VerifyPolicy::kOnce:
      break;
  }
  const std::uint64_t misses = cache_.misses();
  const bool valid = cache_.verify(tx);
  if (cache_.misses() != misses) {
    ++real_checks_;
  } else {
    ++reused_;
  }
  return valid;
}

bool Verifier::verify_digest(const PublicKey& key, const Hash256& digest, const Signature& sig) {
  switch (policy_) {
    case VerifyPolicy::kModelOnly:
      ++skipped_;
      return true;
    case VerifyPolicy::kEveryNode:
      ++real_checks_;
      return verify_signature(key, digest.view(), sig);
    case VerifyPolicy::kOnce:
      break;
  }
  const std::uint64_t misses = cache_.misses();
  const bool valid = cache_.verify_digest(key, digest, sig);
  if (cache_.misses() != misses) {
    ++real_checks_;
  } else {
    ++reused_;
  }
  return valid;
}

std::vector<std::uint8_t> Verifier::verify_txs(std::span<const TxRef> txs) {
  if (policy_ == VerifyPolicy::kModelOnly) {
    skipped_ += txs.size();
    return std::vector<std::uint8_t>(txs.size(), 1);
  }
  if (policy_ == VerifyPolicy::kEveryNode) {
    real_checks_ += txs.size();
    return verify_txs_parallel(txs);
  }
  // once: hash the bodies in parallel, answer what the memo knows, verify the rest in parallel,
  // then record them. The memo is touched only from this thread.
  std::vector<Hash256> body_ids(txs.size());
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, txs.size(), kParallelGrain),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      for (std::size_t i = r.begin(); i != r.end(); ++i) {
                        if (txs[i] && txs[i]->payload.size() <= kTxPayloadBytesMax) {
                          body_ids[i] = sha256(txs[i]->body());
                        }
                      }
                    });
  std::vector<std::uint8_t> valid(txs.size(), 0);
  std::vector<std::size_t> missing;
  for (std::size_t i = 0; i < txs.size(); ++i) {
    // A null entry, an oversized payload or an id that disagrees with the body is invalid as
    // verify_tx would say, without consulting the memo.
    if (!txs[i] || txs[i]->payload.size() > kTxPayloadBytesMax || body_ids[i] != txs[i]->id) {
      continue;
    }
    if (std::optional<bool> known = cache_.lookup(body_ids[i], txs[i]->signature)) {
      valid[i] = *known ? 1 : 0;
      ++reused_;
    } else {
      missing.push_back(i);
    }
  }
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, missing.size(), kParallelGrain),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      for (std::size_t j = r.begin(); j != r.end(); ++j) {
                        const Transaction& tx = *txs[missing[j]];
                        valid[missing[j]] =
                            verify_signature(tx.signer, tx.body(), tx.signature) ? 1 : 0;
                      }
                    });
  for (std::size_t i : missing) {
    cache_.insert(body_ids[i], txs[i]->signature, valid[i] != 0);
  }
  real_checks_ += missing.size();
  return valid;
}

void Verifier::remember(const Transaction& tx, bool valid) {
  if (policy_ == VerifyPolicy::kOnce) cache_.remember(tx, valid);
}

}  // namespace hlsim
