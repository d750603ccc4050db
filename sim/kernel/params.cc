#include "sim/kernel/params.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace hlsim {

const char* to_string(ParamType t) {
  switch (t) {
    case ParamType::kInt:
      return "integer";
    case ParamType::kDouble:
      return "number";
    case ParamType::kBool:
      return "boolean";
    case ParamType::kString:
      return "string";
  }
  return "?";
}

bool parse_int(std::string_view text, std::int64_t& out) {
  if (text.empty()) return false;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  if (*begin == '+') ++begin;
  auto [ptr, ec] = std::from_chars(begin, end, out);
  if (ec == std::errc() && ptr == end) return true;
  // Accept integral values written as numbers, e.g. 1e6 or 2000.0.
  double d = 0;
  if (!parse_double(text, d) || d != std::floor(d) || std::fabs(d) > 9.0e15) return false;
  out = static_cast<std::int64_t>(d);
  return true;
}

bool parse_double(std::string_view text, double& out) {
  if (text.empty()) return false;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  if (*begin == '+') ++begin;
  auto [ptr, ec] = std::from_chars(begin, end, out, std::chars_format::general);
  return ec == std::errc() && ptr == end && std::isfinite(out);
}

bool parse_bool(std::string_view text, bool& out) {
  if (text == "true" || text == "yes" || text == "on") {
    out = true;
    return true;
  }
  if (text == "false" || text == "no" || text == "off") {
    out = false;
    return true;
  }
  return false;
}

namespace {

ParamSpec make_spec(std::string name, ParamType type, std::string default_value, std::string unit,
                    std::string help, double min, double max) {
  ParamSpec p;
  p.name = std::move(name);
  p.type = type;
  p.default_value = std::move(default_value);
  p.unit = std::move(unit);
  p.help = std::move(help);
  p.min = min;
  p.max = max;
  return p;
}

}  // namespace

ParamSpec int_param(std::string name, std::string default_value, std::string unit, std::string help,
                    double min, double max) {
  return make_spec(std::move(name), ParamType::kInt, std::move(default_value), std::move(unit),
                   std::move(help), min, max);
}

ParamSpec number_param(std::string name, std::string default_value, std::string unit,
                       std::string help, double min, double max) {
  return make_spec(std::move(name), ParamType::kDouble, std::move(default_value), std::move(unit),
                   std::move(help), min, max);
}

ParamSpec string_param(std::string name, std::string default_value, std::string help,
                       std::vector<std::string> choices) {
  ParamSpec p =
      make_spec(std::move(name), ParamType::kString, std::move(default_value), "", std::move(help),
                -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity());
  p.choices = std::move(choices);
  return p;
}

ParamSpec bool_param(std::string name, std::string default_value, std::string help) {
  return make_spec(std::move(name), ParamType::kBool, std::move(default_value), "", std::move(help),
                   -std::numeric_limits<double>::infinity(),
                   std::numeric_limits<double>::infinity());
}

namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string format_number(double v) {
  char buf[64];
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
  }
  std::snprintf(buf, sizeof buf, "%.17g", v);
  // Prefer the shortest form that round-trips.
  for (int precision = 1; precision <= 17; ++precision) {
    char trial[64];
    std::snprintf(trial, sizeof trial, "%.*g", precision, v);
    double back = 0;
    if (parse_double(trial, back) && back == v) return trial;
  }
  return buf;
}

std::string bound_text(const ParamSpec& spec) {
  const bool has_min = std::isfinite(spec.min);
  const bool has_max = std::isfinite(spec.max);
  if (has_min && has_max)
    return " in [" + format_number(spec.min) + ", " + format_number(spec.max) + "]";
  if (has_min) return " >= " + format_number(spec.min);
  if (has_max) return " <= " + format_number(spec.max);
  return "";
}

