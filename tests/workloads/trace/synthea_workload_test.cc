// The "synthea" workload: the sample's timetable (arrival times, per-client order, charts, payers,
// claims and payments), its drafts judged by the EHR and claims contracts, the own-arrival
// protocol, determinism, metrics, and the parameter and trace errors naming their key.
#include "workloads/trace/synthea_workload.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <tuple>

#include "ledger/storage/memory_store.h"
#include "sim/kernel/rng.h"
#include "workloads/claims/claims_payloads.h"
#include "workloads/ehr/ehr_payloads.h"
#include "workloads/trace/synthea_contract.h"
#include "workloads/trace/synthea_reader.h"
#include "workloads/trace/synthea_replay.h"

namespace hlsim::trace {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const std::string kSampleDir = std::string(HLSIM_SOURCE_DIR) + "/workloads/trace/samples/synthea";

WorkloadSetup setup_with(std::uint32_t clients) {
  WorkloadSetup s;
  s.seed = 11;
  s.clients = clients;
  s.validators = 4;
  return s;
}

// The sample: 4 organisations (clients 0-3) and 3 payers (clients 4-6).
constexpr std::uint32_t kSampleClients = 7;
constexpr TimeNs kStart = kNsPerSec;  // settle_s: the trace starts after the enrolments

Result<std::unique_ptr<Workload>> make(const std::map<std::string, std::string>& given,
                                       std::uint32_t clients = kSampleClients) {
  const WorkloadInfo* info = find_workload("synthea");
  EXPECT_NE(info, nullptr);
  Result<ParamValues> values = ParamValues::parse(info->params, given, "workload");
  if (!values) return values.error();
  return info->make(*values, setup_with(clients));
}

std::unique_ptr<SyntheaWorkload> sample_workload(double compression = 3600) {
  Result<std::unique_ptr<Workload>> w =
      make({{"dir", kSampleDir}, {"time_compression", std::to_string(compression)}});
  EXPECT_TRUE(w.ok()) << w.error().message;
  if (!w.ok()) return nullptr;
  return std::unique_ptr<SyntheaWorkload>(static_cast<SyntheaWorkload*>(w->release()));
}

Transaction as_tx(const TxDraft& d, ClientId client, std::uint64_t nonce) {
  Transaction tx;
  tx.kind = d.kind;
  tx.client = client;
  tx.nonce = nonce;
  tx.payload = d.payload;
  tx.id.bytes[0] = static_cast<std::uint8_t>(client);
  tx.id.bytes[1] = static_cast<std::uint8_t>(nonce);
  return tx;
}

TEST(SyntheaWorkloadTest, RegisteredWithItsParameters) {
  const WorkloadInfo* info = find_workload("synthea");
  ASSERT_NE(info, nullptr);
  EXPECT_FALSE(info->summary.empty());
  std::vector<std::string> names;
  for (const ParamSpec& p : info->params) {
    names.push_back(p.name);
    EXPECT_FALSE(p.help.empty()) << p.name;
  }
  EXPECT_THAT(names,
              ElementsAre("dir", "time_compression", "skip_malformed", "record_bytes", "settle_s"));
  const ParamValues v = ParamValues::defaults(info->params);
  EXPECT_DOUBLE_EQ(v.get_double("time_compression"), 3600);
  EXPECT_FALSE(v.get_bool("skip_malformed"));
  EXPECT_EQ(v.get_int("record_bytes"), 300);
  EXPECT_DOUBLE_EQ(v.get_double("settle_s"), 1);
}

// Every client's events in run-time order (ties by client), as a ledger would see them.
std::vector<std::pair<ClientId, const ReplayEvent*>> in_time_order(const Replay& r) {
  std::vector<std::pair<ClientId, const ReplayEvent*>> out;
  for (ClientId c = 0; c < r.by_client.size(); ++c) {
    for (const ReplayEvent& e : r.by_client[c]) out.emplace_back(c, &e);
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return std::tie(a.second->at_ns, a.first) < std::tie(b.second->at_ns, b.first);
  });
  return out;
}

