#include "heuristics/rewrites/order_by_random.hpp"

#include "heuristics/rewrites/rewrite_support.hpp"

namespace heuristics::rewrites {

namespace {

std::vector<model::Finding> run(const RuleContext& context, const RuleSettings& settings)
{
  if (context.shape == nullptr)
    return {};
  bool random = false;
  for (const parser::OrderKey& key : context.shape->order_by)
    random = random || key.column.expression == "random()" || key.column.function == "random";
  if (!random)
    return {};
  std::optional<std::size_t> table;
  for (std::size_t t = 0; t < context.shape->tables.size() && !table; ++t)
    if (context.shape->tables[t].select_level == 0 && worth_flagging(table_size(context, settings, t)))
      table = t;
  if (!table)
    return {};

  const std::string relation = relation_of(context, *table);
  auto finding = make_finding("order_by_random", "ORDER BY random() sorts every row to pick a few", "ORDER BY clause",
                              relation);
  if (auto rows = table_rows(context, *table))
    finding.evidence.push_back({"rows_sorted", *rows, "rows"});
  if (context.shape->limit)
    finding.evidence.push_back({"rows_wanted", static_cast<double>(*context.shape->limit), "rows"});
  finding.advice = std::string("Sample instead of sorting: FROM ") + relation +
                   " TABLESAMPLE SYSTEM (p) (or BERNOULLI for a row-level sample; tsm_system_rows for a fixed "
                   "count), or pick random keys: WHERE id >= (random() * max(id)) ORDER BY id LIMIT n.";
  return {finding};
}

}  // namespace

Rule order_by_random()
{
  return Rule{"order_by_random", "ORDER BY random() over a large table", false, false, run};
}

}  // namespace heuristics::rewrites
