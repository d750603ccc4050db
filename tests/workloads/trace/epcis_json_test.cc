// EPCIS 2.0 JSON reader: the DSCSA sample read exactly, vocabulary and time normalisation, the
// accepted document shapes, and every malformed variant with file, line, event and field named.
#include "workloads/trace/epcis_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "workloads/trace/iso_time.h"
#include "workloads/trace/text_file.h"

namespace hlsim::trace {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const std::string kSample =
    std::string(HLSIM_SOURCE_DIR) + "/workloads/trace/samples/epcis/dscsa-shipment.json";

TimeNs at(const char* iso) { return *parse_instant_ns(iso, /*allow_date=*/true); }

// A document of the given events (JSON object texts), one key per line so that line numbers
// are predictable: event i starts on line 4 + (lines of the events before it).
std::string doc(const std::vector<std::string>& events) {
  std::string s = "{\n\"type\": \"EPCISDocument\",\n\"epcisBody\": {\"eventList\": [\n";
  for (std::size_t i = 0; i < events.size(); ++i) s += (i ? ",\n" : "") + events[i];
  return s + "\n]}}\n";
}

const char* kGoodObject =
    R"({"type": "ObjectEvent", "eventTime": "2024-03-04T08:00:00-05:00",
"eventTimeZoneOffset": "-05:00", "action": "OBSERVE", "epcList": ["urn:epc:id:sgtin:1.2.3"]})";

Result<EpcisDocument> read(const std::string& text, bool skip = false) {
  return read_epcis_json(text, "t.json", EpcisReadOptions{.skip_malformed = skip});
}

std::string error_of(const std::string& text) {
  Result<EpcisDocument> d = read(text);
  EXPECT_FALSE(d.ok()) << "read without error";
  return d.ok() ? "" : d.error().message;
}

TEST(EpcisJsonTest, SampleFlowReadExactly) {
  Result<EpcisDocument> d = read_epcis_json_file(kSample, {});
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->schema_version, "2.0");
  EXPECT_EQ(d->skipped_events, 0u);
  ASSERT_EQ(d->events.size(), 11u);
  std::vector<EpcisEventType> types;
  std::vector<std::string> steps;
  for (const EpcisEvent& e : d->events) {
    types.push_back(e.type);
    steps.push_back(e.biz_step);
  }
  using T = EpcisEventType;
  EXPECT_THAT(types, ElementsAre(T::kObject, T::kObject, T::kAggregation, T::kAggregation,
                                 T::kAggregation, T::kAggregation, T::kObject, T::kObject,
                                 T::kAggregation, T::kAggregation, T::kObject));
  EXPECT_THAT(steps, ElementsAre("commissioning", "commissioning", "packing", "packing", "packing",
                                 "packing", "shipping", "receiving", "unpacking", "unpacking",
                                 "dispensing"));

  const EpcisEvent& commission = d->events[0];
  EXPECT_EQ(commission.line, 13u);
  EXPECT_EQ(commission.index, 0u);
  EXPECT_EQ(commission.action, EpcisAction::kAdd);
  EXPECT_EQ(commission.event_id, "urn:uuid:6d1f3c2a-0b4e-4e8a-9f10-000000000001");
  EXPECT_EQ(commission.event_time_ns, at("2024-03-04T13:00:00Z"));
  EXPECT_EQ(commission.time_zone_offset_minutes, -300);
  ASSERT_EQ(commission.epc_list.size(), 12u);
  EXPECT_EQ(commission.epc_list.front(), "urn:epc:id:sgtin:0361234.012345.10001");
  EXPECT_EQ(commission.epc_list.back(), "urn:epc:id:sgtin:0361234.012345.10012");
  EXPECT_EQ(commission.disposition, "active");
  EXPECT_EQ(commission.read_point, "urn:epc:id:sgln:0361234.00001.1");
  EXPECT_EQ(commission.biz_location, "urn:epc:id:sgln:0361234.00001.0");
  EXPECT_EQ(commission.lot_number, "LOT24A17");
  EXPECT_EQ(*commission.item_expiration_ns, at("2026-06-30"));

  const EpcisEvent& pallet = d->events[5];
  EXPECT_EQ(pallet.line, 136u);
  EXPECT_EQ(pallet.parent_id, "urn:epc:id:sscc:0361234.0000000017");
  EXPECT_THAT(pallet.child_epcs, ElementsAre("urn:epc:id:sgtin:0361234.112345.20001",
                                             "urn:epc:id:sgtin:0361234.112345.20002",
                                             "urn:epc:id:sgtin:0361234.112345.20003"));

  const EpcisEvent& ship = d->events[6];
  EXPECT_EQ(ship.action, EpcisAction::kObserve);
  EXPECT_EQ(ship.disposition, "in_transit");
  EXPECT_EQ(ship.event_time_ns, at("2024-03-04T19:30:00Z"));
  EXPECT_THAT(
      ship.biz_transactions,
      ElementsAre(EpcisBizTransaction{"po", "urn:epcglobal:cbv:bt:0955555000003:PO-4471"},
                  EpcisBizTransaction{"desadv", "urn:epcglobal:cbv:bt:0361234000005:ASN-88213"}));
  EXPECT_THAT(ship.sources,
              ElementsAre(EpcisParty{"owning_party", "urn:epc:id:sgln:0361234.00000.0"},
                          EpcisParty{"location", "urn:epc:id:sgln:0361234.00001.0"}));
  EXPECT_THAT(ship.destinations,
              ElementsAre(EpcisParty{"owning_party", "urn:epc:id:sgln:0955555.00000.0"},
                          EpcisParty{"location", "urn:epc:id:sgln:0955555.00020.0"}));

  const EpcisEvent& unpack = d->events[9];
  EXPECT_EQ(unpack.action, EpcisAction::kDelete);
  EXPECT_EQ(unpack.child_epcs.size(), 4u);

  const EpcisEvent& dispense = d->events[10];
  EXPECT_EQ(dispense.disposition, "dispensed");
  EXPECT_THAT(dispense.epc_list, ElementsAre("urn:epc:id:sgtin:0361234.012345.10001"));
  EXPECT_EQ(dispense.line, 289u);
}

