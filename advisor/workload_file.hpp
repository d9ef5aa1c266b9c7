#pragma once
// A workload file: SQL statements separated by ';', each optionally preceded by a
// `-- calls: N` comment (default 1). Every statement is checked on its own, so one invalid
// statement is reported with its line and the rest is still advised.

#include <optional>
#include <string>
#include <vector>

#include "model/statement_stats.hpp"

namespace advisor {

struct WorkloadStatement {
  std::string sql;
  double calls = 1;
  int line = 0;  //!< 1-based line of the statement's first character in the file; 0: not a file
  //! Normalised text from pg_stat_statements ($n placeholders), not a real sample.
  bool normalized = false;
  std::optional<model::StatementStats> stats;  //!< pg_stat_statements figures when known
  std::vector<std::string> notes;  //!< where the text came from ("sampled from pg_stat_activity")
};

struct SkippedStatement {
  int line = 0;           //!< 0 when not from a file
  std::string sql;        //!< the statement (may be shortened for display by the renderer)
  std::string reason;     //!< "syntax error at or near \"FROM\"", "relation \"x\" does not exist"
};

struct WorkloadFile {
  std::vector<WorkloadStatement> statements;
  std::vector<SkippedStatement> skipped;  //!< invalid statements, with their line
};

//! Splits and checks `text`. Statements that do not parse are skipped with libpg_query's
//! message and their line; `-- calls: N` with N not a positive number is skipped likewise.
//! Quotes, dollar quotes and comments are respected when splitting.
WorkloadFile parse_workload_file(const std::string& text);

}  // namespace advisor
