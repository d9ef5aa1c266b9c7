#include "connectors/store/evidence_store.hpp"

namespace connectors::store {

namespace {

constexpr const char* snapshot_columns =
    "target, schema_name, table_name, at, n_live_tup, n_dead_tup, n_mod_since_analyze, writes, analyze_count";

TableSnapshot snapshot_of(const Statement& stmt)
{
  return {stmt.text(0), stmt.text(1), stmt.text(2), stmt.real(3), stmt.real(4),
          stmt.real(5), stmt.real(6), stmt.real(7), stmt.real(8)};
}

model::Result<std::optional<TableSnapshot>> one_snapshot(Database& db, const std::string& sql,
                                                         const std::string& target, const std::string& schema_name,
                                                         const std::string& table_name, double at)
{
  auto stmt = db.prepare(sql);
  if (!stmt)
    return stmt.error();
  stmt->bind(1, target).bind(2, schema_name).bind(3, table_name).bind(4, at);
  auto row = stmt->step();
  if (!row)
    return row.error();
  if (!*row)
    return std::optional<TableSnapshot>();
  return std::optional<TableSnapshot>(snapshot_of(*stmt));
}

model::Result<std::optional<StoredPlan>> one_plan(Statement& stmt)
{
  auto row = stmt.step();
  if (!row)
    return row.error();
  if (!*row)
    return std::optional<StoredPlan>();
  return std::optional<StoredPlan>(StoredPlan{stmt.text(0), stmt.text(1), stmt.real(2), stmt.real(3)});
}

}  // namespace

std::optional<model::Error> record_table_snapshots(Database& db, const std::string& target, double at,
                                                   const std::vector<model::TableCounters>& tables)
{
  auto insert = db.prepare(std::string("INSERT OR REPLACE INTO table_snapshots (") + snapshot_columns +
                           ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  if (!insert)
    return insert.error();
  for (const auto& t : tables) {
    // Cumulative counters: the reader takes differences between two snapshots.
    const auto writes = static_cast<double>(t.n_tup_ins + t.n_tup_upd + t.n_tup_del);
    const auto analyses = static_cast<double>(t.analyze_count + t.autoanalyze_count);
    insert->bind(1, target).bind(2, t.schema).bind(3, t.name).bind(4, at);
    insert->bind(5, static_cast<double>(t.n_live_tup)).bind(6, static_cast<double>(t.n_dead_tup));
    insert->bind(7, static_cast<double>(t.n_mod_since_analyze)).bind(8, writes).bind(9, analyses);
    if (auto error = insert->run())
      return error;
    insert->reset();
  }
  return std::nullopt;
}

model::Result<std::optional<TableSnapshot>> table_snapshot_before(Database& db, const std::string& target,
                                                                  const std::string& schema_name,
                                                                  const std::string& table_name, double at)
{
  const std::string where = " FROM table_snapshots WHERE target = ?1 AND schema_name = ?2 AND table_name = ?3";
  const std::string select = std::string("SELECT ") + snapshot_columns + where;
  auto before =
      one_snapshot(db, select + " AND at <= ?4 ORDER BY at DESC LIMIT 1", target, schema_name, table_name, at);
  if (!before || before->has_value())
    return before;
  // Nothing that old (the daemon started watching later): the earliest snapshot is the
  // nearest to the baseline there is.
  return one_snapshot(db, select + " AND at > ?4 ORDER BY at LIMIT 1", target, schema_name, table_name, at);
}

std::optional<model::Error> prune_table_snapshots(Database& db, double before)
{
  auto stmt = db.prepare("DELETE FROM table_snapshots WHERE at < ?1");
  if (!stmt)
    return stmt.error();
  stmt->bind(1, before);
  return stmt->run();
}

model::Result<std::optional<StoredPlan>> stored_plan(Database& db, const std::string& target,
                                                     const std::string& fingerprint, const std::string& plan_hash)
{
  auto stmt = db.prepare("SELECT plan_hash, plan_json, first_seen_at, last_seen_at FROM plans"
                         " WHERE target = ?1 AND fingerprint = ?2 AND plan_hash = ?3");
  if (!stmt)
    return stmt.error();
  stmt->bind(1, target).bind(2, fingerprint).bind(3, plan_hash);
  return one_plan(*stmt);
}

model::Result<std::optional<StoredPlan>> latest_other_plan(Database& db, const std::string& target,
                                                           const std::string& fingerprint,
                                                           const std::string& except_hash)
{
  // first_seen_at breaks ties of plans last seen in the same cycle: the newer one is "before".
  auto stmt = db.prepare("SELECT plan_hash, plan_json, first_seen_at, last_seen_at FROM plans"
                         " WHERE target = ?1 AND fingerprint = ?2 AND plan_hash <> ?3"
                         " ORDER BY last_seen_at DESC, first_seen_at DESC LIMIT 1");
  if (!stmt)
    return stmt.error();
  stmt->bind(1, target).bind(2, fingerprint).bind(3, except_hash);
  return one_plan(*stmt);
}

}  // namespace connectors::store