TEST(EpcisJsonTest, CbvValuesInEveryFormBecomeBareWords) {
  for (const char* step : {"shipping", "urn:epcglobal:cbv:bizstep:shipping",
                           "https://ref.gs1.org/cbv/BizStep-shipping"}) {
    EXPECT_EQ(cbv_bare_word(step, CbvVocabulary::kBizStep), "shipping") << step;
  }
  EXPECT_EQ(cbv_bare_word("urn:epcglobal:cbv:disp:in_transit", CbvVocabulary::kDisposition),
            "in_transit");
  EXPECT_EQ(cbv_bare_word("https://ref.gs1.org/cbv/Disp-dispensed", CbvVocabulary::kDisposition),
            "dispensed");
  EXPECT_EQ(cbv_bare_word("urn:epcglobal:cbv:btt:po", CbvVocabulary::kBizTransactionType), "po");
  EXPECT_EQ(
      cbv_bare_word("https://ref.gs1.org/cbv/SDT-owning_party", CbvVocabulary::kSourceDestType),
      "owning_party");
  // Not CBV: kept as written; and a prefix of another vocabulary is not stripped.
  EXPECT_EQ(cbv_bare_word("urn:example:bizstep:relabel", CbvVocabulary::kBizStep),
            "urn:example:bizstep:relabel");
  EXPECT_EQ(cbv_bare_word("urn:epcglobal:cbv:disp:active", CbvVocabulary::kBizStep),
            "urn:epcglobal:cbv:disp:active");

  Result<EpcisDocument> d = read(doc({R"({"type": "ObjectEvent", "action": "OBSERVE",
"eventTime": "2024-03-04T13:00:00Z", "bizStep": "urn:epcglobal:cbv:bizstep:shipping",
"disposition": "https://ref.gs1.org/cbv/Disp-in_transit",
"sourceList": [{"type": "urn:epcglobal:cbv:sdt:owning_party", "source": "urn:epc:id:pgln:1.2"}]})"}));
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->events[0].biz_step, "shipping");
  EXPECT_EQ(d->events[0].disposition, "in_transit");
  EXPECT_EQ(d->events[0].sources[0].type, "owning_party");
}