// Validates one value and returns its canonical text.
Result<std::string> canonical(const ParamSpec& spec, const std::string& text,
                              const std::string& key) {
  auto fail = [&](const std::string& expected) {
    return Error{key + ": expected " + expected + ", got '" + text + "'"};
  };
  switch (spec.type) {
    case ParamType::kInt: {
      std::int64_t v = 0;
      if (!parse_int(text, v)) return fail("an integer" + bound_text(spec));
      const auto d = static_cast<double>(v);
      if (d < spec.min || d > spec.max) return fail("an integer" + bound_text(spec));
      return std::to_string(v);
    }
    case ParamType::kDouble: {
      double v = 0;
      if (!parse_double(text, v)) return fail("a number" + bound_text(spec));
      if (v < spec.min || v > spec.max) return fail("a number" + bound_text(spec));
      return format_number(v);
    }
    case ParamType::kBool: {
      bool v = false;
      if (!parse_bool(text, v)) return fail("true or false");
      return std::string(v ? "true" : "false");
    }
    case ParamType::kString: {
      if (!spec.choices.empty() &&
          std::find(spec.choices.begin(), spec.choices.end(), text) == spec.choices.end()) {
        std::string list;
        for (const auto& c : spec.choices) list += (list.empty() ? "" : ", ") + c;
        std::string hint = closest_match(text, spec.choices);
        return Error{key + ": expected one of {" + list + "}, got '" + text + "'" +
                     (hint.empty() ? "" : " (did you mean '" + hint + "'?)")};
      }
      return text;
    }
  }
  return fail("a value");
}

}  // namespace

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = static_cast<std::size_t>(-1);
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  if (best.empty() || best_distance > 3 ||
      best_distance * 2 > std::max<std::size_t>(word.size(), 2)) {
    return "";
  }
  return best;
}

Result<ParamValues> ParamValues::parse(const std::vector<ParamSpec>& specs,
                                       const std::map<std::string, std::string>& given,
                                       std::string_view key_prefix) {
  const std::string prefix = key_prefix.empty() ? "" : std::string(key_prefix) + ".";
  std::vector<std::string> names;
  names.reserve(specs.size());
  for (const auto& s : specs) names.push_back(s.name);

  for (const auto& [name, value] : given) {
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      const std::string hint = closest_match(name, names);
      return Error{prefix + name + ": unknown key" +
                   (hint.empty() ? "" : " (did you mean '" + hint + "'?)")};
    }
  }
  ParamValues out;
  for (const auto& spec : specs) {
    auto it = given.find(spec.name);
    const std::string& text = it == given.end() ? spec.default_value : it->second;
    auto value = canonical(spec, text, prefix + spec.name);
    if (!value.ok()) return value.error();
    out.values_[spec.name] = std::move(value.value());
    out.types_[spec.name] = spec.type;
  }
  return out;
}

ParamValues ParamValues::defaults(const std::vector<ParamSpec>& specs) {
  auto r = parse(specs, {}, "");
  if (!r.ok()) throw std::logic_error("invalid default parameter: " + r.error().message);
  return std::move(r).value();
}

const std::string& ParamValues::raw(std::string_view name, ParamType type) const {
  auto it = values_.find(name);
  auto t = types_.find(name);
  if (it == values_.end() || t == types_.end() || t->second != type) {
    throw std::logic_error("parameter '" + std::string(name) + "' is not a declared " +
                           to_string(type));
  }
  return it->second;
}

std::int64_t ParamValues::get_int(std::string_view name) const {
  std::int64_t v = 0;
  parse_int(raw(name, ParamType::kInt), v);
  return v;
}

double ParamValues::get_double(std::string_view name) const {
  double v = 0;
  parse_double(raw(name, ParamType::kDouble), v);
  return v;
}

bool ParamValues::get_bool(std::string_view name) const {
  bool v = false;
  parse_bool(raw(name, ParamType::kBool), v);
  return v;
}

const std::string& ParamValues::get_string(std::string_view name) const {
  return raw(name, ParamType::kString);
}

}  // namespace hlsim
