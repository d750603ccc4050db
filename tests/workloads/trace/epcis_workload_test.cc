// The "epcis" workload: the DSCSA sample's mapping (organisations, roles, EPC ids, times, the
// shipped tree), its replay applied in full by the supply contract (JSON and XML alike), tampered
// documents denied, unsupported and malformed events, the own-arrival protocol, determinism,
// metrics, and the parameter and document errors naming their key.
#include "workloads/trace/epcis_workload.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "ledger/storage/memory_store.h"
#include "sim/kernel/rng.h"
#include "workloads/supply/supply_contract.h"
#include "workloads/supply/supply_epc.h"
#include "workloads/supply/supply_payloads.h"
#include "workloads/trace/epcis_json.h"
#include "workloads/trace/epcis_replay.h"

namespace hlsim::trace {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const std::string kSampleJson =
    std::string(HLSIM_SOURCE_DIR) + "/workloads/trace/samples/epcis/dscsa-shipment.json";
const std::string kSampleXml =
    std::string(HLSIM_SOURCE_DIR) + "/workloads/trace/samples/epcis/dscsa-shipment.xml";

WorkloadSetup setup_with(std::uint32_t clients) {
  WorkloadSetup s;
  s.seed = 3;
  s.clients = clients;
  s.validators = 4;
  return s;
}

Result<std::unique_ptr<Workload>> make(const std::map<std::string, std::string>& given,
                                       std::uint32_t clients = 2) {
  const WorkloadInfo* info = find_workload("epcis");
  EXPECT_NE(info, nullptr);
  Result<ParamValues> values = ParamValues::parse(info->params, given, "workload");
  if (!values) return values.error();
  return info->make(*values, setup_with(clients));
}

std::unique_ptr<EpcisWorkload> sample_workload(const std::string& file = kSampleJson) {
  Result<std::unique_ptr<Workload>> w = make({{"file", file}});
  EXPECT_TRUE(w.ok()) << w.error().message;
  if (!w.ok()) return nullptr;
  return std::unique_ptr<EpcisWorkload>(static_cast<EpcisWorkload*>(w->release()));
}

struct Drafted {
  TimeNs at_ns = 0;
  ClientId client = 0;
  TxDraft draft;
};

// Every client's drafts through the own-arrival protocol (ask from -1, draft, ask after it), in
// arrival order (client order among equal instants).
std::vector<Drafted> drain(Workload& w, std::uint32_t clients) {
  std::vector<Drafted> out;
  Rng rng(1);
  for (ClientId c = 0; c < clients; ++c) {
    for (TimeNs at = w.next_arrival_ns(c, -1); at != kTimeNever; at = w.next_arrival_ns(c, at)) {
      out.push_back({at, c, w.next_tx(c, at, rng)});
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const Drafted& a, const Drafted& b) {
    return std::tie(a.at_ns, a.client) < std::tie(b.at_ns, b.client);
  });
  return out;
}

// Applies the drafts in order through the workload's contract at their arrival instants.
std::vector<TxOutcome> apply_all(const Workload& w, const std::vector<Drafted>& drafts) {
  std::unique_ptr<Contract> contract = w.make_contract();
  MemoryStore store;
  std::vector<TxOutcome> out;
  std::uint64_t nonce = 0;
  for (const Drafted& d : drafts) {
    Transaction tx;
    tx.kind = d.draft.kind;
    tx.client = d.client;
    tx.nonce = nonce++;
    tx.payload = d.draft.payload;
    tx.id.bytes[0] = static_cast<std::uint8_t>(d.client);
    tx.id.bytes[1] = static_cast<std::uint8_t>(tx.nonce);
    tx.id.bytes[2] = static_cast<std::uint8_t>(tx.nonce >> 8);
    out.push_back(contract->apply(store, tx, d.at_ns).outcome);
  }
  return out;
}

std::vector<std::string> kinds_of(const Workload& w, const std::vector<Drafted>& drafts) {
  std::vector<std::string> out;
  for (const Drafted& d : drafts) out.push_back(w.kind_names().at(d.draft.kind));
  return out;
}

// ---- small inline documents ----

std::string sgln(const std::string& company) { return "urn:epc:id:sgln:" + company + ".00001.0"; }
std::string unit(int serial) { return "urn:epc:id:sgtin:1111111.012345." + std::to_string(serial); }
const std::string kPallet = "urn:epc:id:sscc:1111111.0000000001";

std::string list(const std::vector<std::string>& items) {
  std::string s = "[";
  for (const std::string& i : items) s += (s.size() > 1 ? ",\"" : "\"") + i + "\"";
  return s + "]";
}

std::string object_event(const std::string& time, const std::string& action,
                         const std::string& step, const std::vector<std::string>& epcs,
                         const std::string& at, const std::string& extra = "") {
  return R"({"type":"ObjectEvent","eventTime":")" + time + R"(","eventTimeZoneOffset":"+00:00",)" +
         R"("epcList":)" + list(epcs) + R"(,"action":")" + action + R"(","bizStep":")" + step +
         R"(","bizLocation":{"id":")" + sgln(at) + "\"}" + extra + "}";
}

std::string aggregation(const std::string& time, const std::string& action, const std::string& step,
                        const std::string& parent, const std::vector<std::string>& children,
                        const std::string& at) {
  return R"({"type":"AggregationEvent","eventTime":")" + time +
         R"(","eventTimeZoneOffset":"+00:00","parentID":")" + parent + R"(","childEPCs":)" +
         list(children) + R"(,"action":")" + action + R"(","bizStep":")" + step +
         R"(","bizLocation":{"id":")" + sgln(at) + "\"}}";
}

