#include "parser/pg_query_handle.hpp"

namespace parser::detail {

model::Error to_error(const PgQueryError& error)
{
  int position = error.cursorpos > 0 ? error.cursorpos : -1;
  return model::make_error(model::ErrorKind::invalid_input, error.message ? error.message : "invalid SQL", {},
                           position);
}

bool is_blank_sql(std::string_view sql)
{
  std::size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == ';') {
      ++i;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      while (i < sql.size() && sql[i] != '\n')
        ++i;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      // PostgreSQL block comments nest.
      int depth = 0;
      while (i < sql.size()) {
        if (sql.compare(i, 2, "/*") == 0) {
          ++depth;
          i += 2;
        } else if (sql.compare(i, 2, "*/") == 0) {
          i += 2;
          if (--depth == 0)
            break;
        } else {
          ++i;
        }
      }
      if (depth != 0)
        return false;  // unterminated: let libpg_query report it
    } else {
      return false;
    }
  }
  return true;
}

model::Error empty_query_error()
{
  return model::make_error(model::ErrorKind::invalid_input, "empty query",
                           "the text holds only blanks or comments");
}

}  // namespace parser::detail
