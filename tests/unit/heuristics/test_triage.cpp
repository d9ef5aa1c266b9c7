#include <cmath>
#include <limits>

#include "heuristics/triage/auto_apply.hpp"
#include "heuristics/triage/risk.hpp"
#include "heuristics/triage/score.hpp"
#include "tests/support/catch.hpp"

using heuristics::triage::ApplyCandidate;
using heuristics::triage::AutoApplyPolicy;
using heuristics::triage::Risk;
using heuristics::triage::RiskInputs;
using heuristics::triage::Verdict;
using model::RecommendationKind;

namespace {

RiskInputs small_btree()
{
  RiskInputs in;
  in.kind = RecommendationKind::create_index;
  in.table_bytes = 200LL << 20;
  in.index_bytes = 8LL << 20;
  in.key_columns = 2;
  in.table_writes_per_second = 5;
  return in;
}

AutoApplyPolicy enabled_policy()
{
  AutoApplyPolicy p;
  p.enabled = true;
  p.kinds = {RecommendationKind::create_index, RecommendationKind::analyze};
  p.max_index_bytes = 100LL << 20;
  return p;
}

ApplyCandidate low_index(std::int64_t bytes = 8LL << 20)
{
  return {RecommendationKind::create_index, Risk::low, bytes};
}

}  // namespace

TEST_CASE("triage: score is ms saved per day times confidence", "[triage]")
{
  CHECK(heuristics::triage::score(86400, 0.5) == Approx(43200));
  CHECK(heuristics::triage::score(1000, 2.0) == Approx(1000));  // confidence clamped to 1
  CHECK(heuristics::triage::score(-50, 0.9) == 0);
  CHECK(heuristics::triage::score(std::nan(""), 0.9) == 0);
  CHECK(heuristics::triage::score(100, std::numeric_limits<double>::quiet_NaN()) == 0);
}

TEST_CASE("triage: ranking across targets by score, then lower risk", "[triage]")
{
  using heuristics::triage::TriageItem;
  std::vector<TriageItem> items = {
      {"prod", "a", RecommendationKind::create_index, 1000, 0.9, Risk::low},      // 900
      {"stage", "b", RecommendationKind::analyze, 5000, 0.5, Risk::low},          // 2500
      {"prod", "c", RecommendationKind::drop_index, 2000, 0.45, Risk::high},      // 900, riskier
      {"prod", "d", RecommendationKind::create_index, 100, 0, Risk::low},         // 0
  };
  const auto ranked = heuristics::triage::rank(items);
  REQUIRE(ranked.size() == 4);
  CHECK(ranked[0].item.id == "b");
  CHECK(ranked[0].score == Approx(2500));
  CHECK(ranked[1].item.id == "a");  // ties with c on score; lower risk first
  CHECK(ranked[2].item.id == "c");
  CHECK(ranked[3].item.id == "d");
  for (std::size_t i = 0; i < ranked.size(); ++i)
    CHECK(ranked[i].rank == static_cast<int>(i) + 1);
  CHECK(heuristics::triage::rank({}).empty());
}

TEST_CASE("risk: a small concurrent b-tree is low; large, wide, GIN or busy is medium", "[triage]")
{
  using heuristics::triage::assess_risk;
  CHECK(assess_risk(small_btree()).risk == Risk::low);
  auto gin = small_btree();
  gin.index_method = "gin";
  CHECK(assess_risk(gin).risk == Risk::medium);
  CHECK(assess_risk(gin).reason.find("gin") == 0);
  auto wide = small_btree();
  wide.key_columns = 5;
  CHECK(assess_risk(wide).risk == Risk::medium);
  auto large = small_btree();
  large.index_bytes = 2LL << 30;
  CHECK(assess_risk(large).risk == Risk::medium);
  auto big_table = small_btree();
  big_table.table_bytes = 50LL << 30;
  CHECK(assess_risk(big_table).risk == Risk::medium);
  auto unknown_table = small_btree();
  unknown_table.table_bytes = 0;
  CHECK(assess_risk(unknown_table).risk == Risk::medium);
  auto busy = small_btree();
  busy.table_writes_per_second = 5000;
  CHECK(assess_risk(busy).risk == Risk::medium);
  CHECK(assess_risk(busy).reason.find("5,000 writes/s") != std::string::npos);
  auto blocking = small_btree();
  blocking.concurrently = false;
  CHECK(assess_risk(blocking).risk == Risk::high);
}

