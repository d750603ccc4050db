#include "sim/verify/ledger_sources.h"

#include <H5Cpp.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>

#include "ledger/encoding.h"
#include "ledger/storage/ledger_store.h"
#include "sim/scenario/scenario.h"
#include "workloads/workload.h"

namespace hlsim {

namespace {

namespace fs = std::filesystem;

Result<std::vector<PublicKey>> decode_keys(ByteView data, const std::string& where) {
  std::vector<PublicKey> keys;
  Reader r(data);
  while (r.ok() && r.remaining() > 0) {
    std::optional<PublicKey> k = PublicKey::decode_from(r);
    if (!k) return Error{where + ": the validator key list does not decode"};
    keys.push_back(*k);
  }
  return keys;
}

Result<LoadedLedger> load_rocksdb(const fs::path& dir) {
  auto store = open_rocksdb_ledger_store(dir.string(), /*create=*/false);
  if (!store.ok()) return store.error();
  LedgerStore& s = *store.value();
  LoadedLedger out;
  out.ledger.source = dir.string();
  for (Height h = 1; h <= s.height(); ++h) {
    std::optional<Bytes> b = s.block(h);
    std::optional<Hash256> root = s.state_root(h);
    if (!b || !root) {
      return Error{dir.string() + ": block " + std::to_string(h) + " or its state root is missing"};
    }
    out.ledger.blocks.push_back(std::move(*b));
    out.ledger.state_roots.push_back(*root);
  }
  if (std::optional<Bytes> keys = s.get_meta("validators")) {
    auto decoded = decode_keys(*keys, dir.string());
    if (!decoded.ok()) return decoded.error();
    out.ledger.validators = std::move(decoded.value());
  }
  if (std::optional<Bytes> yaml = s.get_meta("scenario")) {
    out.scenario_yaml.assign(yaml->begin(), yaml->end());
  }
  std::vector<std::pair<std::string, std::string>> state;
  s.for_each_state([&](std::string_view k, std::string_view v) { state.emplace_back(k, v); });
  out.ledger.final_state = std::move(state);
  return out;
}

bool is_rocksdb_dir(const fs::path& dir) { return fs::exists(dir / "CURRENT"); }

Bytes read_bytes(const H5::Group& g, const char* name) {
  H5::DataSet ds = g.openDataSet(name);
  hsize_t n = 0;
  ds.getSpace().getSimpleExtentDims(&n);
  Bytes out(n);
  if (n > 0) ds.read(out.data(), H5::PredType::NATIVE_UINT8);
  return out;
}

std::vector<std::uint64_t> read_u64s(const H5::Group& g, const char* name) {
  H5::DataSet ds = g.openDataSet(name);
  hsize_t n = 0;
  ds.getSpace().getSimpleExtentDims(&n);
  std::vector<std::uint64_t> out(n);
  if (n > 0) ds.read(out.data(), H5::PredType::NATIVE_UINT64);
  return out;
}

std::string read_text_attr(const H5::Group& g, const char* name) {
  if (!g.attrExists(name)) return "";
  H5::Attribute a = g.openAttribute(name);
  std::string out;
  a.read(a.getStrType(), out);
  return out;
}

Result<std::vector<LoadedLedger>> load_h5(const std::string& path) {
  std::vector<LoadedLedger> out;
  try {
    H5::Exception::dontPrint();
    H5::H5File file(path, H5F_ACC_RDONLY);
    if (!file.nameExists("runs"))
      return Error{path + ": no /runs group (not an hlsim results file)"};
    H5::Group runs = file.openGroup("runs");
    for (hsize_t i = 0; i < runs.getNumObjs(); ++i) {
      const std::string id = runs.getObjnameByIdx(i);
      H5::Group run = runs.openGroup(id);
      const std::string where = path + ":/runs/" + id + "/ledger";
      if (!run.nameExists("ledger")) {
        return Error{where + ": missing (the file predates ledger export)"};
      }
      H5::Group g = run.openGroup("ledger");
      const Bytes blocks = read_bytes(g, "blocks");
      const std::vector<std::uint64_t> offsets = read_u64s(g, "block_offsets");
      const Bytes roots = read_bytes(g, "state_roots");
      LoadedLedger l;
      l.ledger.source = where;
      if (offsets.empty() || offsets.front() != 0 || offsets.back() != blocks.size() ||
          !std::is_sorted(offsets.begin(), offsets.end()) ||
          roots.size() != 32 * (offsets.size() - 1)) {
        return Error{where + ": block_offsets / state_roots do not fit the blocks"};
      }
      for (std::size_t b = 0; b + 1 < offsets.size(); ++b) {
        l.ledger.blocks.emplace_back(blocks.begin() + static_cast<std::ptrdiff_t>(offsets[b]),
                                     blocks.begin() + static_cast<std::ptrdiff_t>(offsets[b + 1]));
        Hash256 root;
        std::copy_n(roots.begin() + static_cast<std::ptrdiff_t>(32 * b), 32, root.bytes.begin());
        l.ledger.state_roots.push_back(root);
      }
      auto keys = decode_keys(read_bytes(g, "validator_keys"), where);
      if (!keys.ok()) return keys.error();
      l.ledger.validators = std::move(keys.value());
      l.scenario_yaml = read_text_attr(run, "scenario");
      out.push_back(std::move(l));
    }
  } catch (const H5::Exception& e) {
    return Error{path + ": cannot read the ledger (" + e.getDetailMsg() + ")"};
  }
  if (out.empty()) return Error{path + ": the file holds no runs"};
  return out;
}

}  // namespace

Result<std::vector<LoadedLedger>> load_ledgers(const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    if (is_rocksdb_dir(path)) {
      auto l = load_rocksdb(path);
      if (!l.ok()) return l.error();
      return std::vector<LoadedLedger>{std::move(l.value())};
    }
    std::vector<std::pair<long, fs::path>> nodes;
    for (const auto& entry : fs::directory_iterator(path, ec)) {
      const std::string name = entry.path().filename().string();
      if (entry.is_directory() && name.starts_with("node-") && is_rocksdb_dir(entry.path())) {
        nodes.emplace_back(std::strtol(name.c_str() + 5, nullptr, 10), entry.path());
      }
    }
    if (nodes.empty()) {
      return Error{path + ": not a ledger directory (no RocksDB ledger, no node-<i>/ ledgers)"};
    }
    std::sort(nodes.begin(), nodes.end());
    std::vector<LoadedLedger> out;
    for (const auto& [n, dir] : nodes) {
      auto l = load_rocksdb(dir);
      if (!l.ok()) return l.error();
      out.push_back(std::move(l.value()));
    }
    return out;
  }
  if (!fs::exists(path, ec)) return Error{path + ": no such file or directory"};
  if (H5::H5File::isHdf5(path) <= 0) {
    return Error{path + ": neither a ledger directory nor an HDF5 results file"};
  }
  return load_h5(path);
}

