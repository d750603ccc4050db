#include "workloads/contract.h"

namespace hlsim {

const char* to_string(TxOutcome o) {
  switch (o) {
    case TxOutcome::kApplied:
      return "applied";
    case TxOutcome::kDenied:
      return "denied";
    case TxOutcome::kInvalid:
      return "invalid";
  }
  return "unknown";
}

}  // namespace hlsim