TEST(SyntheaWorkloadTest, TimetableOfTheSample) {
  std::unique_ptr<SyntheaWorkload> w = sample_workload();
  ASSERT_NE(w, nullptr);
  const Replay& r = w->replay();
  EXPECT_EQ(r.organisations, 4u);
  EXPECT_EQ(r.charts, 40u);  // 10 patients x 4 organisations
  EXPECT_EQ(r.encounters, 40u);
  EXPECT_EQ(r.medications, 12u);
  // claims.csv: 10 claims, 2 self-pay (PRIMARYPATIENTINSURANCEID 0), 3 payers in order of first
  // appearance (c8af1f8f..., ee082b54..., 6df274be...), 7 distinct (patient, payer) pairs.
  EXPECT_EQ(r.payers, 3u);
  EXPECT_EQ(r.clients(), kSampleClients);
  EXPECT_EQ(r.payer_ids[0], "c8af1f8f-1548-4d17-a1d3-842e001c2a9c");
  EXPECT_EQ(r.payer_ids[2], "6df274be-baa4-4ba4-bf47-dd965ad48a1b");
  EXPECT_EQ(r.claims, 8u);
  EXPECT_EQ(r.claim_lines, 8u);
  EXPECT_EQ(r.claims_self_pay, 2u);
  EXPECT_EQ(r.claims_without_charges, 0u);
  EXPECT_EQ(r.enrolments, 7u);
  // Claims 3 and 4 have only the patient's COPAY / CASH / CC payments: no payer payment.
  EXPECT_EQ(r.payments, 6u);
  EXPECT_EQ(r.claims_unpaid, 2u);
  ASSERT_EQ(r.by_client.size(), 7u);
  // Organisations: their encounters and medications, plus the claims they bill.
  EXPECT_EQ(r.by_client[0].size(), 9u + 1);
  EXPECT_EQ(r.by_client[1].size(), 16u + 5);
  EXPECT_EQ(r.by_client[2].size(), 14u);
  EXPECT_EQ(r.by_client[3].size(), 13u + 2);
  // Payers: enrolments, then payments.
  EXPECT_EQ(r.by_client[4].size(), 3u + 3);
  EXPECT_EQ(r.by_client[5].size(), 1u + 1);
  EXPECT_EQ(r.by_client[6].size(), 3u + 2);
  // Enrolments at run time 0, 1, 2 ns of their payer; the trace from 1 s (settle_s).
  EXPECT_EQ(r.start_ns, kStart);
  EXPECT_EQ(r.by_client[4][0].kind, ReplayKind::kEnroll);
  EXPECT_EQ(r.by_client[4][0].at_ns, 0);
  EXPECT_EQ(r.by_client[4][2].at_ns, 2);
  EXPECT_EQ(r.by_client[4][3].kind, ReplayKind::kClaimPayment);
  // 2023-03-14T05:34:54Z (the first encounter) is run time 1 s; the last, 2023-03-15T10:41:01Z,
  // is 104'767 trace seconds later: 29.1 s later at 3600x.
  EXPECT_EQ(r.by_client[0][0].at_ns, kStart);
  EXPECT_EQ(r.by_client[0][0].kind, ReplayKind::kEncounterRecord);
  EXPECT_EQ(r.last_at_ns, kStart + 29'101'944'444);
  // The first encounter's medication and claim have the same trace time: 1 and 2 ns later.
  EXPECT_EQ(r.by_client[0][1].kind, ReplayKind::kMedicationRecord);
  EXPECT_EQ(r.by_client[0][1].trace_ns, r.by_client[0][0].trace_ns);
  EXPECT_EQ(r.by_client[0][1].at_ns, kStart + 1);
  EXPECT_EQ(r.by_client[0][2].kind, ReplayKind::kClaimSubmit);
  EXPECT_EQ(r.by_client[0][2].at_ns, kStart + 2);
  // Its payment, stamped at the same instant in the trace, waits settle_s after the claim's
  // wanted time.
  EXPECT_EQ(r.by_client[4][3].trace_ns, r.by_client[0][0].trace_ns);
  EXPECT_EQ(r.by_client[4][3].at_ns, kStart + kNsPerSec);
  EXPECT_EQ(r.by_client[0][3].at_ns, kStart + 13'480'833'333);  // 48'531 s / 3600
  // Client 2: an encounter at 1'772 s with two medications.
  EXPECT_EQ(r.by_client[2][0].at_ns, kStart + 492'222'222);
  EXPECT_EQ(r.by_client[2][1].at_ns, kStart + 492'222'223);
  EXPECT_EQ(r.by_client[2][2].at_ns, kStart + 492'222'224);
  for (const auto& events : r.by_client) {
    std::uint64_t records = 0;
    for (std::size_t i = 0; i < events.size(); ++i) {
      if (i > 0) {
        EXPECT_GT(events[i].at_ns, events[i - 1].at_ns);
      }
      if (is_claims_kind(events[i].kind)) continue;
      if (i > 0) {
        EXPECT_GE(events[i].trace_ns, events[i - 1].trace_ns);
      }
      const std::optional<ehr::RecordWrite> rec = ehr::decode_record_write(events[i].payload);
      ASSERT_TRUE(rec.has_value());
      EXPECT_EQ(rec->record_id, records++);  // record ids count the client's records only
    }
  }
}

TEST(SyntheaWorkloadTest, ClaimsAreBilledByTheirOrganisationToTheirPayerWithTheirChargeLines) {
  std::unique_ptr<SyntheaWorkload> w = sample_workload();
  ASSERT_NE(w, nullptr);
  const Replay& r = w->replay();
  // Claim 0 of claims.csv: organisation 0, patient row 1, payer c8af1f8f (client 4), one CHARGE
  // of 573.98 for SNOMED 185347001.
  std::optional<claims::Claim> c = claims::decode_claim(r.by_client[0][2].payload);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->provider, 0u);
  EXPECT_EQ(c->claim_seq, 0u);
  EXPECT_EQ(c->patient, 1u);
  EXPECT_EQ(c->payer, 4u);
  EXPECT_EQ(c->service_day, 0u);
  ASSERT_EQ(c->lines.size(), 1u);
  EXPECT_EQ(c->lines[0].code, 185347001u);
  EXPECT_EQ(c->lines[0].units, 1u);
  EXPECT_EQ(c->lines[0].amount_cents, 57'398u);
  EXPECT_EQ(r.by_client[0][2].payload.size(), 300u);  // padded to record_bytes
  std::optional<claims::Enroll> e = claims::decode_enroll(r.by_client[4][0].payload);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->patient, 1u);
  EXPECT_EQ(e->payer, 4u);
  std::optional<claims::Payment> p = claims::decode_payment(r.by_client[4][3].payload);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->payer, 4u);
  ASSERT_EQ(p->claims.size(), 1u);
  EXPECT_EQ(p->claims[0].provider, 0u);
  EXPECT_EQ(p->claims[0].claim_seq, 0u);
  // Organisation 1 bills claims 2, 3, 4, 6, 9 of the file (claim 1 is self-pay): seq 0..4; the
  // last, 2023-03-15T08:19:21Z, is on the trace's second day.
  std::vector<std::uint64_t> seqs;
  std::uint32_t last_day = 0;
  for (const ReplayEvent& ev : r.by_client[1]) {
    if (ev.kind != ReplayKind::kClaimSubmit) continue;
    std::optional<claims::Claim> cc = claims::decode_claim(ev.payload);
    ASSERT_TRUE(cc.has_value());
    seqs.push_back(cc->claim_seq);
    last_day = cc->service_day;
  }
  EXPECT_THAT(seqs, ElementsAre(0, 1, 2, 3, 4));
  EXPECT_EQ(last_day, 1u);
}

