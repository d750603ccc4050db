#include "sim/scenario/pipeline_layout.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <utility>
#include <vector>

#include "ledger/eov/policy.h"

namespace hlsim {
namespace {

std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\n");
  if (first == std::string_view::npos) return "";
  const auto last = s.find_last_not_of(" \t\n");
  return std::string(s.substr(first, last - first + 1));
}

bool is_name(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' || c == '.';
  });
}

std::vector<std::string> words(std::string_view s) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < s.size()) {
    const auto start = s.find_first_not_of(" \t\n,", pos);
    if (start == std::string_view::npos) break;
    const auto end = std::min(s.find_first_of(" \t\n,", start), s.size());
    out.emplace_back(s.substr(start, end - start));
    pos = end;
  }
  return out;
}

// "name: rest; name: rest" -> (name, rest) pairs, in order, names unique.
Result<std::vector<std::pair<std::string, std::string>>> named_items(const std::string& key,
                                                                     const std::string& text) {
  std::vector<std::pair<std::string, std::string>> out;
  if (trim(text).empty()) return out;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const std::size_t semi = std::min(text.find(';', pos), text.size());
    const std::string item = trim(std::string_view(text).substr(pos, semi - pos));
    pos = semi + 1;
    if (item.empty() && semi == text.size()) break;  // a trailing ';'
    const auto colon = item.find(':');
    const std::string name = trim(std::string_view(item).substr(0, colon));
    if (colon == std::string::npos || name.empty()) {
      return Error{key + ": expected 'name: ...; ...', got '" + item + "'"};
    }
    for (const auto& [seen, _] : out) {
      if (seen == name) return Error{key + ": '" + name + "' is listed twice"};
    }
    out.emplace_back(name, trim(std::string_view(item).substr(colon + 1)));
  }
  return out;
}

Result<std::vector<std::uint32_t>> member_list(const std::string& key, const std::string& owner,
                                               const std::string& text,
                                               const std::vector<std::string>& orgs) {
  std::vector<std::uint32_t> out;
  for (const std::string& w : words(text)) {
    const auto it = std::find(orgs.begin(), orgs.end(), w);
    if (it == orgs.end()) {
      return Error{key + ": '" + owner + "': unknown organisation '" + w +
                   "' (pipeline.organisations lists them)"};
    }
    out.push_back(static_cast<std::uint32_t>(it - orgs.begin()));
  }
  std::sort(out.begin(), out.end());
  if (std::adjacent_find(out.begin(), out.end()) != out.end()) {
    return Error{key + ": '" + owner + "' lists an organisation twice"};
  }
  if (out.empty()) return Error{key + ": '" + owner + "' has no members"};
  return out;
}

// Parses `text` (MAJORITY: more than half of `members`) and checks that it names members only.
Result<std::string> member_policy(const std::string& key, const std::string& owner,
                                  std::string text, const std::vector<std::uint32_t>& members,
                                  const std::vector<std::string>& orgs) {
  if (trim(text) == "MAJORITY") {
    text = "OutOf(" + std::to_string(members.size() / 2 + 1);
    for (const std::uint32_t m : members) text += ", '" + orgs[m] + "'";
    text += ")";
  }
  auto policy = EndorsementPolicy::parse(text, orgs);
  if (!policy.ok()) return Error{key + ": '" + owner + "': " + policy.error().message};
  for (const OrgIndex o : policy->named_orgs()) {
    if (!std::binary_search(members.begin(), members.end(), o)) {
      return Error{key + ": '" + owner + "': the policy names '" + orgs[o] +
                   "', which is not a member"};
    }
  }
  return policy->to_string(orgs);
}

// Applies "name: value" items of `key` to the entries named `name` of `targets`.
template <typename T, typename F>
Status for_named(const std::string& key, const std::string& text, std::vector<T>& targets,
                 const char* what, F apply) {
  auto items = named_items(key, text);
  if (!items.ok()) return items.error();
  for (const auto& [name, value] : items.value()) {
    const auto it = std::find_if(targets.begin(), targets.end(),
                                 [&, n = name](const T& t) { return t.name == n; });
    if (it == targets.end()) return Error{key + ": no " + what + " named '" + name + "'"};
    if (Status st = apply(*it, value); !st.ok()) return st;
  }
  return Status::Ok();
}

}  // namespace

