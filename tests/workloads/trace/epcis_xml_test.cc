// EPCIS 1.2 XML reader: the DSCSA sample equals the JSON sample event for event, 1.2 extension
// wrappers, and every malformed variant with file, line, element and field named.
#include "workloads/trace/epcis_xml.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "workloads/trace/epcis_json.h"
#include "workloads/trace/iso_time.h"
#include "workloads/trace/text_file.h"

namespace hlsim::trace {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const std::string kSamples = std::string(HLSIM_SOURCE_DIR) + "/workloads/trace/samples/epcis/";

TimeNs at(const char* iso) { return *parse_instant_ns(iso, /*allow_date=*/true); }

// A document whose EventList content starts on line 5.
std::string xdoc(const std::string& events) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<epcis:EPCISDocument xmlns:epcis=\"urn:epcglobal:epcis:xsd:1\" schemaVersion=\"1.2\">\n"
         "<EPCISBody>\n"
         "<EventList>\n" +
         events + "</EventList>\n</EPCISBody>\n</epcis:EPCISDocument>\n";
}

const char* kGoodObject =
    "<ObjectEvent>\n"
    "<eventTime>2024-03-04T13:00:00Z</eventTime>\n"
    "<eventTimeZoneOffset>-05:00</eventTimeZoneOffset>\n"
    "<epcList><epc>urn:epc:id:sgtin:1.2.3</epc></epcList>\n"
    "<action>OBSERVE</action>\n"
    "</ObjectEvent>\n";

Result<EpcisDocument> read(const std::string& text, bool skip = false) {
  return read_epcis_xml(text, "t.xml", EpcisReadOptions{.skip_malformed = skip});
}

std::string error_of(const std::string& text, bool skip = false) {
  Result<EpcisDocument> d = read(text, skip);
  EXPECT_FALSE(d.ok()) << "read without error";
  return d.ok() ? "" : d.error().message;
}

TEST(EpcisXmlTest, SampleFlowEqualsTheJsonSampleEventForEvent) {
  Result<EpcisDocument> xml = read_epcis_xml_file(kSamples + "dscsa-shipment.xml", {});
  ASSERT_TRUE(xml.ok()) << xml.error().message;
  Result<EpcisDocument> json = read_epcis_json_file(kSamples + "dscsa-shipment.json", {});
  ASSERT_TRUE(json.ok()) << json.error().message;
  EXPECT_EQ(xml->schema_version, "1.2");
  ASSERT_EQ(xml->events.size(), 11u);
  ASSERT_EQ(json->events.size(), 11u);
  EXPECT_EQ(xml->events[0].line, 8u);
  EXPECT_EQ(xml->events[10].line, 231u);
  for (std::size_t i = 0; i < 11; ++i) {
    EpcisEvent x = xml->events[i];
    EpcisEvent j = json->events[i];
    x.line = j.line = 0;  // the only difference: where each starts in its file
    EXPECT_EQ(x, j) << "event " << i;
  }
  // Spot checks of what the equality covers: URNs became bare words, UTC times with the offset.
  const EpcisEvent& ship = xml->events[6];
  EXPECT_EQ(ship.biz_step, "shipping");
  EXPECT_EQ(ship.disposition, "in_transit");
  EXPECT_EQ(ship.event_time_ns, at("2024-03-04T14:30:00-05:00"));
  EXPECT_EQ(ship.time_zone_offset_minutes, -300);
  EXPECT_EQ(ship.biz_transactions[0].type, "po");
  EXPECT_EQ(ship.sources[0].type, "owning_party");
  EXPECT_EQ(xml->events[0].event_id, "urn:uuid:6d1f3c2a-0b4e-4e8a-9f10-000000000001");
  EXPECT_EQ(xml->events[0].lot_number, "LOT24A17");
}