std::string parties(const std::string& from, const std::string& to) {
  return R"(,"sourceList":[{"type":"owning_party","source":")" + sgln(from) +
         R"("}],"destinationList":[{"type":"owning_party","destination":")" + sgln(to) + "\"}]";
}

std::string document(const std::vector<std::string>& events) {
  std::string s = R"({"type":"EPCISDocument","schemaVersion":"2.0","epcisBody":{"eventList":[)";
  for (std::size_t i = 0; i < events.size(); ++i) s += (i ? "," : "") + events[i];
  return s + "]}}";
}

// Manufacturer 1111111 commissions two units, packs them onto a pallet and ships it to pharmacy
// 2222222, which receives and unpacks it; `tail` follows.
std::vector<std::string> honest_flow(std::vector<std::string> tail) {
  std::vector<std::string> events = {
      object_event("2024-01-01T08:00:00Z", "ADD", "commissioning", {unit(1), unit(2)}, "1111111",
                   R"(,"ilmd":{"cbvmda:lotNumber":"L1","cbvmda:itemExpirationDate":"2026-01-01"})"),
      aggregation("2024-01-01T09:00:00Z", "ADD", "packing", kPallet, {unit(1), unit(2)}, "1111111"),
      object_event("2024-01-01T10:00:00Z", "OBSERVE", "shipping", {kPallet}, "1111111",
                   parties("1111111", "2222222")),
      object_event("2024-01-01T12:00:00Z", "OBSERVE", "receiving", {kPallet}, "2222222",
                   parties("1111111", "2222222")),
      aggregation("2024-01-01T13:00:00Z", "DELETE", "unpacking", kPallet, {}, "2222222"),
  };
  events.insert(events.end(), tail.begin(), tail.end());
  return events;
}

Result<EpcisReplay> replay_of(const std::string& json, bool skip_malformed = false) {
  Result<EpcisDocument> doc = read_epcis_json(json, "inline.json", EpcisReadOptions{});
  if (!doc) return doc.error();
  return build_epcis_replay(*doc, "inline.json", EpcisReplayOptions{3600, skip_malformed, 1, 0});
}

// The replay's transactions applied in arrival order: (kind name, outcome) per transaction.
std::vector<std::pair<std::string, TxOutcome>> judged(const EpcisReplay& replay) {
  EpcisWorkload w(replay, 0, 1);
  const std::vector<Drafted> drafts =
      drain(w, static_cast<std::uint32_t>(replay.organisations.size()));
  const std::vector<TxOutcome> outcomes = apply_all(w, drafts);
  std::vector<std::pair<std::string, TxOutcome>> out;
  for (std::size_t i = 0; i < drafts.size(); ++i) {
    out.emplace_back(w.kind_names().at(drafts[i].draft.kind), outcomes[i]);
  }
  return out;
}

// ---- registration and parameters ----

TEST(EpcisWorkloadTest, RegisteredWithItsParameters) {
  const WorkloadInfo* info = find_workload("epcis");
  ASSERT_NE(info, nullptr);
  EXPECT_FALSE(info->summary.empty());
  std::vector<std::string> names;
  for (const ParamSpec& p : info->params) {
    names.push_back(p.name);
    EXPECT_FALSE(p.help.empty()) << p.name;
  }
  EXPECT_THAT(
      names, ElementsAre("file", "time_compression", "skip_malformed", "event_bytes", "epc_bytes"));
  const ParamValues v = ParamValues::defaults(info->params);
  EXPECT_DOUBLE_EQ(v.get_double("time_compression"), 7200);
  EXPECT_FALSE(v.get_bool("skip_malformed"));
  EXPECT_EQ(v.get_int("event_bytes"), 600);
  EXPECT_EQ(v.get_int("epc_bytes"), 60);
}

TEST(EpcisWorkloadTest, ParameterAndDocumentErrorsNameTheirKey) {
  Result<std::unique_ptr<Workload>> w = make({});
  ASSERT_FALSE(w.ok());
  EXPECT_THAT(w.error().message, HasSubstr("workload.file: required"));
  w = make({{"file", "trace.csv"}});
  ASSERT_FALSE(w.ok());
  EXPECT_THAT(w.error().message, HasSubstr("workload.file: expected a .json, .jsonld or .xml"));
  w = make({{"file", "/nonexistent/doc.json"}});
  ASSERT_FALSE(w.ok());
  EXPECT_THAT(w.error().message, HasSubstr("workload.file: /nonexistent/doc.json"));
  w = make({{"file", kSampleJson}}, 3);
  ASSERT_FALSE(w.ok());
  EXPECT_THAT(w.error().message, HasSubstr("workload.clients: "));
  EXPECT_THAT(w.error().message, HasSubstr("names 2 organisations (0361234 (manufacturer), "
                                           "0955555 (pharmacy))"));
  EXPECT_THAT(w.error().message, HasSubstr("set workload.clients: 2 (got 3)"));
  w = make({{"file", kSampleJson}, {"time_compression", "0"}});
  ASSERT_FALSE(w.ok());
  EXPECT_THAT(w.error().message, HasSubstr("workload.time_compression"));
}

// ---- the sample ----

TEST(EpcisWorkloadTest, SampleOrganisationsRolesAndEpcIds) {
  std::unique_ptr<EpcisWorkload> w = sample_workload();
  ASSERT_NE(w, nullptr);
  const EpcisReplay& r = w->replay();
  ASSERT_EQ(r.organisations.size(), 2u);
  EXPECT_EQ(r.organisations[0].id, "0361234");
  EXPECT_EQ(r.organisations[0].role, supply::Role::kManufacturer);
  EXPECT_EQ(r.organisations[1].id, "0955555");  // it dispenses
  EXPECT_EQ(r.organisations[1].role, supply::Role::kPharmacy);
  EXPECT_EQ(r.roles.manufacturers, 1u);
  EXPECT_EQ(r.roles.wholesalers, 0u);
  EXPECT_EQ(r.roles.organisations, 2u);
  // 12 units, 3 cases (SGTINs that are aggregation parents), 1 pallet: serials by first sight.
  ASSERT_EQ(r.epcs.size(), 16u);
  EXPECT_EQ(r.epcs[0].first, "urn:epc:id:sgtin:0361234.012345.10001");
  EXPECT_EQ(r.epcs[0].second, supply::make_item(0, 0));
  EXPECT_EQ(r.epcs[12].first, "urn:epc:id:sgtin:0361234.112345.20001");
  EXPECT_EQ(r.epcs[12].second, supply::make_container(0, 12));
  EXPECT_EQ(r.epcs[15].first, "urn:epc:id:sscc:0361234.0000000017");
  EXPECT_EQ(r.epcs[15].second, supply::make_container(0, 15));
  EXPECT_EQ(r.events, 11u);
  EXPECT_EQ(r.events_replayed, 10u);
  EXPECT_EQ(r.events_folded, 1u);  // the cases' commissioning
  EXPECT_EQ(r.events_unsupported, 0u);
  EXPECT_EQ(r.events_malformed, 0u);
  EXPECT_EQ(r.transactions, 10u);
}

TEST(EpcisWorkloadTest, SampleTimetableAndShippedTree) {
  std::unique_ptr<EpcisWorkload> w = sample_workload();
  ASSERT_NE(w, nullptr);
  const std::vector<Drafted> drafts = drain(*w, 2);
  EXPECT_THAT(kinds_of(*w, drafts),
              ElementsAre("commission", "aggregate", "aggregate", "aggregate", "aggregate", "ship",
                          "receive", "unpack", "unpack", "dispense"));
  // 2024-03-04T08:00-05:00 is run time 0; two trace hours per second.
  EXPECT_EQ(drafts[0].at_ns, 0);
  EXPECT_EQ(drafts[5].at_ns, 3'250'000'000);   // shipping at 14:30, 6.5 h later
  EXPECT_EQ(drafts[9].at_ns, 25'520'833'333);  // dispensing 51 h 2.5 min later
  for (std::size_t i = 0; i < drafts.size(); ++i) {
    EXPECT_EQ(drafts[i].client, i < 6 ? 0u : 1u) << i;
  }
  const std::optional<supply::Ship> ship = supply::decode_ship(drafts[5].draft.payload);
  ASSERT_TRUE(ship.has_value());
  EXPECT_EQ(ship->owner, 0u);
  EXPECT_EQ(ship->destination, 1u);
  EXPECT_EQ(ship->po, 1u);
  ASSERT_EQ(ship->tree.size(), 16u);  // pallet, 3 cases, 12 units
  EXPECT_EQ(ship->tree[0].epc, supply::make_container(0, 15));
  EXPECT_EQ(ship->tree[0].child_count, 3u);
  EXPECT_EQ(ship->tree[1].epc, supply::make_container(0, 12));
  EXPECT_EQ(ship->tree[1].child_count, 4u);
  EXPECT_EQ(ship->tree[2].epc, supply::make_item(0, 0));
  EXPECT_EQ(ship->tree[2].lot, 1u);
  // 2026-06-30 at midnight UTC, 848 days less 13 h after run time 0, at 7200x.
  EXPECT_EQ(ship->tree[2].expiry_ns, 10'169'500'000'000);
  // Payloads are padded as supply's: event_bytes + epc_bytes per extra EPC.
  EXPECT_EQ(drafts[5].draft.payload.size(), 600u + 60u * 15u);
}

TEST(EpcisWorkloadTest, SampleReplaysWithEveryTransactionApplied) {
  for (const std::string& file : {kSampleJson, kSampleXml}) {
    std::unique_ptr<EpcisWorkload> w = sample_workload(file);
    ASSERT_NE(w, nullptr) << file;
    const std::vector<Drafted> drafts = drain(*w, 2);
    ASSERT_EQ(drafts.size(), 10u) << file;
    const std::vector<TxOutcome> outcomes = apply_all(*w, drafts);
    for (std::size_t i = 0; i < outcomes.size(); ++i) {
      EXPECT_EQ(outcomes[i], TxOutcome::kApplied) << file << " transaction " << i;
    }
  }
}

TEST(EpcisWorkloadTest, JsonAndXmlSamplesGiveTheSameTimetable) {
  std::unique_ptr<EpcisWorkload> json = sample_workload(kSampleJson);
  std::unique_ptr<EpcisWorkload> xml = sample_workload(kSampleXml);
  ASSERT_NE(json, nullptr);
  ASSERT_NE(xml, nullptr);
  const std::vector<Drafted> a = drain(*json, 2);
  const std::vector<Drafted> b = drain(*xml, 2);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].at_ns, b[i].at_ns) << i;
    EXPECT_EQ(a[i].client, b[i].client) << i;
    EXPECT_EQ(a[i].draft.kind, b[i].draft.kind) << i;
    EXPECT_EQ(a[i].draft.payload, b[i].draft.payload) << i;
  }
}

