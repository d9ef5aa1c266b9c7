#include "advisor/daemon/table_changes.hpp"

#include <unordered_map>

namespace advisor::daemon {

TableChanges table_changes(const model::Sample& before, const model::Sample& after)
{
  TableChanges out;
  std::unordered_map<std::int64_t, const model::TableCounters*> previous;
  for (const auto& table : before.tables)
    previous[table.relid] = &table;
  const double seconds = after.taken_at - before.taken_at;
  for (const auto& table : after.tables) {
    const auto it = previous.find(table.relid);
    if (it == previous.end())
      continue;
    const auto& old = *it->second;
    const std::string name = table.schema + "." + table.name;
    const auto writes = (table.n_tup_ins - old.n_tup_ins) + (table.n_tup_upd - old.n_tup_upd) +
                        (table.n_tup_del - old.n_tup_del);
    if (seconds > 0 && writes >= 0)
      out.writes_per_second[name] = static_cast<double>(writes) / seconds;
    if (table.analyze_count + table.autoanalyze_count > old.analyze_count + old.autoanalyze_count &&
        table.analyze_count >= old.analyze_count && table.autoanalyze_count >= old.autoanalyze_count)
      out.analysed.push_back(name);
  }
  return out;
}

}  // namespace advisor::daemon
