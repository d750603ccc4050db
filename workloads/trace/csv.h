// RFC 4180 CSV: records separated by CRLF (or LF), fields by commas; a field may be quoted with
// '"', and then holds commas, line breaks and doubled quotes ("" for one '"'). A UTF-8 byte
// order mark at the start is dropped. The first record is the header: column names, looked up
// by name so that files may add, drop or reorder columns.
//
// Two kinds of damage:
//  * a malformed record (a quote inside an unquoted field, text after a closing quote, a record
//    with more or fewer fields than the header): the record carries an error message and the
//    parser goes on at the next line, so a caller may count it and skip it;
//  * an unterminated quoted field: everything after the opening quote would be one field, so no
//    later record can be trusted; the whole parse fails, naming the line where the quote opened.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/kernel/result.h"

namespace hlsim::trace {

struct CsvRecord {
  std::uint64_t line = 0;  // 1-based line where the record starts
  std::vector<std::string> fields;
  std::string error;  // non-empty: malformed, `fields` are not to be used
};

// Splits `text` into records. Errors (unterminated quote only) read
// "<file>:<line>: unterminated quoted field (the file is truncated or a quote is missing)".
Result<std::vector<CsvRecord>> parse_csv_records(std::string_view text, std::string_view file);

struct CsvFile {
  std::string file;  // name used in messages
  std::vector<std::string> columns;
  std::vector<CsvRecord> rows;  // data records; a row whose field count differs has an error

  std::optional<std::size_t> column(std::string_view name) const;
};

// Parses a whole file: header (non-empty, unique names) and rows. Errors name the file and line.
Result<CsvFile> parse_csv_file(std::string_view text, std::string file);

}  // namespace hlsim::trace