TEST(EpcisXmlTest, ExtensionWrappersHoldTransformationAndAssociationEvents) {
  const std::string text = xdoc(
      "<TransactionEvent>\n"
      "<eventTime>2024-03-04T13:00:00Z</eventTime><action>ADD</action>\n"
      "<bizTransactionList><bizTransaction type=\"urn:epcglobal:cbv:btt:inv\">urn:x:inv:1"
      "</bizTransaction></bizTransactionList>\n"
      "<epcList><epc>urn:a</epc></epcList>\n"
      "<extension><quantityList><quantityElement><epcClass>urn:q</epcClass>"
      "<quantity>200.5</quantity><uom>KGM</uom></quantityElement></quantityList></extension>\n"
      "</TransactionEvent>\n"
      "<extension>\n"
      "<TransformationEvent>\n"
      "<eventTime>2024-03-04T08:00:00</eventTime><eventTimeZoneOffset>-05:00"
      "</eventTimeZoneOffset>\n"
      "<inputEPCList><epc>urn:a</epc></inputEPCList>\n"
      "<outputEPCList><epc>urn:b</epc><epc>urn:c</epc></outputEPCList>\n"
      "<transformationID>urn:t:1</transformationID>\n"
      "<ilmd><cbvmda:lotNumber>L9</cbvmda:lotNumber>"
      "<cbvmda:itemExpirationDate>2025-01-31</cbvmda:itemExpirationDate></ilmd>\n"
      "<example:sensor><example:temp>4.5</example:temp></example:sensor>\n"
      "</TransformationEvent>\n"
      "<extension><AssociationEvent>\n"
      "<eventTime>2024-03-04T13:00:00Z</eventTime><parentID>urn:p</parentID>\n"
      "<childEPCs><epc>urn:c1</epc></childEPCs><action>ADD</action>\n"
      "</AssociationEvent></extension>\n"
      "</extension>\n");
  Result<EpcisDocument> d = read(text);
  ASSERT_TRUE(d.ok()) << d.error().message;
  ASSERT_EQ(d->events.size(), 3u);
  const EpcisEvent& tx = d->events[0];
  EXPECT_EQ(tx.type, EpcisEventType::kTransaction);
  EXPECT_THAT(tx.biz_transactions, ElementsAre(EpcisBizTransaction{"inv", "urn:x:inv:1"}));
  EXPECT_THAT(tx.quantity_list, ElementsAre(EpcisQuantity{"urn:q", 200.5, "KGM"}));
  const EpcisEvent& tf = d->events[1];
  EXPECT_EQ(tf.type, EpcisEventType::kTransformation);
  EXPECT_EQ(tf.line, 12u);
  EXPECT_EQ(tf.index, 1u);
  EXPECT_EQ(tf.event_time_ns, at("2024-03-04T13:00:00Z"));
  EXPECT_THAT(tf.output_epc_list, ElementsAre("urn:b", "urn:c"));
  EXPECT_EQ(tf.transformation_id, "urn:t:1");
  EXPECT_EQ(tf.lot_number, "L9");
  EXPECT_EQ(*tf.item_expiration_ns, at("2025-01-31"));
  const EpcisEvent& assoc = d->events[2];
  EXPECT_EQ(assoc.type, EpcisEventType::kAssociation);
  EXPECT_EQ(assoc.parent_id, "urn:p");
  EXPECT_THAT(assoc.child_epcs, ElementsAre("urn:c1"));
}

TEST(EpcisXmlTest, TruncatedDocumentIsAnErrorWithALine) {
  Result<std::string> text = read_text_file(kSamples + "dscsa-shipment.xml");
  ASSERT_TRUE(text.ok());
  const std::string cut =
      text->substr(0, text->find("<bizStep>urn:epcglobal:cbv:bizstep:shipping"));
  const std::string err = error_of(cut);
  EXPECT_THAT(
      err, HasSubstr("t.xml:" + std::to_string(line_of_offset(cut, cut.size())) + ": XML error: "));
  EXPECT_THAT(err, HasSubstr("(the document is truncated?)"));
  EXPECT_THAT(error_of(""), HasSubstr("t.xml:1: XML error: no element found"));
}

TEST(EpcisXmlTest, MalformedXmlNamesTheLine) {
  EXPECT_THAT(error_of(xdoc("<ObjectEvent>\n<eventTime>x</eventTime>\n</AggregationEvent>\n")),
              HasSubstr("t.xml:7: XML error: mismatched tag"));
  EXPECT_THAT(error_of(xdoc("<ObjectEvent>\n<action>A & B</action></ObjectEvent>\n")),
              HasSubstr("t.xml:6: XML error:"));
  // Never skipped.
  EXPECT_THAT(error_of(xdoc("<ObjectEvent></Object>\n"), /*skip=*/true),
              HasSubstr("t.xml:5: XML error: mismatched tag"));
}

