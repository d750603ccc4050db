// ConsentMetrics on a hand-made committed sequence: counts, denials by reason, re-consent
// completion after amendments, withdrawal enforcement and its exposure window.
#include "workloads/consent/consent_metrics.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "consent_driver.h"
#include "workloads/consent/consent_payloads.h"

namespace hlsim::consent {
namespace {

using testing::figure;

// Sponsor 0, monitor 1, sites 2 and 3; participants 0..9 at site 2, 10..19 at site 3.
constexpr std::uint32_t kSponsor = 0;
constexpr std::uint32_t kMonitor = 1;
constexpr std::uint32_t kSiteA = 2;
constexpr std::uint32_t kSiteB = 3;
constexpr std::uint64_t kAlice = 4;
constexpr std::uint64_t kBob = 5;
constexpr std::uint64_t kCarol = 12;

class ConsentMetricsTest : public ::testing::Test {
 protected:
  template <class P>
  void commit(Kind kind, std::uint32_t client, const P& payload, double commit_s,
              double submit_s = -1, TxOutcome outcome = TxOutcome::kApplied) {
    Transaction tx;
    tx.kind = static_cast<std::uint16_t>(kind);
    tx.client = client;
    tx.nonce = nonce_++;
    tx.payload = encode(payload);
    const TimeNs commit_ns = static_cast<TimeNs>(commit_s * 1e9);
    tx.submit_ns = submit_s < 0 ? commit_ns : static_cast<TimeNs>(submit_s * 1e9);
    metrics_.on_commit(tx, outcome, commit_ns);
  }
  void read(Kind kind, std::uint32_t reader, std::uint64_t p, std::uint32_t version, double at_s,
            TxOutcome outcome, std::uint32_t trial = 0) {
    commit(kind, reader, DataAccess{trial, p, reader, version, {}}, at_s, -1, outcome);
  }
  double value(const std::string& name) const { return figure(metrics_, name); }

