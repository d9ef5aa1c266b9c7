#include "advisor/workload_file.hpp"

#include <cctype>
#include <regex>

#include "parser/query.hpp"

namespace advisor {

namespace {

struct RawStatement {
  std::string text;
  int line = 0;
  std::optional<std::string> calls;  //!< the `-- calls:` value seen before it, verbatim
};

bool blank(const std::string& text)
{
  for (char c : text)
    if (!std::isspace(static_cast<unsigned char>(c)))
      return false;
  return true;
}

//! Splits on ';' outside strings, quoted identifiers, comments and dollar quotes; records the
//! line each statement starts on and the last `-- calls: N` comment before it.
std::vector<RawStatement> split(const std::string& text)
{
  static const std::regex calls_comment(R"(^--\s*calls\s*:\s*(\S+))", std::regex::icase);
  std::vector<RawStatement> out;
  RawStatement current;
  int line = 1;
  std::size_t i = 0;
  const auto start_if_needed = [&]() {
    if (current.line == 0)
      current.line = line;
  };
  while (i < text.size()) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
      current.text += c;
      ++i;
      continue;
    }
    if (c == '-' && i + 1 < text.size() && text[i + 1] == '-') {
      const auto end = text.find('\n', i);
      const std::string comment = text.substr(i, end == std::string::npos ? std::string::npos : end - i);
      std::smatch match;
      if (current.line == 0 && std::regex_search(comment, match, calls_comment))
        current.calls = match[1].str();
      i = end == std::string::npos ? text.size() : end;
      continue;
    }
    if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
      const auto end = text.find("*/", i + 2);
      const std::size_t stop = end == std::string::npos ? text.size() : end + 2;
      for (std::size_t k = i; k < stop; ++k)
        line += text[k] == '\n' ? 1 : 0;
      current.text += ' ';
      i = stop;
      continue;
    }
    if (c == ';') {
      if (!blank(current.text))
        out.push_back(current);
      current = RawStatement{};
      ++i;
      continue;
    }
    if (!std::isspace(static_cast<unsigned char>(c)))
      start_if_needed();
    std::size_t stop = i + 1;
    if (c == '\'' || c == '"') {
      stop = i + 1;
      while (stop < text.size()) {
        if (text[stop] == c) {
          if (stop + 1 < text.size() && text[stop + 1] == c) {
            stop += 2;
            continue;
          }
          ++stop;
          break;
        }
        ++stop;
      }
    } else if (c == '$') {
      std::size_t j = i + 1;
      while (j < text.size() && (std::isalnum(static_cast<unsigned char>(text[j])) || text[j] == '_'))
        ++j;
      if (j < text.size() && text[j] == '$' && !(j > i + 1 && std::isdigit(static_cast<unsigned char>(text[i + 1])))) {
        const std::string tag = text.substr(i, j - i + 1);
        const auto end = text.find(tag, j + 1);
        stop = end == std::string::npos ? text.size() : end + tag.size();
      }
    }
    for (std::size_t k = i + 1; k < stop; ++k)
      line += text[k] == '\n' ? 1 : 0;
    current.text.append(text, i, stop - i);
    i = stop;
  }
  if (!blank(current.text))
    out.push_back(current);
  return out;
}

std::string trimmed(const std::string& text)
{
  const auto first = text.find_first_not_of(" \t\r\n");
  const auto last = text.find_last_not_of(" \t\r\n");
  return first == std::string::npos ? std::string() : text.substr(first, last - first + 1);
}

}  // namespace

WorkloadFile parse_workload_file(const std::string& text)
{
  WorkloadFile file;
  for (auto& raw : split(text)) {
    WorkloadStatement statement;
    statement.sql = trimmed(raw.text);
    statement.line = raw.line;
    if (raw.calls) {
      char* end = nullptr;
      const double calls = std::strtod(raw.calls->c_str(), &end);
      if (end == raw.calls->c_str() || *end != '\0' || !(calls > 0)) {
        file.skipped.push_back({raw.line, statement.sql, "-- calls: " + *raw.calls + " is not a positive number"});
        continue;
      }
      statement.calls = calls;
    }
    auto parsed = parser::parse(statement.sql);
    if (!parsed) {
      file.skipped.push_back({raw.line, statement.sql, parsed.error().message});
      continue;
    }
    file.statements.push_back(std::move(statement));
  }
  return file;
}

}  // namespace advisor
