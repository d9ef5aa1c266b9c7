#include "heuristics/index_selection.hpp"
#include "tests/support/catch.hpp"

namespace {

heuristics::CandidateEvaluation evaluation(std::vector<std::string> columns, double before, double after,
                                           bool used = true, std::string table = "orders")
{
  heuristics::CandidateEvaluation e;
  e.candidate.schema = "public";
  e.candidate.table = std::move(table);
  e.candidate.descending.assign(columns.size(), false);
  e.candidate.columns = std::move(columns);
  e.cost_before = before;
  e.cost_after = after;
  e.index_bytes = 8192 * 100;
  e.index_used = used;
  return e;
}

}  // namespace

TEST_CASE("selection: below the bar is rejected with the reason", "[index_selection]")
{
  const auto selection = heuristics::select_indexes({evaluation({"status"}, 1000, 880)}, {});
  CHECK(selection.chosen.empty());
  REQUIRE(selection.rejected.size() == 1);
  CHECK(selection.rejected[0].second == "12 % cheaper, below the 30 % bar");
}

TEST_CASE("selection: an index the planner ignores is rejected", "[index_selection]")
{
  const auto selection = heuristics::select_indexes({evaluation({"status"}, 1000, 10, false)}, {});
  CHECK(selection.chosen.empty());
  REQUIRE(selection.rejected.size() == 1);
  CHECK(selection.rejected[0].second == "not used by the planner");
}

TEST_CASE("selection: a good candidate is chosen", "[index_selection]")
{
  heuristics::SelectionSettings settings;
  settings.min_improvement = 0.5;
  const auto selection = heuristics::select_indexes({evaluation({"customer_id"}, 10000, 20)}, settings);
  REQUIRE(selection.chosen.size() == 1);
  CHECK(selection.chosen[0].improvement() == Approx(0.998));
  CHECK(selection.rejected.empty());
}

TEST_CASE("selection: two columns preferred when clearly better", "[index_selection]")
{
  const auto selection = heuristics::select_indexes(
    {evaluation({"customer_id"}, 1000, 400), evaluation({"status"}, 1000, 500),
     evaluation({"customer_id", "status"}, 1000, 20)},
    {});
  REQUIRE(selection.chosen.size() == 1);
  CHECK(selection.chosen[0].candidate.columns == std::vector<std::string>{"customer_id", "status"});
  CHECK(selection.rejected.size() == 2);
  for (const auto& rejected : selection.rejected)
    CHECK(rejected.second.find("superseded by orders_customer_id_status_idx") == 0);
}

TEST_CASE("selection: the smaller index wins when the wider one is not clearly better", "[index_selection]")
{
  const auto selection = heuristics::select_indexes(
    {evaluation({"customer_id", "created_at"}, 1000, 90), evaluation({"customer_id"}, 1000, 100)}, {});
  REQUIRE(selection.chosen.size() == 1);
  CHECK(selection.chosen[0].candidate.columns == std::vector<std::string>{"customer_id"});
  REQUIRE(selection.rejected.size() == 1);
  CHECK(selection.rejected[0].first.columns.size() == 2);
}

TEST_CASE("selection: different tables do not compete", "[index_selection]")
{
  const auto selection = heuristics::select_indexes(
    {evaluation({"customer_id"}, 1000, 100), evaluation({"order_id"}, 1000, 100, true, "order_items")}, {});
  CHECK(selection.chosen.size() == 2);
  CHECK(selection.rejected.empty());
}

TEST_CASE("selection: recommendation ids are stable 16-hex FNV-1a", "[index_selection]")
{
  const std::string id = heuristics::recommendation_id("prod", "create_index", "CREATE INDEX …");
  CHECK(id.size() == 16);
  CHECK(id.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(id == heuristics::recommendation_id("prod", "create_index", "CREATE INDEX …"));
  CHECK(id != heuristics::recommendation_id("staging", "create_index", "CREATE INDEX …"));
  // FNV-1a 64 of the empty fields joined: "\n\n".
  CHECK(heuristics::recommendation_id("", "", "") == "08547e07b5084555");
}

TEST_CASE("selection: a second index for the same query must pay off on top of the first", "[index_selection]")
{
  const auto second = evaluation({"total_cents"}, 20000, 600).candidate;
  const heuristics::SelectionSettings settings;
  // Alone it saves 97 %; with the first index present it saves 4 % of what is left.
  auto reason = heuristics::marginal_rejection(second, "orders_created_at_idx", 100, 96, true, settings);
  REQUIRE(reason);
  CHECK(*reason == "4 % cheaper on top of orders_created_at_idx, below the 30 % bar");
  auto unused = heuristics::marginal_rejection(second, "orders_created_at_idx", 100, 100, false, settings);
  REQUIRE(unused);
  CHECK(*unused == "not used by the planner once orders_created_at_idx exists");
  CHECK_FALSE(heuristics::marginal_rejection(second, "orders_created_at_idx", 100, 40, true, settings));
}
