#include "workloads/trace/epcis_xml.h"

#include <expat.h>

#include <algorithm>
#include <memory>
#include <set>
#include <utility>
#include <vector>

#include "sim/kernel/params.h"
#include "workloads/trace/iso_time.h"
#include "workloads/trace/text_file.h"

namespace hlsim::trace {
namespace {

// One element of an event being read: the event is kept as a small tree until its end tag, then
// converted. Names are local (prefix dropped).
struct Node {
  std::string name;
  std::uint64_t line = 0;
  std::vector<std::pair<std::string, std::string>> attributes;
  std::string text;
  std::vector<std::unique_ptr<Node>> children;

  std::string attribute(std::string_view key) const {
    for (const auto& [k, v] : attributes) {
      if (k == key) return v;
    }
    return {};
  }
};

std::string_view trim(std::string_view s) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::string xml_local(const char* name) {
  const std::string_view n(name);
  const std::size_t colon = n.rfind(':');
  return std::string(colon == std::string_view::npos ? n : n.substr(colon + 1));
}

struct XmlFieldError {
  std::uint64_t line = 0;
  std::string field;
  std::string message;
};

// Converts one event tree. The first problem is kept with the line of its element.
class EventConverter {
 public:
  std::optional<XmlFieldError> convert(const Node& root, EpcisEvent& e) {
    e.line = root.line;
    std::vector<const Node*> fields;
    flatten(root, fields);
    std::string event_time;
    std::string zone;
    std::uint64_t time_line = root.line;
    std::uint64_t zone_line = root.line;
    std::set<std::string> seen;
    for (const Node* f : fields) {
      const std::string& n = f->name;
      static const std::set<std::string> kSingle = {"eventTime",        "eventTimeZoneOffset",
                                                    "recordTime",       "eventID",
                                                    "action",           "parentID",
                                                    "bizStep",          "disposition",
                                                    "readPoint",        "bizLocation",
                                                    "transformationID", "ilmd"};
      if (kSingle.contains(n) && !seen.insert(n).second) {
        fail(f->line, n, "appears twice");
        continue;
      }
      const std::string text(trim(f->text));
      if (n == "eventTime") {
        event_time = text;
        time_line = f->line;
      } else if (n == "eventTimeZoneOffset") {
        zone = text;
        zone_line = f->line;
      } else if (n == "recordTime") {
        Result<TimeNs> t = parse_instant_ns(text, /*allow_date=*/false);
        if (!t) {
          fail(f->line, n, "bad timestamp '" + text + "' (" + t.error().message + ")");
        } else {
          e.record_time_ns = *t;
        }
      } else if (n == "eventID") {
        e.event_id = text;
      } else if (n == "action") {
        std::optional<EpcisAction> a = parse_epcis_action(text);
        if (!a) fail(f->line, n, "unknown action '" + text + "' (expected ADD, OBSERVE or DELETE)");
        e.action = a.value_or(EpcisAction::kNone);
      } else if (n == "parentID") {
        e.parent_id = text;
      } else if (n == "transformationID") {
        e.transformation_id = text;
      } else if (n == "bizStep") {
        e.biz_step = cbv_bare_word(text, CbvVocabulary::kBizStep);
      } else if (n == "disposition") {
        e.disposition = cbv_bare_word(text, CbvVocabulary::kDisposition);
      } else if (n == "epcList") {
        e.epc_list = epcs(*f);
      } else if (n == "childEPCs") {
        e.child_epcs = epcs(*f);
      } else if (n == "inputEPCList") {
        e.input_epc_list = epcs(*f);
      } else if (n == "outputEPCList") {
        e.output_epc_list = epcs(*f);
      } else if (n == "quantityList") {
        e.quantity_list = quantities(*f);
      } else if (n == "childQuantityList") {
        e.child_quantity_list = quantities(*f);
      } else if (n == "inputQuantityList") {
        e.input_quantity_list = quantities(*f);
      } else if (n == "outputQuantityList") {
        e.output_quantity_list = quantities(*f);
      } else if (n == "readPoint") {
        e.read_point = location(*f);
      } else if (n == "bizLocation") {
        e.biz_location = location(*f);
      } else if (n == "bizTransactionList") {
        for (const auto& c : f->children) {
          if (c->name != "bizTransaction") continue;
          EpcisBizTransaction t;
          t.type = cbv_bare_word(c->attribute("type"), CbvVocabulary::kBizTransactionType);
          t.id = std::string(trim(c->text));
          if (t.id.empty()) fail(c->line, "bizTransaction", "empty (required)");
          e.biz_transactions.push_back(std::move(t));
        }
      } else if (n == "sourceList" || n == "destinationList") {
        const std::string item = n == "sourceList" ? "source" : "destination";
        for (const auto& c : f->children) {
          if (c->name != item) continue;
          EpcisParty p;
          p.type = cbv_bare_word(c->attribute("type"), CbvVocabulary::kSourceDestType);
          p.id = std::string(trim(c->text));
          if (p.type.empty()) fail(c->line, item + "@type", "missing (required)");
          if (p.id.empty()) fail(c->line, item, "empty (required)");
          (n == "sourceList" ? e.sources : e.destinations).push_back(std::move(p));
        }
      } else if (n == "ilmd") {
        ilmd(*f, e);
      }
    }
    if (error_) return error_;
    if (std::optional<FieldError> te = set_event_time(e, event_time, zone)) {
      return XmlFieldError{te->field == "eventTimeZoneOffset" ? zone_line : time_line, te->field,
                           te->message};
    }
    if (std::optional<FieldError> re = check_required(e)) {
      return XmlFieldError{root.line, re->field, re->message};
    }
    return std::nullopt;
  }

