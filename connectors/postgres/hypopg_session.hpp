#pragma once
// What-if costing with HypoPG: the plan cost of one statement before and after a set of
// hypothetical indexes. Hypothetical indexes live only in this backend and are not
// transactional, so every evaluation starts and ends with hypopg_reset().

#include <cstdint>
#include <string>
#include <vector>

#include "connectors/postgres/session.hpp"
#include "model/result.hpp"

namespace connectors::pg {

struct WhatIfResult {
  double cost_before = 0;
  double cost_after = 0;
  std::int64_t index_bytes = 0;  //!< sum of hypopg_relation_size over the hypothetical indexes
  bool index_used = false;       //!< the plan after uses at least one hypothetical index
  std::string plan_after_json;
  std::string plan_before_json;
};

class WhatIfSession {
public:
  explicit WhatIfSession(Session& session);

  //! The hypopg extension is installed in this database (checked once, at construction).
  bool available() const { return m_available; }

  //! Costs `sql` (plain EXPLAIN, no ANALYZE; a generic plan for $n statements, re-prepared
  //! after the indexes exist) without and with the hypothetical indexes. Each element of
  //! `create_index_statements` is one CREATE INDEX statement; CONCURRENTLY is accepted and
  //! dropped. Errors: refused when hypopg is not installed or a statement is not a single
  //! CREATE INDEX; the explain runner's errors for `sql`; server when HypoPG rejects an index.
  //! No hypothetical index and no prepared statement remain afterwards, whatever happens.
  model::Result<WhatIfResult> evaluate(const std::string& sql,
                                       const std::vector<std::string>& create_index_statements);

private:
  model::Result<WhatIfResult> evaluate_clean(const std::string& sql,
                                             const std::vector<std::string>& create_index_statements);
  //! hypopg_reset(); false when even that failed (connection lost).
  bool reset();

  Session& m_session;
  bool m_available = false;
};

//! `statement` with the CONCURRENTLY of CREATE [UNIQUE] INDEX CONCURRENTLY removed.
std::string strip_concurrently(const std::string& statement);

}  // namespace connectors::pg