TEST(SyntheaWorkloadTest, ProcedureCodesAndPaymentMethods) {
  EXPECT_EQ(claim_code("185347001"), 185347001u);
  EXPECT_EQ(claim_code("4294967295"), 4294967295u);
  // Too long for u32, or not a number: a hash, the same every time.
  EXPECT_EQ(claim_code("1234567891000119107"), claim_code("1234567891000119107"));
  EXPECT_NE(claim_code("1234567891000119107"), claim_code("1234567891000119108"));
  EXPECT_EQ(claim_code("J1100"), claim_code("J1100"));
  EXPECT_TRUE(is_patient_payment_method("COPAY"));
  EXPECT_TRUE(is_patient_payment_method("CASH"));
  EXPECT_TRUE(is_patient_payment_method("CC"));
  EXPECT_FALSE(is_patient_payment_method("ECHECK"));
  EXPECT_FALSE(is_patient_payment_method("CHECK"));
}

TEST(SyntheaWorkloadTest, TimeCompressionScalesArrivals) {
  std::unique_ptr<SyntheaWorkload> w = sample_workload(60);
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->replay().by_client[0][3].at_ns, kStart + 808'850'000'000);  // 48'531 s / 60
  EXPECT_EQ(w->replay().last_at_ns, kStart + 1'746'116'666'667);
}

