#include "workloads/trace/epcis_json.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "workloads/trace/iso_time.h"
#include "workloads/trace/text_file.h"

namespace hlsim::trace {
namespace {

using Json = nlohmann::json;

const char* type_name(const Json& v) {
  switch (v.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::object:
      return "object";
    case Json::value_t::array:
      return "array";
    case Json::value_t::string:
      return "string";
    case Json::value_t::boolean:
      return "boolean";
    case Json::value_t::binary:
      return "binary";
    case Json::value_t::discarded:
      return "discarded";
    default:
      return "number";
  }
}

// Byte offsets of the elements of the array reached from the root by the object keys `path`
// (the root itself when `path` is empty), in order. `text` must be valid JSON. This re-scan is
// how events get line numbers: the parsed values do not keep their positions.
std::vector<std::size_t> element_offsets(std::string_view text,
                                         const std::vector<std::string>& path) {
  struct Frame {
    bool is_array = false;
    bool is_target = false;
    bool expect_key = false;
    std::string key;  // the key this container sits under in its parent object
  };
  std::vector<Frame> stack;
  std::vector<std::size_t> out;
  std::string pending_key;
  auto value_starts = [&](std::size_t at) {
    if (!stack.empty() && stack.back().is_target) out.push_back(at);
  };
  auto keys_match = [&](const std::string& last_key) {
    // The container being opened sits at stack[1..] keys + last_key; the root has no key.
    if (stack.empty()) return path.empty();
    if (stack.size() != path.size()) return false;
    for (std::size_t i = 1; i < stack.size(); ++i) {
      if (stack[i].is_array || stack[i].key != path[i - 1]) return false;
    }
    return !stack.front().is_array && last_key == path.back();
  };
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '"') {
      const std::size_t start = i;
      std::string s;
      ++i;
      while (i < text.size() && text[i] != '"') {
        if (text[i] == '\\') ++i;  // the escaped character cannot end the string
        if (i < text.size()) s.push_back(text[i]);
        ++i;
      }
      ++i;  // closing quote
      if (!stack.empty() && !stack.back().is_array && stack.back().expect_key) {
        pending_key = std::move(s);
        stack.back().expect_key = false;
      } else {
        value_starts(start);
      }
    } else if (c == '{' || c == '[') {
      value_starts(i);
      Frame f;
      f.is_array = c == '[';
      f.key = !stack.empty() && !stack.back().is_array ? pending_key : std::string();
      f.is_target = f.is_array && keys_match(f.key);
      f.expect_key = c == '{';
      stack.push_back(std::move(f));
      ++i;
    } else if (c == '}' || c == ']') {
      if (!stack.empty()) stack.pop_back();
      ++i;
    } else if (c == ',') {
      if (!stack.empty() && !stack.back().is_array) stack.back().expect_key = true;
      ++i;
    } else if (c == ':' || c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
    } else {  // a number, true, false or null
      value_starts(i);
      while (i < text.size() && text[i] != ',' && text[i] != '}' && text[i] != ']' &&
             text[i] != ' ' && text[i] != '\n' && text[i] != '\r' && text[i] != '\t') {
        ++i;
      }
    }
  }
  return out;
}

// Reads one event object; the first problem becomes `error` (field + message).
class EventReader {
 public:
  explicit EventReader(const Json& j) : j_(j) {}

  std::optional<FieldError> read(EpcisEvent& e) {
    if (!j_.is_object())
      return FieldError{"event", std::string("expected an object, got ") + type_name(j_)};
    const std::string type = str("type");
    if (error_) return error_;
    if (type.empty()) return FieldError{"type", "missing (required)"};
    std::optional<EpcisEventType> t = parse_epcis_event_type(type);
    if (!t) {
      return FieldError{"type", "unknown event type '" + type +
                                    "' (expected ObjectEvent, AggregationEvent, TransactionEvent, "
                                    "TransformationEvent or AssociationEvent)"};
    }
    e.type = *t;
    const std::string time = str("eventTime");
    const std::string zone = str("eventTimeZoneOffset");
    if (error_) return error_;
    if (std::optional<FieldError> te = set_event_time(e, time, zone)) return te;
    const std::string record_time = str("recordTime");
    if (!record_time.empty() && !error_) {
      Result<TimeNs> rt = parse_instant_ns(record_time, /*allow_date=*/false);
      if (!rt)
        return FieldError{"recordTime",
                          "bad timestamp '" + record_time + "' (" + rt.error().message + ")"};
      e.record_time_ns = *rt;
    }
    e.event_id = str("eventID");
    const std::string action = str("action");
    if (!action.empty()) {
      std::optional<EpcisAction> a = parse_epcis_action(action);
      if (!a) fail("action", "unknown action '" + action + "' (expected ADD, OBSERVE or DELETE)");
      e.action = a.value_or(EpcisAction::kNone);
    }
    e.epc_list = str_list("epcList");
    e.parent_id = str("parentID");
    e.child_epcs = str_list("childEPCs");
    e.input_epc_list = str_list("inputEPCList");
    e.output_epc_list = str_list("outputEPCList");
    e.quantity_list = quantities("quantityList");
    e.child_quantity_list = quantities("childQuantityList");
    e.input_quantity_list = quantities("inputQuantityList");
    e.output_quantity_list = quantities("outputQuantityList");
    e.transformation_id = str("transformationID");
    e.biz_step = cbv_bare_word(str("bizStep"), CbvVocabulary::kBizStep);
    e.disposition = cbv_bare_word(str("disposition"), CbvVocabulary::kDisposition);
    e.read_point = location("readPoint");
    e.biz_location = location("bizLocation");
    e.biz_transactions = biz_transactions();
    e.sources = parties("sourceList", "source");
    e.destinations = parties("destinationList", "destination");
    ilmd(e);
    if (error_) return error_;
    return check_required(e);
  }

