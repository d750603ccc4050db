// The YCSB contract: a key-value table of `records` records of field_count fields of
// field_bytes each, read and written through the ledger (as BLOCKBENCH's YCSB chaincode does).
// Payloads and state layout: ycsb_payloads.h.
//
// A payload that does not decode, names a key >= records, a field >= field_count (other than
// kAllFields), or carries a value of the wrong size is kInvalid. With `absent_is_default` false
// (a load phase inserts the records):
//   read    kApplied if the record exists (a hit; writes nothing), kDenied if not (a miss).
//   update  kApplied if the record exists: rewrites the record with the field (or every field)
//           replaced; kDenied if it does not exist.
//   insert  kApplied if the record does not exist yet: writes it; kDenied if it does.
// With `absent_is_default` true (no load phase) a record never written reads as field_count *
// field_bytes zero bytes: reads always hit and updates always apply.
//
// Deterministic and stateless; apply() is not safe to call concurrently on the same store.
#pragma once

#include <cstdint>

#include "workloads/contract.h"

namespace hlsim::ycsb {

class YcsbContract final : public Contract {
 public:
  // REQUIRES: records >= 1, 1 <= field_count < kAllFields, field_bytes >= 1.
  YcsbContract(std::uint64_t records, std::uint32_t field_count, std::uint32_t field_bytes,
               bool absent_is_default);

  ApplyResult apply(KvStore& state, const Transaction& tx, TimeNs block_time_ns) override;

  std::size_t record_bytes() const { return std::size_t{field_count_} * field_bytes_; }

 private:
  std::uint64_t records_;
  std::uint32_t field_count_;
  std::uint32_t field_bytes_;
  bool absent_is_default_;
};

}  // namespace hlsim::ycsb