Status parse_pipeline_layout(const PipelineLayoutText& text, PipelineConfig& pc) {
  const std::vector<std::string>& orgs = pc.orgs;
  pc.channels.clear();
  pc.collections.clear();
  pc.policy = trim(text.policy);
  // Channels and their members.
  {
    const std::string key = "pipeline.channels";
    auto items = named_items(key, text.channels);
    if (!items.ok()) return items.error();
    if (items->empty()) {
      std::string all;
      for (const auto& o : orgs) all += o + " ";
      items->emplace_back("main", all);
    }
    for (const auto& [name, list] : items.value()) {
      if (!is_name(name)) {
        return Error{key + ": channel name '" + name + "': use letters, digits, '_', '-', '.'"};
      }
      auto members = member_list(key, name, list, orgs);
      if (!members.ok()) return members.error();
      pc.channels.push_back(ChannelConfig{name, std::move(members.value()), "", {}});
    }
    if (pc.channels.size() > 64) return Error{key + ": at most 64 channels"};
  }
  // Channel policies: pipeline.policy unless named in channel_policies.
  {
    const std::string key = "pipeline.channel_policies";
    auto items = named_items(key, text.channel_policies);
    if (!items.ok()) return items.error();
    for (const auto& [name, value] : items.value()) {
      if (std::none_of(pc.channels.begin(), pc.channels.end(),
                       [&, n = name](const ChannelConfig& c) { return c.name == n; })) {
        return Error{key + ": no channel named '" + name + "'"};
      }
    }
    for (ChannelConfig& c : pc.channels) {
      const auto it = std::find_if(items->begin(), items->end(),
                                   [&](const auto& item) { return item.first == c.name; });
      auto p = it != items->end()
                   ? member_policy(key, c.name, it->second, c.members, orgs)
                   : member_policy("pipeline.policy", c.name, pc.policy, c.members, orgs);
      if (!p.ok()) return p.error();
      c.policy = p.value();
    }
  }
  if (Status st = for_named("pipeline.channel_kinds", text.channel_kinds, pc.channels, "channel",
                            [](ChannelConfig& c, const std::string& value) -> Status {
                              c.kinds = words(value);
                              return Status::Ok();
                            });
      !st.ok()) {
    return st;
  }
  // Collections.
  {
    const std::string key = "pipeline.collections";
    auto items = named_items(key, text.collections);
    if (!items.ok()) return items.error();
    for (const auto& [spec, list] : items.value()) {
      const auto at = spec.find('@');
      const std::string name = trim(std::string_view(spec).substr(0, at));
      if (!is_name(name)) {
        return Error{key + ": collection name '" + name + "': use letters, digits, '_', '-', '.'"};
      }
      std::uint32_t channel = 0;
      if (at != std::string::npos) {
        const std::string ch = trim(std::string_view(spec).substr(at + 1));
        const auto it = std::find_if(pc.channels.begin(), pc.channels.end(),
                                     [&](const ChannelConfig& c) { return c.name == ch; });
        if (it == pc.channels.end()) {
          return Error{key + ": '" + name + "': no channel named '" + ch + "'"};
        }
        channel = static_cast<std::uint32_t>(it - pc.channels.begin());
      } else if (pc.channels.size() > 1) {
        return Error{key + ": '" + name + "': name its channel, 'name@channel: orgs'"};
      }
      for (const CollectionConfig& c : pc.collections) {
        if (c.name == name) return Error{key + ": '" + name + "' is listed twice"};
      }
      auto members = member_list(key, name, list, orgs);
      if (!members.ok()) return members.error();
      const auto& ch_members = pc.channels[channel].members;
      for (const std::uint32_t m : members.value()) {
        if (!std::binary_search(ch_members.begin(), ch_members.end(), m)) {
          return Error{key + ": '" + name + "': '" + orgs[m] + "' is not a member of channel '" +
                       pc.channels[channel].name + "'"};
        }
      }
      auto policy = member_policy(key, name, "MAJORITY", members.value(), orgs);
      if (!policy.ok()) return policy.error();
      pc.collections.push_back(
          CollectionConfig{name, channel, std::move(members.value()), policy.value(), {}});
    }
  }
  if (Status st = for_named(
          "pipeline.collection_policies", text.collection_policies, pc.collections, "collection",
          [&](CollectionConfig& c, const std::string& value) -> Status {
            auto p = member_policy("pipeline.collection_policies", c.name, value, c.members, orgs);
            if (!p.ok()) return p.error();
            c.policy = p.value();
            return Status::Ok();
          });
      !st.ok()) {
    return st;
  }
  if (Status st = for_named("pipeline.collection_kinds", text.collection_kinds, pc.collections,
                            "collection",
                            [](CollectionConfig& c, const std::string& value) -> Status {
                              c.kinds = words(value);
                              return Status::Ok();
                            });
      !st.ok()) {
    return st;
  }
  // Every collection covers some kinds, and a kind is private to one collection per channel.
  std::map<std::pair<std::uint32_t, std::string>, std::string> owner;
  for (const CollectionConfig& c : pc.collections) {
    if (c.kinds.empty()) {
      return Error{"pipeline.collection_kinds: collection '" + c.name +
                   "' covers no transaction kind ('" + c.name + ": kind kind ...')"};
    }
    for (const std::string& k : c.kinds) {
      const auto [it, fresh] = owner.emplace(std::make_pair(c.channel, k), c.name);
      if (!fresh) {
        return Error{"pipeline.collection_kinds: kind '" + k + "' is private to both '" +
                     it->second + "' and '" + c.name + "'"};
      }
    }
  }
  return Status::Ok();
}

}  // namespace hlsim