// ---- own arrivals, determinism ----

TEST(EpcisWorkloadTest, OwnArrivalsDelayNeverDropAndEndWithPastTraceEnd) {
  std::unique_ptr<EpcisWorkload> w = sample_workload();
  ASSERT_NE(w, nullptr);
  EXPECT_TRUE(w->has_own_arrivals());
  EXPECT_FALSE(w->reacts_to_ledger());
  EXPECT_EQ(w->next_arrival_ns(0, -1), 0);
  EXPECT_EQ(w->next_arrival_ns(0, -1), 0);  // a query: asking again gives the same event
  EXPECT_EQ(w->next_arrival_ns(0, 5), 6);   // asked late: delayed to just after
  EXPECT_EQ(w->next_arrival_ns(1, -1), 12'583'333'333);
  EXPECT_EQ(w->next_arrival_ns(2, -1), kTimeNever);  // no such client
  Rng rng(1);
  for (int i = 0; i < 6; ++i) w->next_tx(0, 0, rng);
  EXPECT_EQ(w->drafted(0), 6u);
  EXPECT_EQ(w->next_arrival_ns(0, 0), kTimeNever);
  const TxDraft extra = w->next_tx(0, 0, rng);
  EXPECT_EQ(w->kind_names().at(extra.kind), "past_trace_end");
  const std::optional<supply::Verify> v = supply::decode_verify(extra.payload);
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->requester, 0u);
  EXPECT_EQ(v->epc, supply::make_item(0, 0));
  EXPECT_THROW(w->next_tx(2, 0, rng), std::out_of_range);
}

