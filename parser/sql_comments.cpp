#include "parser/sql_comments.hpp"

namespace parser {

bool comment_at(std::string_view sql, std::size_t i)
{
  return i + 1 < sql.size() && ((sql[i] == '-' && sql[i + 1] == '-') || (sql[i] == '/' && sql[i + 1] == '*'));
}

std::size_t skip_comment(std::string_view sql, std::size_t i, bool* terminated)
{
  if (terminated != nullptr)
    *terminated = true;
  if (sql[i] == '-') {
    while (i < sql.size() && sql[i] != '\n')
      ++i;
    return i;
  }
  int depth = 0;
  while (i < sql.size()) {
    if (sql.compare(i, 2, "/*") == 0) {
      ++depth;
      i += 2;
    } else if (sql.compare(i, 2, "*/") == 0) {
      i += 2;
      if (--depth == 0)
        return i;
    } else {
      ++i;
    }
  }
  if (terminated != nullptr)
    *terminated = false;
  return i;
}

}  // namespace parser
