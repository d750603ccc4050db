#include "workloads/trace/csv.h"

#include <set>

namespace hlsim::trace {
namespace {

std::string where(std::string_view file, std::uint64_t line) {
  return std::string(file) + ":" + std::to_string(line);
}

// Advances `pos` past the end of the current line (past its '\n'), counting it in `line`.
void skip_line(std::string_view text, std::size_t& pos, std::uint64_t& line) {
  while (pos < text.size() && text[pos] != '\n') ++pos;
  if (pos < text.size()) {
    ++pos;
    ++line;
  }
}

}  // namespace

Result<std::vector<CsvRecord>> parse_csv_records(std::string_view text, std::string_view file) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::vector<CsvRecord> records;
  std::size_t pos = 0;
  std::uint64_t line = 1;
  while (pos < text.size()) {
    CsvRecord rec;
    rec.line = line;
    std::string field;
    bool done = false;
    while (!done) {
      // At the start of a field.
      field.clear();
      if (pos < text.size() && text[pos] == '"') {
        const std::uint64_t open_line = line;
        ++pos;
        bool closed = false;
        while (pos < text.size()) {
          const char c = text[pos];
          if (c == '"') {
            if (pos + 1 < text.size() && text[pos + 1] == '"') {
              field.push_back('"');
              pos += 2;
              continue;
            }
            ++pos;
            closed = true;
            break;
          }
          if (c == '\n') ++line;
          field.push_back(c);
          ++pos;
        }
        if (!closed) {
          return Error{where(file, open_line) +
                       ": unterminated quoted field (the file is truncated or a quote is "
                       "missing)"};
        }
      } else {
        while (pos < text.size() && text[pos] != ',' && text[pos] != '\n' &&
               !(text[pos] == '\r' && pos + 1 < text.size() && text[pos + 1] == '\n')) {
          if (text[pos] == '"') {
            rec.error = "field " + std::to_string(rec.fields.size() + 1) +
                        ": unexpected '\"' inside an unquoted field";
            break;
          }
          field.push_back(text[pos]);
          ++pos;
        }
        if (!rec.error.empty()) {
          skip_line(text, pos, line);
          break;
        }
      }
      rec.fields.push_back(field);
      // After a field: a comma, the end of the record, or the end of the text.
      if (pos >= text.size()) {
        done = true;
      } else if (text[pos] == ',') {
        ++pos;
      } else if (text[pos] == '\n') {
        ++pos;
        ++line;
        done = true;
      } else if (text[pos] == '\r' && pos + 1 < text.size() && text[pos + 1] == '\n') {
        pos += 2;
        ++line;
        done = true;
      } else {
        rec.error = "field " + std::to_string(rec.fields.size()) + ": unexpected '" +
                    std::string(1, text[pos]) + "' after a closing quote";
        skip_line(text, pos, line);
        done = true;
      }
    }
    if (!rec.error.empty()) rec.fields.clear();
    records.push_back(std::move(rec));
  }
  return records;
}

std::optional<std::size_t> CsvFile::column(std::string_view name) const {
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (columns[i] == name) return i;
  }
  return std::nullopt;
}

Result<CsvFile> parse_csv_file(std::string_view text, std::string file) {
  Result<std::vector<CsvRecord>> records = parse_csv_records(text, file);
  if (!records) return records.error();
  if (records->empty()) return Error{file + ":1: empty file (expected a header line)"};
  CsvFile out;
  out.file = std::move(file);
  CsvRecord& header = records->front();
  if (!header.error.empty())
    return Error{where(out.file, header.line) + ": header: " + header.error};
  std::set<std::string> seen;
  for (const std::string& name : header.fields) {
    if (name.empty()) return Error{where(out.file, header.line) + ": header: empty column name"};
    if (!seen.insert(name).second) {
      return Error{where(out.file, header.line) + ": header: column '" + name + "' appears twice"};
    }
  }
  out.columns = std::move(header.fields);
  out.rows.reserve(records->size() - 1);
  for (std::size_t i = 1; i < records->size(); ++i) {
    CsvRecord& rec = (*records)[i];
    if (rec.error.empty() && rec.fields.size() != out.columns.size()) {
      rec.error = "expected " + std::to_string(out.columns.size()) +
                  " fields as in the header, got " + std::to_string(rec.fields.size()) +
                  (rec.fields.size() < out.columns.size() ? " (short row)" : "");
      rec.fields.clear();
    }
    out.rows.push_back(std::move(rec));
  }
  return out;
}

}  // namespace hlsim::trace
