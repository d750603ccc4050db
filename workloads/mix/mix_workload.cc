#include "workloads/mix/mix_workload.h"

#include <algorithm>

namespace hlsim::mix {
namespace {

// A component's view of the shared state: its keys live under "<component>:".
class PrefixedStore final : public KvStore {
 public:
  PrefixedStore(KvStore& inner, const std::string& prefix) : inner_(inner), prefix_(prefix) {}
  std::optional<std::string> get(std::string_view key) const override {
    return inner_.get(with_prefix(key));
  }
  void put(std::string_view key, std::string_view value) override {
    inner_.put(with_prefix(key), value);
  }
  void erase(std::string_view key) override { inner_.erase(with_prefix(key)); }
  std::uint64_t key_count() const override { return inner_.key_count(); }
  std::uint64_t bytes() const override { return inner_.bytes(); }

 private:
  std::string with_prefix(std::string_view key) const {
    std::string k = prefix_;
    k += key;
    return k;
  }
  KvStore& inner_;
  const std::string& prefix_;
};

class MixContract final : public Contract {
 public:
  MixContract(KindRouting routing, std::vector<std::unique_ptr<Contract>> contracts,
              std::vector<std::string> prefixes)
      : mix_(std::move(routing)),
        contracts_(std::move(contracts)),
        prefixes_(std::move(prefixes)) {}

  ApplyResult apply(KvStore& state, const Transaction& tx, TimeNs block_time_ns) override {
    const int c = mix_.component_of(tx.kind);
    if (c < 0) return {TxOutcome::kInvalid, 0, 0};  // a kind no component owns
    PrefixedStore view(state, prefixes_[static_cast<std::size_t>(c)]);
    return contracts_[static_cast<std::size_t>(c)]->apply(view, mix_.as_component_tx(tx, c),
                                                          block_time_ns);
  }

 private:
  KindRouting mix_;
  std::vector<std::unique_ptr<Contract>> contracts_;
  std::vector<std::string> prefixes_;
};

class MixMetrics final : public WorkloadMetrics {
 public:
  MixMetrics(KindRouting routing, std::vector<std::unique_ptr<WorkloadMetrics>> parts,
             std::vector<std::string> names)
      : mix_(std::move(routing)), parts_(std::move(parts)), names_(std::move(names)) {}

  void on_commit(const Transaction& tx, TxOutcome outcome, TimeNs commit_ns) override {
    const int c = mix_.component_of(tx.kind);
    if (c < 0 || !parts_[static_cast<std::size_t>(c)]) return;
    parts_[static_cast<std::size_t>(c)]->on_commit(mix_.as_component_tx(tx, c), outcome, commit_ns);
  }
  std::vector<WorkloadFigure> figures() const override {
    std::vector<WorkloadFigure> out;
    for (std::size_t i = 0; i < parts_.size(); ++i) {
      if (!parts_[i]) continue;
      for (WorkloadFigure f : parts_[i]->figures()) {
        f.name = names_[i] + "." + f.name;
        out.push_back(std::move(f));
      }
    }
    return out;
  }

