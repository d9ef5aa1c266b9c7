#pragma once
// Where a command's SQL comes from: the argument, a file (-f FILE) or standard input ("-").

#include <iosfwd>
#include <optional>
#include <string>

#include "model/result.hpp"

namespace advisor {

//! Reads the query text. `file` wins over `text`; "-" (as either) reads `in`. A missing file is
//! ErrorKind::not_found naming the path; no query at all is invalid_input.
model::Result<std::string> read_query(const std::optional<std::string>& text,
                                      const std::optional<std::string>& file, std::istream& in);

//! Reads a whole file; ErrorKind::not_found "cannot read FILE: reason".
model::Result<std::string> read_file(const std::string& path);

}  // namespace advisor