  ConsentMetrics metrics_{Roles{1, 1, 4, 10}, 2};
  std::uint64_t nonce_ = 0;
};

TEST_F(ConsentMetricsTest, FiguresOfAHandMadeSequence) {
  using enum TxOutcome;
  commit(Kind::kTrialRegister, kSponsor, TrialRegister{0, kSponsor, {}}, 1);
  commit(Kind::kTrialRegister, kSponsor, TrialRegister{1, kSponsor, {}}, 1);
  commit(Kind::kSiteActivate, kSponsor, SiteActivate{0, kSiteA, {}}, 1);
  commit(Kind::kSiteActivate, kSponsor, SiteActivate{0, kSiteB, {}}, 1);
  commit(Kind::kGrantViewer, kSponsor, ViewerChange{0, kMonitor, {}}, 1);
  commit(Kind::kEnrol, kSiteA, Enrol{0, kAlice, kSiteA, 1, {}}, 2);
  commit(Kind::kEnrol, kSiteB, Enrol{0, kCarol, kSiteB, 1, {}}, 2);
  commit(Kind::kEnrol, kSiteA, Enrol{0, kBob, kSiteA, 1, {}}, 3);
  commit(Kind::kEnrol, kSiteB, Enrol{1, 13, kSiteB, 1, {}}, 3, -1, kDenied);  // not active
  read(Kind::kDataAccess, kSponsor, kAlice, 1, 4, kApplied);
  read(Kind::kDataAccess, kMonitor, kCarol, 1, 4.5, kApplied);
  read(Kind::kDataAccess, kSponsor, kBob, 1, 4.5, kApplied);  // after Bob asked to withdraw
  commit(Kind::kWithdraw, kSiteA, Withdraw{0, kBob, {}}, 5, 4);
  commit(Kind::kAmend, kSponsor, Amend{0, 2, {}}, 10);  // Alice and Carol owe a re-consent
  commit(Kind::kEnrol, kSiteA, Enrol{0, 6, kSiteA, 1, {}}, 10.5, -1, kDenied);  // stale version
  read(Kind::kDataAccess, kSponsor, kAlice, 2, 11, kDenied);  // Alice not re-consented yet
  read(Kind::kViolationStaleConsentAccess, kMonitor, kCarol, 1, 11, kDenied);
  commit(Kind::kReconsent, kSiteA, Reconsent{0, kAlice, 2, {}}, 12);
  commit(Kind::kReconsent, kSiteA, Reconsent{0, kAlice, 2, {}}, 12.2);  // re-affirms
  commit(Kind::kReconsent, kSiteB, Reconsent{0, kCarol, 1, {}}, 12.5, -1, kDenied);
  read(Kind::kViolationAccessAfterWithdrawal, kSponsor, kBob, 2, 12.6, kDenied);
  read(Kind::kViolationUngrantedViewer, kSiteA, kCarol, 2, 12.7, kDenied);
  commit(Kind::kWithdraw, kSiteB, Withdraw{0, kCarol, {}}, 14, 13);  // completes amendment 2
  commit(Kind::kAmend, kSponsor, Amend{0, 3, {}}, 20);  // Alice owes; never re-consents
  commit(Kind::kAmend, kSponsor, Amend{1, 2, {}}, 21);  // nobody enrolled in trial 1
  // Recorded invalid by the simulator (e.g. a forged signature): not replayed.
  commit(Kind::kAmend, kSponsor, Amend{0, 4, {}}, 22, -1, kInvalid);

  EXPECT_EQ(value("enrolled"), 3);
  EXPECT_EQ(value("withdrawn"), 2);
  EXPECT_EQ(value("amendments"), 3);
  EXPECT_EQ(value("reconsents"), 1);
  EXPECT_EQ(value("reaffirmations"), 1);
  EXPECT_EQ(value("amendments_fully_reconsented"), 1);
  EXPECT_EQ(value("amendments_pending"), 1);
  EXPECT_EQ(value("amendments_without_participants"), 1);
  EXPECT_DOUBLE_EQ(value("reconsent_all_p50_ms"), 4'000);  // 10 s -> 14 s
  EXPECT_DOUBLE_EQ(value("reconsent_all_p99_ms"), 4'000);
  // Owed: 2 (amendment 2) + 1 (amendment 3); Carol withdrew instead; Alice re-consented once.
  EXPECT_DOUBLE_EQ(value("reconsented_fraction"), 50);
  EXPECT_EQ(value("access_applied"), 3);
  EXPECT_EQ(value("access_denied_stale_consent"), 2);
  EXPECT_EQ(value("access_denied_withdrawn"), 1);
  EXPECT_EQ(value("access_denied_not_viewer"), 1);
  EXPECT_EQ(value("access_denied_not_enrolled"), 0);
  EXPECT_EQ(value("violations_denied"), 3);
  EXPECT_EQ(value("violations_accepted"), 0);
  EXPECT_DOUBLE_EQ(value("withdraw_to_enforcement_p50_ms"), 1'000);
  EXPECT_DOUBLE_EQ(value("withdraw_to_enforcement_p99_ms"), 1'000);
  EXPECT_EQ(value("reads_in_withdrawal_window"), 1);
  EXPECT_EQ(value("enrol_denied_site_not_active"), 1);
  EXPECT_EQ(value("enrol_denied_stale_version"), 1);
  EXPECT_EQ(value("reconsent_denied_stale_version"), 1);
  EXPECT_EQ(value("replay_mismatches"), 0);
}

TEST_F(ConsentMetricsTest, AnOutcomeTheReplayDisagreesWithIsCountedAndAnAcceptedViolationShows) {
  commit(Kind::kTrialRegister, kSponsor, TrialRegister{0, kSponsor, {}}, 1);
  commit(Kind::kSiteActivate, kSponsor, SiteActivate{0, kSiteA, {}}, 1);
  commit(Kind::kEnrol, kSiteA, Enrol{0, kAlice, kSiteA, 1, {}}, 2);
  // The ledger said denied, but the read is fine: a mismatch (a bug somewhere).
  read(Kind::kDataAccess, kSponsor, kAlice, 1, 3, TxOutcome::kDenied);
  // A violation-labelled read that is in fact allowed is applied, and counted as accepted.
  read(Kind::kViolationUngrantedViewer, kSponsor, kAlice, 1, 4, TxOutcome::kApplied);
  EXPECT_EQ(value("replay_mismatches"), 1);
  EXPECT_EQ(value("violations_accepted"), 1);
  EXPECT_EQ(value("access_applied"), 2);
}

TEST_F(ConsentMetricsTest, WithNothingCommittedEveryFigureIsZeroAndNamesAreUnique) {
  const std::vector<WorkloadFigure> figures = metrics_.figures();
  EXPECT_EQ(figures.size(), 25u);
  for (std::size_t i = 0; i < figures.size(); ++i) {
    EXPECT_EQ(figures[i].value, 0) << figures[i].name;
    EXPECT_FALSE(figures[i].help.empty()) << figures[i].name;
    for (std::size_t j = i + 1; j < figures.size(); ++j)
      EXPECT_NE(figures[i].name, figures[j].name);
  }
}

TEST(ConsentPercentileTest, NearestRank) {
  EXPECT_EQ(percentile_ms({}, 0.5), 0);
  const std::vector<TimeNs> v = {5 * kNsPerMs, 1 * kNsPerMs, 3 * kNsPerMs, 2 * kNsPerMs,
                                 4 * kNsPerMs};
  EXPECT_EQ(percentile_ms(v, 0.5), 3);
  EXPECT_EQ(percentile_ms(v, 0.99), 5);
  EXPECT_EQ(percentile_ms(v, 0), 1);
}

}  // namespace
}  // namespace hlsim::consent
