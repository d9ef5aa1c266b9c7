#include "parser/pg_query_handle.hpp"

#include "parser/sql_comments.hpp"

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
    } else if (comment_at(sql, i)) {
      bool terminated = true;
      i = skip_comment(sql, i, &terminated);
      if (!terminated)
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