TEST(EpcisJsonTest, EventTimeHonoursItsZoneOrTheOffsetField) {
  // Zone in the time: the offset field is the local zone only.
  Result<EpcisDocument> d = read(doc({R"({"type": "ObjectEvent", "action": "ADD",
"eventTime": "2024-03-04T13:00:00Z", "eventTimeZoneOffset": "+01:00"})",
                                      R"({"type": "ObjectEvent", "action": "ADD",
"eventTime": "2024-03-04T14:00:00", "eventTimeZoneOffset": "+01:00"})",
                                      R"({"type": "ObjectEvent", "action": "ADD",
"eventTime": "2024-03-04T18:30:00.250+05:30"})"}));
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->events[0].event_time_ns, at("2024-03-04T13:00:00Z"));
  EXPECT_EQ(d->events[0].time_zone_offset_minutes, 60);
  EXPECT_EQ(d->events[1].event_time_ns, at("2024-03-04T13:00:00Z"));
  EXPECT_EQ(d->events[2].event_time_ns, at("2024-03-04T13:00:00Z") + 250'000'000);
  EXPECT_EQ(d->events[2].time_zone_offset_minutes, 330);
}

TEST(EpcisJsonTest, EveryEventTypeWithItsOwnFields) {
  Result<EpcisDocument> d = read(doc({
      R"({"type": "TransactionEvent", "action": "ADD", "eventTime": "2024-03-04T13:00:00Z",
"bizTransactionList": [{"type": "urn:epcglobal:cbv:btt:inv", "bizTransaction": "urn:x:inv:1"},
{"bizTransaction": "urn:x:po:2"}], "parentID": "urn:epc:id:sscc:1.2",
"quantityList": [{"epcClass": "urn:epc:class:lgtin:1.2.L1", "quantity": 12.5, "uom": "KGM"},
{"epcClass": "urn:epc:class:lgtin:1.2.L2"}]})",
      R"({"type": "TransformationEvent", "eventTime": "2024-03-04T13:00:00Z",
"inputEPCList": ["urn:a"], "outputEPCList": ["urn:b", "urn:c"], "transformationID": "urn:t:1",
"inputQuantityList": [{"epcClass": "urn:q", "quantity": 3}],
"ilmd": {"https://example.org/cbvmda#lotNumber": "L9", "itemExpirationDate": "2025-01-31"}})",
      R"({"type": "AssociationEvent", "action": "ADD", "eventTime": "2024-03-04T13:00:00Z",
"parentID": "urn:epc:id:grai:1.2.3", "childEPCs": ["urn:epc:id:giai:1.9"],
"childQuantityList": [{"epcClass": "urn:q2", "quantity": 1}]})",
      R"({"type": "AggregationEvent", "action": "OBSERVE", "eventTime": "2024-03-04T13:00:00Z",
"childEPCs": ["urn:x"], "readPoint": "urn:epc:id:sgln:1.2.3", "recordTime": "2024-03-04T13:00:01Z"})",
  }));
  ASSERT_TRUE(d.ok()) << d.error().message;
  ASSERT_EQ(d->events.size(), 4u);
  const EpcisEvent& tx = d->events[0];
  EXPECT_EQ(tx.type, EpcisEventType::kTransaction);
  EXPECT_THAT(tx.biz_transactions, ElementsAre(EpcisBizTransaction{"inv", "urn:x:inv:1"},
                                               EpcisBizTransaction{"", "urn:x:po:2"}));
  EXPECT_THAT(tx.quantity_list,
              ElementsAre(EpcisQuantity{"urn:epc:class:lgtin:1.2.L1", 12.5, "KGM"},
                          EpcisQuantity{"urn:epc:class:lgtin:1.2.L2", std::nullopt, ""}));
  const EpcisEvent& tf = d->events[1];
  EXPECT_EQ(tf.action, EpcisAction::kNone);
  EXPECT_THAT(tf.output_epc_list, ElementsAre("urn:b", "urn:c"));
  EXPECT_EQ(tf.transformation_id, "urn:t:1");
  EXPECT_EQ(*tf.input_quantity_list[0].quantity, 3.0);
  EXPECT_EQ(tf.lot_number, "L9");
  EXPECT_EQ(*tf.item_expiration_ns, at("2025-01-31"));
  const EpcisEvent& assoc = d->events[2];
  EXPECT_EQ(assoc.parent_id, "urn:epc:id:grai:1.2.3");
  EXPECT_EQ(assoc.child_quantity_list.size(), 1u);
  const EpcisEvent& agg = d->events[3];
  EXPECT_TRUE(agg.parent_id.empty());  // allowed for OBSERVE
  EXPECT_EQ(agg.read_point, "urn:epc:id:sgln:1.2.3");
  EXPECT_EQ(*agg.record_time_ns, at("2024-03-04T13:00:01Z"));
}

