#pragma once
// Reads one sample of a target's cumulative statistics: pg_stat_statements counters (without
// their texts), pg_stat_statements_info, pg_stat_user_tables, pg_stat_user_indexes and
// pg_stat_database. Fetches nothing more than it must: texts only for keys it has not seen,
// the view's column list once per connection. Decides nothing: deltas and detection are
// heuristics::detection's job.
//
// pgadvisor's own statements. pg_stat_statements has no application_name, and comments do not
// take part in the queryid, so a marker comment alone is not enough: the same queryid may have
// been recorded first from someone else's text, and pgadvisor's EXPLAIN ANALYZE runs the
// application's own statements (same queryid, nested entry). The one identity that separates
// them is the role: pgadvisor connects as a dedicated monitoring role (member of pg_monitor),
// and every entry whose userid is that role is pgadvisor's own. On top of that (for setups
// that share a role), every query pgadvisor sends starts with the marker comment
// `/* pgadvisor */`, and an entry whose first recorded text starts with the marker is
// excluded too (checked once, when its text is fetched).

#include <cstddef>
#include <cstdint>
#include <list>
#include <string>
#include <unordered_map>
#include <vector>

#include "connectors/postgres/session.hpp"
#include "connectors/postgres/stat_columns.hpp"
#include "model/result.hpp"
#include "model/sample.hpp"

namespace connectors::pg {

//! The marker comment that starts every query pgadvisor sends.
inline constexpr const char* own_query_marker = "/* pgadvisor */";

struct SamplerOptions {
  //! Skip entries of the role pgadvisor is connected as (see the header comment).
  bool exclude_own_role = true;
  //! Only the connected database's entries (one target = one database; several targets on one
  //! cluster would otherwise count every statement several times).
  bool current_database_only = true;
  //! How many keys the sampler remembers as "text already fetched" (LRU). A key forgotten and
  //! seen again has its text fetched again, nothing worse.
  std::size_t known_text_capacity = 20000;
  //! Longest text kept, in characters; longer ones are cut (texts can be megabytes).
  std::size_t max_text_bytes = 16384;
};

class StatsSampler {
public:
  explicit StatsSampler(SamplerOptions options = {});

  //! Reads one sample through `session` (no transaction may be open on it; none is left open).
  //! The column list, the extension's schema and the own role are read once per connection
  //! (a new backend, e.g. after a reconnect, reads them again).
  //! Errors, never exceptions: unreachable when the connection is lost (also mid-sample: a
  //! terminated backend); not_found when pg_stat_statements is not installed in the database
  //! (hint: CREATE EXTENSION); server for other failures (e.g. not in shared_preload_libraries).
  //! A failed sample changes nothing: the texts it would have fetched are fetched next time.
  model::Result<model::Sample> sample(Session& session);

  //! The column mapping of the current connection; nullptr before the first sample.
  const StatementColumns* columns() const { return m_columns_valid ? &m_columns : nullptr; }
  //! Forget every known text (the caller lost them): the next sample fetches all texts again.
  void forget_texts();
  //! Number of texts fetched since construction (each new key counts once).
  std::size_t texts_fetched_total() const { return m_texts_fetched_total; }
  std::size_t known_texts() const { return m_known_index.size(); }

private:
  struct KnownText {
    model::StatementKey key;
    bool own = false;  //!< its text starts with the marker: excluded
  };

  model::Result<bool> prepare_connection(Session& session);
  bool touch_known(const model::StatementKey& key, bool& own);
  void remember(const model::StatementKey& key, bool own);

  SamplerOptions m_options;
  StatementColumns m_columns;
  bool m_columns_valid = false;
  std::string m_schema;           //!< schema of pg_stat_statements
  std::string m_counters_query;
  bool m_has_info = false;        //!< pg_stat_statements_info exists
  std::int64_t m_own_userid = 0;
  std::int64_t m_dbid = 0;
  int m_backend_pid = 0;          //!< the connection the cached facts belong to
  const Session* m_session = nullptr;

  std::list<KnownText> m_known;   //!< most recently seen first
  std::unordered_map<model::StatementKey, std::list<KnownText>::iterator, model::StatementKeyHash>
      m_known_index;
  std::size_t m_texts_fetched_total = 0;
};

}  // namespace connectors::pg