 private:
  KindRouting mix_;
  std::vector<std::unique_ptr<WorkloadMetrics>> parts_;
  std::vector<std::string> names_;
};

}  // namespace

void KindRouting::add_component(std::size_t kinds) {
  const std::size_t next = offsets_.empty() ? 0 : offsets_.back() + counts_.back();
  offsets_.push_back(static_cast<std::uint16_t>(next));
  counts_.push_back(kinds);
}

int KindRouting::component_of(std::uint16_t kind) const {
  for (std::size_t i = offsets_.size(); i-- > 0;) {
    if (kind >= offsets_[i]) {
      return static_cast<std::size_t>(kind - offsets_[i]) < counts_[i] ? static_cast<int>(i) : -1;
    }
  }
  return -1;
}

Transaction KindRouting::as_component_tx(const Transaction& tx, int component) const {
  Transaction t = tx;
  t.kind = static_cast<std::uint16_t>(tx.kind - offsets_[static_cast<std::size_t>(component)]);
  return t;
}

MixWorkload::MixWorkload(std::vector<Component> components) : components_(std::move(components)) {
  for (const Component& c : components_) {
    routing_.add_component(c.workload->kind_names().size());
    for (const std::string& k : c.workload->kind_names()) kind_names_.push_back(c.name + "/" + k);
    weight_total_ += c.weight;
    reacts_ = reacts_ || c.workload->reacts_to_ledger();
  }
}

TxDraft MixWorkload::next_tx(ClientId client, TimeNs now_ns, Rng& rng) {
  // One draw picks the component; zero-weight components are never picked.
  double x = rng.next_double() * weight_total_;
  std::size_t pick = 0;
  for (std::size_t i = 0; i < components_.size(); ++i) {
    if (components_[i].weight <= 0) continue;
    pick = i;
    if (x < components_[i].weight) break;
    x -= components_[i].weight;
  }
  TxDraft d = components_[pick].workload->next_tx(client, now_ns, rng);
  d.kind = static_cast<std::uint16_t>(d.kind + routing_.offset(pick));
  return d;
}

std::unique_ptr<Contract> MixWorkload::make_contract() const {
  std::vector<std::unique_ptr<Contract>> contracts;
  std::vector<std::string> prefixes;
  for (const Component& c : components_) {
    contracts.push_back(c.workload->make_contract());
    prefixes.push_back(c.name + ":");
  }
  return std::make_unique<MixContract>(routing_, std::move(contracts), std::move(prefixes));
}

std::unique_ptr<WorkloadMetrics> MixWorkload::make_metrics() const {
  std::vector<std::unique_ptr<WorkloadMetrics>> parts;
  std::vector<std::string> names;
  bool any = false;
  for (const Component& c : components_) {
    parts.push_back(c.workload->make_metrics());
    any = any || parts.back() != nullptr;
    names.push_back(c.name);
  }
  if (!any) return nullptr;
  return std::make_unique<MixMetrics>(routing_, std::move(parts), std::move(names));
}

std::optional<OffchainPointer> MixWorkload::offchain_pointer(const Transaction& tx) const {
  const int c = component_of(tx.kind);
  if (c < 0) return std::nullopt;
  return components_[static_cast<std::size_t>(c)].workload->offchain_pointer(
      as_component_tx(tx, c));
}

std::optional<std::uint64_t> MixWorkload::offchain_read(const Transaction& tx) const {
  const int c = component_of(tx.kind);
  if (c < 0) return std::nullopt;
  return components_[static_cast<std::size_t>(c)].workload->offchain_read(as_component_tx(tx, c));
}

std::vector<ClientId> MixWorkload::watchers(const Transaction& tx) const {
  const int c = component_of(tx.kind);
  if (c < 0 || !components_[static_cast<std::size_t>(c)].workload->reacts_to_ledger()) return {};
  return components_[static_cast<std::size_t>(c)].workload->watchers(as_component_tx(tx, c));
}

void MixWorkload::on_observed(ClientId client, const Transaction& tx, TxOutcome outcome,
                              TimeNs now_ns) {
  const int c = component_of(tx.kind);
  if (c < 0) return;
  components_[static_cast<std::size_t>(c)].workload->on_observed(client, as_component_tx(tx, c),
                                                                 outcome, now_ns);
}

Result<std::unique_ptr<Workload>> make_mix_workload(const std::vector<MixPart>& parts,
                                                    const WorkloadSetup& setup) {
  if (parts.empty()) {
    return Error{"workload.mix: a mixed workload needs components, e.g. mix: {ehr: 3, supply: 1}"};
  }
  std::vector<MixWorkload::Component> components;
  double total = 0;
  for (const MixPart& p : parts) {
    if (p.kind == kMixWorkload) return Error{"workload.mix: a mix cannot contain a mix"};
    const WorkloadInfo* info = find_workload(p.kind);
    if (info == nullptr) return Error{"workload.mix." + p.kind + ": unknown workload"};
    auto w = info->make(p.params, setup);
    if (!w.ok()) return w.error();
    if (w.value()->has_own_arrivals()) {
      return Error{"workload.mix." + p.kind +
                   ": a workload with its own timetable (trace replay) cannot be mixed"};
    }
    total += p.weight;
    components.push_back({p.kind, p.weight, std::move(w.value())});
  }
  if (!(total > 0)) return Error{"workload.mix: at least one weight must be positive"};
  return std::unique_ptr<Workload>(std::make_unique<MixWorkload>(std::move(components)));
}

}  // namespace hlsim::mix