 private:
  void fail(std::uint64_t line, std::string field, std::string message) {
    if (!error_) error_ = XmlFieldError{line, std::move(field), std::move(message)};
  }
  // The event's fields with `extension` / `baseExtension` wrappers opened, in document order.
  static void flatten(const Node& n, std::vector<const Node*>& out) {
    for (const auto& c : n.children) {
      if (c->name == "extension" || c->name == "baseExtension") {
        flatten(*c, out);
      } else {
        out.push_back(c.get());
      }
    }
  }
  std::vector<std::string> epcs(const Node& list) {
    std::vector<std::string> out;
    for (const auto& c : list.children) {
      if (c->name != "epc") continue;
      std::string v(trim(c->text));
      if (v.empty()) fail(c->line, list.name + ".epc", "empty");
      out.push_back(std::move(v));
    }
    return out;
  }
  std::vector<EpcisQuantity> quantities(const Node& list) {
    std::vector<EpcisQuantity> out;
    for (const auto& c : list.children) {
      if (c->name != "quantityElement") continue;
      EpcisQuantity q;
      for (const auto& f : c->children) {
        const std::string text(trim(f->text));
        if (f->name == "epcClass") {
          q.epc_class = text;
        } else if (f->name == "quantity") {
          double v = 0;
          if (!parse_double(text, v) || v < 0) {
            fail(f->line, list.name + ".quantity",
                 "bad quantity '" + text + "' (expected a number >= 0)");
          } else {
            q.quantity = v;
          }
        } else if (f->name == "uom") {
          q.uom = text;
        }
      }
      if (q.epc_class.empty()) fail(c->line, list.name + ".epcClass", "missing (required)");
      out.push_back(std::move(q));
    }
    return out;
  }
  std::string location(const Node& n) {
    for (const auto& c : n.children) {
      if (c->name == "id") return std::string(trim(c->text));
    }
    fail(n.line, n.name + ".id", "missing (required)");
    return {};
  }
  void ilmd(const Node& n, EpcisEvent& e) {
    std::vector<const Node*> fields;
    flatten(n, fields);
    for (const Node* f : fields) {
      const std::string text(trim(f->text));
      if (f->name == "lotNumber") {
        e.lot_number = text;
      } else if (f->name == "itemExpirationDate") {
        Result<TimeNs> t = parse_instant_ns(text, /*allow_date=*/true);
        if (!t) {
          fail(f->line, "ilmd.itemExpirationDate",
               "bad date '" + text + "' (" + t.error().message + ")");
        } else {
          e.item_expiration_ns = *t;
        }
      }
    }
  }

