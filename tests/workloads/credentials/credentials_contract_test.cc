// CredentialsContract rules: each allowed and each rejected case, the register baseline, the
// audit trail, and ordering of revocation before verification.
#include "workloads/credentials/credentials_contract.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>

#include "ledger/storage/memory_store.h"
#include "workloads/credentials/credentials_payloads.h"
#include "workloads/credentials/credentials_state.h"

namespace hlsim::credentials {
namespace {

constexpr std::uint32_t kOrgs = 4;  // boards 0, 1; hospitals 2, 3
constexpr std::uint32_t kHospital = 2;
constexpr TimeNs kInterval = 1'000 * kNsPerSec;

RegisterConfig register_config() {
  RegisterConfig c;
  c.seed = 5;
  c.boards = 2;
  c.clinicians = 100;
  c.multi_licence_fraction = 0.24;
  c.interval_ns = kInterval;
  c.day_ns = kNsPerSec;
  return c;
}

class CredentialsContractTest : public ::testing::Test {
 protected:
  CredentialsContractTest() {
    // A register clinician with one licence, and one with two.
    for (std::uint64_t c = 0; c < 100; ++c) {
      if (!reg_.multi_licensed(c) && single_ == kNone) single_ = c;
      if (reg_.multi_licensed(c) && multi_ == kNone) multi_ = c;
    }
  }

  TxOutcome act(Kind kind, std::uint32_t client, std::uint32_t board, std::uint64_t clinician,
                TimeNs t) {
    Transaction tx;
    tx.kind = static_cast<std::uint16_t>(kind);
    tx.client = client;
    tx.payload = encode(LicenceAction{clinician, board, Bytes(8, 0)});
    return contract_.apply(state_, tx, t).outcome;
  }
  TxOutcome verify(std::uint32_t client, std::uint32_t hospital, std::uint32_t board,
                   std::uint64_t clinician, TimeNs t, Kind kind = Kind::kVerify) {
    Transaction tx;
    tx.kind = static_cast<std::uint16_t>(kind);
    tx.client = client;
    tx.payload = encode(Verification{clinician, board, hospital, Bytes(8, 0)});
    tx.id.bytes[0] = static_cast<std::uint8_t>(++verifications_);
    return contract_.apply(state_, tx, t).outcome;
  }
  std::optional<VerificationAudit> audit(std::uint32_t board, std::uint64_t clinician,
                                         std::uint64_t seq) const {
    const std::optional<std::string> raw = state_.get(audit_key(board, clinician, seq));
    if (!raw) return std::nullopt;
    return decode_verification_audit(*raw);
  }
  LicenceState stored(std::uint32_t board, std::uint64_t clinician) const {
    return decode_licence_state(state_.get(licence_key(board, clinician)).value_or(""))
        .value_or(LicenceState{});
  }
  std::uint32_t board_of(std::uint64_t c) const { return reg_.primary_board(c); }
  TimeNs expiry_of(std::uint64_t c) const { return reg_.register_expiry_ns(board_of(c), c); }

