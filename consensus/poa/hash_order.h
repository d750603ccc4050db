// A strict weak order on hashes for ordered containers: bytewise, the same order as Hash256's own
// defaulted <=>. Spelled out because instantiating that operator makes clang-tidy 14 report a
// false modernize-use-nullptr in ledger/bytes.h (the `< 0` of the rewritten comparison).
#pragma once

#include <cstring>

#include "ledger/bytes.h"

namespace hlsim {

struct PoaHashOrder {
  bool operator()(const Hash256& a, const Hash256& b) const {
    return std::memcmp(a.bytes.data(), b.bytes.data(), a.bytes.size()) < 0;
  }
};

}  // namespace hlsim
