#include "ledger/eov/policy.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace hlsim {
namespace {

class Parser {
 public:
  Parser(std::string_view text, const std::vector<std::string>& orgs) : text_(text), orgs_(orgs) {}

  Result<EndorsementPolicy::Node> parse_all() {
    auto node = parse_policy(0);
    if (!node.ok()) return node;
    skip_space();
    if (pos_ != text_.size()) return fail("end of policy");
    return node;
  }

 private:
  static constexpr int kMaxDepth = 32;

  Error fail(std::string_view expected) const {
    const std::string found =
        pos_ < text_.size() ? "'" + std::string(1, text_[pos_]) + "'" : "end of text";
    return Error{"endorsement policy: at character " + std::to_string(pos_ + 1) + ": expected " +
                 std::string(expected) + ", found " + found};
  }
  void skip_space() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_])) != 0) {
      ++pos_;
    }
  }
  bool eat(char c) {
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  static bool name_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' || c == '.';
  }
  std::string word() {
    skip_space();
    const std::size_t start = pos_;
    while (pos_ < text_.size() && name_char(text_[pos_])) ++pos_;
    return std::string(text_.substr(start, pos_ - start));
  }

  Result<EndorsementPolicy::Node> parse_policy(int depth) {
    if (depth > kMaxDepth) return fail("a policy nested at most 32 deep");
    skip_space();
    if (pos_ < text_.size() && (text_[pos_] == '\'' || text_[pos_] == '"')) {
      const char quote = text_[pos_++];
      const std::size_t start = pos_;
      while (pos_ < text_.size() && text_[pos_] != quote) ++pos_;
      if (pos_ == text_.size()) return fail(std::string("closing ") + quote);
      std::string name(text_.substr(start, pos_ - start));
      ++pos_;
      return org(name, start);
    }
    const std::size_t start = pos_;
    std::string w = word();
    if (w.empty()) return fail("AND(, OR(, OutOf( or an organisation name");
    if (w != "AND" && w != "OR" && w != "OutOf") return org(w, start);
    if (!eat('(')) return fail("'(' after " + w);
    EndorsementPolicy::Node node;
    std::uint32_t k = 0;
    if (w == "OutOf") {
      skip_space();
      const std::size_t num_start = pos_;
      while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_])) != 0) {
        ++pos_;
      }
      if (pos_ == num_start || pos_ - num_start > 6) return fail("a count k in OutOf(k, ...)");
      k = static_cast<std::uint32_t>(
          std::stoul(std::string(text_.substr(num_start, pos_ - num_start))));
      if (!eat(',')) return fail("',' after OutOf's count");
    }
    while (true) {
      auto child = parse_policy(depth + 1);
      if (!child.ok()) return child;
      node.children.push_back(std::move(child.value()));
      if (eat(',')) continue;
      if (eat(')')) break;
      return fail("',' or ')'");
    }
    const auto n = static_cast<std::uint32_t>(node.children.size());
    if (w == "AND") k = n;
    if (w == "OR") k = 1;
    if (k < 1 || k > n) {
      return Error{"endorsement policy: OutOf(" + std::to_string(k) + ", ...) has " +
                   std::to_string(n) + " operands; k must be 1.." + std::to_string(n)};
    }
    node.k = k;
    return node;
  }

  Result<EndorsementPolicy::Node> org(const std::string& name, std::size_t at) const {
    const auto it = std::find(orgs_.begin(), orgs_.end(), name);
    if (it == orgs_.end()) {
      std::string known;
      for (const auto& o : orgs_) known += (known.empty() ? "" : ", ") + o;
      return Error{"endorsement policy: at character " + std::to_string(at + 1) +
                   ": unknown organisation '" + name + "' (organisations: " + known + ")"};
    }
    EndorsementPolicy::Node node;
    node.org = static_cast<OrgIndex>(it - orgs_.begin());
    return node;
  }

  std::string_view text_;
  const std::vector<std::string>& orgs_;
  std::size_t pos_ = 0;
};

