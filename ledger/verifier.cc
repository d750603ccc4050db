#include "ledger/verifier.h"

#include <tbb/parallel_for.h>

#include "ledger/crypto/sha256.h"
#include "ledger/vote.h"

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

// Waking TBB's workers costs tens of microseconds of spinning on every core, so work goes
// parallel only when there is enough of it: signature checks (~50 us each) from kMinParallelChecks
// up, body hashing (~1 us each) from kMinParallelHashes up. Below that it runs on the caller.
constexpr std::size_t kParallelGrain = 2;
constexpr std::size_t kMinParallelChecks = 4;
constexpr std::size_t kMinParallelHashes = 256;

// fn(i) for i in [0, n), on TBB's workers when n >= min_parallel, else in order on this thread.
// Each i writes only its own output slot, so the result never depends on the schedule.
template <class Fn>
void for_each_index(std::size_t n, std::size_t min_parallel, const Fn& fn) {
  if (n < min_parallel) {
    for (std::size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, kParallelGrain),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      for (std::size_t i = r.begin(); i != r.end(); ++i) fn(i);
                    });
}

}  // namespace

std::vector<std::uint8_t> verify_txs_parallel(std::span<const TxRef> txs) {
  std::vector<std::uint8_t> valid(txs.size(), 0);
  for_each_index(txs.size(), kMinParallelChecks,
                 [&](std::size_t i) { valid[i] = (txs[i] && verify_tx(*txs[i])) ? 1 : 0; });
  return valid;
}

std::vector<std::uint8_t> verify_votes_parallel(std::span<const SignedVote> votes) {
  std::vector<std::uint8_t> valid(votes.size(), 0);
  for_each_index(votes.size(), kMinParallelChecks,
                 [&](std::size_t i) { valid[i] = verify_vote(votes[i]) ? 1 : 0; });
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
  for_each_index(txs.size(), kMinParallelHashes, [&](std::size_t i) {
    if (txs[i] && txs[i]->payload.size() <= kTxPayloadBytesMax) {
      body_ids[i] = sha256(txs[i]->body());
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
  for_each_index(missing.size(), kMinParallelChecks, [&](std::size_t j) {
    const Transaction& tx = *txs[missing[j]];
    valid[missing[j]] = verify_signature(tx.signer, tx.body(), tx.signature) ? 1 : 0;
  });
  for (std::size_t i : missing) {
    cache_.insert(body_ids[i], txs[i]->signature, valid[i] != 0);
  }
  real_checks_ += missing.size();
  return valid;
}

std::vector<std::uint8_t> Verifier::verify_votes(std::span<const SignedVote> votes) {
  if (policy_ == VerifyPolicy::kModelOnly) {
    skipped_ += votes.size();
    return std::vector<std::uint8_t>(votes.size(), 1);
  }
  if (policy_ == VerifyPolicy::kEveryNode) {
    real_checks_ += votes.size();
    return verify_votes_parallel(votes);
  }
  // once: the memo is keyed by the vote id (SHA-256 of the body, which names the voter key) and
  // the signature, so a forged vote never hits a cached "valid".
  std::vector<std::uint8_t> valid(votes.size(), 0);
  std::vector<Hash256> ids(votes.size());
  std::vector<std::size_t> missing;
  for (std::size_t i = 0; i < votes.size(); ++i) {
    ids[i] = votes[i].id();
    if (std::optional<bool> known = cache_.lookup(ids[i], votes[i].signature)) {
      valid[i] = *known ? 1 : 0;
      ++reused_;
    } else {
      missing.push_back(i);
    }
  }
  for_each_index(missing.size(), kMinParallelChecks, [&](std::size_t j) {
    valid[missing[j]] = verify_vote(votes[missing[j]]) ? 1 : 0;
  });
  for (std::size_t i : missing) cache_.insert(ids[i], votes[i].signature, valid[i] != 0);
  real_checks_ += missing.size();
  return valid;
}

void Verifier::remember(const Transaction& tx, bool valid) {
  if (policy_ == VerifyPolicy::kOnce) cache_.remember(tx, valid);
}

}  // namespace hlsim
