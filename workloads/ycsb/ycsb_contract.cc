#include "workloads/ycsb/ycsb_contract.h"

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>

#include "workloads/ycsb/ycsb_payloads.h"

namespace hlsim::ycsb {
namespace {

ApplyResult outcome(TxOutcome o) { return ApplyResult{o, 0, 0}; }

ApplyResult write(KvStore& state, const std::string& key, const std::string& value) {
  state.put(key, value);
  return ApplyResult{TxOutcome::kApplied, 1, key.size() + value.size()};
}

}  // namespace

YcsbContract::YcsbContract(std::uint64_t records, std::uint32_t field_count,
                           std::uint32_t field_bytes, bool absent_is_default)
    : records_(records),
      field_count_(field_count),
      field_bytes_(field_bytes),
      absent_is_default_(absent_is_default) {
  if (records == 0 || field_count == 0 || field_count >= kAllFields || field_bytes == 0) {
    throw std::invalid_argument("YcsbContract: bad records, field count or field size");
  }
}

ApplyResult YcsbContract::apply(KvStore& state, const Transaction& tx, TimeNs /*block_time_ns*/) {
  switch (static_cast<Kind>(tx.kind)) {
    case Kind::kRead: {
      const std::optional<Read> p = decode_read(tx.payload);
      if (!p || p->key >= records_) return outcome(TxOutcome::kInvalid);
      const bool hit = absent_is_default_ || state.get(record_key(p->key)).has_value();
      return outcome(hit ? TxOutcome::kApplied : TxOutcome::kDenied);
    }

    case Kind::kUpdate: {
      const std::optional<Update> p = decode_update(tx.payload);
      if (!p || p->key >= records_) return outcome(TxOutcome::kInvalid);
      const bool all = p->field == kAllFields;
      if ((!all && p->field >= field_count_) ||
          p->value.size() != (all ? record_bytes() : field_bytes_)) {
        return outcome(TxOutcome::kInvalid);
      }
      const std::string key = record_key(p->key);
      std::optional<std::string> record = state.get(key);
      if (!record) {
        if (!absent_is_default_) return outcome(TxOutcome::kDenied);
        record = std::string(record_bytes(), '\0');
      }
      // A stored record of the wrong size can only be a damaged store: every validator sees the
      // same one, so resize it the same way.
      record->resize(record_bytes(), '\0');
      const std::size_t at = all ? 0 : std::size_t{p->field} * field_bytes_;
      std::copy(p->value.begin(), p->value.end(),
                record->begin() + static_cast<std::ptrdiff_t>(at));
      return write(state, key, *record);
    }

    case Kind::kInsert: {
      const std::optional<Insert> p = decode_insert(tx.payload);
      if (!p || p->key >= records_ || p->record.size() != record_bytes()) {
        return outcome(TxOutcome::kInvalid);
      }
      const std::string key = record_key(p->key);
      if (state.get(key)) return outcome(TxOutcome::kDenied);
      return write(state, key, std::string(p->record.begin(), p->record.end()));
    }
  }
  return outcome(TxOutcome::kInvalid);
}

}  // namespace hlsim::ycsb