TEST(EpcisJsonTest, SingleEventBareListAndQueryDocumentAreAccepted) {
  Result<EpcisDocument> single = read(kGoodObject);
  ASSERT_TRUE(single.ok()) << single.error().message;
  EXPECT_EQ(single->events.size(), 1u);
  EXPECT_EQ(single->events[0].line, 1u);
  Result<EpcisDocument> list = read(std::string("[\n") + kGoodObject + ",\n" + kGoodObject + "]");
  ASSERT_TRUE(list.ok()) << list.error().message;
  ASSERT_EQ(list->events.size(), 2u);
  EXPECT_EQ(list->events[1].line, 4u);
  Result<EpcisDocument> query =
      read(std::string(R"({"type": "EPCISQueryDocument", "epcisBody": {"queryResults": {
"queryName": "SimpleEventQuery", "resultsBody": {"eventList": [)") +
           kGoodObject + "]}}}}");
  ASSERT_TRUE(query.ok()) << query.error().message;
  EXPECT_EQ(query->events.size(), 1u);
}

TEST(EpcisJsonTest, TruncatedJsonNamesTheLine) {
  Result<std::string> text = read_text_file(kSample);
  ASSERT_TRUE(text.ok());
  const std::string cut = text->substr(0, text->find("\"bizStep\": \"shipping\""));
  const std::string err = error_of(cut);
  EXPECT_THAT(err, HasSubstr("t.json:166: JSON syntax error:"));
  EXPECT_THAT(err, HasSubstr("unexpected end of input"));
}

TEST(EpcisJsonTest, SyntaxErrorNamesTheLine) {
  EXPECT_THAT(error_of("{\n\"epcisBody\": {\n\"eventList\": [,]}}"),
              HasSubstr("t.json:3: JSON syntax error:"));
  EXPECT_THAT(error_of(""), HasSubstr("t.json:1: JSON syntax error:"));
}

TEST(EpcisJsonTest, NumbersBeyondDoubleAndDeepNestingAreErrorsNotCrashes) {
  EXPECT_THAT(error_of(doc({R"({"type": "ObjectEvent", "action": "ADD",
"eventTime": "2024-03-04T13:00:00Z", "quantityList": [{"epcClass": "u", "quantity": 1e999}]})"})),
              HasSubstr("t.json: JSON error:"));
  std::string deep(100'000, '[');
  deep += std::string(100'000, ']');
  EXPECT_THAT(error_of(deep), HasSubstr("t.json:1: eventList[0]: event: expected an object"));
}

TEST(EpcisJsonTest, DocumentWithoutEventsIsRejected) {
  EXPECT_EQ(error_of(R"({"type": "EPCISDocument", "epcisBody": {}})"),
            "t.json:1: epcisBody: no eventList (expected epcisBody.eventList or "
            "epcisBody.queryResults.resultsBody.eventList)");
  EXPECT_EQ(error_of(R"({"epcisBody": {"eventList": {}}})"),
            "t.json:1: epcisBody.eventList: expected a list, got object");
  EXPECT_EQ(error_of("42"),
            "t.json:1: expected an EPCIS document (epcisBody.eventList), an event or a list of "
            "events");
}

TEST(EpcisJsonTest, UnknownEventTypeNamesLineIndexAndField) {
  const std::string text =
      doc({kGoodObject, R"({"type": "QuantityEvent", "eventTime": "2024-03-04T13:00:00Z"})"});
  EXPECT_EQ(error_of(text),
            "t.json:6: eventList[1] QuantityEvent: type: unknown event type 'QuantityEvent' "
            "(expected ObjectEvent, AggregationEvent, TransactionEvent, TransformationEvent or "
            "AssociationEvent)");
}

TEST(EpcisJsonTest, MissingRequiredFieldsAreNamed) {
  struct Case {
    const char* event;
    const char* expected;
  };
  const Case cases[] = {
      {R"({"eventTime": "2024-03-04T13:00:00Z"})", ": type: missing (required)"},
      {R"({"type": "ObjectEvent", "action": "ADD"})", " ObjectEvent: eventTime: missing"},
      {R"({"type": "ObjectEvent", "eventTime": "2024-03-04T13:00:00Z"})",
       " ObjectEvent: action: missing (required: ADD, OBSERVE or DELETE)"},
      {R"({"type": "AggregationEvent", "action": "ADD", "eventTime": "2024-03-04T13:00:00Z"})",
       " AggregationEvent: parentID: missing (required unless the action is OBSERVE)"},
      {R"({"type": "TransactionEvent", "action": "ADD", "eventTime": "2024-03-04T13:00:00Z"})",
       " TransactionEvent: bizTransactionList: missing or empty (required)"},
      {R"({"type": "TransformationEvent", "eventTime": "2024-03-04T13:00:00Z"})",
       " TransformationEvent: inputEPCList: missing"},
      {R"({"type": "TransformationEvent", "action": "ADD", "inputEPCList": ["urn:a"],
"eventTime": "2024-03-04T13:00:00Z"})",
       " TransformationEvent: action: not allowed on a TransformationEvent"},
      {R"({"type": "AssociationEvent", "action": "ADD", "eventTime": "2024-03-04T13:00:00Z"})",
       " AssociationEvent: parentID: missing (required)"},
      {R"({"type": "ObjectEvent", "action": "ADD", "eventTime": "2024-03-04T13:00:00Z",
"quantityList": [{"quantity": 2}]})",
       " ObjectEvent: quantityList[0].epcClass: missing (required)"},
      {R"({"type": "ObjectEvent", "action": "ADD", "eventTime": "2024-03-04T13:00:00Z",
"sourceList": [{"source": "urn:x"}]})",
       " ObjectEvent: sourceList[0].type: missing (required)"},
      {R"({"type": "ObjectEvent", "action": "ADD", "eventTime": "2024-03-04T13:00:00Z",
"bizTransactionList": [{"type": "po"}]})",
       " ObjectEvent: bizTransactionList[0].bizTransaction: missing (required)"},
      {R"({"type": "ObjectEvent", "action": "ADD", "eventTime": "2024-03-04T13:00:00Z",
"readPoint": {}})",
       " ObjectEvent: readPoint.id: missing (required)"},
  };
  for (const Case& c : cases) {
    EXPECT_THAT(error_of(doc({c.event})),
                HasSubstr(std::string("t.json:4: eventList[0]") + c.expected))
        << c.event;
  }
}

