#include "workloads/trace/epcis.h"

#include <array>

#include "workloads/trace/iso_time.h"

namespace hlsim::trace {

const char* to_string(EpcisEventType t) {
  switch (t) {
    case EpcisEventType::kObject:
      return "ObjectEvent";
    case EpcisEventType::kAggregation:
      return "AggregationEvent";
    case EpcisEventType::kTransaction:
      return "TransactionEvent";
    case EpcisEventType::kTransformation:
      return "TransformationEvent";
    case EpcisEventType::kAssociation:
      return "AssociationEvent";
  }
  return "?";
}

std::optional<EpcisEventType> parse_epcis_event_type(std::string_view name) {
  for (EpcisEventType t :
       {EpcisEventType::kObject, EpcisEventType::kAggregation, EpcisEventType::kTransaction,
        EpcisEventType::kTransformation, EpcisEventType::kAssociation}) {
    if (name == to_string(t)) return t;
  }
  return std::nullopt;
}

const char* to_string(EpcisAction a) {
  switch (a) {
    case EpcisAction::kNone:
      return "";
    case EpcisAction::kAdd:
      return "ADD";
    case EpcisAction::kObserve:
      return "OBSERVE";
    case EpcisAction::kDelete:
      return "DELETE";
  }
  return "?";
}

std::optional<EpcisAction> parse_epcis_action(std::string_view text) {
  if (text == "ADD") return EpcisAction::kAdd;
  if (text == "OBSERVE") return EpcisAction::kObserve;
  if (text == "DELETE") return EpcisAction::kDelete;
  return std::nullopt;
}

std::string cbv_bare_word(std::string_view value, CbvVocabulary vocabulary) {
  struct Prefixes {
    std::string_view urn;  // CBV 1.x
    std::string_view web;  // CBV 2.0 web vocabulary, after https://ref.gs1.org/cbv/
  };
  static constexpr std::array<Prefixes, 4> kPrefixes = {{
      {"urn:epcglobal:cbv:bizstep:", "BizStep-"},
      {"urn:epcglobal:cbv:disp:", "Disp-"},
      {"urn:epcglobal:cbv:btt:", "BTT-"},
      {"urn:epcglobal:cbv:sdt:", "SDT-"},
  }};
  const Prefixes& p = kPrefixes[static_cast<std::size_t>(vocabulary)];
  if (value.starts_with(p.urn)) return std::string(value.substr(p.urn.size()));
  for (std::string_view base :
       {std::string_view("https://ref.gs1.org/cbv/"), std::string_view("https://gs1.org/voc/")}) {
    if (value.starts_with(base) && value.substr(base.size()).starts_with(p.web)) {
      return std::string(value.substr(base.size() + p.web.size()));
    }
  }
  return std::string(value);
}

std::string_view local_name(std::string_view name) {
  const std::size_t cut = name.find_last_of(":#/");
  return cut == std::string_view::npos ? name : name.substr(cut + 1);
}

std::optional<FieldError> set_event_time(EpcisEvent& e, std::string_view event_time,
                                         std::string_view zone_offset) {
  std::optional<std::int32_t> offset;
  if (!zone_offset.empty()) {
    Result<std::int32_t> z = parse_utc_offset_minutes(zone_offset);
    if (!z) {
      return FieldError{"eventTimeZoneOffset", "bad offset '" + std::string(zone_offset) + "' (" +
                                                   z.error().message + ")"};
    }
    offset = *z;
  }
  if (event_time.empty()) return FieldError{"eventTime", "missing (required)"};
  Result<IsoTime> t = parse_iso_time(event_time);
  if (!t || t->date_only) {
    return FieldError{"eventTime",
                      "bad timestamp '" + std::string(event_time) + "' (" +
                          (t ? "expected a date-time, got a date" : t.error().message) + ")"};
  }
  const std::optional<std::int32_t> zone = t->offset_minutes ? t->offset_minutes : offset;
  if (!zone) {
    return FieldError{"eventTime",
                      "no zone in '" + std::string(event_time) + "' and no eventTimeZoneOffset"};
  }
  e.event_time_ns = t->wall_ns - static_cast<TimeNs>(*zone) * 60 * kNsPerSec;
  e.time_zone_offset_minutes = offset.value_or(*zone);
  return std::nullopt;
}

std::optional<FieldError> check_required(const EpcisEvent& e) {
  const bool has_action = e.action != EpcisAction::kNone;
  switch (e.type) {
    case EpcisEventType::kObject:
      if (!has_action) return FieldError{"action", "missing (required: ADD, OBSERVE or DELETE)"};
      break;
    case EpcisEventType::kAggregation:
      if (!has_action) return FieldError{"action", "missing (required: ADD, OBSERVE or DELETE)"};
      if (e.parent_id.empty() && e.action != EpcisAction::kObserve) {
        return FieldError{"parentID", "missing (required unless the action is OBSERVE)"};
      }
      break;
    case EpcisEventType::kTransaction:
      if (!has_action) return FieldError{"action", "missing (required: ADD, OBSERVE or DELETE)"};
      if (e.biz_transactions.empty()) {
        return FieldError{"bizTransactionList", "missing or empty (required)"};
      }
      break;
    case EpcisEventType::kTransformation:
      if (has_action) return FieldError{"action", "not allowed on a TransformationEvent"};
      if (e.input_epc_list.empty() && e.output_epc_list.empty() && e.input_quantity_list.empty() &&
          e.output_quantity_list.empty() && e.transformation_id.empty()) {
        return FieldError{"inputEPCList",
                          "missing: a TransformationEvent needs inputs, outputs or a "
                          "transformationID"};
      }
      break;
    case EpcisEventType::kAssociation:
      if (!has_action) return FieldError{"action", "missing (required: ADD, OBSERVE or DELETE)"};
      if (e.parent_id.empty()) return FieldError{"parentID", "missing (required)"};
      break;
  }
  return std::nullopt;
}

}  // namespace hlsim::trace
