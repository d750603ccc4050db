// Signature verification under a scenario's verification policy.
//
//   every-node  each simulated node really verifies every signature it checks;
//   once        (default) the first check of a signature is real and its answer memoised
//               (ledger/verify_cache.h); later checks by other nodes reuse it;
//   model-only  nothing is verified, every check answers "valid": for very large sweeps whose
//               inputs are known honest. Results files say so, because under this policy a forged
//               object would NOT be rejected.
//
// The simulated cost of a check is charged by the caller from the hardware profile whatever the
// policy, so for honest inputs the three policies give identical simulated results; they differ
// only in host time. Block-level checks (verify_txs) run their real verifications in parallel on
// TBB's worker threads; results are in input order and independent of the thread count.
// Not thread-safe: one Verifier per simulation thread.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "ledger/transaction.h"
#include "ledger/verify_cache.h"

namespace hlsim {

enum class VerifyPolicy : std::uint8_t { kEveryNode, kOnce, kModelOnly };

// "every-node" / "once" / "model-only".
const char* to_string(VerifyPolicy policy);
std::optional<VerifyPolicy> parse_verify_policy(std::string_view name);

struct SignedVote;

// verify_tx over each transaction, in parallel; element i is 1 when txs[i] is valid.
std::vector<std::uint8_t> verify_txs_parallel(std::span<const TxRef> txs);
// The same for signed votes (verify_vote on each: the signature under the vote's own voter_key;
// membership is the caller's check), e.g. a quorum certificate's n - f votes.
std::vector<std::uint8_t> verify_votes_parallel(std::span<const SignedVote> votes);

class Verifier {
 public:
  explicit Verifier(VerifyPolicy policy = VerifyPolicy::kOnce,
                    std::size_t cache_capacity = 1u << 20)
      : policy_(policy), cache_(cache_capacity) {}

  VerifyPolicy policy() const { return policy_; }

  bool verify_tx(const Transaction& tx);
  bool verify_digest(const PublicKey& key, const Hash256& digest, const Signature& sig);
  // The validity of every transaction of a block, in order (1 valid, 0 not).
  std::vector<std::uint8_t> verify_txs(std::span<const TxRef> txs);
  // verify_vote over each vote (signature under its own voter_key), under the policy: under
  // `once` a vote broadcast to n validators is really checked by the first of them only.
  std::vector<std::uint8_t> verify_votes(std::span<const SignedVote> votes);
  // Records a real verify_tx(tx) result obtained elsewhere (e.g. a client-side parallel
  // pre-check), so that under `once` the first node's check reuses it. No-op for other policies.
  void remember(const Transaction& tx, bool valid);

  // Real verifications done, answers reused from the memo, and checks skipped (model-only).
  std::uint64_t real_checks() const { return real_checks_; }
  std::uint64_t reused() const { return reused_; }
  std::uint64_t skipped() const { return skipped_; }

 private:
  VerifyPolicy policy_;
  VerifyCache cache_;
  std::uint64_t real_checks_ = 0;
  std::uint64_t reused_ = 0;
  std::uint64_t skipped_ = 0;
};

}  // namespace hlsim