TEST(EpcisWorkloadTest, DraftsAreTheSameForEverySeedAndClientsIndependent) {
  std::unique_ptr<EpcisWorkload> a = sample_workload();
  std::unique_ptr<EpcisWorkload> b = sample_workload();
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  Rng r1(1);
  Rng r2(99);
  // b drafts client 1 first: client 0's drafts do not depend on it.
  for (int i = 0; i < 4; ++i) b->next_tx(1, 0, r2);
  for (int i = 0; i < 6; ++i) {
    const TxDraft x = a->next_tx(0, 0, r1);
    const TxDraft y = b->next_tx(0, 0, r2);
    EXPECT_EQ(x.kind, y.kind);
    EXPECT_EQ(x.payload, y.payload);
  }
}

// ---- tampered documents ----

TEST(EpcisWorkloadTest, InlineHonestFlowIsApplied) {
  Result<EpcisReplay> r = replay_of(document(honest_flow(
      {object_event("2024-01-01T14:00:00Z", "OBSERVE", "dispensing", {unit(1)}, "2222222")})));
  ASSERT_TRUE(r.ok()) << r.error().message;
  for (const auto& [kind, outcome] : judged(*r)) {
    EXPECT_EQ(outcome, TxOutcome::kApplied) << kind;
  }
}