TEST(EpcisJsonTest, WrongTypesAreNamed) {
  struct Case {
    const char* fields;
    const char* expected;
  };
  const Case cases[] = {
      {R"("parentID": 17)", "parentID: expected a string, got number"},
      {R"("epcList": "urn:a")", "epcList: expected a list of strings, got string"},
      {R"("epcList": ["urn:a", 5])", "epcList[1]: expected a string, got number"},
      {R"("quantityList": [{"epcClass": "urn:q", "quantity": "200"}])",
       "quantityList[0].quantity: expected a number, got string"},
      {R"("quantityList": [{"epcClass": "urn:q", "quantity": -1}])",
       "quantityList[0].quantity: negative"},
      {R"("quantityList": [7])", "quantityList[0]: expected an object, got number"},
      {R"("bizStep": ["shipping"])", "bizStep: expected a string, got array"},
      {R"("readPoint": 3)", "readPoint: expected an object with an id, got number"},
      {R"("ilmd": "lot")", "ilmd: expected an object, got string"},
      {R"("ilmd": {"cbvmda:itemExpirationDate": "2025-02-30"})",
       "ilmd.cbvmda:itemExpirationDate: bad date '2025-02-30'"},
      {R"("action": "MOVE")", "action: unknown action 'MOVE' (expected ADD, OBSERVE or DELETE)"},
      {R"("eventTime": 20240304)", "eventTime: expected a string, got number"},
  };
  for (const Case& c : cases) {
    std::string event = R"({"type": "ObjectEvent", "eventTime": "2024-03-04T13:00:00Z", )";
    if (!std::string(c.fields).starts_with("\"action\"")) event += R"("action": "ADD", )";
    event += std::string(c.fields) + "}";
    // A repeated key: nlohmann keeps the last, which is the case's.
    EXPECT_THAT(error_of(doc({event})), HasSubstr(std::string("ObjectEvent: ") + c.expected))
        << event;
  }
  EXPECT_THAT(error_of(doc({"[1]"})), HasSubstr("t.json:4: eventList[0]: event: expected an "
                                                "object, got array"));
}