TEST(SyntheaWorkloadTest, DraftsAreEhrRecordWritesOfTheEncounterOrganisationsCharts) {
  std::unique_ptr<SyntheaWorkload> w = sample_workload();
  ASSERT_NE(w, nullptr);
  Result<SyntheaTrace> trace = read_synthea_dir(kSampleDir, {});
  ASSERT_TRUE(trace.ok());
  Rng rng = Rng::stream(1, RngDomain::kClient, 0);
  const TxDraft d = w->next_tx(0, 0, rng);
  EXPECT_EQ(d.kind, static_cast<std::uint16_t>(ReplayKind::kEncounterRecord));
  EXPECT_EQ(d.payload.size(), 300u);  // record_bytes
  std::optional<ehr::RecordWrite> p = ehr::decode_record_write(d.payload);
  ASSERT_TRUE(p.has_value());
  const Encounter& e = trace->encounters[0];
  EXPECT_EQ(p->patient, chart_number(e.patient_index, 0, 4));
  EXPECT_EQ(p->patient % 4, 0u);  // the chart's EHR home is the writing organisation
  EXPECT_EQ(p->record_id, 0u);
  EXPECT_EQ(p->uri,
            "synthea://ba6346d1-e47a-443f-8db7-4232caa5438a/Encounter/"
            "8e80f820-4e8b-485c-84d8-7fb5e62bc11b");
  EXPECT_EQ(p->record_type, ehr::RecordType::kOutpatient);
  EXPECT_EQ(std::string(p->meta.begin(), p->meta.begin() + 9), "185347001");
  const TxDraft m = w->next_tx(0, 0, rng);
  EXPECT_EQ(m.kind, static_cast<std::uint16_t>(ReplayKind::kMedicationRecord));
  std::optional<ehr::RecordWrite> pm = ehr::decode_record_write(m.payload);
  ASSERT_TRUE(pm.has_value());
  EXPECT_EQ(pm->patient, p->patient);
  EXPECT_EQ(pm->record_id, 1u);
  EXPECT_EQ(pm->record_type, ehr::RecordType::kOther);
  EXPECT_THAT(pm->uri, HasSubstr("/MedicationRequest/8e80f820-4e8b-485c-84d8-7fb5e62bc11b-0"));
}

TEST(SyntheaWorkloadTest, EveryDraftOfTheSampleIsAppliedInTimeOrder) {
  std::unique_ptr<SyntheaWorkload> w = sample_workload();
  ASSERT_NE(w, nullptr);
  std::unique_ptr<Contract> contract = w->make_contract();
  MemoryStore state;
  Rng rng = Rng::stream(1, RngDomain::kClient, 0);
  std::map<std::uint16_t, int> applied;
  std::vector<std::uint64_t> nonce(kSampleClients, 0);
  for (const auto& [client, event] : in_time_order(w->replay())) {
    ASSERT_EQ(w->next_arrival_ns(client, -1), event->at_ns);
    const Transaction tx = as_tx(w->next_tx(client, event->at_ns, rng), client, nonce[client]++);
    const ApplyResult r = contract->apply(state, tx, event->at_ns);
    EXPECT_EQ(r.outcome, TxOutcome::kApplied)
        << "client " << client << " " << w->kind_names()[tx.kind] << " at " << event->at_ns;
    ++applied[tx.kind];
  }
  EXPECT_EQ(applied[0], 40);
  EXPECT_EQ(applied[1], 12);
  EXPECT_EQ(applied[3], 7);  // enrolments
  EXPECT_EQ(applied[4], 8);  // claims
  EXPECT_EQ(applied[5], 6);  // payments
  // 52 record pointers; 7 memberships; per claim its record and fingerprint, and the usage of
  // the 5 distinct patients billed (payments rewrite claim records).
  EXPECT_EQ(state.key_count(), 52u + 7 + 8 * 2 + 5);
}

