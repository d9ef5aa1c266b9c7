#include "advisor/daemon/baseline.hpp"

#include <nlohmann/json.hpp>

namespace advisor::daemon {

namespace {

constexpr int baseline_version = 1;

}  // namespace

std::string baseline_to_text(const model::Sample& sample)
{
  // Arrays rather than objects per statement: a few hundred kB for 5000 statements.
  nlohmann::json statements = nlohmann::json::array();
  for (const auto& s : sample.statements)
    statements.push_back({s.key.userid, s.key.dbid, s.key.queryid, s.key.toplevel, s.calls, s.total_exec_ms,
                          s.total_plan_ms, s.sum_sq_exec_ms, s.rows, s.shared_blks_hit, s.shared_blks_read,
                          s.shared_blks_dirtied, s.shared_blks_written, s.temp_blks_read, s.temp_blks_written,
                          s.blk_read_ms, s.blk_write_ms, s.wal_bytes,
                          s.stats_since ? nlohmann::json(*s.stats_since) : nlohmann::json(nullptr)});
  nlohmann::json document{{"version", baseline_version},
                          {"taken_at", sample.taken_at},
                          {"postmaster_start", sample.postmaster_start},
                          {"server_version_num", sample.server_version_num},
                          {"statements", statements}};
  if (sample.info)
    document["info"] = {sample.info->dealloc, sample.info->stats_reset};
  // The table counters the next run compares with: write rates (risk) and ANALYZE counts (an
  // analyze recommendation someone applied). Optional: older baselines have none.
  nlohmann::json tables = nlohmann::json::array();
  for (const auto& t : sample.tables)
    tables.push_back({t.relid, t.schema, t.name, t.n_tup_ins, t.n_tup_upd, t.n_tup_del, t.n_live_tup,
                      t.analyze_count, t.autoanalyze_count});
  document["tables"] = tables;
  return document.dump();
}

std::optional<model::Sample> baseline_from_text(const std::string& text)
{
  auto document = nlohmann::json::parse(text, nullptr, false);
  if (document.is_discarded() || !document.is_object() || document.value("version", 0) != baseline_version)
    return std::nullopt;
  try {
    model::Sample sample;
    sample.taken_at = document.at("taken_at").get<double>();
    sample.postmaster_start = document.at("postmaster_start").get<double>();
    sample.server_version_num = document.at("server_version_num").get<int>();
    if (document.contains("info"))
      sample.info = model::StatementsInfo{document["info"][0].get<std::int64_t>(), document["info"][1].get<double>()};
    for (const auto& row : document.at("statements")) {
      model::StatementCounters s;
      s.key = {row[0].get<std::int64_t>(), row[1].get<std::int64_t>(), row[2].get<std::int64_t>(), row[3].get<bool>()};
      s.calls = row[4].get<std::int64_t>();
      s.total_exec_ms = row[5].get<double>();
      s.total_plan_ms = row[6].get<double>();
      s.sum_sq_exec_ms = row[7].get<double>();
      s.rows = row[8].get<std::int64_t>();
      s.shared_blks_hit = row[9].get<std::int64_t>();
      s.shared_blks_read = row[10].get<std::int64_t>();
      s.shared_blks_dirtied = row[11].get<std::int64_t>();
      s.shared_blks_written = row[12].get<std::int64_t>();
      s.temp_blks_read = row[13].get<std::int64_t>();
      s.temp_blks_written = row[14].get<std::int64_t>();
      s.blk_read_ms = row[15].get<double>();
      s.blk_write_ms = row[16].get<double>();
      s.wal_bytes = row[17].get<double>();
      if (!row[18].is_null())
        s.stats_since = row[18].get<double>();
      sample.statements.push_back(s);
    }
    if (document.contains("tables"))
      for (const auto& row : document["tables"]) {
        model::TableCounters t;
        t.relid = row[0].get<std::int64_t>();
        t.schema = row[1].get<std::string>();
        t.name = row[2].get<std::string>();
        t.n_tup_ins = row[3].get<std::int64_t>();
        t.n_tup_upd = row[4].get<std::int64_t>();
        t.n_tup_del = row[5].get<std::int64_t>();
        t.n_live_tup = row[6].get<std::int64_t>();
        t.analyze_count = row[7].get<std::int64_t>();
        t.autoanalyze_count = row[8].get<std::int64_t>();
        sample.tables.push_back(std::move(t));
      }
    return sample;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;  // a damaged baseline only costs one window
  }
}

}  // namespace advisor::daemon