TEST(EpcisJsonTest, BadTimesAreNamed) {
  EXPECT_THAT(error_of(doc({R"({"type": "ObjectEvent", "action": "ADD",
"eventTime": "2024-02-30T10:00:00Z"})"})),
              HasSubstr("t.json:4: eventList[0] ObjectEvent: eventTime: bad timestamp "
                        "'2024-02-30T10:00:00Z' (day 30 is not in 1..29 for 2024-02)"));
  EXPECT_THAT(error_of(doc({R"({"type": "ObjectEvent", "action": "ADD",
"eventTime": "2024-03-04T10:00:00Z", "eventTimeZoneOffset": "-5"})"})),
              HasSubstr("eventTimeZoneOffset: bad offset '-5'"));
  EXPECT_THAT(error_of(doc({R"({"type": "ObjectEvent", "action": "ADD",
"eventTime": "2024-03-04T10:00:00"})"})),
              HasSubstr("eventTime: no zone in '2024-03-04T10:00:00' and no eventTimeZoneOffset"));
  EXPECT_THAT(
      error_of(doc({R"({"type": "ObjectEvent", "action": "ADD",
"eventTime": "2024-03-04"})"})),
      HasSubstr("eventTime: bad timestamp '2024-03-04' (expected a date-time, got a date)"));
  EXPECT_THAT(error_of(doc({R"({"type": "ObjectEvent", "action": "ADD",
"eventTime": "2024-03-04T10:00:00Z", "recordTime": "yesterday"})"})),
              HasSubstr("recordTime: bad timestamp 'yesterday'"));
}

TEST(EpcisJsonTest, ErrorsNameTheLineOfTheirEvent) {
  // Events start on line 4; the first two span two lines each, so the third starts on line 8.
  const std::string text = doc({kGoodObject, kGoodObject,
                                R"({"type": "ObjectEvent", "eventTime": "2024-03-04T13:00:00Z"})"});
  EXPECT_THAT(error_of(text), HasSubstr("t.json:8: eventList[2] ObjectEvent: action:"));
}

TEST(EpcisJsonTest, SkipMalformedCountsBadEventsAndKeepsGoodOnes) {
  const std::string text =
      doc({kGoodObject, R"({"type": "QuantityEvent", "eventTime": "2024-03-04T13:00:00Z"})",
           R"({"type": "ObjectEvent", "eventTime": "2024-03-04T13:00:00Z"})", kGoodObject,
           R"({"type": "ObjectEvent", "action": "ADD", "eventTime": "2024-13-04T13:00:00Z"})"});
  Result<EpcisDocument> d = read(text, /*skip=*/true);
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->skipped_events, 3u);
  ASSERT_EQ(d->events.size(), 2u);
  EXPECT_EQ(d->events[0].index, 0u);
  EXPECT_EQ(d->events[1].index, 3u);
  // Syntax errors are never skipped.
  Result<EpcisDocument> broken = read(text.substr(0, text.size() / 2), /*skip=*/true);
  ASSERT_FALSE(broken.ok());
  EXPECT_THAT(broken.error().message, HasSubstr("JSON syntax error"));
}

}  // namespace
}  // namespace hlsim::trace
