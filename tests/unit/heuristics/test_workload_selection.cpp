// Workload-wide index choice on a fake what-if model: every query's cost with a set of indexes
// is the cheapest cost any one of them gives it alone (the planner picks one index per scan).

#include <algorithm>
#include <map>
#include <string>

#include "heuristics/workload_selection.hpp"
#include "tests/support/catch.hpp"

namespace {

heuristics::IndexCandidate btree(const std::string& table, std::vector<std::string> columns)
{
  heuristics::IndexCandidate candidate;
  candidate.schema = "app";
  candidate.table = table;
  candidate.descending.assign(columns.size(), false);
  candidate.columns = std::move(columns);
  return candidate;
}

struct FakeWorkload {
  std::vector<heuristics::WorkloadQueryInfo> queries;
  std::vector<heuristics::SelectionCandidate> candidates;
  std::vector<double> base;
  std::map<std::pair<std::size_t, std::size_t>, double> alone;  //!< (query, candidate) -> cost
  std::size_t calls = 0;

  heuristics::WhatIfCost cost()
  {
    return [this](std::size_t q, const std::vector<std::size_t>& present) -> std::optional<double> {
      ++calls;
      double best = base[q];
      for (std::size_t c : present)
        if (auto it = alone.find({q, c}); it != alone.end())
          best = std::min(best, it->second);
      return best;
    };
  }
};

//! q0: a = ? on t; q1: a = ? AND b = ? on t; q2 (2 calls): x = ? on u.
//! c0 t(a), c1 t(a, b), c2 u(x), c3 t(z) which nothing uses.
FakeWorkload shop()
{
  FakeWorkload w;
  w.queries = {{"q0", 1, {"app.t"}}, {"q1", 1, {"app.t"}}, {"q2", 2, {"app.u"}}};
  w.candidates = {{btree("t", {"a"}), "app.t", 100, 0},
                  {btree("t", {"a", "b"}), "app.t", 150, 0},
                  {btree("u", {"x"}), "app.u", 100, 0},
                  {btree("t", {"z"}), "app.t", 100, 0}};
  w.base = {100, 200, 50};
  w.alone = {{{0, 0}, 10}, {{0, 1}, 10}, {{1, 0}, 50}, {{1, 1}, 5}, {{2, 2}, 5}};
  return w;
}

std::vector<std::size_t> chosen_of(const heuristics::WorkloadSelection& selection)
{
  std::vector<std::size_t> out;
  for (const auto& chosen : selection.chosen)
    out.push_back(chosen.candidate);
  std::sort(out.begin(), out.end());
  return out;
}

std::string reason_of(const heuristics::WorkloadSelection& selection, std::size_t candidate)
{
  for (const auto& dropped : selection.dropped)
    if (dropped.candidate == candidate)
      return dropped.reason;
  return "(not dropped)";
}

}  // namespace

TEST_CASE("workload selection: the wider index serves both queries, the narrow one is dropped")
{
  auto w = shop();
  heuristics::WorkloadSelectionSettings settings;
  settings.budget_bytes = 1000;
  const auto selection = heuristics::select_for_workload(w.queries, w.candidates, w.cost(), settings);
  CHECK(chosen_of(selection) == std::vector<std::size_t>{1, 2});
  CHECK(reason_of(selection, 0).find("served by the leading columns of t_a_b_idx") != std::string::npos);
  CHECK(reason_of(selection, 3).find("no query of the workload gets cheaper") != std::string::npos);
  CHECK(selection.total_without == Approx(100 + 200 + 2 * 50));
  CHECK(selection.total_with == Approx(10 + 5 + 2 * 5));
  CHECK(selection.chosen_bytes == 250);
  // Every candidate is accounted for: chosen or dropped with a reason.
  CHECK(selection.chosen.size() + selection.dropped.size() == w.candidates.size());
}

TEST_CASE("workload selection: each chosen index lists the queries it serves with their costs")
{
  auto w = shop();
  heuristics::WorkloadSelectionSettings settings;
  settings.budget_bytes = 1000;
  const auto selection = heuristics::select_for_workload(w.queries, w.candidates, w.cost(), settings);
  const auto wide = std::find_if(selection.chosen.begin(), selection.chosen.end(),
                                 [](const auto& c) { return c.candidate == 1; });
  REQUIRE(wide != selection.chosen.end());
  REQUIRE(wide->queries.size() == 2);
  CHECK(wide->queries[0].query == 0);
  CHECK(wide->queries[0].cost_without == Approx(100));
  CHECK(wide->queries[0].cost_with == Approx(10));
  CHECK(wide->queries[1].cost_with == Approx(5));
  CHECK(wide->benefit == Approx(90 + 195));
}

TEST_CASE("workload selection: a tight budget picks the best set that fits, as enumeration does")
{
  auto w = shop();
  heuristics::WorkloadSelectionSettings settings;
  settings.budget_bytes = 200;  // c1 + c2 (250) does not fit; c0 + c2 (200) saves the most
  const auto selection = heuristics::select_for_workload(w.queries, w.candidates, w.cost(), settings);
  CHECK(chosen_of(selection) == std::vector<std::size_t>{0, 2});
  CHECK(reason_of(selection, 1).find("size budget") != std::string::npos);
  const auto best = heuristics::exhaustive_selection(w.queries, w.candidates, w.cost(), settings);
  REQUIRE(best);
  CHECK(chosen_of(*best) == chosen_of(selection));
}

