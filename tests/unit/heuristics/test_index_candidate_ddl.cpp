#include "heuristics/index_candidate_ddl.hpp"
#include "tests/unit/heuristics/index_candidate_support.hpp"

namespace {

using heuristics::CandidateKind;
using Columns = std::vector<std::string>;

const char* const round_trip_queries[] = {
    "SELECT id FROM shop.events WHERE customer_id = 5 AND status = 'pending' ORDER BY created_at DESC, id LIMIT 200",
    "SELECT total, email FROM shop.events WHERE customer_id = 7",
    "SELECT id FROM shop.events WHERE lower(email) = 'x' AND payload ->> 'k' = 'v'",
    "SELECT id FROM shop.events WHERE email LIKE 'a%' AND name LIKE 'b%' AND code LIKE 'c%'",
    "SELECT id FROM shop.events WHERE email ILIKE '%a%' AND name ~ 'x' AND payload @> '{}' AND tags && '{a}'",
    "SELECT id FROM shop.events WHERE created_at BETWEEN '2024-01-01' AND '2024-02-01' GROUP BY id",
    "SELECT id FROM shop.events WHERE status = 'it''s'",
};

}  // namespace

TEST_CASE("ddl: every generated statement parses", "[index_candidate_ddl]")
{
  auto catalog = candidate_support::catalog();
  catalog.tables[0].columns[2].most_common_vals.push_back("it's");
  catalog.tables[0].columns[2].most_common_freqs.push_back(0.001);
  std::size_t checked = 0;
  for (const char* sql : round_trip_queries) {
    const auto set = candidate_support::candidates(sql, catalog);
    REQUIRE(!set.candidates.empty());
    for (const auto& candidate : set.candidates) {
      INFO(candidate.ddl());
      CHECK(parser::parse(candidate.ddl()).ok());
      CHECK(parser::parse(candidate.hypothetical_ddl()).ok());
      for (const auto& statement : candidate.prerequisites)
        CHECK(parser::parse(statement).ok());
      ++checked;
    }
  }
  CHECK(checked >= 15);
}

TEST_CASE("ddl: names differ by kind on the same keys", "[index_candidate_ddl]")
{
  heuristics::IndexCandidate plain;
  plain.schema = "shop";
  plain.table = "events";
  plain.columns = {"email"};
  plain.descending = {false};
  auto pattern = plain;
  pattern.kind = CandidateKind::pattern;
  pattern.opclasses = {"text_pattern_ops"};
  auto trigram = plain;
  trigram.kind = CandidateKind::trigram;
  trigram.access_method = "gin";
  trigram.opclasses = {"gin_trgm_ops"};
  auto brin = plain;
  brin.kind = CandidateKind::brin;
  brin.access_method = "brin";
  CHECK(plain.index_name() == "events_email_idx");
  CHECK(pattern.index_name() == "events_email_pattern_idx");
  CHECK(trigram.index_name() == "events_email_trgm_idx");
  CHECK(brin.index_name() == "events_email_brin_idx");
  CHECK_FALSE(plain == pattern);
  CHECK_FALSE(plain == trigram);
  CHECK(trigram.ddl() == "CREATE INDEX CONCURRENTLY events_email_trgm_idx ON shop.events USING gin (email gin_trgm_ops)");
}

TEST_CASE("ddl: SQL text normalisation", "[index_candidate_ddl]")
{
  CHECK(heuristics::normalize_sql("(status = 'pending'::text)") == heuristics::normalize_sql("status = 'pending'"));
  CHECK(heuristics::normalize_sql("lower((email)::text)") == heuristics::normalize_sql("lower(email)"));
  CHECK(heuristics::normalize_sql("(name)::character varying(40)") == "name");
  CHECK(heuristics::normalize_sql("created_at::timestamp with time zone > x") == "created_at>x");
  CHECK(heuristics::normalize_sql("a = 'X Y'") != heuristics::normalize_sql("a = 'x y'"));
  CHECK(heuristics::name_fragment("payload ->> 'Campaign'") == "payload_campaign");
  CHECK(heuristics::sql_literal("it's") == "'it''s'");
}

