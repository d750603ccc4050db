#include "workloads/execution_memo.h"

#include <cassert>
#include <utility>
#include <vector>

#include "ledger/crypto/sha256.h"

namespace hlsim {

Hash256 ExecutionMemo::key_of(const Hash256& root_before, const Block& block,
                              std::span<const std::uint8_t> valid) {
  assert(valid.size() == block.txs.size());
  // root_before | block hash | (tx id | flag) per transaction: fixed-size fields, so the
  // concatenation is unambiguous.
  std::vector<std::uint8_t> input;
  input.reserve(2 * sizeof(Hash256::bytes) + block.txs.size() * (sizeof(Hash256::bytes) + 1));
  input.insert(input.end(), root_before.bytes.begin(), root_before.bytes.end());
  input.insert(input.end(), block.hash.bytes.begin(), block.hash.bytes.end());
  for (std::size_t i = 0; i < block.txs.size(); ++i) {
    const Hash256& id = block.txs[i]->id;
    input.insert(input.end(), id.bytes.begin(), id.bytes.end());
    input.push_back(valid[i] != 0 ? 1 : 0);
  }
  return sha256(input);
}

void ExecutionMemo::insert(const Hash256& key, Entry entry) {
  assert(entry.run != nullptr);
  entries_.insert(key, std::move(entry));
}

}  // namespace hlsim