TEST(EpcisXmlTest, UnknownEventTypeNamesItsLine) {
  EXPECT_EQ(error_of(xdoc(std::string(kGoodObject) +
                          "<QuantityEvent><eventTime>2024-03-04T13:00:00Z</eventTime>"
                          "</QuantityEvent>\n")),
            "t.xml:11: EventList: unknown event type 'QuantityEvent' (expected ObjectEvent, "
            "AggregationEvent, TransactionEvent, TransformationEvent or AssociationEvent)");
}

TEST(EpcisXmlTest, MissingRequiredFieldsAreNamed) {
  EXPECT_EQ(error_of(xdoc("<ObjectEvent>\n<eventTime>2024-03-04T13:00:00Z</eventTime>\n"
                          "</ObjectEvent>\n")),
            "t.xml:5: ObjectEvent (event 0): action: missing (required: ADD, OBSERVE or DELETE)");
  EXPECT_EQ(error_of(xdoc("<ObjectEvent>\n<action>ADD</action>\n</ObjectEvent>\n")),
            "t.xml:5: ObjectEvent (event 0): eventTime: missing (required)");
  EXPECT_EQ(error_of(xdoc("<AggregationEvent>\n<eventTime>2024-03-04T13:00:00Z</eventTime>\n"
                          "<action>DELETE</action>\n</AggregationEvent>\n")),
            "t.xml:5: AggregationEvent (event 0): parentID: missing (required unless the action "
            "is OBSERVE)");
  EXPECT_EQ(error_of(xdoc("<TransactionEvent>\n<eventTime>2024-03-04T13:00:00Z</eventTime>\n"
                          "<action>ADD</action>\n</TransactionEvent>\n")),
            "t.xml:5: TransactionEvent (event 0): bizTransactionList: missing or empty "
            "(required)");
  EXPECT_EQ(error_of(xdoc("<ObjectEvent>\n<eventTime>2024-03-04T13:00:00Z</eventTime>\n"
                          "<action>ADD</action>\n<readPoint>\n</readPoint>\n</ObjectEvent>\n")),
            "t.xml:8: ObjectEvent (event 0): readPoint.id: missing (required)");
  EXPECT_EQ(error_of(xdoc("<ObjectEvent>\n<eventTime>2024-03-04T13:00:00Z</eventTime>\n"
                          "<action>ADD</action>\n<extension><sourceList>\n"
                          "<source>urn:x</source></sourceList></extension>\n</ObjectEvent>\n")),
            "t.xml:9: ObjectEvent (event 0): source@type: missing (required)");
}

TEST(EpcisXmlTest, BadValuesNameTheLineOfTheirElement) {
  EXPECT_EQ(error_of(xdoc(std::string(kGoodObject) +
                          "<ObjectEvent>\n<action>ADD</action>\n"
                          "<eventTime>2024-02-30T10:00:00Z</eventTime>\n</ObjectEvent>\n")),
            "t.xml:13: ObjectEvent (event 1): eventTime: bad timestamp '2024-02-30T10:00:00Z' "
            "(day 30 is not in 1..29 for 2024-02)");
  EXPECT_EQ(error_of(xdoc("<ObjectEvent>\n<eventTime>2024-03-04T10:00:00Z</eventTime>\n"
                          "<eventTimeZoneOffset>EST</eventTimeZoneOffset>\n"
                          "<action>ADD</action>\n</ObjectEvent>\n")),
            "t.xml:7: ObjectEvent (event 0): eventTimeZoneOffset: bad offset 'EST' (expected a "
            "zone Z, +hh:mm or -hh:mm)");
  EXPECT_EQ(error_of(xdoc("<ObjectEvent>\n<eventTime>2024-03-04T10:00:00Z</eventTime>\n"
                          "<action>add</action>\n</ObjectEvent>\n")),
            "t.xml:7: ObjectEvent (event 0): action: unknown action 'add' (expected ADD, OBSERVE "
            "or DELETE)");
  EXPECT_EQ(error_of(xdoc("<ObjectEvent>\n<eventTime>2024-03-04T10:00:00Z</eventTime>\n"
                          "<eventTime>2024-03-04T11:00:00Z</eventTime>\n"
                          "<action>ADD</action>\n</ObjectEvent>\n")),
            "t.xml:7: ObjectEvent (event 0): eventTime: appears twice");
  EXPECT_EQ(error_of(xdoc("<ObjectEvent>\n<eventTime>2024-03-04T10:00:00Z</eventTime>\n"
                          "<action>ADD</action>\n<extension><quantityList><quantityElement>\n"
                          "<epcClass>urn:q</epcClass>\n<quantity>lots</quantity>\n"
                          "</quantityElement></quantityList></extension>\n</ObjectEvent>\n")),
            "t.xml:10: ObjectEvent (event 0): quantityList.quantity: bad quantity 'lots' "
            "(expected a number >= 0)");
  EXPECT_THAT(error_of(xdoc("<ObjectEvent>\n<eventTime>2024-03-04T10:00:00Z</eventTime>\n"
                            "<action>ADD</action>\n<extension><ilmd>\n"
                            "<cbvmda:itemExpirationDate>31/01/2025</cbvmda:itemExpirationDate>\n"
                            "</ilmd></extension>\n</ObjectEvent>\n")),
              HasSubstr("t.xml:9: ObjectEvent (event 0): ilmd.itemExpirationDate: bad date "
                        "'31/01/2025'"));
}

