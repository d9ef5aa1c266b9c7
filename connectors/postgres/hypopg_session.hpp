#pragma once
// What-if costing with HypoPG: the plan cost of one statement before and after a set of
// hypothetical indexes. Hypothetical indexes live only in this backend and are not
// transactional, so every evaluation starts and ends with hypopg_reset().

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
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

//! One cost from cost_with().
struct WhatIfCost {
  double cost = 0;
  std::vector<std::string> used;  //!< the requested statements whose index the plan uses
};

class WhatIfSession {
public:
  explicit WhatIfSession(Session& session);
  //! Drops this session's hypothetical indexes (they only ever live in this backend anyway).
  ~WhatIfSession();
  WhatIfSession(const WhatIfSession&) = delete;
  WhatIfSession& operator=(const WhatIfSession&) = delete;

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

  //! The plan cost of `sql` with exactly the hypothetical indexes `create_index_statements`
  //! present (plain EXPLAIN; a generic plan for $n statements). For many calls over
  //! overlapping sets: an index already built by an earlier call is kept, those not asked for
  //! are dropped, so only the difference is sent. When HypoPG runs out of OIDs the session's
  //! hypothetical indexes are reset and the call is retried once; a failure is an error
  //! value, never a silently missing index. Errors as evaluate().
  model::Result<WhatIfCost> cost_with(const std::string& sql, const std::vector<std::string>& create_index_statements);

  //! hypopg_relation_size() of the index, estimated from the table's statistics; cached per
  //! statement. Errors: refused without hypopg; server when HypoPG rejects the statement.
  model::Result<std::int64_t> index_size(const std::string& create_index_statement);

  //! How many hypothetical indexes this session holds right now.
  std::size_t live_count() const { return m_live.size(); }
  //! Hypothetical indexes created since construction (each HypoPG OID taken).
  std::size_t created_count() const { return m_created; }

private:
  struct LiveIndex {
    std::string oid;
    std::string name;  //!< as EXPLAIN shows it: <13543>btree_orders_customer_id
    std::int64_t bytes = 0;
  };

  //! Makes exactly `statements` live (already checked); drops the others.
  void sync_live(const std::vector<std::string>& statements);
  //! Creates one (checked) statement's hypothetical index.
  LiveIndex create_live(const std::string& statement);
  model::Error hypopg_error();
  //! Runs `action` (HypoPG calls that may throw). When HypoPG runs out of OIDs on the first
  //! try, resets this session's hypothetical indexes and runs it once more; any other failure,
  //! or a second one, resets the session too and comes back as hypopg_error(). nullopt: done.
  std::optional<model::Error> retry_once_out_of_oids(const std::function<void()>& action);

  std::map<std::string, LiveIndex> m_live;                //!< checked statement -> index
  std::map<std::string, std::int64_t> m_sizes;            //!< checked statement -> bytes
  std::size_t m_created = 0;

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