TEST_CASE("ddl: covering_index respects opclass, access method, predicate, expression and INCLUDE",
          "[index_candidate_ddl]")
{
  model::TableInfo table{"shop", "events", 1000, 10, 81920, {}, {}, {}};
  heuristics::IndexCandidate trigram;
  trigram.schema = "shop";
  trigram.table = "events";
  trigram.columns = {"email"};
  trigram.descending = {false};
  trigram.kind = CandidateKind::trigram;
  trigram.access_method = "gin";
  trigram.opclasses = {"gin_trgm_ops"};

  auto gin = test_support::btree("events_email_trgm", "events", {"email"});
  gin.access_method = "gin";
  gin.opclasses = {"gin_trgm_ops"};
  table.indexes = {gin};
  CHECK(heuristics::covering_index(trigram, table) == "events_email_trgm");
  gin.opclasses = {"gist_trgm_ops"};
  gin.access_method = "gist";
  table.indexes = {gin};
  CHECK(heuristics::covering_index(trigram, table) == "events_email_trgm");
  // A btree on email does not serve an infix LIKE.
  table.indexes = {test_support::btree("events_email", "events", {"email"})};
  CHECK_FALSE(heuristics::covering_index(trigram, table).has_value());

  // jsonb_ops serves a jsonb_path_ops candidate, not the other way round.
  heuristics::IndexCandidate path = trigram;
  path.columns = {"payload"};
  path.kind = CandidateKind::jsonb;
  path.opclasses = {"jsonb_path_ops"};
  auto jsonb = test_support::btree("events_payload", "events", {"payload"});
  jsonb.access_method = "gin";
  table.indexes = {jsonb};
  CHECK(heuristics::covering_index(path, table) == "events_payload");
  auto ops = path;
  ops.opclasses = {"jsonb_ops"};
  table.indexes[0].opclasses = {"jsonb_path_ops"};
  CHECK_FALSE(heuristics::covering_index(ops, table).has_value());

  // Expressions compare as normalised text; predicates must match.
  heuristics::IndexCandidate lower;
  lower.schema = "shop";
  lower.table = "events";
  lower.columns = {"lower(email)"};
  lower.is_expression = {true};
  lower.descending = {false};
  auto expression = test_support::btree("events_lower_email", "events", {"lower((email)::text)"});
  expression.is_expression = {true};
  table.indexes = {expression};
  CHECK(heuristics::covering_index(lower, table) == "events_lower_email");
  lower.predicate = "status = 'pending'";
  CHECK_FALSE(heuristics::covering_index(lower, table).has_value());
  table.indexes[0].predicate = "(status = 'pending'::text)";
  CHECK(heuristics::covering_index(lower, table) == "events_lower_email");

  // INCLUDE columns must be in the index, as keys or included.
  heuristics::IndexCandidate covering;
  covering.schema = "shop";
  covering.table = "events";
  covering.columns = {"customer_id"};
  covering.descending = {false};
  covering.include_columns = {"total"};
  table.indexes = {test_support::btree("events_customer", "events", {"customer_id"})};
  CHECK_FALSE(heuristics::covering_index(covering, table).has_value());
  table.indexes[0].include_columns = {"total"};
  CHECK(heuristics::covering_index(covering, table) == "events_customer");
  table.indexes = {test_support::btree("events_customer_total", "events", {"customer_id", "total"})};
  CHECK(heuristics::covering_index(covering, table) == "events_customer_total");

  // Pattern opclasses: text_ and varchar_pattern_ops are the same thing.
  heuristics::IndexCandidate pattern;
  pattern.schema = "shop";
  pattern.table = "events";
  pattern.columns = {"name"};
  pattern.descending = {false};
  pattern.opclasses = {"varchar_pattern_ops"};
  auto pattern_index = test_support::btree("events_name_pattern", "events", {"name"});
  pattern_index.opclasses = {"text_pattern_ops"};
  table.indexes = {pattern_index};
  CHECK(heuristics::covering_index(pattern, table) == "events_name_pattern");
  table.indexes = {test_support::btree("events_name", "events", {"name"})};
  CHECK_FALSE(heuristics::covering_index(pattern, table).has_value());
}