TEST(SyntheaWorkloadTest, AClaimBeforeItsEnrolmentOrAPaymentBeforeItsClaimIsDenied) {
  std::unique_ptr<SyntheaWorkload> w = sample_workload();
  ASSERT_NE(w, nullptr);
  std::unique_ptr<Contract> contract = w->make_contract();
  MemoryStore state;
  const Replay& r = w->replay();
  const ReplayEvent& claim = r.by_client[0][2];
  const ReplayEvent& payment = r.by_client[4][3];
  auto apply = [&](ClientId c, const ReplayEvent& e) {
    return contract->apply(
        state, as_tx({static_cast<std::uint16_t>(e.kind), e.payload, nullptr}, c, 0), e.at_ns);
  };
  EXPECT_EQ(apply(4, payment).outcome, TxOutcome::kDenied);  // no such claim yet
  EXPECT_EQ(apply(0, claim).outcome, TxOutcome::kDenied);    // not a member yet
  // A payer cannot bill and an organisation cannot pay.
  EXPECT_EQ(apply(4, claim).outcome, TxOutcome::kInvalid);
  EXPECT_EQ(apply(0, payment).outcome, TxOutcome::kInvalid);
}

TEST(SyntheaWorkloadTest, ContractRejectsWhatTheEhrContractRejects) {
  std::unique_ptr<SyntheaWorkload> w = sample_workload();
  ASSERT_NE(w, nullptr);
  std::unique_ptr<Contract> contract = w->make_contract();
  MemoryStore state;
  Rng rng = Rng::stream(1, RngDomain::kClient, 0);
  const TxDraft d = w->next_tx(0, 0, rng);
  EXPECT_EQ(contract->apply(state, as_tx(d, 0, 0), 1).outcome, TxOutcome::kApplied);
  // The same pointer again: append-only.
  EXPECT_EQ(contract->apply(state, as_tx(d, 0, 1), 1).outcome, TxOutcome::kInvalid);
  // Another organisation writing this organisation's chart.
  ehr::RecordWrite p = *ehr::decode_record_write(d.payload);
  p.record_id = 99;
  TxDraft other{d.kind, ehr::encode(p), nullptr};
  EXPECT_EQ(contract->apply(state, as_tx(other, 1, 0), 1).outcome, TxOutcome::kInvalid);
  EXPECT_EQ(contract->apply(state, as_tx(other, 0, 2), 1).outcome, TxOutcome::kApplied);
  // A kind outside the replay's, and a payload that does not decode.
  TxDraft unknown{7, d.payload, nullptr};
  EXPECT_EQ(contract->apply(state, as_tx(unknown, 0, 3), 1).outcome, TxOutcome::kInvalid);
  TxDraft garbage{d.kind, Bytes{1, 2, 3}, nullptr};
  EXPECT_EQ(contract->apply(state, as_tx(garbage, 0, 4), 1).outcome, TxOutcome::kInvalid);
}

