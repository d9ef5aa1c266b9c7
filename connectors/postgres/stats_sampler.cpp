#include "connectors/postgres/stats_sampler.hpp"

#include <charconv>
#include <cstring>
#include <unordered_set>
#include <utility>

#include "connectors/postgres/server_error.hpp"

namespace connectors::pg {

namespace {

// Fields are parsed with from_chars: libpqxx's conversions go through streams, and a sample of
// 5,000 statements has ~100,000 fields, so the difference shows in the per-cycle CPU budget.
std::int64_t to_int(const pqxx::field& f)
{
  if (f.is_null())
    return 0;
  const char* text = f.c_str();
  std::int64_t value = 0;
  std::from_chars(text, text + std::strlen(text), value);
  return value;
}

double to_double(const pqxx::field& f)
{
  if (f.is_null())
    return 0;
  const char* text = f.c_str();
  double value = 0;
  std::from_chars(text, text + std::strlen(text), value);
  return value;
}

bool to_bool(const pqxx::field& f)
{
  return !f.is_null() && f.c_str()[0] == 't';
}

model::StatementKey key_of(const pqxx::row& row)
{
  return model::StatementKey{to_int(row[0]), to_int(row[1]), to_int(row[2]), to_bool(row[3])};
}

model::StatementCounters counters_of(const pqxx::row& row)
{
  model::StatementCounters c;
  c.key = key_of(row);
  c.calls = to_int(row[4]);
  c.total_exec_ms = to_double(row[5]);
  c.total_plan_ms = to_double(row[6]);
  const double mean = to_double(row[7]);
  const double stddev = to_double(row[8]);
  // pg_stat_statements keeps Σx² internally but shows only mean and (population) stddev.
  c.sum_sq_exec_ms = static_cast<double>(c.calls) * (stddev * stddev + mean * mean);
  c.rows = to_int(row[9]);
  c.shared_blks_hit = to_int(row[10]);
  c.shared_blks_read = to_int(row[11]);
  c.shared_blks_dirtied = to_int(row[12]);
  c.shared_blks_written = to_int(row[13]);
  c.temp_blks_read = to_int(row[14]);
  c.temp_blks_written = to_int(row[15]);
  c.blk_read_ms = to_double(row[16]);
  c.blk_write_ms = to_double(row[17]);
  c.wal_bytes = to_double(row[18]);
  if (!row[19].is_null())
    c.stats_since = to_double(row[19]);
  return c;
}

const char* const tables_query =
    "/* pgadvisor */ SELECT relid::int8, schemaname, relname, seq_scan, seq_tup_read, coalesce(idx_scan, 0), "
    "coalesce(idx_tup_fetch, 0), n_tup_ins, n_tup_upd, n_tup_del, n_tup_hot_upd, n_live_tup, n_dead_tup, "
    "n_mod_since_analyze, vacuum_count, autovacuum_count, analyze_count, autoanalyze_count "
    "FROM pg_catalog.pg_stat_user_tables";

const char* const indexes_query =
    "/* pgadvisor */ SELECT relid::int8, indexrelid::int8, schemaname, relname, indexrelname, idx_scan, "
    "idx_tup_read, idx_tup_fetch FROM pg_catalog.pg_stat_user_indexes";

const char* const database_query =
    "/* pgadvisor */ SELECT datid::int8, datname, xact_commit, xact_rollback, blks_read, blks_hit, tup_returned, "
    "tup_fetched, tup_inserted, tup_updated, tup_deleted, temp_files, temp_bytes, deadlocks, "
    "blk_read_time::float8, blk_write_time::float8, extract(epoch FROM stats_reset)::float8 "
    "FROM pg_catalog.pg_stat_database WHERE datname = current_database()";

std::vector<model::TableCounters> read_tables(pqxx::work& txn)
{
  std::vector<model::TableCounters> out;
  for (const auto& r : txn.exec(tables_query)) {
    model::TableCounters t;
    t.relid = to_int(r[0]);
    t.schema = r[1].c_str();
    t.name = r[2].c_str();
    t.seq_scan = to_int(r[3]);
    t.seq_tup_read = to_int(r[4]);
    t.idx_scan = to_int(r[5]);
    t.idx_tup_fetch = to_int(r[6]);
    t.n_tup_ins = to_int(r[7]);
    t.n_tup_upd = to_int(r[8]);
    t.n_tup_del = to_int(r[9]);
    t.n_tup_hot_upd = to_int(r[10]);
    t.n_live_tup = to_int(r[11]);
    t.n_dead_tup = to_int(r[12]);
    t.n_mod_since_analyze = to_int(r[13]);
    t.vacuum_count = to_int(r[14]);
    t.autovacuum_count = to_int(r[15]);
    t.analyze_count = to_int(r[16]);
    t.autoanalyze_count = to_int(r[17]);
    out.push_back(std::move(t));
  }
  return out;
}

std::vector<model::IndexCounters> read_indexes(pqxx::work& txn)
{
  std::vector<model::IndexCounters> out;
  for (const auto& r : txn.exec(indexes_query)) {
    model::IndexCounters i;
    i.relid = to_int(r[0]);
    i.indexrelid = to_int(r[1]);
    i.schema = r[2].c_str();
    i.table = r[3].c_str();
    i.name = r[4].c_str();
    i.idx_scan = to_int(r[5]);
    i.idx_tup_read = to_int(r[6]);
    i.idx_tup_fetch = to_int(r[7]);
    out.push_back(std::move(i));
  }
  return out;
}

std::optional<model::DatabaseCounters> read_database(pqxx::work& txn)
{
  const auto rows = txn.exec(database_query);
  if (rows.empty())
    return std::nullopt;
  const auto& r = rows[0];
  model::DatabaseCounters d;
  d.datid = to_int(r[0]);
  d.name = r[1].c_str();
  d.xact_commit = to_int(r[2]);
  d.xact_rollback = to_int(r[3]);
  d.blks_read = to_int(r[4]);
  d.blks_hit = to_int(r[5]);
  d.tup_returned = to_int(r[6]);
  d.tup_fetched = to_int(r[7]);
  d.tup_inserted = to_int(r[8]);
  d.tup_updated = to_int(r[9]);
  d.tup_deleted = to_int(r[10]);
  d.temp_files = to_int(r[11]);
  d.temp_bytes = to_int(r[12]);
  d.deadlocks = to_int(r[13]);
  d.blk_read_ms = to_double(r[14]);
  d.blk_write_ms = to_double(r[15]);
  if (!r[16].is_null())
    d.stats_reset = to_double(r[16]);
  return d;
}

bool starts_with_marker(const std::string& text)
{
  const auto first = text.find_first_not_of(" \t\r\n");
  return first != std::string::npos && text.compare(first, std::strlen(own_query_marker), own_query_marker) == 0;
}

}  // namespace

StatsSampler::StatsSampler(SamplerOptions options) : m_options(options)
{
}

void StatsSampler::forget_texts()
{
  m_known.clear();
  m_known_index.clear();
}

bool StatsSampler::touch_known(const model::StatementKey& key, bool& own)
{
  const auto found = m_known_index.find(key);
  if (found == m_known_index.end())
    return false;
  own = found->second->own;
  m_known.splice(m_known.begin(), m_known, found->second);
  return true;
}

void StatsSampler::remember(const model::StatementKey& key, bool own)
{
  if (m_options.known_text_capacity == 0)
    return;
  m_known.push_front(KnownText{key, own});
  m_known_index[key] = m_known.begin();
  while (m_known_index.size() > m_options.known_text_capacity) {
    m_known_index.erase(m_known.back().key);
    m_known.pop_back();
  }
}

model::Result<bool> StatsSampler::prepare_connection(Session& session)
{
  m_columns_valid = false;
  pqxx::nontransaction txn(session.conn());
  const auto ext = txn.exec(
      "/* pgadvisor */ SELECT n.nspname FROM pg_catalog.pg_extension e "
      "JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_stat_statements'");
  if (ext.empty())
    return model::make_error(model::ErrorKind::not_found,
                             "pg_stat_statements is not installed in database \"" + session.database() + "\"",
                             "CREATE EXTENSION pg_stat_statements (and add it to shared_preload_libraries)");
  m_schema = ext[0][0].c_str();
  const auto attributes_of = [&](const std::string& relation) {
    std::vector<std::string> names;
    const auto rows = txn.exec_params(
        "/* pgadvisor */ SELECT a.attname FROM pg_catalog.pg_attribute a "
        "JOIN pg_catalog.pg_class c ON c.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
        m_schema, relation);
    for (const auto& r : rows)
      names.emplace_back(r[0].c_str());
    return names;
  };
  auto columns = map_statement_columns(attributes_of("pg_stat_statements"));
  if (!columns)
    return columns.error();
  m_columns = std::move(columns.value());
  m_has_info = !attributes_of("pg_stat_statements_info").empty();
  m_counters_query = build_counters_query(m_columns, m_schema);
  const auto ids = txn.exec1(
      "/* pgadvisor */ SELECT (SELECT oid::int8 FROM pg_catalog.pg_roles WHERE rolname = current_user), "
      "(SELECT oid::int8 FROM pg_catalog.pg_database WHERE datname = current_database())");
  m_own_userid = to_int(ids[0]);
  m_dbid = to_int(ids[1]);
  m_backend_pid = session.conn().backendpid();
  m_session = &session;
  m_columns_valid = true;
  return true;
}

model::Result<model::Sample> StatsSampler::sample(Session& session)
{
  try {
    if (!m_columns_valid || m_session != &session || m_backend_pid != session.conn().backendpid()) {
      auto prepared = prepare_connection(session);
      if (!prepared)
        return prepared.error();
    }
    model::Sample sample;
    sample.own_userid = m_own_userid;
    std::vector<std::pair<model::StatementKey, bool>> remembered;
    {
      pqxx::work txn(session.conn());
      const auto head = txn.exec1(
          "/* pgadvisor */ SELECT extract(epoch FROM clock_timestamp())::float8, "
          "extract(epoch FROM pg_postmaster_start_time())::float8, current_setting('server_version_num')::int");
      sample.taken_at = to_double(head[0]);
      sample.postmaster_start = to_double(head[1]);
      sample.server_version_num = static_cast<int>(to_int(head[2]));

      const auto dbid = std::to_string(m_options.current_database_only ? m_dbid : 0);
      const auto rows = txn.exec_params(m_counters_query, dbid);
      sample.statements.reserve(rows.size());
      std::vector<model::StatementKey> unknown;
      for (const auto& row : rows) {
        auto counters = counters_of(row);
        if (m_options.exclude_own_role && counters.key.userid == m_own_userid) {
          ++sample.excluded_own;
          continue;
        }
        bool own = false;
        if (!touch_known(counters.key, own))
          unknown.push_back(counters.key);
        if (own) {
          ++sample.excluded_own;
          continue;
        }
        sample.statements.push_back(std::move(counters));
      }

      if (!unknown.empty()) {
        std::unordered_set<model::StatementKey, model::StatementKeyHash> wanted(unknown.begin(), unknown.end());
        std::unordered_set<std::int64_t> queryids;
        std::string array("{");
        for (const auto& key : unknown)
          if (queryids.insert(key.queryid).second) {
            if (array.size() > 1)
              array += ',';
            array += std::to_string(key.queryid);
          }
        array += '}';
        const auto texts = txn.exec_params(build_texts_query(m_columns, m_schema, m_options.max_text_bytes), array, dbid);
        std::unordered_set<model::StatementKey, model::StatementKeyHash> own_keys;
        for (const auto& row : texts) {
          const auto key = key_of(row);
          if (wanted.erase(key) == 0)
            continue;
          std::string text = row[4].c_str();
          const bool own = starts_with_marker(text);
          remembered.emplace_back(key, own);
          if (own)
            own_keys.insert(key);
          else
            sample.new_texts.push_back(model::StatementText{key, std::move(text)});
        }
        // Keys whose text starts with the marker are pgadvisor's own: drop their counters too.
        if (!own_keys.empty()) {
          std::erase_if(sample.statements, [&](const auto& c) { return own_keys.count(c.key) > 0; });
          sample.excluded_own += own_keys.size();
        }
      }

      if (m_has_info) {
        const auto info = txn.exec1("/* pgadvisor */ SELECT dealloc, extract(epoch FROM stats_reset)::float8 FROM " +
                                    quote_identifier(m_schema) + ".pg_stat_statements_info");
        sample.info = model::StatementsInfo{to_int(info[0]), to_double(info[1])};
      }
      sample.tables = read_tables(txn);
      sample.indexes = read_indexes(txn);
      sample.database = read_database(txn);
      txn.commit();
    }
    // Only now: a sample that failed half-way must fetch those texts again next time.
    for (const auto& [key, own] : remembered)
      remember(key, own);
    m_texts_fetched_total += sample.new_texts.size();
    return sample;
  } catch (...) {
    // Whatever broke, the next sample re-reads the connection facts (it may be a new backend).
    m_columns_valid = false;
    return current_exception_to_error(session, ErrorContext{session.settings().statement_timeout_ms,
                                                            session.settings().lock_timeout_ms, {}});
  }
}

}  // namespace connectors::pg
