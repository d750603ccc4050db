#include "workloads/trace/synthea_reader.h"

#include <filesystem>
#include <unordered_map>
#include <utility>

#include "sim/kernel/params.h"
#include "workloads/trace/csv.h"
#include "workloads/trace/iso_time.h"
#include "workloads/trace/text_file.h"

namespace hlsim::trace {
namespace {

constexpr std::size_t kAbsent = static_cast<std::size_t>(-1);

// Column lookup for one file: required columns that are missing are collected and reported
// together.
class Columns {
 public:
  explicit Columns(const CsvFile& f) : file_(f) {}
  std::size_t need(std::string_view name) {
    std::optional<std::size_t> i = file_.column(name);
    if (!i) missing_.push_back(std::string(name));
    return i.value_or(kAbsent);
  }
  std::size_t want(std::string_view name) const { return file_.column(name).value_or(kAbsent); }
  Status status() const {
    if (missing_.empty()) return Status::Ok();
    std::string list;
    for (const std::string& m : missing_) list += (list.empty() ? "'" : ", '") + m + "'";
    return Error{file_.file + ":1: missing required column" + (missing_.size() > 1 ? "s " : " ") +
                 list};
  }

 private:
  const CsvFile& file_;
  std::vector<std::string> missing_;
};

// Typed access to one row's fields by column index; the first problem is kept, named
// "<file>:<line>: <FIELD>: <what>", and later reads return defaults.
class Row {
 public:
  Row(const CsvFile& f, const CsvRecord& rec) : file_(f), rec_(rec) {}

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

  // A required text field: present and non-empty.
  std::string str(std::size_t col) {
    const std::string* v = raw(col);
    if (v == nullptr) return {};
    if (v->empty()) fail(col, "empty (required)");
    return *v;
  }
  // An optional text field: "" when the column is absent or the field empty.
  std::string opt_str(std::size_t col) {
    const std::string* v = raw(col);
    return v == nullptr ? std::string() : *v;
  }
  TimeNs time(std::size_t col, bool allow_date) {
    const std::string* v = raw(col);
    if (v == nullptr) return 0;
    if (v->empty()) {
      fail(col, "empty (required)");
      return 0;
    }
    return parse_time(col, *v, allow_date);
  }
  std::optional<TimeNs> opt_time(std::size_t col, bool allow_date) {
    const std::string* v = raw(col);
    if (v == nullptr || v->empty()) return std::nullopt;
    return parse_time(col, *v, allow_date);
  }
  std::optional<Cents> opt_cents(std::size_t col) {
    const std::string* v = raw(col);
    if (v == nullptr || v->empty()) return std::nullopt;
    std::optional<Cents> c = parse_cents(*v);
    if (!c) fail(col, "bad amount '" + *v + "' (expected a decimal number like 129.16)");
    return c;
  }
  std::optional<std::int64_t> opt_int(std::size_t col) {
    const std::string* v = raw(col);
    if (v == nullptr || v->empty()) return std::nullopt;
    std::int64_t out = 0;
    if (!parse_int(*v, out)) {
      fail(col, "bad integer '" + *v + "'");
      return std::nullopt;
    }
    return out;
  }
  std::optional<double> opt_double(std::size_t col) {
    const std::string* v = raw(col);
    if (v == nullptr || v->empty()) return std::nullopt;
    double out = 0;
    if (!parse_double(*v, out)) {
      fail(col, "bad number '" + *v + "'");
      return std::nullopt;
    }
    return out;
  }
  void fail(std::size_t col, const std::string& what) {
    if (error_.empty()) {
      error_ =
          file_.file + ":" + std::to_string(rec_.line) + ": " + file_.columns[col] + ": " + what;
    }
  }

 private:
  const std::string* raw(std::size_t col) const {
    return col == kAbsent ? nullptr : &rec_.fields[col];
  }
  TimeNs parse_time(std::size_t col, const std::string& v, bool allow_date) {
    Result<TimeNs> t = parse_instant_ns(v, allow_date);
    if (!t) {
      fail(col, "bad " + std::string(allow_date ? "date" : "timestamp") + " '" + v + "' (" +
                    t.error().message + ")");
      return 0;
    }
    return *t;
  }