TEST(SyntheaWorkloadTest, OwnArrivalsFollowTheTimetableAndNeverDropAnEvent) {
  std::unique_ptr<SyntheaWorkload> w = sample_workload();
  ASSERT_NE(w, nullptr);
  EXPECT_TRUE(w->has_own_arrivals());
  Rng rng = Rng::stream(1, RngDomain::kClient, 2);
  const std::vector<ReplayEvent>& events = w->replay().by_client[2];
  // Asked in time: the trace's instants.
  const TimeNs first = kStart + 492'222'222;
  EXPECT_EQ(w->next_arrival_ns(2, -1), first);
  EXPECT_EQ(w->next_arrival_ns(2, -1), first);  // asking does not consume
  w->next_tx(2, first, rng);
  EXPECT_EQ(w->next_arrival_ns(2, first), first + 1);
  w->next_tx(2, first + 1, rng);
  // Asked late: strictly after the instant given, not dropped.
  EXPECT_EQ(w->next_arrival_ns(2, 5'000'000'000), 5'000'000'001);
  for (std::size_t i = 2; i < events.size(); ++i) w->next_tx(2, 0, rng);
  EXPECT_EQ(w->drafted(2), events.size());
  EXPECT_EQ(w->next_arrival_ns(2, 0), kTimeNever);
  // Other clients are untouched.
  EXPECT_EQ(w->drafted(0), 0u);
  EXPECT_EQ(w->next_arrival_ns(0, -1), kStart);
  EXPECT_EQ(w->next_arrival_ns(4, -1), 0);
  EXPECT_EQ(w->next_arrival_ns(9, -1), kTimeNever);
}

TEST(SyntheaWorkloadTest, DraftsPastTheTraceEndHaveTheirOwnKindAndAreApplied) {
  std::unique_ptr<SyntheaWorkload> w = sample_workload();
  ASSERT_NE(w, nullptr);
  Rng rng = Rng::stream(1, RngDomain::kClient, 0);
  for (int i = 0; i < 10; ++i) w->next_tx(0, 0, rng);
  const TxDraft d = w->next_tx(0, 0, rng);
  EXPECT_EQ(d.kind, static_cast<std::uint16_t>(ReplayKind::kPastTraceEnd));
  EXPECT_EQ(w->kind_names()[d.kind], "past_trace_end");
  std::optional<ehr::AccessRequest> p = ehr::decode_access_request(d.payload);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->requester, 0u);
  MemoryStore state;
  EXPECT_EQ(w->make_contract()->apply(state, as_tx(d, 0, 0), 1).outcome, TxOutcome::kApplied);
  // A payer holds no charts: its drafts past the trace's end are invalid, and still counted.
  for (int i = 0; i < 5; ++i) w->next_tx(6, 0, rng);
  const TxDraft payer_draft = w->next_tx(6, 0, rng);
  EXPECT_EQ(payer_draft.kind, static_cast<std::uint16_t>(ReplayKind::kPastTraceEnd));
  EXPECT_EQ(w->make_contract()->apply(state, as_tx(payer_draft, 6, 0), 1).outcome,
            TxOutcome::kInvalid);
}

TEST(SyntheaWorkloadTest, DraftsAreTheSameForAnySeedAndIndependentAcrossClients) {
  std::unique_ptr<SyntheaWorkload> a = sample_workload();
  std::unique_ptr<SyntheaWorkload> b = sample_workload();
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  Rng r1 = Rng::stream(1, RngDomain::kClient, 1);
  Rng r2 = Rng::stream(999, RngDomain::kClient, 1);
  // b drafts client 3 first; client 1's drafts must not change.
  Rng r3 = Rng::stream(5, RngDomain::kClient, 3);
  for (int i = 0; i < 5; ++i) b->next_tx(3, 0, r3);
  for (int i = 0; i < 21; ++i) {
    const TxDraft x = a->next_tx(1, 0, r1);
    const TxDraft y = b->next_tx(1, 0, r2);
    EXPECT_EQ(x.kind, y.kind);
    EXPECT_EQ(x.payload, y.payload) << "draft " << i;
  }
}

