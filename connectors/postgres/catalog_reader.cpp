#include "connectors/postgres/catalog_reader.hpp"

#include <map>
#include <optional>

#include <pqxx/pqxx>

#include "connectors/postgres/server_error.hpp"

namespace connectors::pg {

namespace {

using Oid = unsigned long;
//! One snapshot for all the catalog queries, and nothing they could write.
using SnapshotTransaction = pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>;

// Resolution mirrors what the server does with an unqualified name: to_regclass() follows the
// search_path, quote_ident() keeps the name's case exactly as given.
constexpr const char* k_tables_sql = R"(
SELECT req.ord, c.oid, n.nspname, c.relname, c.reltuples, c.relpages,
       CASE WHEN c.oid IS NULL THEN 0 ELSE pg_catalog.pg_table_size(c.oid) END,
       s.relid IS NOT NULL, s.seq_scan, coalesce(s.idx_scan, 0), s.n_live_tup, s.n_dead_tup,
       s.n_mod_since_analyze, s.n_tup_ins, s.n_tup_upd, s.n_tup_del,
       extract(epoch FROM now() - greatest(s.last_analyze, s.last_autoanalyze))::float8
FROM (VALUES %VALUES%) AS req(ord, sch, rel)
LEFT JOIN pg_catalog.pg_class c
  ON c.oid = pg_catalog.to_regclass(CASE WHEN req.sch = '' THEN pg_catalog.quote_ident(req.rel)
                                    ELSE pg_catalog.quote_ident(req.sch) || '.' || pg_catalog.quote_ident(req.rel) END)
LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_stat_user_tables s ON s.relid = c.oid
ORDER BY req.ord)";

// attcollation is the effective collation of a collatable column ("default" when none was
// named), 0 for types that have none.
constexpr const char* k_columns_sql = R"(
SELECT a.attrelid, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod),
       coalesce(co.collname, ''), a.attnotnull,
       st.null_frac, st.n_distinct, st.correlation, st.mcv, st.mcf
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation AND a.attcollation <> 0
LEFT JOIN LATERAL (
  SELECT s.null_frac, s.n_distinct, s.correlation, s.most_common_vals::text::text[] AS mcv,
         s.most_common_freqs::text[] AS mcf
  FROM pg_catalog.pg_stats s
  WHERE s.schemaname = n.nspname AND s.tablename = c.relname AND s.attname = a.attname
  ORDER BY s.inherited LIMIT 1) st ON true
WHERE a.attrelid = ANY(%OIDS%) AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum)";

constexpr const char* k_indexes_sql = R"(
SELECT i.indrelid, i.indexrelid, ni.nspname, ci.relname, pg_catalog.pg_get_indexdef(i.indexrelid),
       am.amname, coalesce(pg_catalog.pg_get_expr(i.indpred, i.indrelid), ''),
       i.indisvalid, i.indisunique, i.indisprimary, pg_catalog.pg_relation_size(i.indexrelid),
       EXISTS (SELECT 1 FROM pg_catalog.pg_constraint con
               WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x')),
       si.idx_scan
FROM pg_catalog.pg_index i
LEFT JOIN pg_catalog.pg_stat_user_indexes si ON si.indexrelid = i.indexrelid
JOIN pg_catalog.pg_class ci ON ci.oid = i.indexrelid
JOIN pg_catalog.pg_namespace ni ON ni.oid = ci.relnamespace
JOIN pg_catalog.pg_am am ON am.oid = ci.relam
WHERE i.indrelid = ANY(%OIDS%)
ORDER BY i.indrelid, ci.relname)";