TEST_CASE("risk: ANALYZE of stale statistics is low; drops, rewrites and config are high", "[triage]")
{
  using heuristics::triage::assess_risk;
  RiskInputs analyze;
  analyze.kind = RecommendationKind::analyze;
  analyze.statistics_stale = true;
  CHECK(assess_risk(analyze).risk == Risk::low);
  analyze.statistics_stale = false;
  CHECK(assess_risk(analyze).risk == Risk::medium);
  for (auto kind : {RecommendationKind::drop_index, RecommendationKind::rewrite, RecommendationKind::config}) {
    RiskInputs in;
    in.kind = kind;
    CHECK(assess_risk(in).risk == Risk::high);
  }
  RiskInputs stats;
  stats.kind = RecommendationKind::create_statistics;
  CHECK(assess_risk(stats).risk == Risk::medium);
}

TEST_CASE("auto-apply: off by default, whatever the candidate", "[triage]")
{
  AutoApplyPolicy defaults;
  CHECK_FALSE(defaults.enabled);
  CHECK(defaults.kinds.empty());
  const auto decision = heuristics::triage::decide(low_index(), defaults, 3 * 60);
  CHECK_FALSE(decision.apply());
  CHECK(decision.verdict == Verdict::disabled);
  // Enabled with the default kinds (none): still nothing.
  defaults.enabled = true;
  CHECK(heuristics::triage::decide(low_index(), defaults, 3 * 60).verdict == Verdict::kind_not_allowed);
}

TEST_CASE("auto-apply: kind, risk, size cap and window, each with its reason", "[triage]")
{
  using heuristics::triage::decide;
  auto policy = enabled_policy();
  CHECK(decide(low_index(), policy, 0).apply());
  CHECK(decide({RecommendationKind::analyze, Risk::low, 0}, policy, 0).apply());  // no size for ANALYZE
  CHECK(decide({RecommendationKind::drop_index, Risk::low, 0}, policy, 0).verdict == Verdict::kind_not_allowed);
  CHECK(decide({RecommendationKind::create_index, Risk::medium, 1}, policy, 0).verdict == Verdict::too_risky);
  const auto big = decide(low_index(200LL << 20), policy, 0);
  CHECK(big.verdict == Verdict::over_size_cap);
  CHECK(big.reason == "the index (200 MB) is over [auto_apply] max_index_bytes (100 MB)");
  CHECK(decide(low_index(0), policy, 0).verdict == Verdict::over_size_cap);  // unknown size

  policy.window = heuristics::triage::TimeWindow{2 * 60, 5 * 60};
  CHECK(decide(low_index(), policy, 2 * 60).apply());
  CHECK(decide(low_index(), policy, 4 * 60 + 59).apply());
  const auto late = decide(low_index(), policy, 5 * 60);
  CHECK(late.verdict == Verdict::outside_window);
  CHECK(late.reason == "now (05:00) is outside the window 02:00-05:00");
}

TEST_CASE("auto-apply: window and kinds parsing, bad values rejected", "[triage]")
{
  using heuristics::triage::parse_kinds;
  using heuristics::triage::parse_time_window;
  auto none = parse_time_window("  ");
  REQUIRE(none.ok());
  CHECK_FALSE(none->has_value());
  auto night = parse_time_window("22:30-02:00");
  REQUIRE(night.ok());
  REQUIRE(night->has_value());
  CHECK((*night)->contains(23 * 60));
  CHECK((*night)->contains(60));
  CHECK_FALSE((*night)->contains(12 * 60));
  auto to_midnight = parse_time_window("22:00-24:00");
  REQUIRE(to_midnight.ok());
  CHECK((*to_midnight)->contains(23 * 60 + 59));
  CHECK_FALSE((*to_midnight)->contains(0));
  for (const char* bad : {"2-5", "02:00", "25:00-03:00", "02:60-03:00", "03:00-03:00", "aa:bb-cc:dd"}) {
    auto result = parse_time_window(bad);
    INFO(bad);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().kind == model::ErrorKind::invalid_input);
  }

  auto kinds = parse_kinds("create_index, analyze create_index");
  REQUIRE(kinds.ok());
  CHECK(*kinds == std::vector<RecommendationKind>{RecommendationKind::create_index, RecommendationKind::analyze});
  auto empty = parse_kinds("");
  REQUIRE(empty.ok());
  CHECK(empty->empty());
  auto drop = parse_kinds("create_index,drop_index");
  REQUIRE_FALSE(drop.ok());
  CHECK(drop.error().message == "auto_apply kinds: drop_index cannot be applied automatically");
  auto typo = parse_kinds("create_indx");
  REQUIRE_FALSE(typo.ok());
  CHECK(typo.error().message.find("'create_indx' is not a kind") != std::string::npos);
}