TEST(SyntheaWorkloadTest, MetricsCountCommittedRecordsOnAHandMadeSequence) {
  std::unique_ptr<SyntheaWorkload> w = sample_workload();
  ASSERT_NE(w, nullptr);
  std::unique_ptr<WorkloadMetrics> m = w->make_metrics();
  ASSERT_NE(m, nullptr);
  Transaction enc;
  enc.kind = 0;
  Transaction med;
  med.kind = 1;
  Transaction past;
  past.kind = 2;
  Transaction enrol;
  enrol.kind = 3;
  Transaction claim;
  claim.kind = 4;
  Transaction pay;
  pay.kind = 5;
  m->on_commit(enc, TxOutcome::kApplied, 1);
  m->on_commit(med, TxOutcome::kApplied, 2);
  m->on_commit(enc, TxOutcome::kInvalid, 3);
  m->on_commit(past, TxOutcome::kApplied, 4);
  m->on_commit(enrol, TxOutcome::kApplied, 5);
  m->on_commit(enrol, TxOutcome::kInvalid, 6);
  m->on_commit(claim, TxOutcome::kApplied, 7);
  m->on_commit(claim, TxOutcome::kApplied, 8);
  m->on_commit(claim, TxOutcome::kDenied, 9);
  m->on_commit(pay, TxOutcome::kApplied, 10);
  m->on_commit(pay, TxOutcome::kDenied, 11);
  m->on_commit(pay, TxOutcome::kDenied, 12);
  std::map<std::string, double> f;
  for (const WorkloadFigure& fig : m->figures()) f[fig.name] = fig.value;
  EXPECT_EQ(f.at("trace_encounters"), 40);
  EXPECT_EQ(f.at("trace_medications"), 12);
  EXPECT_EQ(f.at("trace_rows_skipped"), 0);
  EXPECT_EQ(f.at("trace_payers"), 3);
  EXPECT_EQ(f.at("trace_enrolments"), 7);
  EXPECT_EQ(f.at("trace_claims"), 8);
  EXPECT_EQ(f.at("trace_claim_lines"), 8);
  EXPECT_EQ(f.at("trace_payments"), 6);
  EXPECT_EQ(f.at("trace_claims_not_replayed"), 2);
  EXPECT_NEAR(f.at("trace_replay_span_s"), 30.101944444, 1e-9);
  EXPECT_EQ(f.at("records_applied"), 2);
  EXPECT_EQ(f.at("records_rejected"), 1);
  EXPECT_EQ(f.at("enrolments_rejected"), 1);
  EXPECT_EQ(f.at("claims_approved"), 2);
  EXPECT_EQ(f.at("claims_denied"), 1);
  EXPECT_EQ(f.at("payments_applied"), 1);
  EXPECT_EQ(f.at("payments_rejected"), 2);
  EXPECT_EQ(f.at("past_trace_end_committed"), 1);
}

TEST(SyntheaWorkloadTest, ClientsMustMatchTheTracesOrganisationsAndPayers) {
  Result<std::unique_ptr<Workload>> w = make({{"dir", kSampleDir}}, 4);
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.error().message,
            "workload.clients: the Synthea trace in '" + kSampleDir +
                "' has 4 organisations (organizations.csv) and 3 payers (claims.csv primary "
                "insurances), one client each; set workload.clients: 7 (got 4)");
}

TEST(SyntheaWorkloadTest, WithoutClaimsThereAreNoPayersAndTheTraceStartsAtZero) {
  const std::filesystem::path dir =
      std::filesystem::path(::testing::TempDir()) / "hlsim_synthea_no_claims";
  std::filesystem::create_directories(dir);
  for (const char* f : {"organizations.csv", "patients.csv", "encounters.csv"}) {
    std::filesystem::copy_file(std::filesystem::path(kSampleDir) / f, dir / f,
                               std::filesystem::copy_options::overwrite_existing);
  }
  Result<std::unique_ptr<Workload>> w = make({{"dir", dir.string()}}, 4);
  ASSERT_TRUE(w.ok()) << w.error().message;
  const Replay& r = static_cast<SyntheaWorkload*>(w->get())->replay();
  EXPECT_EQ(r.payers, 0u);
  EXPECT_EQ(r.start_ns, 0);
  EXPECT_EQ(r.by_client[0][0].at_ns, 0);
  // No claims contract: claims kinds are invalid.
  MemoryStore state;
  Transaction tx;
  tx.kind = static_cast<std::uint16_t>(ReplayKind::kEnroll);
  EXPECT_EQ((*w)->make_contract()->apply(state, tx, 1).outcome, TxOutcome::kInvalid);
}