// One row per index column, keys first then INCLUDE columns. The opclass is reported only when
// it is not the default for the key's type (the same test pg_get_indexdef applies, including
// binary-coercible types such as varchar on text_ops and polymorphic ones such as array_ops).
constexpr const char* k_index_columns_sql = R"(
SELECT i.indexrelid, k.pos <= i.indnkeyatts AS is_key, i.indkey[k.pos - 1] = 0 AS is_expr,
       CASE WHEN i.indkey[k.pos - 1] = 0 THEN pg_catalog.pg_get_indexdef(i.indexrelid, k.pos, true)
            ELSE a.attname::text END,
       k.pos <= i.indnkeyatts AND (i.indoption[k.pos - 1] & 1) = 1 AS descending,
       CASE WHEN k.pos > i.indnkeyatts OR opc.oid IS NULL THEN ''
            WHEN opc.opcdefault AND (opc.opcintype = coalesce(a.atttypid, ia.atttypid)
                 OR (SELECT t.typtype FROM pg_catalog.pg_type t WHERE t.oid = opc.opcintype) = 'p'
                 OR EXISTS (SELECT 1 FROM pg_catalog.pg_cast ca
                            WHERE ca.castsource = coalesce(a.atttypid, ia.atttypid)
                              AND ca.casttarget = opc.opcintype AND ca.castmethod = 'b')) THEN ''
            ELSE opc.opcname::text END
FROM pg_catalog.pg_index i
CROSS JOIN LATERAL pg_catalog.generate_series(1, i.indnatts) AS k(pos)
LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k.pos - 1]
                                   AND i.indkey[k.pos - 1] <> 0
LEFT JOIN pg_catalog.pg_attribute ia ON ia.attrelid = i.indexrelid AND ia.attnum = k.pos
LEFT JOIN pg_catalog.pg_opclass opc ON opc.oid = i.indclass[k.pos - 1] AND k.pos <= i.indnkeyatts
WHERE i.indrelid = ANY(%OIDS%)
ORDER BY i.indexrelid, k.pos)";

std::string replace(std::string text, const std::string& marker, const std::string& with)
{
  const auto pos = text.find(marker);
  if (pos != std::string::npos)
    text.replace(pos, marker.size(), with);
  return text;
}

std::vector<std::string> text_array(const pqxx::field& field)
{
  std::vector<std::string> out;
  if (field.is_null())
    return out;
  auto parser = field.as_array();
  for (auto step = parser.get_next(); step.first != pqxx::array_parser::done; step = parser.get_next()) {
    if (step.first == pqxx::array_parser::string_value)
      out.push_back(step.second);
    else if (step.first == pqxx::array_parser::null_value)
      out.emplace_back("NULL");
  }
  return out;
}

std::optional<double> optional_double(const pqxx::field& field)
{
  if (field.is_null())
    return std::nullopt;
  return field.as<double>();
}

//! Columns 8.. of the tables query: the pg_stat_user_tables row, present (column 7).
model::TableActivity read_activity(const pqxx::row& row)
{
  auto count = [&](int column) { return row[column].is_null() ? 0 : row[column].as<std::int64_t>(); };
  model::TableActivity activity;
  activity.seq_scan = count(8);
  activity.idx_scan = count(9);
  activity.n_live_tup = count(10);
  activity.n_dead_tup = count(11);
  activity.n_mod_since_analyze = count(12);
  activity.n_tup_ins = count(13);
  activity.n_tup_upd = count(14);
  activity.n_tup_del = count(15);
  activity.seconds_since_analyze = optional_double(row[16]);
  return activity;
}

struct Tables {
  std::vector<model::TableInfo> infos;
  std::map<Oid, std::size_t> by_oid;
  std::string oid_array;  //!< '{1,2}'::oid[]
};

model::Result<Tables> read_tables(SnapshotTransaction& txn,
                                  const std::vector<std::pair<std::string, std::string>>& tables)
{
  // esc() between quotes rather than quote(): GCC 12 warns falsely (-Wrestrict) inside
  // libpqxx's quote(), and the build may use -Werror.
  std::string values;
  for (std::size_t i = 0; i < tables.size(); ++i) {
    values.append(i == 0 ? "(" : ", (").append(std::to_string(i)).append(", ");
    values.append("'").append(txn.esc(tables[i].first)).append("'::text, ");
    values.append("'").append(txn.esc(tables[i].second)).append("'::text)");
  }
  Tables out;
  std::string oids;
  for (const auto& row : txn.exec(replace(k_tables_sql, "%VALUES%", values))) {
    const auto& requested = tables[row[0].as<std::size_t>()];
    if (row[1].is_null()) {
      const auto name = requested.first.empty() ? requested.second : requested.first + "." + requested.second;
      return model::make_error(model::ErrorKind::not_found, "relation \"" + name + "\" does not exist");
    }
    const auto oid = row[1].as<Oid>();
    if (out.by_oid.count(oid) != 0)
      continue;
    model::TableInfo info;
    info.schema = row[2].as<std::string>();
    info.name = row[3].as<std::string>();
    info.reltuples = row[4].as<double>();
    info.relpages = row[5].as<std::int64_t>();
    info.size_bytes = row[6].as<std::int64_t>();
    if (row[7].as<bool>())
      info.activity = read_activity(row);
    out.by_oid[oid] = out.infos.size();
    out.infos.push_back(std::move(info));
    if (!oids.empty())
      oids += ',';
    oids += std::to_string(oid);
  }
  out.oid_array = "'{" + oids + "}'::pg_catalog.oid[]";
  return out;
}