  std::optional<XmlFieldError> error_;
};

constexpr std::size_t kMaxEventDepth = 64;

// The expat callbacks' state.
class XmlReader {
 public:
  XmlReader(const std::string& file, const EpcisReadOptions& options)
      : file_(file), options_(options), parser_(XML_ParserCreate(nullptr)) {}
  ~XmlReader() { XML_ParserFree(parser_); }
  XmlReader(const XmlReader&) = delete;
  XmlReader& operator=(const XmlReader&) = delete;

  Result<EpcisDocument> run(std::string_view text) {
    if (parser_ == nullptr) return Error{file_ + ": cannot create an XML parser"};
    XML_SetUserData(parser_, this);
    XML_SetElementHandler(parser_, &XmlReader::on_start, &XmlReader::on_end);
    XML_SetCharacterDataHandler(parser_, &XmlReader::on_text);
    XML_SetStartDoctypeDeclHandler(parser_, &XmlReader::on_doctype);
    constexpr std::size_t kChunkBytes = 1 << 20;
    std::size_t pos = 0;
    do {
      const std::size_t n = std::min(kChunkBytes, text.size() - pos);
      const bool last = pos + n == text.size();
      if (XML_Parse(parser_, text.data() + pos, static_cast<int>(n), last ? XML_TRUE : XML_FALSE) !=
          XML_STATUS_OK) {
        if (error_) return *error_;
        const XML_Error code = XML_GetErrorCode(parser_);
        const bool truncated = code == XML_ERROR_NO_ELEMENTS || code == XML_ERROR_UNCLOSED_TOKEN ||
                               code == XML_ERROR_PARTIAL_CHAR;
        return Error{file_ + ":" + std::to_string(XML_GetCurrentLineNumber(parser_)) +
                     ": XML error: " + XML_ErrorString(code) +
                     (truncated ? " (the document is truncated?)" : "")};
      }
      pos += n;
    } while (pos < text.size());
    if (!saw_event_list_) {
      return Error{file_ + ":" + std::to_string(root_line_) +
                   ": no EventList (expected EPCISDocument/EPCISBody/EventList)"};
    }
    return std::move(doc_);
  }

 private:
  struct Level {
    std::string name;
    bool event_container = false;  // EventList or an extension directly inside one
    bool ignored = false;          // inside a skipped unknown element
  };

  std::uint64_t line() const { return XML_GetCurrentLineNumber(parser_); }

  void stop(std::string message) {
    if (!error_) error_ = Error{std::move(message)};
    XML_StopParser(parser_, XML_FALSE);
  }

  static void XMLCALL on_doctype(void* self, const XML_Char* /*name*/, const XML_Char* /*sysid*/,
                                 const XML_Char* /*pubid*/, int /*has_internal_subset*/) {
    auto* r = static_cast<XmlReader*>(self);
    r->stop(r->file_ + ":" + std::to_string(r->line()) + ": DOCTYPE not allowed in EPCIS");
  }

  static void XMLCALL on_start(void* self, const XML_Char* name, const XML_Char** attrs) {
    static_cast<XmlReader*>(self)->start(name, attrs);
  }
  static void XMLCALL on_end(void* self, const XML_Char* /*name*/) {
    static_cast<XmlReader*>(self)->end();
  }
  static void XMLCALL on_text(void* self, const XML_Char* s, int len) {
    auto* r = static_cast<XmlReader*>(self);
    if (!r->capture_.empty()) r->capture_.back()->text.append(s, static_cast<std::size_t>(len));
  }