TEST(EpcisXmlTest, DocumentShapeErrors) {
  EXPECT_EQ(error_of("<?xml version=\"1.0\"?>\n<EPCISMasterDataDocument/>\n"),
            "t.xml:2: expected <EPCISDocument> or <EPCISQueryDocument> as the root element, got "
            "<EPCISMasterDataDocument>");
  EXPECT_EQ(error_of("<EPCISDocument>\n<EPCISBody/>\n</EPCISDocument>\n"),
            "t.xml:1: no EventList (expected EPCISDocument/EPCISBody/EventList)");
  EXPECT_THAT(error_of("<?xml version=\"1.0\"?>\n<!DOCTYPE EPCISDocument [<!ENTITY a \"b\">]>\n"
                       "<EPCISDocument/>\n"),
              HasSubstr("t.xml:2: DOCTYPE not allowed in EPCIS"));
}

TEST(EpcisXmlTest, DeeplyNestedElementsInAnEventAreRefused) {
  std::string deep = "<ObjectEvent>\n";
  for (int i = 0; i < 100'000; ++i) deep += "<x>";
  for (int i = 0; i < 100'000; ++i) deep += "</x>";
  deep += "\n</ObjectEvent>\n";
  EXPECT_EQ(error_of(xdoc(deep)), "t.xml:6: ObjectEvent: elements nested deeper than 64 levels");
  // Deep nesting outside events (in an unknown element that is skipped) needs no recursion.
  std::string skipped = "<Unknown>";
  for (int i = 0; i < 100'000; ++i) skipped += "<x>";
  for (int i = 0; i < 100'000; ++i) skipped += "</x>";
  skipped += "</Unknown>\n";
  Result<EpcisDocument> d = read(xdoc(skipped + kGoodObject), /*skip=*/true);
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->skipped_events, 1u);
  EXPECT_EQ(d->events.size(), 1u);
}

TEST(EpcisXmlTest, QueryDocumentIsAccepted) {
  Result<EpcisDocument> d = read(
      std::string("<epcisq:EPCISQueryDocument xmlns:epcisq=\"urn:epcglobal:epcis-query:xsd:1\">"
                  "<EPCISBody><epcisq:QueryResults><queryName>SimpleEventQuery</queryName>"
                  "<resultsBody><EventList>") +
      kGoodObject +
      "</EventList></resultsBody></epcisq:QueryResults></EPCISBody>"
      "</epcisq:EPCISQueryDocument>");
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->events.size(), 1u);
}

TEST(EpcisXmlTest, SkipMalformedCountsBadEventsAndKeepsGoodOnes) {
  const std::string text =
      xdoc(std::string(kGoodObject) +
           "<QuantityEvent><eventTime>x</eventTime><epcList><epc>u</epc></epcList>"
           "</QuantityEvent>\n"
           "<ObjectEvent><eventTime>2024-03-04T13:00:00Z</eventTime></ObjectEvent>\n" +
           kGoodObject);
  Result<EpcisDocument> d = read(text, /*skip=*/true);
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->skipped_events, 2u);
  ASSERT_EQ(d->events.size(), 2u);
  EXPECT_EQ(d->events[0].index, 0u);
  EXPECT_EQ(d->events[1].index, 3u);
  EXPECT_EQ(d->events[1].line, 13u);
}

}  // namespace
}  // namespace hlsim::trace