void read_columns(SnapshotTransaction& txn, Tables& tables)
{
  for (const auto& row : txn.exec(replace(k_columns_sql, "%OIDS%", tables.oid_array))) {
    model::ColumnStats column;
    column.name = row[1].as<std::string>();
    column.type = row[2].as<std::string>();
    column.collation = row[3].as<std::string>();
    column.not_null = row[4].as<bool>();
    column.null_frac = optional_double(row[5]);
    column.n_distinct = optional_double(row[6]);
    column.correlation = optional_double(row[7]);
    column.most_common_vals = text_array(row[8]);
    for (const auto& freq : text_array(row[9]))
      column.most_common_freqs.push_back(std::stod(freq));
    tables.infos[tables.by_oid.at(row[0].as<Oid>())].columns.push_back(std::move(column));
  }
}

void read_indexes(SnapshotTransaction& txn, Tables& tables)
{
  std::map<Oid, model::IndexInfo> by_index;
  std::vector<std::pair<Oid, Oid>> order;  //!< (table, index) in query order
  for (const auto& row : txn.exec(replace(k_indexes_sql, "%OIDS%", tables.oid_array))) {
    model::IndexInfo index;
    const auto table_oid = row[0].as<Oid>();
    const auto index_oid = row[1].as<Oid>();
    index.schema = row[2].as<std::string>();
    index.name = row[3].as<std::string>();
    index.table = tables.infos[tables.by_oid.at(table_oid)].name;
    index.definition = row[4].as<std::string>();
    index.access_method = row[5].as<std::string>();
    index.predicate = row[6].as<std::string>();
    index.valid = row[7].as<bool>();
    index.unique = row[8].as<bool>();
    index.primary = row[9].as<bool>();
    index.size_bytes = row[10].as<std::int64_t>();
    index.backs_constraint = row[11].as<bool>();
    if (!row[12].is_null())
      index.idx_scan = row[12].as<std::int64_t>();
    by_index.emplace(index_oid, std::move(index));
    order.emplace_back(table_oid, index_oid);
  }
  for (const auto& row : txn.exec(replace(k_index_columns_sql, "%OIDS%", tables.oid_array))) {
    const auto it = by_index.find(row[0].as<Oid>());
    if (it == by_index.end())
      continue;
    auto& index = it->second;
    const auto name = row[3].is_null() ? std::string() : row[3].as<std::string>();
    if (!row[1].as<bool>()) {
      index.include_columns.push_back(name);
      continue;
    }
    index.columns.push_back(name);
    index.is_expression.push_back(row[2].as<bool>());
    index.descending.push_back(row[4].as<bool>());
    index.opclasses.push_back(row[5].as<std::string>());
  }
  for (const auto& [table_oid, index_oid] : order)
    tables.infos[tables.by_oid.at(table_oid)].indexes.push_back(std::move(by_index.at(index_oid)));
}

}  // namespace

model::Result<model::Catalog> read_catalog(Session& session,
                                           const std::vector<std::pair<std::string, std::string>>& tables)
{
  model::Catalog catalog;
  if (tables.empty())
    return catalog;
  try {
    SnapshotTransaction txn(session.conn());
    auto read = read_tables(txn, tables);
    if (!read)
      return read.error();
    read_columns(txn, *read);
    read_indexes(txn, *read);
    txn.abort();
    catalog.tables = std::move(read->infos);
    return catalog;
  } catch (...) {
    return current_exception_to_error(
        session, ErrorContext{session.settings().statement_timeout_ms, session.settings().lock_timeout_ms, {}});
  }
}

}  // namespace connectors::pg
