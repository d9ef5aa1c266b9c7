#pragma once
// A rule's observation about one query, with the numbers that back it.

#include <string>
#include <vector>

namespace model {

struct Evidence {
  std::string name;   //!< "rows_removed_by_filter"
  double value = 0;
  std::string unit;   //!< "rows", "ms", "bytes", "ratio", "%"…
};

struct Finding {
  std::string rule_id;    //!< stable id, part of the JSON contract
  std::string title;      //!< one line
  std::string location;   //!< "Seq Scan on public.orders" or "WHERE clause"
  std::string relation;   //!< schema-qualified table the finding is about, when there is one
  std::vector<Evidence> evidence;
  double time_share = 0;  //!< 0..1: the share of the query's time this finding explains
  std::string advice;     //!< what to do, one or two sentences
  //! The rewritten statement, when a rewrite rule can produce it mechanically; it parses.
  std::string rewritten_sql;
};

}  // namespace model
