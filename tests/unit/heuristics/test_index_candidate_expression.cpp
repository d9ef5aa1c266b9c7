#include "heuristics/index_candidate_expression.hpp"
#include "tests/unit/heuristics/index_candidate_support.hpp"

namespace {

using heuristics::CandidateKind;
using candidate_support::candidates;
using candidate_support::find_kind;

}  // namespace

TEST_CASE("expression: lower(email) with an IMMUTABLE function", "[index_candidate_expression]")
{
  const auto set = candidates("SELECT id FROM shop.events WHERE lower(email) = 'ann@example.com'",
                              candidate_support::catalog());
  const auto* expression = find_kind(set, CandidateKind::expression);
  REQUIRE(expression != nullptr);
  CHECK(expression->ddl() == "CREATE INDEX CONCURRENTLY events_lower_email_idx ON shop.events ((lower(email)))");
  CHECK(expression->hypopg_supported());
  CHECK(set.rejected.empty());
}

TEST_CASE("expression: equality columns lead, then the expression", "[index_candidate_expression]")
{
  const auto set = candidates("SELECT id FROM shop.events WHERE customer_id = 3 AND lower(email) = 'a'",
                              candidate_support::catalog());
  const auto* expression = find_kind(set, CandidateKind::expression);
  REQUIRE(expression != nullptr);
  CHECK(expression->hypothetical_ddl() == "CREATE INDEX ON shop.events (customer_id, (lower(email)))");
}

TEST_CASE("expression: a STABLE overload is rejected with its signature", "[index_candidate_expression]")
{
  const auto set = candidates("SELECT count(*) FROM shop.events WHERE date_trunc('day', created_at) = '2024-01-01'",
                              candidate_support::catalog());
  CHECK(find_kind(set, CandidateKind::expression) == nullptr);
  REQUIRE(set.rejected.size() == 1);
  CHECK(set.rejected[0].second ==
        "expression index on date_trunc('day', created_at): date_trunc(text, timestamp with time zone) is STABLE, "
        "not IMMUTABLE");
  // The same function on a timestamp without time zone resolves to the IMMUTABLE overload.
  const auto immutable = candidates(
      "SELECT count(*) FROM shop.events WHERE date_trunc('day', seen_at) = '2024-01-01'", candidate_support::catalog());
  CHECK(immutable.rejected.empty());
  CHECK(find_kind(immutable, CandidateKind::expression) != nullptr);
}

TEST_CASE("expression: unknown functions, parameters, casts and no server catalog are rejected",
          "[index_candidate_expression]")
{
  const auto catalog = candidate_support::catalog();
  auto set = candidates("SELECT id FROM shop.events WHERE frobnicate(email) = 'x'", catalog);
  REQUIRE(set.rejected.size() == 1);
  CHECK(set.rejected[0].second == "expression index on frobnicate(email): frobnicate is not in pg_proc: its "
                                  "volatility is unknown");
  set = candidates("SELECT id FROM shop.events WHERE payload ->> $1 = 'spring'", catalog);
  REQUIRE(set.rejected.size() == 1);
  CHECK(set.rejected[0].second.find("holds a parameter") != std::string::npos);
  set = candidates("SELECT id FROM shop.events WHERE created_at::date = '2024-01-01'", catalog);
  REQUIRE(set.rejected.size() == 1);
  CHECK(set.rejected[0].second.find("is a cast") != std::string::npos);
  set = candidates("SELECT id FROM shop.events WHERE lower(email) = 'a'", candidate_support::catalog(false));
  REQUIRE(set.rejected.size() == 1);
  CHECK(set.rejected[0].second.find("was not checked") != std::string::npos);
  CHECK(set.candidates.empty());
}

TEST_CASE("expression: a jsonb key through an IMMUTABLE operator", "[index_candidate_expression]")
{
  const auto set = candidates("SELECT id FROM shop.events WHERE payload ->> 'campaign' = 'spring'",
                              candidate_support::catalog());
  const auto* expression = find_kind(set, CandidateKind::expression);
  REQUIRE(expression != nullptr);
  CHECK(expression->hypothetical_ddl() == "CREATE INDEX ON shop.events ((payload ->> 'campaign'))");
  CHECK(parser::parse(expression->ddl()).ok());
}

TEST_CASE("expression: functions and operators named in an expression", "[index_candidate_expression]")
{
  using V = std::vector<std::string>;
  CHECK(heuristics::expression_functions("lower(btrim(email))") == V{"lower", "btrim"});
  CHECK(heuristics::expression_functions("payload ->> 'a(b)'") == V{"->>"});
  CHECK(heuristics::expression_functions("coalesce(total, 0) * 2") == V{"*"});
  CHECK(heuristics::expression_functions("pg_catalog.upper(name)::numeric(10,2)") == V{"upper"});
  auto info = parser::analyse("SELECT 1 FROM t WHERE lower(a) = 'x' AND price * 2 > 10 AND b = 1");
  REQUIRE(info.ok());
  CHECK(heuristics::functions_to_check(info->shape) == V{"lower", "*"});
}
