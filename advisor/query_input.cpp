#include "advisor/query_input.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

namespace advisor {

model::Result<std::string> read_file(const std::string& path)
{
  std::ifstream file(path, std::ios::binary);
  if (!file)
    return model::make_error(model::ErrorKind::not_found,
                             "cannot read " + path + ": " + std::strerror(errno));
  std::ostringstream content;
  content << file.rdbuf();
  if (file.bad())
    return model::make_error(model::ErrorKind::not_found, "cannot read " + path + ": read error");
  return content.str();
}

model::Result<std::string> read_query(const std::optional<std::string>& text,
                                      const std::optional<std::string>& file, std::istream& in)
{
  if ((file && *file == "-") || (!file && text && *text == "-"))
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (file)
    return read_file(*file);
  if (text)
    return *text;
  return model::make_error(model::ErrorKind::invalid_input, "no query given",
                           "pass the SQL as an argument, -f FILE, or - to read standard input");
}

}  // namespace advisor