 private:
  void fail(std::string field, std::string message) {
    if (!error_) error_ = FieldError{std::move(field), std::move(message)};
  }
  static std::string wrong(const char* expected, const Json& got) {
    return std::string("expected ") + expected + ", got " + type_name(got);
  }
  // A string member of `obj` ("" when absent); `field` names it in errors.
  std::string str_of(const Json& obj, const char* key, const std::string& field) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return {};
    if (!it->is_string()) {
      fail(field, wrong("a string", *it));
      return {};
    }
    return it->get<std::string>();
  }
  std::string str(const char* key) { return str_of(j_, key, key); }
  std::vector<std::string> str_list(const char* key) {
    std::vector<std::string> out;
    auto it = j_.find(key);
    if (it == j_.end() || it->is_null()) return out;
    if (!it->is_array()) {
      fail(key, wrong("a list of strings", *it));
      return out;
    }
    for (std::size_t i = 0; i < it->size(); ++i) {
      const Json& v = (*it)[i];
      if (!v.is_string()) {
        fail(std::string(key) + "[" + std::to_string(i) + "]", wrong("a string", v));
        return out;
      }
      out.push_back(v.get<std::string>());
    }
    return out;
  }
  // A list of objects under `key`, each passed to `each(object, field_name)`.
  template <class Each>
  void objects(const char* key, Each each) {
    auto it = j_.find(key);
    if (it == j_.end() || it->is_null()) return;
    if (!it->is_array()) {
      fail(key, wrong("a list", *it));
      return;
    }
    for (std::size_t i = 0; i < it->size(); ++i) {
      const std::string field = std::string(key) + "[" + std::to_string(i) + "]";
      const Json& v = (*it)[i];
      if (!v.is_object()) {
        fail(field, wrong("an object", v));
        return;
      }
      each(v, field);
    }
  }
  std::vector<EpcisQuantity> quantities(const char* key) {
    std::vector<EpcisQuantity> out;
    objects(key, [&](const Json& q, const std::string& field) {
      EpcisQuantity e;
      e.epc_class = str_of(q, "epcClass", field + ".epcClass");
      if (e.epc_class.empty()) fail(field + ".epcClass", "missing (required)");
      auto it = q.find("quantity");
      if (it != q.end() && !it->is_null()) {
        if (!it->is_number()) {
          fail(field + ".quantity", wrong("a number", *it));
        } else if (it->get<double>() < 0) {
          fail(field + ".quantity", "negative");
        } else {
          e.quantity = it->get<double>();
        }
      }
      e.uom = str_of(q, "uom", field + ".uom");
      out.push_back(std::move(e));
    });
    return out;
  }
  // readPoint / bizLocation: {"id": "..."} (or, leniently, the id as a plain string).
  std::string location(const char* key) {
    auto it = j_.find(key);
    if (it == j_.end() || it->is_null()) return {};
    if (it->is_string()) return it->get<std::string>();
    if (!it->is_object()) {
      fail(key, wrong("an object with an id", *it));
      return {};
    }
    std::string id = str_of(*it, "id", std::string(key) + ".id");
    if (id.empty()) fail(std::string(key) + ".id", "missing (required)");
    return id;
  }
  std::vector<EpcisBizTransaction> biz_transactions() {
    std::vector<EpcisBizTransaction> out;
    objects("bizTransactionList", [&](const Json& b, const std::string& field) {
      EpcisBizTransaction t;
      t.type =
          cbv_bare_word(str_of(b, "type", field + ".type"), CbvVocabulary::kBizTransactionType);
      t.id = str_of(b, "bizTransaction", field + ".bizTransaction");
      if (t.id.empty()) fail(field + ".bizTransaction", "missing (required)");
      out.push_back(std::move(t));
    });
    return out;
  }
  std::vector<EpcisParty> parties(const char* key, const char* id_key) {
    std::vector<EpcisParty> out;
    objects(key, [&](const Json& p, const std::string& field) {
      EpcisParty party;
      party.type =
          cbv_bare_word(str_of(p, "type", field + ".type"), CbvVocabulary::kSourceDestType);
      party.id = str_of(p, id_key, field + "." + id_key);
      if (party.type.empty()) fail(field + ".type", "missing (required)");
      if (party.id.empty()) fail(field + "." + id_key, "missing (required)");
      out.push_back(std::move(party));
    });
    return out;
  }
  void ilmd(EpcisEvent& e) {
    auto it = j_.find("ilmd");
    if (it == j_.end() || it->is_null()) return;
    if (!it->is_object()) {
      fail("ilmd", wrong("an object", *it));
      return;
    }
    for (const auto& [key, value] : it->items()) {
      const std::string_view name = local_name(key);
      if (name == "lotNumber") {
        e.lot_number = str_of(*it, key.c_str(), "ilmd." + key);
      } else if (name == "itemExpirationDate") {
        const std::string date = str_of(*it, key.c_str(), "ilmd." + key);
        if (date.empty()) continue;
        Result<TimeNs> t = parse_instant_ns(date, /*allow_date=*/true);
        if (!t) {
          fail("ilmd." + key, "bad date '" + date + "' (" + t.error().message + ")");
        } else {
          e.item_expiration_ns = *t;
        }
      }
    }
  }

  const Json& j_;
  std::optional<FieldError> error_;
};

}  // namespace