TEST(EpcisWorkloadTest, DispensingTwiceIsDenied) {
  Result<EpcisReplay> r = replay_of(document(honest_flow(
      {object_event("2024-01-01T14:00:00Z", "OBSERVE", "dispensing", {unit(1)}, "2222222"),
       object_event("2024-01-01T15:00:00Z", "DELETE", "", {unit(1)}, "2222222")})));
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto outcomes = judged(*r);
  ASSERT_EQ(outcomes.size(), 7u);
  for (std::size_t i = 0; i + 1 < outcomes.size(); ++i) {
    EXPECT_EQ(outcomes[i].second, TxOutcome::kApplied) << outcomes[i].first;
  }
  EXPECT_EQ(outcomes.back().first, "dispense");
  EXPECT_EQ(outcomes.back().second, TxOutcome::kDenied);
}

TEST(EpcisWorkloadTest, ReceiptByTheWrongPartyIsDenied) {
  std::vector<std::string> events = honest_flow({});
  events.resize(3);  // commission, pack, ship to 2222222
  // 3333333 claims the pallet (its own bizLocation, no destinationList).
  events.push_back(
      object_event("2024-01-01T12:00:00Z", "OBSERVE", "receiving", {kPallet}, "3333333"));
  Result<EpcisReplay> r = replay_of(document(events));
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->organisations.size(), 3u);
  EXPECT_EQ(r->organisations[2].id, "3333333");
  const auto outcomes = judged(*r);
  ASSERT_EQ(outcomes.size(), 4u);
  EXPECT_EQ(outcomes[2].second, TxOutcome::kApplied);  // the ship
  EXPECT_EQ(outcomes[3].first, "receive");
  EXPECT_EQ(outcomes[3].second, TxOutcome::kDenied);
}

