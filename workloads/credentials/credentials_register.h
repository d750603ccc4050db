// The conventions every party of the credentials workload can compute without shared state: who
// holds which licence at the start of the run, when each was issued, which clinicians let their
// licences lapse, and the boards' revocation schedule.
//
// Boards (licensing boards) are clients 0..boards-1. Clinicians 0..clinicians-1 are the register
// at the start of the run: clinician c holds a licence from its primary board c % boards, and,
// when it is one of the multi_licence_fraction drawn from (seed, c) and there are >= 2 boards,
// also from (c + 1) % boards (FSMB 2022: 24% of physicians hold >= 2 licences). A register
// licence was issued at a time drawn from (seed, board, c) uniformly in (-interval, 0], so expiries
// (issue + interval) spread evenly over the first interval. Clinicians drawn from (seed, c) with
// probability lapse_fraction never renew. New clinicians (ids >= clinicians) get licences from
// board id % boards during the run.
//
// Revocation schedule: the k-th revocation (k = 0, 1, ...) falls due at (k + 1) x spacing, where
// spacing = day / revocations_per_day, and revokes the primary licence of clinician
// (a k + b) mod clinicians, a permutation of the register drawn from the seed (so no clinician
// is revoked twice, and the schedule ends after `clinicians` revocations). The board revokes at
// its first draft after the due time; a hospital that wants to verify a just-revoked licence
// (verify_revoked) computes the same schedule.
//
// Pure and immutable after construction: safe to share between threads.
#pragma once

#include <cstdint>
#include <optional>

#include "sim/kernel/time.h"

namespace hlsim::credentials {

struct RegisterConfig {
  std::uint64_t seed = 0;
  std::uint32_t boards = 1;
  std::uint64_t clinicians = 1;  // <= 2^32 - 1
  double multi_licence_fraction = 0;
  double lapse_fraction = 0;
  TimeNs interval_ns = 0;          // validity of a licence (issue or renewal to expiry), > 0
  double revocations_per_day = 0;  // 0: none
  TimeNs day_ns = 0;
};

class Register {
 public:
  // REQUIRES: boards >= 1, 1 <= clinicians < 2^32, interval_ns > 0, day_ns > 0.
  explicit Register(const RegisterConfig& config);

  const RegisterConfig& config() const { return config_; }
  std::uint32_t boards() const { return config_.boards; }
  std::uint64_t clinicians() const { return config_.clinicians; }

  std::uint32_t primary_board(std::uint64_t clinician) const {
    return static_cast<std::uint32_t>(clinician % config_.boards);
  }
  // True if a register clinician also holds a licence from secondary_board().
  bool multi_licensed(std::uint64_t clinician) const;
  std::uint32_t secondary_board(std::uint64_t clinician) const {
    return static_cast<std::uint32_t>((clinician + 1) % config_.boards);
  }
  // True if `board` issued `clinician` a licence before the run (the register).
  bool holds(std::uint32_t board, std::uint64_t clinician) const;
  // True if `board` may license `clinician`: a register licence, or a new clinician of its own.
  bool may_license(std::uint32_t board, std::uint64_t clinician) const;
  // Issue time of a register licence, in (-interval, 0]. REQUIRES: holds(board, clinician).
  TimeNs register_issue_ns(std::uint32_t board, std::uint64_t clinician) const;
  TimeNs register_expiry_ns(std::uint32_t board, std::uint64_t clinician) const {
    return register_issue_ns(board, clinician) + config_.interval_ns;
  }
  // True if the clinician never renews.
  bool lapses(std::uint64_t clinician) const;

  // Revocations due at or before `now_ns` (their count; the schedule's first k).
  std::uint64_t revocations_due(TimeNs now_ns) const;
  // Due time of the k-th revocation. REQUIRES: revocations are on.
  TimeNs revocation_due_ns(std::uint64_t k) const {
    return static_cast<TimeNs>(k + 1) * spacing_ns_;
  }
  // The clinician whose primary licence the k-th revocation revokes. REQUIRES: k < clinicians.
  std::uint64_t revoked_clinician(std::uint64_t k) const;
  // The k whose revocation revokes `clinician` (register clinicians only).
  std::uint64_t revocation_index(std::uint64_t clinician) const;
  // True if `clinician`'s scheduled revocation is due at `now_ns`.
  bool revocation_due(std::uint64_t clinician, TimeNs now_ns) const;
  bool revocations_on() const { return spacing_ns_ > 0; }

 private:
  // Uniform in [0, 1) from (seed, tag, a, b).
  double unit(std::uint64_t tag, std::uint64_t a, std::uint64_t b) const;

  RegisterConfig config_;
  TimeNs spacing_ns_ = 0;  // 0: revocations off
  std::uint64_t perm_a_ = 1;
  std::uint64_t perm_b_ = 0;
  std::uint64_t perm_a_inverse_ = 1;
};

}  // namespace hlsim::credentials