std::uint64_t line_of_offset(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  return 1 + static_cast<std::uint64_t>(std::count(text.begin(), text.begin() + offset, '\n'));
}

Result<EpcisDocument> read_epcis_json(std::string_view text, const std::string& file,
                                      const EpcisReadOptions& options) {
  Json root;
  try {
    root = Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& e) {
    // e.byte is the 1-based position where the parser stopped.
    const std::size_t at = e.byte > 0 ? e.byte - 1 : 0;
    std::string what = e.what();
    // nlohmann's text: "[json.exception.parse_error.101] parse error at line 3, column 5: ..."
    if (const std::size_t cut = what.find(": "); cut != std::string::npos) {
      what = what.substr(cut + 2);
    }
    return Error{file + ":" + std::to_string(line_of_offset(text, at)) +
                 ": JSON syntax error: " + what};
  } catch (const Json::exception& e) {  // e.g. a number beyond double's range
    std::string what = e.what();
    if (const std::size_t cut = what.find("] "); cut != std::string::npos) {
      what = what.substr(cut + 2);
    }
    return Error{file + ": JSON error: " + what};
  }

  EpcisDocument doc;
  const Json* list = nullptr;
  std::vector<std::string> path;
  Json single;
  if (root.is_array()) {
    list = &root;
  } else if (root.is_object() && root.contains("epcisBody")) {
    if (auto v = root.find("schemaVersion"); v != root.end() && v->is_string()) {
      doc.schema_version = v->get<std::string>();
    }
    const Json& body = root["epcisBody"];
    if (body.is_object() && body.contains("eventList")) {
      list = &body["eventList"];
      path = {"epcisBody", "eventList"};
    } else if (body.is_object() && body.contains("queryResults")) {
      const Json& qr = body["queryResults"];
      if (qr.is_object() && qr.contains("resultsBody") && qr["resultsBody"].is_object() &&
          qr["resultsBody"].contains("eventList")) {
        list = &qr["resultsBody"]["eventList"];
        path = {"epcisBody", "queryResults", "resultsBody", "eventList"};
      }
    }
    if (list == nullptr) {
      return Error{file +
                   ":1: epcisBody: no eventList (expected epcisBody.eventList or "
                   "epcisBody.queryResults.resultsBody.eventList)"};
    }
    if (!list->is_array()) {
      return Error{file + ":1: epcisBody.eventList: expected a list, got " + type_name(*list)};
    }
  } else if (root.is_object() && root.contains("type")) {
    single = Json::array({root});
    list = &single;
  } else {
    return Error{file +
                 ":1: expected an EPCIS document (epcisBody.eventList), an event or a list of "
                 "events"};
  }

  const std::vector<std::size_t> offsets =
      list == &single ? std::vector<std::size_t>{text.find('{')} : element_offsets(text, path);
  for (std::size_t i = 0; i < list->size(); ++i) {
    const Json& j = (*list)[i];
    EpcisEvent e;
    e.index = i;
    e.line = i < offsets.size() ? line_of_offset(text, offsets[i]) : 0;
    EventReader reader(j);
    if (std::optional<FieldError> err = reader.read(e)) {
      if (options.skip_malformed) {
        ++doc.skipped_events;
        continue;
      }
      std::string type;
      if (j.is_object() && j.contains("type") && j["type"].is_string()) {
        type = " " + j["type"].get<std::string>();
      }
      return Error{file + ":" + std::to_string(e.line) + ": eventList[" + std::to_string(i) + "]" +
                   type + ": " + err->field + ": " + err->message};
    }
    doc.events.push_back(std::move(e));
  }
  return doc;
}

Result<EpcisDocument> read_epcis_json_file(const std::string& path,
                                           const EpcisReadOptions& options) {
  Result<std::string> text = read_text_file(path);
  if (!text) return text.error();
  return read_epcis_json(*text, path, options);
}

}  // namespace hlsim::trace