Result<std::unique_ptr<Contract>> contract_from_scenario(const std::string& scenario_yaml,
                                                         const std::string& data_dir) {
  if (scenario_yaml.empty()) return Error{"the ledger does not record its scenario"};
  // Only what the contract depends on: the seed, the workload and the validator count.
  YAML::Node minimal;
  try {
    const YAML::Node full = YAML::Load(scenario_yaml);
    if (full["pipeline"] && full["pipeline"]["kind"] &&
        full["pipeline"]["kind"].as<std::string>() == "fabric") {
      return Error{
          "the chain of an execute-order-validate ordering service, whose nodes execute "
          "nothing; the peers' states are not stored"};
    }
    if (full["seed"]) minimal["seed"] = full["seed"];
    if (full["workload"]) minimal["workload"] = full["workload"];
    if (full["consensus"] && full["consensus"]["nodes"]) {
      minimal["consensus"]["nodes"] = full["consensus"]["nodes"];
    }
  } catch (const YAML::Exception& e) {
    return Error{"the recorded scenario does not parse: " + e.msg};
  }
  YAML::Emitter emitter;
  emitter << minimal;
  auto sc = load_scenario_text(emitter.c_str(), "recorded scenario", {}, ".", data_dir);
  if (!sc.ok()) return sc.error();
  auto workload = make_workload(sc->workload.kind, sc->workload.params, sc->workload.mix,
                                WorkloadSetup{sc->seed, sc->workload.clients, sc->consensus.nodes,
                                              sc->workload.arrivals.day_ns});
  if (!workload.ok()) return workload.error();
  return workload.value()->make_contract();
}

}  // namespace hlsim