TEST_CASE("workload selection: a budget of 0 recommends nothing and says why for each candidate")
{
  auto w = shop();
  heuristics::WorkloadSelectionSettings settings;
  settings.budget_bytes = 0;
  const auto selection = heuristics::select_for_workload(w.queries, w.candidates, w.cost(), settings);
  CHECK(selection.chosen.empty());
  REQUIRE(selection.dropped.size() == 4);
  CHECK(reason_of(selection, 1).find("of the 0 bytes size budget is left") != std::string::npos);
  CHECK(selection.total_with == Approx(selection.total_without));
}

TEST_CASE("workload selection: what-if costs are cached by query and relevant indexes")
{
  auto w = shop();
  heuristics::WorkloadSelectionSettings settings;
  settings.budget_bytes = 1000;
  const auto selection = heuristics::select_for_workload(w.queries, w.candidates, w.cost(), settings);
  CHECK(selection.what_if_calls == w.calls);
  CHECK(selection.cache_hits > selection.what_if_calls);
  // 3 bases + 7 singles (candidate x query on its table) + the few combinations on table t.
  CHECK(selection.what_if_calls <= 12);
}

TEST_CASE("workload selection: heavy writes make an index not worth its maintenance")
{
  auto w = shop();
  w.candidates[2].maintenance_cost = 500;  // saves 2 x 45 = 90
  heuristics::WorkloadSelectionSettings settings;
  settings.budget_bytes = 1000;
  const auto selection = heuristics::select_for_workload(w.queries, w.candidates, w.cost(), settings);
  CHECK(chosen_of(selection) == std::vector<std::size_t>{1});
  CHECK(reason_of(selection, 2).find("maintenance") != std::string::npos);
}

TEST_CASE("workload selection: at most K new indexes per table")
{
  FakeWorkload w;
  w.queries = {{"q0", 1, {"app.t"}}, {"q1", 1, {"app.t"}}};
  w.candidates = {{btree("t", {"a"}), "app.t", 100, 0}, {btree("t", {"b"}), "app.t", 100, 0}};
  w.base = {100, 100};
  w.alone = {{{0, 0}, 10}, {{1, 1}, 20}};
  heuristics::WorkloadSelectionSettings settings;
  settings.budget_bytes = 1000;
  settings.max_per_table = 1;
  const auto selection = heuristics::select_for_workload(w.queries, w.candidates, w.cost(), settings);
  CHECK(chosen_of(selection) == std::vector<std::size_t>{0});
  CHECK(reason_of(selection, 1).find("already gets 1 new indexes (the limit)") != std::string::npos);
}

TEST_CASE("workload selection: a query that cannot be costed is left out with a note")
{
  auto w = shop();
  heuristics::WorkloadSelectionSettings settings;
  settings.budget_bytes = 1000;
  auto base_cost = w.cost();
  heuristics::WhatIfCost failing = [&](std::size_t q, const std::vector<std::size_t>& present) -> std::optional<double> {
    if (q == 2)
      return std::nullopt;
    return base_cost(q, present);
  };
  const auto selection = heuristics::select_for_workload(w.queries, w.candidates, failing, settings);
  CHECK(chosen_of(selection) == std::vector<std::size_t>{1});
  REQUIRE(selection.notes.size() == 1);
  CHECK(selection.notes[0].find("q2 could not be costed") != std::string::npos);
  CHECK_FALSE(selection.cost_without[2].has_value());
  CHECK(reason_of(selection, 2).find("no costed query reads app.u") != std::string::npos);
}

TEST_CASE("workload selection: a small gain is below the bar")
{
  FakeWorkload w;
  w.queries = {{"q0", 1, {"app.t"}}};
  w.candidates = {{btree("t", {"a"}), "app.t", 100, 0}};
  w.base = {100};
  w.alone = {{{0, 0}, 90}};
  heuristics::WorkloadSelectionSettings settings;
  settings.budget_bytes = 1000;
  const auto selection = heuristics::select_for_workload(w.queries, w.candidates, w.cost(), settings);
  CHECK(selection.chosen.empty());
  CHECK(reason_of(selection, 0) == "10 % cheaper for the queries it serves, below the 30 % bar");
}

TEST_CASE("merge candidates: same leading column merges, a prefix does not")
{
  const auto merged = heuristics::merge_candidates(
      {btree("t", {"a", "b"}), btree("t", {"a", "c"}), btree("t", {"a"}), btree("u", {"a", "d"})}, 10);
  REQUIRE(merged.size() == 2);
  CHECK(merged[0].columns == std::vector<std::string>{"a", "b", "c"});
  CHECK(merged[1].columns == std::vector<std::string>{"a", "c", "b"});
  CHECK(heuristics::served_by_prefix(btree("t", {"a"}), btree("t", {"a", "b"})));
  CHECK_FALSE(heuristics::served_by_prefix(btree("t", {"b"}), btree("t", {"a", "b"})));
  CHECK_FALSE(heuristics::served_by_prefix(btree("t", {"a"}), btree("u", {"a", "b"})));
  CHECK(heuristics::merge_candidates({btree("t", {"a", "b"}), btree("t", {"a", "c"})}, 1).size() == 1);
}