bool satisfied_by(const EndorsementPolicy::Node& node, const std::vector<bool>& endorsed) {
  if (node.k == 0) return node.org < endorsed.size() && endorsed[node.org];
  std::uint32_t met = 0;
  for (const auto& c : node.children) {
    if (satisfied_by(c, endorsed) && ++met >= node.k) return true;
  }
  return false;
}

using OrgSet = std::vector<OrgIndex>;  // sorted, unique

OrgSet unite(const OrgSet& a, const OrgSet& b) {
  OrgSet out;
  std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

// A set's place among equally good ones: a mix of its members and `salt` (splitmix64 steps).
std::uint64_t salted_rank(const OrgSet& set, std::uint64_t salt) {
  std::uint64_t h = salt;
  for (const OrgIndex o : set) {
    h += 0x9e3779b97f4a7c15ULL + o;
    h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
    h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
    h ^= h >> 31;
  }
  return h;
}

// Orders candidate sets: smaller first, then those containing `preferred`, then (salt 0)
// lexicographic or (otherwise) by salted_rank, then lexicographic.
bool better(const OrgSet& a, const OrgSet& b, OrgIndex preferred, std::uint64_t salt) {
  if (a.size() != b.size()) return a.size() < b.size();
  const bool pa = std::binary_search(a.begin(), a.end(), preferred);
  const bool pb = std::binary_search(b.begin(), b.end(), preferred);
  if (pa != pb) return pa;
  if (salt != 0) {
    const std::uint64_t ra = salted_rank(a, salt);
    const std::uint64_t rb = salted_rank(b, salt);
    if (ra != rb) return ra < rb;
  }
  return a < b;
}

OrgSet choose(const EndorsementPolicy::Node& node, OrgIndex preferred, std::uint64_t salt) {
  if (node.k == 0) return {node.org};
  std::vector<OrgSet> sets;
  sets.reserve(node.children.size());
  for (const auto& c : node.children) sets.push_back(choose(c, preferred, salt));
  std::sort(sets.begin(), sets.end(), [preferred, salt](const OrgSet& a, const OrgSet& b) {
    return better(a, b, preferred, salt);
  });
  OrgSet out;
  for (std::uint32_t i = 0; i < node.k; ++i) out = unite(out, sets[i]);
  return out;
}

void collect(const EndorsementPolicy::Node& node, std::set<OrgIndex>& out) {
  if (node.k == 0) out.insert(node.org);
  for (const auto& c : node.children) collect(c, out);
}

void print(const EndorsementPolicy::Node& node, const std::vector<std::string>& orgs,
           std::string& out) {
  if (node.k == 0) {
    out += "'" + (node.org < orgs.size() ? orgs[node.org] : std::to_string(node.org)) + "'";
    return;
  }
  const auto n = node.children.size();
  if (node.k == n && n > 1) {
    out += "AND(";
  } else if (node.k == 1 && n > 1) {
    out += "OR(";
  } else {
    out += "OutOf(" + std::to_string(node.k) + ", ";
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0) out += ", ";
    print(node.children[i], orgs, out);
  }
  out += ")";
}

}  // namespace

Result<EndorsementPolicy> EndorsementPolicy::parse(std::string_view text,
                                                   const std::vector<std::string>& orgs) {
  Parser p(text, orgs);
  auto root = p.parse_all();
  if (!root.ok()) return root.error();
  EndorsementPolicy policy;
  policy.root_ = std::move(root.value());
  return policy;
}

bool EndorsementPolicy::satisfied(const std::vector<bool>& endorsed) const {
  return satisfied_by(root_, endorsed);
}

std::vector<OrgIndex> EndorsementPolicy::choose_endorsers(OrgIndex preferred,
                                                          std::uint64_t salt) const {
  return choose(root_, preferred, salt);
}

std::vector<OrgIndex> EndorsementPolicy::named_orgs() const {
  std::set<OrgIndex> s;
  collect(root_, s);
  return {s.begin(), s.end()};
}

std::string EndorsementPolicy::to_string(const std::vector<std::string>& orgs) const {
  std::string out;
  print(root_, orgs, out);
  return out;
}

}  // namespace hlsim