TEST(SyntheaWorkloadTest, ParameterErrorsNameTheKey) {
  Result<std::unique_ptr<Workload>> no_dir = make({});
  ASSERT_FALSE(no_dir.ok());
  EXPECT_THAT(no_dir.error().message, HasSubstr("workload.dir: required"));
  Result<std::unique_ptr<Workload>> zero = make({{"dir", kSampleDir}, {"time_compression", "0"}});
  ASSERT_FALSE(zero.ok());
  EXPECT_THAT(zero.error().message, HasSubstr("workload.time_compression:"));
  Result<std::unique_ptr<Workload>> skip = make({{"dir", kSampleDir}, {"skip_malformed", "maybe"}});
  ASSERT_FALSE(skip.ok());
  EXPECT_THAT(skip.error().message, HasSubstr("workload.skip_malformed:"));
  Result<std::unique_ptr<Workload>> settle = make({{"dir", kSampleDir}, {"settle_s", "-1"}});
  ASSERT_FALSE(settle.ok());
  EXPECT_THAT(settle.error().message, HasSubstr("workload.settle_s:"));
  Result<std::unique_ptr<Workload>> relative = make({{"dir", "no/such/trace"}});
  ASSERT_FALSE(relative.ok());
  EXPECT_EQ(relative.error().message,
            "workload.dir: no/such/trace: not a folder (a relative dir is taken from the working "
            "directory)");
  Result<std::unique_ptr<Workload>> missing = make({{"dir", kSampleDir + "/nope"}});
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.error().message,
              HasSubstr("workload.dir: " + kSampleDir + "/nope: not a folder"));
  // A trace far longer than int64 ns of run time at this compression.
  const std::filesystem::path dir =
      std::filesystem::path(::testing::TempDir()) / "hlsim_synthea_long";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "organizations.csv") << "Id\no1\n";
  std::ofstream(dir / "patients.csv") << "Id,BIRTHDATE\np1,1900-01-01\n";
  std::ofstream(dir / "encounters.csv")
      << "Id,START,PATIENT,ORGANIZATION,ENCOUNTERCLASS,CODE\n"
         "e1,1700-01-01T00:00:00Z,p1,o1,ambulatory,1\ne2,2200-01-01T00:00:00Z,p1,o1,wellness,2\n";
  Result<std::unique_ptr<Workload>> long_trace =
      make({{"dir", dir.string()}, {"time_compression", "0.5"}}, 1);
  ASSERT_FALSE(long_trace.ok());
  EXPECT_THAT(long_trace.error().message, HasSubstr("workload.time_compression: the trace spans"));
  Result<std::unique_ptr<Workload>> ok = make({{"dir", dir.string()}}, 1);
  EXPECT_TRUE(ok.ok()) << ok.error().message;
}

TEST(SyntheaWorkloadTest, ABrokenTraceFailsWithItsLineOrIsSkippedWhenAsked) {
  const std::filesystem::path dir =
      std::filesystem::path(::testing::TempDir()) / "hlsim_synthea_broken";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "organizations.csv") << "Id\no1\no2\n";
  std::ofstream(dir / "patients.csv") << "Id,BIRTHDATE\np1,1980-01-01\n";
  std::ofstream(dir / "encounters.csv") << "Id,START,PATIENT,ORGANIZATION,ENCOUNTERCLASS,CODE\n"
                                           "e1,2020-01-01T10:00:00Z,p1,o1,ambulatory,1\n"
                                           "e2,2020-02-30T10:00:00Z,p1,o2,wellness,2\n"
                                           "e3,2020-01-01T11:00:00Z,p1,o2,wellness,2\n";
  Result<std::unique_ptr<Workload>> strict = make({{"dir", dir.string()}}, 2);
  ASSERT_FALSE(strict.ok());
  EXPECT_EQ(strict.error().message,
            "workload.dir: " + (dir / "encounters.csv").string() +
                ":3: START: bad timestamp '2020-02-30T10:00:00Z' (day 30 is not in 1..29 for "
                "2020-02)");
  Result<std::unique_ptr<Workload>> lenient =
      make({{"dir", dir.string()}, {"skip_malformed", "true"}}, 2);
  ASSERT_TRUE(lenient.ok()) << lenient.error().message;
  std::map<std::string, double> f;
  for (const WorkloadFigure& fig : (*lenient)->make_metrics()->figures()) f[fig.name] = fig.value;
  EXPECT_EQ(f.at("trace_rows_skipped"), 1);
  EXPECT_EQ(f.at("trace_encounters"), 2);
  // e3 is an hour after e1: 1 s of run time at 3600x.
  auto* w = static_cast<SyntheaWorkload*>(lenient->get());
  EXPECT_EQ(w->replay().by_client[1][0].at_ns, kNsPerSec);
}

}  // namespace
}  // namespace hlsim::trace