  static constexpr std::uint64_t kNone = ~std::uint64_t{0};
  Register reg_{register_config()};
  CredentialsContract contract_{kOrgs, reg_};
  MemoryStore state_;
  std::uint64_t single_ = kNone;
  std::uint64_t multi_ = kNone;
  int verifications_ = 0;
};

TEST_F(CredentialsContractTest, RegisterLicenceVerifiesUntilItsExpiryAndIsAudited) {
  const std::uint64_t c = single_;
  EXPECT_EQ(verify(kHospital, kHospital, board_of(c), c, 0), TxOutcome::kApplied);
  EXPECT_EQ(verify(kHospital, kHospital, board_of(c), c, expiry_of(c) - 1), TxOutcome::kApplied);
  EXPECT_EQ(verify(kHospital, kHospital, board_of(c), c, expiry_of(c)), TxOutcome::kDenied);
  const std::optional<VerificationAudit> first = audit(board_of(c), c, 0);
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->hospital, kHospital);
  EXPECT_EQ(first->result, VerifyResult::kValid);
  EXPECT_EQ(first->tx_id.bytes[0], 1);
  EXPECT_EQ(audit(board_of(c), c, 2)->result, VerifyResult::kExpired);
  EXPECT_EQ(audit(board_of(c), c, 2)->time_ns, expiry_of(c));
  EXPECT_FALSE(audit(board_of(c), c, 3).has_value());
}

TEST_F(CredentialsContractTest, VerificationOfALicenceNobodyIssuedIsDeniedAsUnknown) {
  EXPECT_EQ(verify(kHospital, kHospital, 1 - board_of(single_), single_, 0), TxOutcome::kDenied);
  EXPECT_EQ(audit(1 - board_of(single_), single_, 0)->result, VerifyResult::kUnknown);
  EXPECT_EQ(verify(kHospital, kHospital, 0, 1'000, 0), TxOutcome::kDenied);  // not yet issued
}

TEST_F(CredentialsContractTest, SecondLicenceOfAMultiLicensedClinicianVerifies) {
  ASSERT_NE(multi_, kNone);
  EXPECT_EQ(verify(kHospital, kHospital, reg_.secondary_board(multi_), multi_, 0),
            TxOutcome::kApplied);
}

TEST_F(CredentialsContractTest, VerificationOrderedAfterTheRevocationIsDenied) {
  const std::uint64_t c = single_;
  const std::uint32_t b = board_of(c);
  EXPECT_EQ(verify(kHospital, kHospital, b, c, 10), TxOutcome::kApplied);
  EXPECT_EQ(act(Kind::kRevoke, b, b, c, 20), TxOutcome::kApplied);
  EXPECT_TRUE(stored(b, c).revoked);
  EXPECT_EQ(stored(b, c).revoked_ns, 20);
  EXPECT_EQ(verify(kHospital, kHospital, b, c, 20, Kind::kVerifyRevoked), TxOutcome::kDenied);
  EXPECT_EQ(audit(b, c, 1)->result, VerifyResult::kRevoked);
}

TEST_F(CredentialsContractTest, VerificationFromABoardOrForAnotherHospitalIsInvalid) {
  const std::uint64_t c = single_;
  EXPECT_EQ(verify(0, 0, board_of(c), c, 0), TxOutcome::kInvalid);
  EXPECT_EQ(verify(3, kHospital, board_of(c), c, 0), TxOutcome::kInvalid);
  EXPECT_EQ(verify(kHospital, kHospital, 2, c, 0), TxOutcome::kInvalid);  // board 2 is a hospital
  EXPECT_EQ(state_.key_count(), 0u);
}

TEST_F(CredentialsContractTest, RecredentialBeforeExpiryExtendsFromTheBlockTime) {
  const std::uint64_t c = single_;
  const std::uint32_t b = board_of(c);
  const TimeNs t = expiry_of(c) - 5;
  EXPECT_EQ(act(Kind::kRecredential, b, b, c, t), TxOutcome::kApplied);
  EXPECT_EQ(stored(b, c).expiry_ns, t + kInterval);
  EXPECT_EQ(stored(b, c).renewals, 1u);
  EXPECT_EQ(verify(kHospital, kHospital, b, c, expiry_of(c) + 1), TxOutcome::kApplied);
}

TEST_F(CredentialsContractTest, RecredentialOfAnExpiredRevokedOrUnknownLicenceIsDenied) {
  const std::uint64_t c = single_;
  const std::uint32_t b = board_of(c);
  EXPECT_EQ(act(Kind::kRecredential, b, b, c, expiry_of(c)), TxOutcome::kDenied);
  EXPECT_EQ(act(Kind::kRecredential, 1 - b, 1 - b, c, 0), TxOutcome::kDenied);
  EXPECT_EQ(act(Kind::kRevoke, b, b, c, 0), TxOutcome::kApplied);
  EXPECT_EQ(act(Kind::kRecredential, b, b, c, 1), TxOutcome::kDenied);
}

TEST_F(CredentialsContractTest, BoardActingForAnotherBoardIsInvalid) {
  const std::uint64_t c = single_;
  const std::uint32_t b = board_of(c);
  EXPECT_EQ(act(Kind::kRecredential, 1 - b, b, c, 0), TxOutcome::kInvalid);
  EXPECT_EQ(act(Kind::kRevoke, 1 - b, b, c, 0), TxOutcome::kInvalid);
  EXPECT_EQ(act(Kind::kRevoke, kHospital, kHospital, c, 0), TxOutcome::kInvalid);
  EXPECT_EQ(state_.key_count(), 0u);
}

TEST_F(CredentialsContractTest, IssueToANewClinicianOfItsOwnIsApplied) {
  const std::uint64_t fresh = 100;  // 100 % 2 = board 0
  EXPECT_EQ(verify(kHospital, kHospital, 0, fresh, 5), TxOutcome::kDenied);
  EXPECT_EQ(act(Kind::kLicenceIssue, 0, 0, fresh, 10), TxOutcome::kApplied);
  EXPECT_EQ(stored(0, fresh).issued_ns, 10);
  EXPECT_EQ(stored(0, fresh).expiry_ns, 10 + kInterval);
  EXPECT_EQ(verify(kHospital, kHospital, 0, fresh, 11), TxOutcome::kApplied);
}

TEST_F(CredentialsContractTest, IssueOfAnotherBoardsClinicianIsInvalid) {
  EXPECT_EQ(act(Kind::kLicenceIssue, 1, 1, 100, 10), TxOutcome::kInvalid);
  EXPECT_EQ(act(Kind::kLicenceIssue, 1 - board_of(single_), 1 - board_of(single_), single_, 10),
            TxOutcome::kInvalid);
}

TEST_F(CredentialsContractTest, IssueOverAValidOrRevokedLicenceIsDeniedAndAfterExpiryApplied) {
  const std::uint64_t c = single_;
  const std::uint32_t b = board_of(c);
  EXPECT_EQ(act(Kind::kLicenceIssue, b, b, c, 0), TxOutcome::kDenied);  // register licence valid
  EXPECT_EQ(act(Kind::kLicenceIssue, b, b, c, expiry_of(c)), TxOutcome::kApplied);  // lapsed
  EXPECT_EQ(act(Kind::kRevoke, b, b, c, expiry_of(c) + 1), TxOutcome::kApplied);
  EXPECT_EQ(act(Kind::kLicenceIssue, b, b, c, expiry_of(c) + 2 * kInterval), TxOutcome::kDenied);
}

TEST_F(CredentialsContractTest, RevokeOfAnUnknownOrRevokedLicenceIsDeniedAndOfAnExpiredApplied) {
  EXPECT_EQ(act(Kind::kRevoke, 0, 0, 1'000, 0), TxOutcome::kDenied);
  const std::uint64_t c = single_;
  const std::uint32_t b = board_of(c);
  EXPECT_EQ(act(Kind::kRevoke, b, b, c, expiry_of(c) + 1), TxOutcome::kApplied);
  EXPECT_EQ(act(Kind::kRevoke, b, b, c, expiry_of(c) + 2), TxOutcome::kDenied);
}

TEST_F(CredentialsContractTest, MalformedPayloadUnknownKindAndClientAreInvalid) {
  Transaction tx;
  tx.kind = static_cast<std::uint16_t>(Kind::kRevoke);
  tx.client = 0;
  tx.payload = encode(Verification{single_, 0, 0, {}});  // four bytes too many for a revoke
  EXPECT_EQ(contract_.apply(state_, tx, 0).outcome, TxOutcome::kInvalid);
  tx.payload = encode(LicenceAction{single_, 0, {}});
  tx.kind = kKindCount;
  EXPECT_EQ(contract_.apply(state_, tx, 0).outcome, TxOutcome::kInvalid);
  tx.kind = static_cast<std::uint16_t>(Kind::kRevoke);
  tx.client = kOrgs;
  EXPECT_EQ(contract_.apply(state_, tx, 0).outcome, TxOutcome::kInvalid);
  EXPECT_EQ(state_.key_count(), 0u);
}

TEST_F(CredentialsContractTest, ApplyReportsItsWrites) {
  Transaction tx;
  tx.kind = static_cast<std::uint16_t>(Kind::kVerify);
  tx.client = kHospital;
  tx.payload = encode(Verification{single_, board_of(single_), kHospital, {}});
  const ApplyResult r = contract_.apply(state_, tx, 0);
  EXPECT_EQ(r.writes, 2u);  // the audit entry and the next sequence number
  EXPECT_EQ(r.written_bytes, state_.bytes());
}

}  // namespace
}  // namespace hlsim::credentials