  void start(const char* raw_name, const char** attrs) {
    const std::string name = xml_local(raw_name);
    if (!capture_.empty()) {  // inside an event
      // The event tree is freed and walked recursively: bound its depth (real events nest a
      // handful of levels).
      if (capture_.size() >= kMaxEventDepth) {
        stop(file_ + ":" + std::to_string(line()) + ": " + event_->name + ": elements nested " +
             "deeper than " + std::to_string(kMaxEventDepth) + " levels");
        return;
      }
      auto node = std::make_unique<Node>();
      node->name = name;
      node->line = line();
      for (std::size_t i = 0; attrs[i] != nullptr; i += 2) {
        node->attributes.emplace_back(xml_local(attrs[i]), attrs[i + 1]);
      }
      Node* raw = node.get();
      capture_.back()->children.push_back(std::move(node));
      capture_.push_back(raw);
      return;
    }
    Level level{name};
    const Level* parent = levels_.empty() ? nullptr : &levels_.back();
    if (parent == nullptr) {
      root_line_ = line();
      if (name != "EPCISDocument" && name != "EPCISQueryDocument") {
        stop(file_ + ":" + std::to_string(line()) +
             ": expected <EPCISDocument> or <EPCISQueryDocument> as the root element, got <" +
             name + ">");
        return;
      }
      for (std::size_t i = 0; attrs[i] != nullptr; i += 2) {
        if (xml_local(attrs[i]) == "schemaVersion") doc_.schema_version = attrs[i + 1];
      }
    } else if (parent->ignored) {
      level.ignored = true;
    } else if (parent->event_container) {
      if (name == "extension") {
        level.event_container = true;
      } else if (std::optional<EpcisEventType> t = parse_epcis_event_type(name)) {
        event_ = std::make_unique<Node>();
        event_->name = name;
        event_->line = line();
        capture_.push_back(event_.get());
        return;
      } else {
        const std::string msg = file_ + ":" + std::to_string(line()) +
                                ": EventList: unknown event type '" + name +
                                "' (expected ObjectEvent, AggregationEvent, TransactionEvent, "
                                "TransformationEvent or AssociationEvent)";
        ++event_index_;
        if (!options_.skip_malformed) {
          stop(msg);
          return;
        }
        ++doc_.skipped_events;
        level.ignored = true;
      }
    } else if (name == "EventList") {
      level.event_container = true;
      saw_event_list_ = true;
    }
    levels_.push_back(std::move(level));
  }

  void end() {
    if (!capture_.empty()) {
      capture_.pop_back();
      if (capture_.empty()) finish_event();
      return;
    }
    if (!levels_.empty()) levels_.pop_back();
  }

  void finish_event() {
    EpcisEvent e;
    e.index = event_index_++;
    e.type = *parse_epcis_event_type(event_->name);
    EventConverter converter;
    std::optional<XmlFieldError> err = converter.convert(*event_, e);
    const std::string type = event_->name;
    event_.reset();
    if (err) {
      if (options_.skip_malformed) {
        ++doc_.skipped_events;
        return;
      }
      stop(file_ + ":" + std::to_string(err->line) + ": " + type + " (event " +
           std::to_string(e.index) + "): " + err->field + ": " + err->message);
      return;
    }
    doc_.events.push_back(std::move(e));
  }

  const std::string& file_;
  const EpcisReadOptions& options_;
  XML_Parser parser_;
  std::vector<Level> levels_;    // document elements outside events
  std::unique_ptr<Node> event_;  // the event being read
  std::vector<Node*> capture_;   // open elements of event_, innermost last
  std::size_t event_index_ = 0;
  std::uint64_t root_line_ = 1;
  bool saw_event_list_ = false;
  EpcisDocument doc_;
  std::optional<Error> error_;
};

}  // namespace

Result<EpcisDocument> read_epcis_xml(std::string_view text, const std::string& file,
                                     const EpcisReadOptions& options) {
  XmlReader reader(file, options);
  return reader.run(text);
}

Result<EpcisDocument> read_epcis_xml_file(const std::string& path,
                                          const EpcisReadOptions& options) {
  Result<std::string> text = read_text_file(path);
  if (!text) return text.error();
  return read_epcis_xml(*text, path, options);
}

}  // namespace hlsim::trace