TEST(EpcisWorkloadTest, ShippingWhatOneDoesNotHoldIsDenied) {
  std::vector<std::string> events = honest_flow({});
  events.resize(4);  // ... received by 2222222
  // The manufacturer ships the pallet again after handing it over.
  events.push_back(object_event("2024-01-01T13:00:00Z", "OBSERVE", "shipping", {kPallet}, "1111111",
                                parties("1111111", "2222222")));
  Result<EpcisReplay> r = replay_of(document(events));
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto outcomes = judged(*r);
  ASSERT_EQ(outcomes.size(), 5u);
  EXPECT_EQ(outcomes.back().first, "ship");
  EXPECT_EQ(outcomes.back().second, TxOutcome::kDenied);
}

// ---- mapping details ----

TEST(EpcisWorkloadTest, UnsupportedEventsAreCountedNotReplayed) {
  std::vector<std::string> events = honest_flow({});
  events.push_back(
      object_event("2024-01-01T13:30:00Z", "OBSERVE", "inspecting", {unit(1)}, "2222222"));
  events.push_back(R"({"type":"TransformationEvent","eventTime":"2024-01-01T13:40:00Z",)"
                   R"("eventTimeZoneOffset":"+00:00","inputEPCList":[")" +
                   unit(1) + R"("],"outputEPCList":[")" + unit(9) + R"("]})");
  // An internal move: 2222222 ships to itself.
  events.push_back(object_event("2024-01-01T13:50:00Z", "OBSERVE", "shipping", {unit(2)}, "2222222",
                                parties("2222222", "2222222")));
  Result<EpcisReplay> r = replay_of(document(events));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->events, 8u);
  EXPECT_EQ(r->events_unsupported, 3u);
  EXPECT_EQ(r->events_replayed, 5u);
  EXPECT_EQ(r->transactions, 5u);
  EXPECT_EQ(r->organisations[1].role, supply::Role::kWholesaler);  // it never dispenses
}

TEST(EpcisWorkloadTest, MalformedEventsFailOrAreSkipped) {
  std::vector<std::string> events = honest_flow({});
  // A shipment without a destination.
  events.push_back(
      object_event("2024-01-01T14:00:00Z", "OBSERVE", "shipping", {unit(1)}, "2222222"));
  Result<EpcisReplay> r = replay_of(document(events));
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message,
              HasSubstr("inline.json:1: eventList[5] ObjectEvent: a shipment needs a "
                        "destinationList party"));
  r = replay_of(document(events), /*skip_malformed=*/true);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->events_malformed, 1u);
  EXPECT_EQ(r->transactions, 5u);

  // An EPC that is no SGTIN or SSCC.
  r = replay_of(document({object_event("2024-01-01T08:00:00Z", "ADD", "commissioning",
                                       {"urn:epc:id:grai:1111111.00001.1"}, "1111111")}));
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("is neither an SGTIN nor an SSCC"));
}

TEST(EpcisWorkloadTest, AnOrganisationCannotBothCommissionAndDispense) {
  Result<EpcisReplay> r = replay_of(document(
      {object_event("2024-01-01T08:00:00Z", "ADD", "commissioning", {unit(1)}, "1111111"),
       object_event("2024-01-01T09:00:00Z", "OBSERVE", "dispensing", {unit(1)}, "1111111")}));
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("organisation 1111111 both commissions and dispenses"));
}

TEST(EpcisWorkloadTest, OneClientNeverSubmitsTwiceAtOneInstant) {
  // One shipping event of two loose units: two ships by one client at one trace instant.
  Result<EpcisReplay> r = replay_of(document(
      {object_event("2024-01-01T08:00:00Z", "ADD", "commissioning", {unit(1), unit(2)}, "1111111"),
       object_event("2024-01-01T09:00:00Z", "OBSERVE", "shipping", {unit(1), unit(2)}, "1111111",
                    parties("1111111", "2222222"))}));
  ASSERT_TRUE(r.ok()) << r.error().message;
  const std::vector<EpcisReplayEvent>& m = r->by_client[0];
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[1].at_ns, 1'000'000'000);  // one trace hour at 3600x
  EXPECT_EQ(m[2].at_ns, 1'000'000'001);
  for (const auto& [kind, outcome] : judged(*r)) {
    EXPECT_EQ(outcome, TxOutcome::kApplied) << kind;
  }
  // A unit without itemExpirationDate never expires.
  const std::optional<supply::Commission> c = supply::decode_commission(m[0].payload);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->expiry_ns, std::numeric_limits<TimeNs>::max());
}

