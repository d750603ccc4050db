// The sweep results file (sweep_file.h).
#include "sim/sweep/sweep_file.h"

#include <H5Cpp.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <limits>
#include <nlohmann/json.hpp>

#include "sim/results/h5_groups.h"
#include "sim/results/h5_writer.h"

namespace hlsim {
namespace {

namespace fs = std::filesystem;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::uint64_t fnv1a(const std::string& s) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

// A value as a number when all of it is one.
std::optional<double> as_number(const std::string& s) {
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

void attr_u64(H5::H5Object& obj, const char* name, std::uint64_t value) {
  H5::Attribute a =
      obj.createAttribute(name, H5::PredType::NATIVE_UINT64, H5::DataSpace(H5S_SCALAR));
  a.write(H5::PredType::NATIVE_UINT64, &value);
}

std::string read_text_attr(const H5::H5Object& obj, const char* name) {
  if (!obj.attrExists(name)) return {};
  H5::Attribute a = obj.openAttribute(name);
  std::string s;
  a.read(a.getStrType(), s);
  return s;
}

double read_f64_attr(const H5::H5Object& obj, const char* name) {
  if (!obj.attrExists(name)) return kNaN;
  H5::Attribute a = obj.openAttribute(name);
  double v = kNaN;
  a.read(H5::PredType::NATIVE_DOUBLE, &v);
  return v;
}

// A table of named columns, each float64, uint64 or fixed-length string, written as one
// compound dataset (packed, no padding).
class ColumnTable {
 public:
  explicit ColumnTable(std::size_t rows) : rows_(rows) {}
  void add_f64(const std::string& name, std::vector<double> v) {
    cols_.push_back({name, Kind::kF64, std::move(v), {}, {}});
  }
  void add_u64(const std::string& name, std::vector<std::uint64_t> v) {
    cols_.push_back({name, Kind::kU64, {}, std::move(v), {}});
  }
  void add_str(const std::string& name, std::vector<std::string> v) {
    cols_.push_back({name, Kind::kStr, {}, {}, std::move(v)});
  }
  void write(H5::Group& g, const std::string& name) const {
    std::vector<std::size_t> width(cols_.size()), offset(cols_.size());
    std::size_t row_bytes = 0;
    for (std::size_t c = 0; c < cols_.size(); ++c) {
      const Col& col = cols_[c];
      if (col.kind == Kind::kStr) {
        std::size_t w = 1;
        for (const auto& s : col.s) w = std::max(w, s.size() + 1);
        width[c] = w;
      } else {
        width[c] = 8;
      }
      offset[c] = row_bytes;
      row_bytes += width[c];
    }
    H5::CompType type(std::max<std::size_t>(1, row_bytes));
    for (std::size_t c = 0; c < cols_.size(); ++c) {
      const Col& col = cols_[c];
      if (col.kind == Kind::kF64) {
        type.insertMember(col.name, offset[c], H5::PredType::NATIVE_DOUBLE);
      } else if (col.kind == Kind::kU64) {
        type.insertMember(col.name, offset[c], H5::PredType::NATIVE_UINT64);
      } else {
        type.insertMember(col.name, offset[c], H5::StrType(H5::PredType::C_S1, width[c]));
      }
    }
    std::vector<char> buf(rows_ * row_bytes, 0);
    for (std::size_t r = 0; r < rows_; ++r) {
      char* row = buf.data() + r * row_bytes;
      for (std::size_t c = 0; c < cols_.size(); ++c) {
        const Col& col = cols_[c];
        if (col.kind == Kind::kF64) {
          std::memcpy(row + offset[c], &col.f[r], 8);
        } else if (col.kind == Kind::kU64) {
          std::memcpy(row + offset[c], &col.u[r], 8);
        } else {
          // The buffer is zeroed and every width exceeds its longest string by one: each
          // string ends in a NUL.
          col.s[r].copy(row + offset[c], col.s[r].size());
        }
      }
    }
    hsize_t dims[1] = {rows_};
    H5::DSetCreatPropList dcpl;
    H5Pset_obj_track_times(dcpl.getId(), false);
    H5::DataSet ds = g.createDataSet(name, type, H5::DataSpace(1, dims), dcpl);
    if (rows_ > 0) ds.write(buf.data(), type);
  }

 private:
  enum class Kind : std::uint8_t { kF64, kU64, kStr };
  struct Col {
    std::string name;
    Kind kind;
    std::vector<double> f;
    std::vector<std::uint64_t> u;
    std::vector<std::string> s;
  };
  std::size_t rows_;
  std::vector<Col> cols_;
};

// The figures of one stored run, from its `summary` attribute and host/ group.
void fill_row(const H5::Group& run, SweepRow& row) {
  const nlohmann::json s = nlohmann::json::parse(read_text_attr(run, "summary"), nullptr, false);
  auto num = [&](const nlohmann::json& j, const char* a, const char* b = nullptr) {
    const nlohmann::json* p = &j;
    for (const char* k : {a, b}) {
      if (k == nullptr) break;
      if (!p->is_object() || !p->contains(k)) return kNaN;
      p = &(*p)[k];
    }
    return p->is_number() ? p->get<double>() : kNaN;
  };
  row.committed_tps = num(s, "committed_tps");
  row.offered_tps = num(s, "offered_tps_achieved");
  row.mean_ms = num(s, "latency", "mean_ms");
  row.p50_ms = num(s, "latency", "p50_ms");
  row.p99_ms = num(s, "latency", "p99_ms");
  row.msgs_per_block = num(s, "messages", "per_block");
  row.bytes_per_block = num(s, "messages", "bytes_per_block");
  auto count = [&](double v) { return std::isfinite(v) ? static_cast<std::uint64_t>(v) : 0; };
  row.blocks = count(num(s, "blocks"));
  row.committed = count(num(s, "transactions", "committed"));
  row.events = count(num(s, "events"));
  row.wall_s = run.exists("host") ? read_f64_attr(run.openGroup("host"), "wall_s") : kNaN;
  const bool complete = s.is_object() && s.value("complete", false);
  const bool violated = s.is_object() && s.contains("violations") && s["violations"].is_array() &&
                        !s["violations"].empty();
  row.status = violated ? "violation" : complete ? "ok" : "incomplete";
  if (!complete && s.is_object()) row.detail = s.value("stop_reason", "");
  if (violated) row.detail = s["violations"][0].get<std::string>();
}

}  // namespace

std::string sweep_run_id(std::size_t index, std::size_t runs) {
  const std::size_t width = std::to_string(runs > 0 ? runs - 1 : 0).size();
  std::string id = std::to_string(index);
  return std::string(width > id.size() ? width - id.size() : 0, '0') + id;
}

std::string sweep_parts_dir(const std::string& output) { return output + ".parts"; }

std::string sweep_part_path(const std::string& output, const std::string& fingerprint) {
  char name[32];
  std::snprintf(name, sizeof name, "%016llx.h5",
                static_cast<unsigned long long>(fnv1a(fingerprint)));
  return (fs::path(sweep_parts_dir(output)) / name).string();
}

Result<std::map<std::string, StoredRun>> read_sweep_runs(const std::string& output) {
  std::map<std::string, StoredRun> out;
  std::error_code ec;
  if (!fs::exists(output, ec)) return out;
  try {
    H5::Exception::dontPrint();
    if (!H5::H5File::isHdf5(output)) {
      return Error{output +
                   ": exists and is not an HDF5 file (move it away or choose another "
                   "output)"};
    }
    H5::H5File file(output, H5F_ACC_RDONLY);
    if (!file.exists("runs")) return out;
    if (!file.exists("sweep")) {
      return Error{output +
                   ": holds results but not a sweep's (hlsim run wrote it?); choose "
                   "another output so that they are not replaced"};
    }
    H5::Group runs = file.openGroup("runs");
    for (hsize_t i = 0; i < runs.getNumObjs(); ++i) {
      const std::string name = runs.getObjnameByIdx(i);
      H5::Group g = runs.openGroup(name);
      const std::string fp = read_text_attr(g, "sweep_fingerprint");
      if (!fp.empty()) out[fp] = StoredRun{output, "runs/" + name};
    }
  } catch (const H5::Exception& e) {
    return Error{output + ": cannot read the earlier sweep results (" + e.getDetailMsg() + ")"};
  }
  return out;
}

Result<SweepTables> write_sweep_file(const std::string& output, const SweepSpec& spec,
                                     const SweepPlan& plan,
                                     const std::vector<SweepEntry>& entries) {
  SweepTables tables;
  const Status written = write_h5_file(output, [&](H5::H5File& file) {
    H5::Group runs = make_group(file, "runs");
    std::map<std::string, H5::H5File> sources;
    for (std::size_t i = 0; i < plan.runs.size(); ++i) {
      const SweepRun& run = plan.runs[i];
      const SweepEntry& e = entries.at(i);
      SweepRow row{};
      row.run_id = sweep_run_id(i, plan.runs.size());
      row.committed_tps = row.offered_tps = row.mean_ms = row.p50_ms = row.p99_ms =
          row.msgs_per_block = row.bytes_per_block = row.wall_s = kNaN;
      if (!e.stored) {
        row.status = e.status.empty() ? "not-run" : e.status;
        row.detail = e.detail;
        tables.rows.push_back(std::move(row));
        continue;
      }
      auto it = sources.find(e.stored->file);
      if (it == sources.end()) {
        it = sources.emplace(e.stored->file, H5::H5File(e.stored->file, H5F_ACC_RDONLY)).first;
      }
      if (H5Ocopy(it->second.getId(), e.stored->group.c_str(), runs.getId(), row.run_id.c_str(),
                  H5P_DEFAULT, H5P_DEFAULT) < 0) {
        throw H5::FileIException("H5Ocopy",
                                 "cannot copy run " + e.stored->group + " from " + e.stored->file);
      }
      H5::Group g = runs.openGroup(row.run_id);
      for (const char* a : {"sweep_point", "sweep_seed", "sweep_label", "sweep_fingerprint"}) {
        if (g.attrExists(a)) g.removeAttr(a);
      }
      nlohmann::ordered_json point = nlohmann::ordered_json::object();
      for (std::size_t k = 0; k < plan.parameters.size(); ++k) {
        const std::string& v = plan.points[run.point][k];
        if (auto n = as_number(v)) {
          // Integers stay integers in the JSON ("nodes": 16, not 16.0).
          if (std::abs(*n) < 9.0e15 && *n == std::floor(*n)) {
            point[plan.parameters[k]] = static_cast<std::int64_t>(*n);
          } else {
            point[plan.parameters[k]] = *n;
          }
        } else {
          point[plan.parameters[k]] = v;
        }
      }
      attr_text(g, "sweep_point", point.dump());
      attr_u64(g, "sweep_seed", run.seed);
      attr_text(g, "sweep_label", run.label);
      attr_text(g, "sweep_fingerprint", e.fingerprint);
      fill_row(g, row);
      tables.rows.push_back(std::move(row));
    }
    sources.clear();

    H5::Group sweep = make_group(file, "sweep");
    attr_text(sweep, "spec", spec.text);
    attr_text(sweep, "parameters", nlohmann::json(plan.parameters).dump());
    attr_u64(sweep, "runs_planned", plan.runs.size());

    // Swept-key columns, shared by both tables.
    auto add_parameters = [&](ColumnTable& t, const std::vector<std::size_t>& point_of_row) {
      for (std::size_t k = 0; k < plan.parameters.size(); ++k) {
        bool numeric = true;
        for (const SweepPoint& p : plan.points) numeric = numeric && as_number(p[k]).has_value();
        if (numeric) {
          std::vector<double> v;
          for (std::size_t p : point_of_row) v.push_back(*as_number(plan.points[p][k]));
          t.add_f64(plan.parameters[k], std::move(v));
        } else {
          std::vector<std::string> v;
          for (std::size_t p : point_of_row) v.push_back(plan.points[p][k]);
          t.add_str(plan.parameters[k], std::move(v));
        }
      }
    };

    ColumnTable rt(plan.runs.size());
    std::vector<std::size_t> run_points;
    std::vector<std::uint64_t> seeds;
    for (const SweepRun& r : plan.runs) {
      run_points.push_back(r.point);
      seeds.push_back(r.seed);
    }
    auto col_s = [&](auto field) {
      std::vector<std::string> v;
      for (const SweepRow& r : tables.rows) v.push_back(r.*field);
      return v;
    };
    auto col_f = [&](double SweepRow::*field) {
      std::vector<double> v;
      for (const SweepRow& r : tables.rows) v.push_back(r.*field);
      return v;
    };
    auto col_u = [&](std::uint64_t SweepRow::*field) {
      std::vector<std::uint64_t> v;
      for (const SweepRow& r : tables.rows) v.push_back(r.*field);
      return v;
    };
    rt.add_str("run_id", col_s(&SweepRow::run_id));
    add_parameters(rt, run_points);
    rt.add_u64("seed", seeds);
    rt.add_str("status", col_s(&SweepRow::status));
    rt.add_str("detail", col_s(&SweepRow::detail));
    rt.add_f64("committed_tps", col_f(&SweepRow::committed_tps));
    rt.add_f64("offered_tps", col_f(&SweepRow::offered_tps));
    rt.add_f64("mean_ms", col_f(&SweepRow::mean_ms));
    rt.add_f64("p50_ms", col_f(&SweepRow::p50_ms));
    rt.add_f64("p99_ms", col_f(&SweepRow::p99_ms));
    rt.add_f64("msgs_per_block", col_f(&SweepRow::msgs_per_block));
    rt.add_f64("bytes_per_block", col_f(&SweepRow::bytes_per_block));
    rt.add_u64("blocks", col_u(&SweepRow::blocks));
    rt.add_u64("committed", col_u(&SweepRow::committed));
    rt.add_u64("events", col_u(&SweepRow::events));
    rt.add_f64("wall_s", col_f(&SweepRow::wall_s));
    rt.write(sweep, "runs");

    // Aggregates per point over its runs with status ok.
    std::vector<std::size_t> points;
    for (std::size_t p = 0; p < plan.points.size(); ++p) {
      SweepAggregate a;
      a.point = p;
      std::vector<double> tps, p50, p99, mpb;
      for (std::size_t i = 0; i < plan.runs.size(); ++i) {
        const SweepRow& r = tables.rows[i];
        if (plan.runs[i].point != p || r.status != "ok") continue;
        tps.push_back(r.committed_tps);
        p50.push_back(r.p50_ms);
        p99.push_back(r.p99_ms);
        mpb.push_back(r.msgs_per_block);
      }
      a.committed_tps = mean_ci95(tps);
      a.p50_ms = mean_ci95(p50);
      a.p99_ms = mean_ci95(p99);
      a.msgs_per_block = mean_ci95(mpb);
      tables.aggregates.push_back(a);
      points.push_back(p);
    }
    ColumnTable at(plan.points.size());
    add_parameters(at, points);
    std::vector<std::uint64_t> n;
    for (const SweepAggregate& a : tables.aggregates) n.push_back(a.committed_tps.n);
    at.add_u64("n", n);
    auto add_ci = [&](const std::string& m, MeanCi SweepAggregate::*field) {
      std::vector<double> mean, lo, hi;
      for (const SweepAggregate& a : tables.aggregates) {
        const MeanCi& c = a.*field;
        mean.push_back(c.n > 0 ? c.mean : kNaN);
        lo.push_back(c.n > 0 ? c.lo : kNaN);
        hi.push_back(c.n > 0 ? c.hi : kNaN);
      }
      at.add_f64(m + "_mean", mean);
      at.add_f64(m + "_ci95_lo", lo);
      at.add_f64(m + "_ci95_hi", hi);
    };
    add_ci("committed_tps", &SweepAggregate::committed_tps);
    add_ci("p50_ms", &SweepAggregate::p50_ms);
    add_ci("p99_ms", &SweepAggregate::p99_ms);
    add_ci("msgs_per_block", &SweepAggregate::msgs_per_block);
    at.write(sweep, "aggregate");
  });
  if (!written.ok()) return written.error();
  std::error_code ec;
  fs::remove_all(sweep_parts_dir(output), ec);
  return tables;
}

}  // namespace hlsim