  const CsvFile& file_;
  const CsvRecord& rec_;
  std::string error_;
};

// Parses every row of `text` with `fill(row) -> T` after binding columns with
// `bind(columns) -> Cols`. A row error fails the read or, under skip_malformed, is counted.
template <class T, class Bind, class Fill>
Result<Table<T>> parse_table(std::string_view text, const std::string& file,
                             const ReadOptions& options, Bind bind, Fill fill) {
  Result<CsvFile> csv = parse_csv_file(text, file);
  if (!csv) return csv.error();
  Columns columns(*csv);
  const auto cols = bind(columns);
  if (Status st = columns.status(); !st.ok()) return st.error();
  Table<T> table;
  table.rows.reserve(csv->rows.size());
  for (const CsvRecord& rec : csv->rows) {
    std::string error;
    if (!rec.error.empty()) {
      error = file + ":" + std::to_string(rec.line) + ": " + rec.error;
    } else {
      Row row(*csv, rec);
      T value = fill(row, cols);
      if (row.ok()) {
        value.line = rec.line;
        table.rows.push_back(std::move(value));
        continue;
      }
      error = row.error();
    }
    if (!options.skip_malformed) return Error{error};
    ++table.skipped;
  }
  return table;
}

std::optional<ClaimTxType> parse_claim_tx_type(std::string_view s) {
  if (s == "CHARGE") return ClaimTxType::kCharge;
  if (s == "PAYMENT") return ClaimTxType::kPayment;
  if (s == "ADJUSTMENT") return ClaimTxType::kAdjustment;
  if (s == "TRANSFERIN") return ClaimTxType::kTransferIn;
  if (s == "TRANSFEROUT") return ClaimTxType::kTransferOut;
  return std::nullopt;
}

}  // namespace

const char* to_string(ClaimTxType t) {
  switch (t) {
    case ClaimTxType::kCharge:
      return "CHARGE";
    case ClaimTxType::kPayment:
      return "PAYMENT";
    case ClaimTxType::kAdjustment:
      return "ADJUSTMENT";
    case ClaimTxType::kTransferIn:
      return "TRANSFERIN";
    case ClaimTxType::kTransferOut:
      return "TRANSFEROUT";
  }
  return "?";
}

std::optional<Cents> parse_cents(std::string_view text) {
  bool negative = false;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  const std::size_t dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view frac =
      dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  if (whole.empty() || whole.size() > 15) return std::nullopt;  // 15 digits: no int64 overflow
  if (dot != std::string_view::npos && frac.empty()) return std::nullopt;
  Cents units = 0;
  for (char c : whole) {
    if (c < '0' || c > '9') return std::nullopt;
    units = units * 10 + (c - '0');
  }
  Cents cents = 0;
  for (std::size_t i = 0; i < frac.size(); ++i) {
    const char c = frac[i];
    if (c < '0' || c > '9') return std::nullopt;
    if (i == 0) cents += (c - '0') * 10;
    if (i == 1) cents += c - '0';
    if (i == 2 && c >= '5') cents += 1;  // half away from zero
  }
  const Cents total = units * 100 + cents;
  return negative ? -total : total;
}

Result<Table<Organization>> parse_organizations(std::string_view text, const std::string& file,
                                                const ReadOptions& options) {
  struct Cols {
    std::size_t id, name, city, state, lat, lon;
  };
  return parse_table<Organization>(
      text, file, options,
      [](Columns& c) {
        return Cols{c.need("Id"),    c.want("NAME"), c.want("CITY"),
                    c.want("STATE"), c.want("LAT"),  c.want("LON")};
      },
      [](Row& r, const Cols& c) {
        Organization o;
        o.id = r.str(c.id);
        o.name = r.opt_str(c.name);
        o.city = r.opt_str(c.city);
        o.state = r.opt_str(c.state);
        o.lat = r.opt_double(c.lat);
        o.lon = r.opt_double(c.lon);
        return o;
      });
}

Result<Table<Provider>> parse_providers(std::string_view text, const std::string& file,
                                        const ReadOptions& options) {
  struct Cols {
    std::size_t id, organization, speciality;
  };
  return parse_table<Provider>(
      text, file, options,
      [](Columns& c) {
        return Cols{c.need("Id"), c.need("ORGANIZATION"), c.want("SPECIALITY")};
      },
      [](Row& r, const Cols& c) {
        Provider p;
        p.id = r.str(c.id);
        p.organization = r.str(c.organization);
        p.speciality = r.opt_str(c.speciality);
        return p;
      });
}

Result<Table<Patient>> parse_patients(std::string_view text, const std::string& file,
                                      const ReadOptions& options) {
  struct Cols {
    std::size_t id, birth, death, gender, state;
  };
  return parse_table<Patient>(
      text, file, options,
      [](Columns& c) {
        return Cols{c.need("Id"), c.need("BIRTHDATE"), c.want("DEATHDATE"), c.want("GENDER"),
                    c.want("STATE")};
      },
      [](Row& r, const Cols& c) {
        Patient p;
        p.id = r.str(c.id);
        p.birth_ns = r.time(c.birth, /*allow_date=*/true);
        p.death_ns = r.opt_time(c.death, /*allow_date=*/true);
        p.gender = r.opt_str(c.gender);
        p.state = r.opt_str(c.state);
        return p;
      });
}

Result<Table<Encounter>> parse_encounters(std::string_view text, const std::string& file,
                                          const ReadOptions& options) {
  struct Cols {
    std::size_t id, start, stop, patient, organization, provider, payer, cls, code, base_cost,
        total_cost, coverage, reason;
  };
  return parse_table<Encounter>(
      text, file, options,
      [](Columns& c) {
        return Cols{c.need("Id"),
                    c.need("START"),
                    c.want("STOP"),
                    c.need("PATIENT"),
                    c.need("ORGANIZATION"),
                    c.want("PROVIDER"),
                    c.want("PAYER"),
                    c.need("ENCOUNTERCLASS"),
                    c.need("CODE"),
                    c.want("BASE_ENCOUNTER_COST"),
                    c.want("TOTAL_CLAIM_COST"),
                    c.want("PAYER_COVERAGE"),
                    c.want("REASONCODE")};
      },
      [](Row& r, const Cols& c) {
        Encounter e;
        e.id = r.str(c.id);
        e.start_ns = r.time(c.start, /*allow_date=*/false);
        e.stop_ns = r.opt_time(c.stop, /*allow_date=*/false);
        if (e.stop_ns && *e.stop_ns < e.start_ns) r.fail(c.stop, "before START");
        e.patient = r.str(c.patient);
        e.organization = r.str(c.organization);
        e.provider = r.opt_str(c.provider);
        e.payer = r.opt_str(c.payer);
        e.encounter_class = r.str(c.cls);
        e.code = r.str(c.code);
        e.base_cost_cents = r.opt_cents(c.base_cost);
        e.total_claim_cost_cents = r.opt_cents(c.total_cost);
        e.payer_coverage_cents = r.opt_cents(c.coverage);
        e.reason_code = r.opt_str(c.reason);
        return e;
      });
}

Result<Table<Medication>> parse_medications(std::string_view text, const std::string& file,
                                            const ReadOptions& options) {
  struct Cols {
    std::size_t start, stop, patient, payer, encounter, code, base_cost, coverage, dispenses,
        total_cost, reason;
  };
  return parse_table<Medication>(
      text, file, options,
      [](Columns& c) {
        return Cols{c.need("START"),     c.want("STOP"),           c.need("PATIENT"),
                    c.want("PAYER"),     c.need("ENCOUNTER"),      c.need("CODE"),
                    c.want("BASE_COST"), c.want("PAYER_COVERAGE"), c.want("DISPENSES"),
                    c.want("TOTALCOST"), c.want("REASONCODE")};
      },
      [](Row& r, const Cols& c) {
        Medication m;
        m.start_ns = r.time(c.start, /*allow_date=*/false);
        m.stop_ns = r.opt_time(c.stop, /*allow_date=*/false);
        if (m.stop_ns && *m.stop_ns < m.start_ns) r.fail(c.stop, "before START");
        m.patient = r.str(c.patient);
        m.payer = r.opt_str(c.payer);
        m.encounter = r.str(c.encounter);
        m.code = r.str(c.code);
        m.base_cost_cents = r.opt_cents(c.base_cost);
        m.payer_coverage_cents = r.opt_cents(c.coverage);
        m.dispenses = r.opt_int(c.dispenses);
        if (m.dispenses && *m.dispenses < 0) r.fail(c.dispenses, "negative");
        m.total_cost_cents = r.opt_cents(c.total_cost);
        m.reason_code = r.opt_str(c.reason);
        return m;
      });
}

Result<Table<Claim>> parse_claims(std::string_view text, const std::string& file,
                                  const ReadOptions& options) {
  struct Cols {
    std::size_t id, patient, provider, primary, secondary, department, appointment, service,
        illness, supervising, status1, statusp, out1, out2, outp, type1;
    std::vector<std::size_t> diagnoses;
  };
  return parse_table<Claim>(
      text, file, options,
      [](Columns& c) {
        Cols k{c.need("Id"),
               c.need("PATIENTID"),
               c.need("PROVIDERID"),
               c.want("PRIMARYPATIENTINSURANCEID"),
               c.want("SECONDARYPATIENTINSURANCEID"),
               c.want("DEPARTMENTID"),
               c.want("APPOINTMENTID"),
               c.need("SERVICEDATE"),
               c.want("CURRENTILLNESSDATE"),
               c.want("SUPERVISINGPROVIDERID"),
               c.want("STATUS1"),
               c.want("STATUSP"),
               c.want("OUTSTANDING1"),
               c.want("OUTSTANDING2"),
               c.want("OUTSTANDINGP"),
               c.want("HEALTHCARECLAIMTYPEID1"),
               {}};
        for (int i = 1; i <= 8; ++i) k.diagnoses.push_back(c.want("DIAGNOSIS" + std::to_string(i)));
        return k;
      },
      [](Row& r, const Cols& c) {
        Claim cl;
        cl.id = r.str(c.id);
        cl.patient = r.str(c.patient);
        cl.provider = r.str(c.provider);
        cl.primary_insurance = r.opt_str(c.primary);
        cl.secondary_insurance = r.opt_str(c.secondary);
        cl.department_id = r.opt_str(c.department);
        for (std::size_t col : c.diagnoses) {
          std::string d = r.opt_str(col);
          if (!d.empty()) cl.diagnoses.push_back(std::move(d));
        }
        cl.appointment = r.opt_str(c.appointment);
        cl.service_ns = r.time(c.service, /*allow_date=*/false);
        cl.current_illness_ns = r.opt_time(c.illness, /*allow_date=*/false);
        cl.supervising_provider = r.opt_str(c.supervising);
        cl.status_primary = r.opt_str(c.status1);
        cl.status_patient = r.opt_str(c.statusp);
        cl.outstanding_primary_cents = r.opt_cents(c.out1);
        cl.outstanding_secondary_cents = r.opt_cents(c.out2);
        cl.outstanding_patient_cents = r.opt_cents(c.outp);
        cl.claim_type = r.opt_int(c.type1);
        return cl;
      });
}

Result<Table<ClaimTransaction>> parse_claim_transactions(std::string_view text,
                                                         const std::string& file,
                                                         const ReadOptions& options) {
  struct Cols {
    std::size_t id, claim, charge, patient, type, amount, method, from, to, place, procedure, units,
        unit_amount, payments, adjustments, transfers, outstanding, appointment, provider;
  };
  return parse_table<ClaimTransaction>(
      text, file, options,
      [](Columns& c) {
        return Cols{c.need("ID"),
                    c.need("CLAIMID"),
                    c.want("CHARGEID"),
                    c.want("PATIENTID"),
                    c.need("TYPE"),
                    c.want("AMOUNT"),
                    c.want("METHOD"),
                    c.need("FROMDATE"),
                    c.want("TODATE"),
                    c.want("PLACEOFSERVICE"),
                    c.want("PROCEDURECODE"),
                    c.want("UNITS"),
                    c.want("UNITAMOUNT"),
                    c.want("PAYMENTS"),
                    c.want("ADJUSTMENTS"),
                    c.want("TRANSFERS"),
                    c.want("OUTSTANDING"),
                    c.want("APPOINTMENTID"),
                    c.want("PROVIDERID")};
      },
      [](Row& r, const Cols& c) {
        ClaimTransaction t;
        t.id = r.str(c.id);
        t.claim = r.str(c.claim);
        t.charge_id = r.opt_int(c.charge);
        t.patient = r.opt_str(c.patient);
        const std::string type = r.str(c.type);
        if (std::optional<ClaimTxType> ty = parse_claim_tx_type(type)) {
          t.type = *ty;
        } else if (!type.empty()) {
          r.fail(c.type, "unknown type '" + type +
                             "' (expected CHARGE, PAYMENT, ADJUSTMENT, TRANSFERIN or TRANSFEROUT)");
        }
        t.amount_cents = r.opt_cents(c.amount);
        t.method = r.opt_str(c.method);
        t.from_ns = r.time(c.from, /*allow_date=*/false);
        t.to_ns = r.opt_time(c.to, /*allow_date=*/false);
        t.place_of_service = r.opt_str(c.place);
        t.procedure_code = r.opt_str(c.procedure);
        t.units = r.opt_int(c.units);
        t.unit_amount_cents = r.opt_cents(c.unit_amount);
        t.payments_cents = r.opt_cents(c.payments);
        t.adjustments_cents = r.opt_cents(c.adjustments);
        t.transfers_cents = r.opt_cents(c.transfers);
        t.outstanding_cents = r.opt_cents(c.outstanding);
        t.appointment = r.opt_str(c.appointment);
        t.provider = r.opt_str(c.provider);
        if (t.type == ClaimTxType::kCharge) {  // a claim line: the replay bills it
          if (!t.amount_cents) {
            r.fail(c.amount == kAbsent ? c.type : c.amount, "a CHARGE line needs an AMOUNT");
          } else if (*t.amount_cents < 0) {
            r.fail(c.amount, "negative CHARGE amount");
          }
          if (t.units && *t.units < 1) r.fail(c.units, "a CHARGE bills at least 1 unit");
        }
        return t;
      });
}

namespace {

// Id -> position, for resolving references (looked up only; never iterated).
using Index = std::unordered_map<std::string, std::size_t>;

// Keeps the rows of `rows` for which `check(row) -> error message` returns "" and rebuilds the
// vector; a failing row fails the read or, under skip_malformed, is dropped and counted.
template <class T, class Check>
Status filter_rows(std::vector<T>& rows, const ReadOptions& options, std::uint64_t& skipped,
                   Check check) {
  std::vector<T> kept;
  kept.reserve(rows.size());
  for (T& row : rows) {
    std::string error = check(row);
    if (error.empty()) {
      kept.push_back(std::move(row));
    } else if (options.skip_malformed) {
      ++skipped;
    } else {
      return Error{std::move(error)};
    }
  }
  rows = std::move(kept);
  return Status::Ok();
}

// Rejects (or drops) rows whose id repeats an earlier row's, then indexes the rest.
template <class T>
Result<Index> unique_index(std::vector<T>& rows, const std::string& file, const char* field,
                           const ReadOptions& options, std::uint64_t& skipped) {
  Index index;
  std::unordered_map<std::string, std::uint64_t> first_line;
  Status st = filter_rows(rows, options, skipped, [&](const T& r) -> std::string {
    auto [it, fresh] = first_line.emplace(r.id, r.line);
    if (fresh) return {};
    return file + ":" + std::to_string(r.line) + ": " + field + ": duplicate id '" + r.id +
           "' (first on line " + std::to_string(it->second) + ")";
  });
  if (!st.ok()) return st.error();
  for (std::size_t i = 0; i < rows.size(); ++i) index.emplace(rows[i].id, i);
  return index;
}

std::string unknown_ref(const std::string& file, std::uint64_t line, const char* field,
                        const char* what, const std::string& id, const std::string& in_file) {
  return file + ":" + std::to_string(line) + ": " + field + ": unknown " + what + " '" + id +
         "' (not in " + in_file + ")";
}

}  // namespace

Result<SyntheaTrace> read_synthea_files(const std::map<std::string, std::string>& texts,
                                        const std::string& dir, const ReadOptions& options) {
  SyntheaTrace trace;
  auto path = [&dir](const char* name) { return dir.empty() ? name : dir + "/" + name; };
  for (const char* name : kRequiredSyntheaFiles) {
    if (!texts.contains(name)) return Error{path(name) + ": required file not found"};
  }
  for (const char* name : kOptionalSyntheaFiles) {
    if (!texts.contains(name)) trace.absent_files.push_back(name);
  }
  // Parses file `name` with `parse` into `out` when present, recording its skip count.
  auto load = [&](const char* name, auto parse, auto& out) -> Status {
    auto it = texts.find(name);
    if (it == texts.end()) return Status::Ok();
    auto table = parse(it->second, path(name), options);
    if (!table) return table.error();
    out = std::move(table->rows);
    trace.skipped_rows[name] = table->skipped;
    return Status::Ok();
  };
  if (Status st = load("organizations.csv", parse_organizations, trace.organizations); !st)
    return st.error();
  if (Status st = load("providers.csv", parse_providers, trace.providers); !st) return st.error();
  if (Status st = load("patients.csv", parse_patients, trace.patients); !st) return st.error();
  if (Status st = load("encounters.csv", parse_encounters, trace.encounters); !st)
    return st.error();
  if (Status st = load("medications.csv", parse_medications, trace.medications); !st)
    return st.error();
  if (Status st = load("claims.csv", parse_claims, trace.claims); !st) return st.error();
  if (Status st =
          load("claims_transactions.csv", parse_claim_transactions, trace.claim_transactions);
      !st)
    return st.error();

  // References, in dependency order, so that a row dropped early makes the rows that point at it
  // dangle (and be dropped and counted in their own file) rather than point at nothing.
  const bool have_providers = texts.contains("providers.csv");
  auto& skipped = trace.skipped_rows;
  Result<Index> orgs = unique_index(trace.organizations, path("organizations.csv"), "Id", options,
                                    skipped["organizations.csv"]);
  if (!orgs) return orgs.error();
  Status st = filter_rows(trace.providers, options, skipped["providers.csv"], [&](Provider& p) {
    auto it = orgs->find(p.organization);
    if (it == orgs->end()) {
      return unknown_ref(path("providers.csv"), p.line, "ORGANIZATION", "organisation",
                         p.organization, "organizations.csv");
    }
    p.organization_index = it->second;
    return std::string();
  });
  if (!st) return st.error();
  Result<Index> providers =
      unique_index(trace.providers, path("providers.csv"), "Id", options, skipped["providers.csv"]);
  if (!providers) return providers.error();
  Result<Index> patients =
      unique_index(trace.patients, path("patients.csv"), "Id", options, skipped["patients.csv"]);
  if (!patients) return patients.error();

  st = filter_rows(trace.encounters, options, skipped["encounters.csv"], [&](Encounter& e) {
    const std::string file = path("encounters.csv");
    auto pat = patients->find(e.patient);
    if (pat == patients->end()) {
      return unknown_ref(file, e.line, "PATIENT", "patient", e.patient, "patients.csv");
    }
    auto org = orgs->find(e.organization);
    if (org == orgs->end()) {
      return unknown_ref(file, e.line, "ORGANIZATION", "organisation", e.organization,
                         "organizations.csv");
    }
    e.patient_index = pat->second;
    e.organization_index = org->second;
    e.provider_index.reset();
    if (have_providers && !e.provider.empty()) {
      auto prov = providers->find(e.provider);
      if (prov == providers->end()) {
        return unknown_ref(file, e.line, "PROVIDER", "provider", e.provider, "providers.csv");
      }
      e.provider_index = prov->second;
    }
    return std::string();
  });
  if (!st) return st.error();
  Result<Index> encounters = unique_index(trace.encounters, path("encounters.csv"), "Id", options,
                                          skipped["encounters.csv"]);
  if (!encounters) return encounters.error();

  st = filter_rows(trace.medications, options, skipped["medications.csv"], [&](Medication& m) {
    const std::string file = path("medications.csv");
    auto pat = patients->find(m.patient);
    if (pat == patients->end()) {
      return unknown_ref(file, m.line, "PATIENT", "patient", m.patient, "patients.csv");
    }
    auto enc = encounters->find(m.encounter);
    if (enc == encounters->end()) {
      return unknown_ref(file, m.line, "ENCOUNTER", "encounter", m.encounter, "encounters.csv");
    }
    if (trace.encounters[enc->second].patient != m.patient) {
      return file + ":" + std::to_string(m.line) + ": ENCOUNTER: encounter '" + m.encounter +
             "' is patient '" + trace.encounters[enc->second].patient + "'s, not '" + m.patient +
             "'s";
    }
    m.patient_index = pat->second;
    m.encounter_index = enc->second;
    return std::string();
  });
  if (!st) return st.error();

  st = filter_rows(trace.claims, options, skipped["claims.csv"], [&](Claim& c) {
    const std::string file = path("claims.csv");
    auto pat = patients->find(c.patient);
    if (pat == patients->end()) {
      return unknown_ref(file, c.line, "PATIENTID", "patient", c.patient, "patients.csv");
    }
    auto org = orgs->find(c.provider);
    if (org == orgs->end()) {
      return unknown_ref(file, c.line, "PROVIDERID", "organisation", c.provider,
                         "organizations.csv");
    }
    c.patient_index = pat->second;
    c.organization_index = org->second;
    c.encounter_index.reset();
    if (!c.appointment.empty()) {
      auto enc = encounters->find(c.appointment);
      if (enc == encounters->end()) {
        return unknown_ref(file, c.line, "APPOINTMENTID", "encounter", c.appointment,
                           "encounters.csv");
      }
      c.encounter_index = enc->second;
    }
    c.transactions.clear();
    return std::string();
  });
  if (!st) return st.error();
  Result<Index> claims =
      unique_index(trace.claims, path("claims.csv"), "Id", options, skipped["claims.csv"]);
  if (!claims) return claims.error();

  st = filter_rows(trace.claim_transactions, options, skipped["claims_transactions.csv"],
                   [&](ClaimTransaction& t) {
                     auto cl = claims->find(t.claim);
                     if (cl == claims->end()) {
                       return unknown_ref(path("claims_transactions.csv"), t.line, "CLAIMID",
                                          "claim", t.claim, "claims.csv");
                     }
                     t.claim_index = cl->second;
                     return std::string();
                   });
  if (!st) return st.error();
  for (std::size_t i = 0; i < trace.claim_transactions.size(); ++i) {
    trace.claims[trace.claim_transactions[i].claim_index].transactions.push_back(i);
  }
  // Files that were not given have no skip count.
  for (const std::string& name : trace.absent_files) skipped.erase(name);
  return trace;
}

Result<SyntheaTrace> read_synthea_dir(const std::string& dir, const ReadOptions& options) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return Error{dir + ": not a folder"};
  std::map<std::string, std::string> texts;
  for (const char* name : kRequiredSyntheaFiles) {
    Result<std::string> text = read_text_file(dir + "/" + name);
    if (!text) return text.error();
    texts.emplace(name, std::move(*text));
  }
  for (const char* name : kOptionalSyntheaFiles) {
    const std::string p = dir + "/" + name;
    if (!std::filesystem::exists(p, ec)) continue;  // absent: listed in absent_files
    Result<std::string> text = read_text_file(p);
    if (!text) return text.error();
    texts.emplace(name, std::move(*text));
  }
  return read_synthea_files(texts, dir, options);
}

}  // namespace hlsim::trace