TEST(EpcisWorkloadTest, OrganisationKeysAndEpcTypes) {
  EXPECT_EQ(organisation_key("urn:epc:id:sgln:0361234.00001.0"), "0361234");
  EXPECT_EQ(organisation_key("urn:epc:id:pgln:0361234.00000"), "0361234");
  EXPECT_EQ(organisation_key("https://id.gs1.org/414/0361234000005"),
            "https://id.gs1.org/414/0361234000005");
  EXPECT_EQ(is_sscc("urn:epc:id:sscc:0361234.0000000017"), true);
  EXPECT_EQ(is_sscc("urn:epc:id:sgtin:0361234.012345.1"), false);
  EXPECT_EQ(is_sscc("https://id.gs1.org/00/003612340000000017"), true);
  EXPECT_EQ(is_sscc("https://id.gs1.org/01/00361234123452/21/1"), false);
  EXPECT_EQ(is_sscc("urn:epc:id:grai:0361234.00001.1"), std::nullopt);
  EXPECT_STREQ(epcis_kind_name(7), "past_trace_end");
  EXPECT_EQ(epcis_kind_name(8), nullptr);
}

// ---- metrics ----

double figure(const std::vector<WorkloadFigure>& figures, const std::string& name) {
  for (const WorkloadFigure& f : figures) {
    if (f.name == name) return f.value;
  }
  ADD_FAILURE() << "no figure " << name;
  return -1;
}

TEST(EpcisWorkloadTest, MetricsCountOutcomesAndKeepSupplyFigures) {
  std::unique_ptr<EpcisWorkload> w = sample_workload();
  ASSERT_NE(w, nullptr);
  std::unique_ptr<WorkloadMetrics> m = w->make_metrics();
  const std::vector<Drafted> drafts = drain(*w, 2);
  const std::vector<TxOutcome> outcomes = apply_all(*w, drafts);
  for (std::size_t i = 0; i < drafts.size(); ++i) {
    Transaction tx;
    tx.kind = drafts[i].draft.kind;
    tx.client = drafts[i].client;
    tx.payload = drafts[i].draft.payload;
    m->on_commit(tx, outcomes[i], drafts[i].at_ns);
  }
  Transaction denied = [&] {
    Transaction tx;
    tx.kind = drafts.back().draft.kind;  // the dispense again
    tx.client = 1;
    tx.payload = drafts.back().draft.payload;
    return tx;
  }();
  m->on_commit(denied, TxOutcome::kDenied, 26 * kNsPerSec);
  Rng rng(1);
  Transaction extra;
  extra.client = 0;
  const TxDraft d = w->next_tx(0, 0, rng);
  extra.kind = d.kind;
  extra.payload = d.payload;
  m->on_commit(extra, TxOutcome::kApplied, 27 * kNsPerSec);

  const std::vector<WorkloadFigure> f = m->figures();
  EXPECT_EQ(figure(f, "trace_events"), 11);
  EXPECT_EQ(figure(f, "trace_events_replayed"), 10);
  EXPECT_EQ(figure(f, "trace_events_folded"), 1);
  EXPECT_EQ(figure(f, "trace_events_unsupported"), 0);
  EXPECT_EQ(figure(f, "trace_events_malformed"), 0);
  EXPECT_EQ(figure(f, "trace_transactions"), 10);
  EXPECT_NEAR(figure(f, "trace_replay_span_s"), 25.520833333, 1e-6);
  EXPECT_EQ(figure(f, "events_applied"), 10);
  EXPECT_EQ(figure(f, "events_rejected"), 1);
  EXPECT_EQ(figure(f, "past_trace_end_committed"), 1);
  EXPECT_EQ(figure(f, "honest_denied"), 1);
  EXPECT_EQ(figure(f, "units_commissioned"), 12);
  EXPECT_EQ(figure(f, "units_dispensed"), 1);
  EXPECT_EQ(figure(f, "shipments_in_transit"), 0);
  EXPECT_NEAR(figure(f, "custody_time_p50"), 25'520.833333, 1e-3);
  for (const WorkloadFigure& x : f) {
    EXPECT_FALSE(x.name.starts_with("counterfeit_")) << x.name;
    EXPECT_NE(x.name, "verify_denied");
  }
}

}  // namespace
}  // namespace hlsim::trace
