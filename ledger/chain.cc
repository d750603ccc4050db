#include "ledger/chain.h"

#include <stdexcept>
#include <string>

namespace hlsim {

namespace {

// The first 4 bytes in hex: enough to tell hashes apart in a message.
std::string short_hex(const Hash256& h) { return to_hex(h.view().first(4)); }

}  // namespace

Chain::Chain(std::unique_ptr<KvStore> state) : state_(std::move(state)) {
  if (!state_) throw std::invalid_argument("Chain: the state store must not be null");
}

Status Chain::append(BlockRef block) {
  if (!block) return Error{"cannot append a null block"};
  const BlockHeader& h = block->header;
  if (h.height != next_height()) {
    return Error{"block " + short_hex(block->hash) + " has height " + std::to_string(h.height) +
                 ", expected height " + std::to_string(next_height())};
  }
  if (h.prev_hash != head_hash()) {
    return Error{"block " + short_hex(block->hash) + " at height " + std::to_string(h.height) +
                 " has prev_hash " + short_hex(h.prev_hash) + ", expected prev_hash " +
                 short_hex(head_hash()) + " (the head at height " + std::to_string(height()) + ")"};
  }
  block_bytes_ += block->encoded_size();
  blocks_.push_back(std::move(block));
  return Status::Ok();
}

}  // namespace hlsim
