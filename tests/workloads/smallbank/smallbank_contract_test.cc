// SmallbankContract rules: each allowed and each rejected case, initial balances, overflow.
#include "workloads/smallbank/smallbank_contract.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

#include "ledger/storage/memory_store.h"
#include "workloads/smallbank/smallbank_payloads.h"
#include "workloads/smallbank/smallbank_state.h"

namespace hlsim::smallbank {
namespace {

constexpr std::uint64_t kAccounts = 10;
constexpr std::int64_t kInitial = 10'000;  // $100
constexpr std::int64_t kPenalty = 100;

class SmallbankContractTest : public ::testing::Test {
 protected:
  Judged run(Kind kind, Op op) {
    Transaction tx;
    tx.kind = static_cast<std::uint16_t>(kind);
    tx.client = 3;
    tx.payload = encode(kind, op);
    return contract_.apply_judged(state_, tx);
  }
  std::int64_t chk(std::uint64_t a) const { return contract_.checking(state_, a); }
  std::int64_t sav(std::uint64_t a) const { return contract_.savings(state_, a); }

  SmallbankContract contract_{kAccounts, kInitial, kPenalty};
  MemoryStore state_;
};

void expect(const Judged& j, TxOutcome outcome, Reason reason) {
  EXPECT_EQ(j.result.outcome, outcome) << reason_name(j.reason);
  EXPECT_EQ(j.reason, reason) << reason_name(j.reason);
}

TEST_F(SmallbankContractTest, AccountsNeverWrittenHoldTheInitialBalances) {
  EXPECT_EQ(chk(0), kInitial);
  EXPECT_EQ(sav(9), kInitial);
  const Judged j = run(Kind::kBalance, Op{4, 0, 0});
  expect(j, TxOutcome::kApplied, Reason::kOk);
  EXPECT_EQ(j.result.writes, 0u);
  EXPECT_EQ(state_.key_count(), 0u);
}

TEST_F(SmallbankContractTest, DepositCheckingAddsAPositiveAmountOnly) {
  const Judged j = run(Kind::kDepositChecking, Op{2, 0, 130});
  expect(j, TxOutcome::kApplied, Reason::kOk);
  EXPECT_EQ(j.result.writes, 1u);
  EXPECT_EQ(chk(2), kInitial + 130);
  EXPECT_EQ(sav(2), kInitial);
  expect(run(Kind::kDepositChecking, Op{2, 0, 0}), TxOutcome::kInvalid, Reason::kBadAmount);
  expect(run(Kind::kDepositChecking, Op{2, 0, -5}), TxOutcome::kInvalid, Reason::kBadAmount);
  EXPECT_EQ(chk(2), kInitial + 130);
}

TEST_F(SmallbankContractTest, TransactSavingsIsDeniedWhenSavingsWouldGoNegative) {
  expect(run(Kind::kTransactSavings, Op{1, 0, 2'020}), TxOutcome::kApplied, Reason::kOk);
  expect(run(Kind::kTransactSavings, Op{1, 0, -(kInitial + 2'020)}), TxOutcome::kApplied,
         Reason::kOk);  // down to exactly 0
  EXPECT_EQ(sav(1), 0);
  const Judged no = run(Kind::kTransactSavings, Op{1, 0, -1});
  expect(no, TxOutcome::kDenied, Reason::kInsufficientSavings);
  EXPECT_EQ(no.result.writes, 0u);
  EXPECT_EQ(sav(1), 0);
  EXPECT_EQ(chk(1), kInitial);  // checking does not cover savings
}

TEST_F(SmallbankContractTest, AmalgamateMovesEverythingIntoTheOtherChecking) {
  const Judged j = run(Kind::kAmalgamate, Op{3, 4, 0});
  expect(j, TxOutcome::kApplied, Reason::kOk);
  EXPECT_EQ(j.result.writes, 3u);
  EXPECT_EQ(chk(3), 0);
  EXPECT_EQ(sav(3), 0);
  EXPECT_EQ(chk(4), 3 * kInitial);
  EXPECT_EQ(sav(4), kInitial);
  expect(run(Kind::kAmalgamate, Op{4, 4, 0}), TxOutcome::kInvalid, Reason::kSameAccount);
  expect(run(Kind::kAmalgamate, Op{4, kAccounts, 0}), TxOutcome::kInvalid, Reason::kUnknownAccount);
}

TEST_F(SmallbankContractTest, WriteCheckBeyondTheFundsPaysTheOverdraftPenalty) {
  expect(run(Kind::kWriteCheck, Op{5, 0, 500}), TxOutcome::kApplied, Reason::kOk);
  EXPECT_EQ(chk(5), kInitial - 500);
  // Savings count towards the funds: 2 * kInitial - 500 left in total.
  expect(run(Kind::kWriteCheck, Op{5, 0, 2 * kInitial - 500}), TxOutcome::kApplied, Reason::kOk);
  EXPECT_EQ(chk(5), -kInitial);
  expect(run(Kind::kWriteCheck, Op{5, 0, 1}), TxOutcome::kApplied, Reason::kOverdraft);
  EXPECT_EQ(chk(5), -kInitial - 1 - kPenalty);
  EXPECT_EQ(sav(5), kInitial);
  expect(run(Kind::kWriteCheck, Op{5, 0, 0}), TxOutcome::kInvalid, Reason::kBadAmount);
}

TEST_F(SmallbankContractTest, SendPaymentIsDeniedWhenCheckingIsBelowTheAmount) {
  expect(run(Kind::kSendPayment, Op{6, 7, kInitial}), TxOutcome::kApplied, Reason::kOk);
  EXPECT_EQ(chk(6), 0);
  EXPECT_EQ(chk(7), 2 * kInitial);
  const Judged no = run(Kind::kSendPayment, Op{6, 7, 1});
  expect(no, TxOutcome::kDenied, Reason::kInsufficientChecking);  // savings do not count
  EXPECT_EQ(chk(7), 2 * kInitial);
  expect(run(Kind::kSendPayment, Op{6, 6, 1}), TxOutcome::kInvalid, Reason::kSameAccount);
  expect(run(Kind::kSendPayment, Op{7, 6, -1}), TxOutcome::kInvalid, Reason::kBadAmount);
}

TEST_F(SmallbankContractTest, UnknownAccountsHugeAmountsAndMalformedPayloadsAreInvalid) {
  expect(run(Kind::kBalance, Op{kAccounts, 0, 0}), TxOutcome::kInvalid, Reason::kUnknownAccount);
  expect(run(Kind::kTransactSavings, Op{1, 0, -kMaxAmountCents - 1}), TxOutcome::kInvalid,
         Reason::kBadAmount);
  expect(run(Kind::kDepositChecking, Op{1, 0, kMaxAmountCents + 1}), TxOutcome::kInvalid,
         Reason::kBadAmount);
  Transaction tx;
  tx.kind = static_cast<std::uint16_t>(Kind::kDepositChecking);
  tx.payload = Bytes{1, 2, 3};
  EXPECT_EQ(contract_.apply_judged(state_, tx).reason, Reason::kMalformed);
  tx.kind = kKindCount;
  tx.payload = encode(Kind::kBalance, Op{1, 0, 0});
  EXPECT_EQ(contract_.apply(state_, tx, 0).outcome, TxOutcome::kInvalid);
  EXPECT_EQ(state_.key_count(), 0u);
}

TEST_F(SmallbankContractTest, AResultThatWouldOverflowIsInvalidAndWritesNothing) {
  state_.put(checking_key(8), encode_balance(std::numeric_limits<std::int64_t>::max() - 10));
  expect(run(Kind::kDepositChecking, Op{8, 0, 11}), TxOutcome::kInvalid, Reason::kOverflow);
  expect(run(Kind::kAmalgamate, Op{9, 8, 0}), TxOutcome::kInvalid, Reason::kOverflow);
  EXPECT_EQ(chk(9), kInitial);  // amalgamate wrote none of its three keys
  EXPECT_EQ(sav(9), kInitial);
  EXPECT_EQ(chk(8), std::numeric_limits<std::int64_t>::max() - 10);
}

TEST(SmallbankContractConstructionTest, RejectsFewerThanTwoAccountsOrANegativePenalty) {
  EXPECT_THROW(SmallbankContract(1, 0, 0), std::invalid_argument);
  EXPECT_THROW(SmallbankContract(2, 0, -1), std::invalid_argument);
  EXPECT_THROW(SmallbankContract(2, kMaxAmountCents + 1, 0), std::invalid_argument);
}

}  // namespace
}  // namespace hlsim::smallbank
