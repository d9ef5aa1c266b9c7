#include "tests/unit/heuristics/index_candidate_support.hpp"

namespace {

using heuristics::CandidateKind;
using candidate_support::candidates;
using candidate_support::find_kind;
using Columns = std::vector<std::string>;

}  // namespace

TEST_CASE("kinds: btree with equalities, range and mixed ORDER BY directions", "[index_candidate_kinds]")
{
  const auto set = candidates("SELECT id FROM shop.events WHERE customer_id = 5 AND status = 'done' "
                              "ORDER BY created_at DESC, id LIMIT 20",
                              candidate_support::catalog());
  REQUIRE(!set.candidates.empty());
  const auto& btree = set.candidates.front();
  CHECK(btree.kind == CandidateKind::btree);
  CHECK(btree.columns == Columns{"customer_id", "status", "created_at", "id"});
  CHECK(btree.descending == std::vector<bool>{false, false, true, false});
  CHECK(btree.ddl() == "CREATE INDEX CONCURRENTLY events_customer_id_status_created_at_id_idx ON shop.events "
                       "(customer_id, status, created_at DESC, id)");
}

TEST_CASE("kinds: GROUP BY columns give a sorted-aggregate btree", "[index_candidate_kinds]")
{
  const auto set = candidates("SELECT customer_id, count(*) FROM shop.events WHERE status = 'done' GROUP BY customer_id",
                              candidate_support::catalog());
  REQUIRE(!set.candidates.empty());
  CHECK(set.candidates.front().columns == Columns{"status", "customer_id"});
  CHECK(set.candidates.front().reasons.back() == "GROUP BY customer_id");
}

TEST_CASE("kinds: covering INCLUDE when the query reads few other columns", "[index_candidate_kinds]")
{
  const auto catalog = candidate_support::catalog();
  const auto set = candidates("SELECT total, email FROM shop.events WHERE customer_id = 7", catalog);
  const auto* covering = find_kind(set, CandidateKind::covering);
  REQUIRE(covering != nullptr);
  CHECK(covering->columns == Columns{"customer_id"});
  CHECK(covering->include_columns == Columns{"total", "email"});
  CHECK(covering->ddl() ==
        "CREATE INDEX CONCURRENTLY events_customer_id_incl_idx ON shop.events (customer_id) INCLUDE (total, email)");
  CHECK(covering->hypopg_supported());

  // A star, too many columns or a small LIMIT: no covering candidate.
  CHECK(find_kind(candidates("SELECT * FROM shop.events WHERE customer_id = 7", catalog), CandidateKind::covering) ==
        nullptr);
  CHECK(find_kind(candidates("SELECT e.* FROM shop.events e WHERE customer_id = 7", catalog),
                  CandidateKind::covering) == nullptr);
  CHECK(find_kind(candidates("SELECT total, email, name FROM shop.events WHERE customer_id = 7", catalog),
                  CandidateKind::covering) == nullptr);
  CHECK(find_kind(candidates("SELECT total FROM shop.events WHERE customer_id = 7 LIMIT 5", catalog),
                  CandidateKind::covering) == nullptr);
}

TEST_CASE("kinds: partial index on a rare constant, not on a common one", "[index_candidate_kinds]")
{
  const auto catalog = candidate_support::catalog();
  const auto set = candidates("SELECT id FROM shop.events WHERE status = 'pending' ORDER BY created_at", catalog);
  const auto* partial = find_kind(set, CandidateKind::partial);
  REQUIRE(partial != nullptr);
  CHECK(partial->columns == Columns{"created_at"});
  CHECK(partial->predicate == "status = 'pending'");
  CHECK(partial->ddl() ==
        "CREATE INDEX CONCURRENTLY events_created_at_status_pending_idx ON shop.events (created_at) "
        "WHERE status = 'pending'");
  CHECK(find_kind(candidates("SELECT id FROM shop.events WHERE status = 'done'", catalog), CandidateKind::partial) ==
        nullptr);
  // A parameter is not a constant: the index could not be used for every value.
  CHECK(find_kind(candidates("SELECT id FROM shop.events WHERE status = $1", catalog), CandidateKind::partial) ==
        nullptr);
}

TEST_CASE("kinds: partial predicate literal is quoted", "[index_candidate_kinds]")
{
  auto catalog = candidate_support::catalog();
  auto& status = catalog.tables[0].columns[2];
  status.most_common_vals.push_back("it's");
  status.most_common_freqs.push_back(0.001);
  const auto set = candidates("SELECT id FROM shop.events WHERE status = 'it''s'", catalog);
  const auto* partial = find_kind(set, CandidateKind::partial);
  REQUIRE(partial != nullptr);
  CHECK(partial->predicate == "status = 'it''s'");
  CHECK(parser::parse(partial->ddl()).ok());
}

TEST_CASE("kinds: LIKE prefix uses a pattern opclass unless the collation is C", "[index_candidate_kinds]")
{
  const auto catalog = candidate_support::catalog();
  const auto text_set = candidates("SELECT id FROM shop.events WHERE email LIKE 'ann%'", catalog);

  const auto text = find_kind(text_set, CandidateKind::pattern);
  REQUIRE(text != nullptr);
  CHECK(text->hypothetical_ddl() == "CREATE INDEX ON shop.events (email text_pattern_ops)");
  const auto varchar_set = candidates("SELECT id FROM shop.events WHERE name LIKE 'Ann%'", catalog);

  const auto varchar = find_kind(varchar_set, CandidateKind::pattern);
  REQUIRE(varchar != nullptr);
  CHECK(varchar->hypothetical_ddl() == "CREATE INDEX ON shop.events (name varchar_pattern_ops)");

  const auto c_set = candidates("SELECT id FROM shop.events WHERE code LIKE 'AB%'", catalog);
  CHECK(find_kind(c_set, CandidateKind::pattern) == nullptr);
  REQUIRE(!c_set.candidates.empty());
  CHECK(c_set.candidates.back().hypothetical_ddl() == "CREATE INDEX ON shop.events (code)");

  // The database collation decides what "default" means.
  auto c_database = catalog;
  c_database.features->database_collation = std::string(1, 'C');  // assign("C") trips a false -Wrestrict in GCC 12
  CHECK(find_kind(candidates("SELECT id FROM shop.events WHERE email LIKE 'ann%'", c_database),
                  CandidateKind::pattern) == nullptr);
}

TEST_CASE("kinds: trigram GIN for infix LIKE, ILIKE and regex, with pg_trgm as prerequisite", "[index_candidate_kinds]")
{
  auto catalog = candidate_support::catalog();
  for (const char* sql : {"SELECT id FROM shop.events WHERE email LIKE '%gmail%'",
                          "SELECT id FROM shop.events WHERE email ILIKE 'ann%'",
                          "SELECT id FROM shop.events WHERE email ~* 'ann.*smith'"}) {
    const auto set = candidates(sql, catalog);
    const auto* trigram = find_kind(set, CandidateKind::trigram);
    REQUIRE(trigram != nullptr);
    CHECK(trigram->hypothetical_ddl() == "CREATE INDEX ON shop.events USING gin (email gin_trgm_ops)");
    CHECK(trigram->index_name() == "events_email_trgm_idx");
    CHECK_FALSE(trigram->hypopg_supported());
    CHECK(trigram->prerequisites == std::vector<std::string>{"CREATE EXTENSION IF NOT EXISTS pg_trgm"});
  }
  catalog.features->extensions.push_back("pg_trgm");
  const auto installed_set = candidates("SELECT id FROM shop.events WHERE email LIKE '%x%'", catalog);

  const auto* installed = find_kind(installed_set, CandidateKind::trigram);
  REQUIRE(installed != nullptr);
  CHECK(installed->prerequisites.empty());
  // Not a text column: no trigram index.
  CHECK(find_kind(candidates("SELECT id FROM shop.events WHERE id::text LIKE '%1%'", catalog),
                  CandidateKind::trigram) == nullptr);
}

TEST_CASE("kinds: jsonb containment gets jsonb_path_ops, key existence jsonb_ops", "[index_candidate_kinds]")
{
  const auto catalog = candidate_support::catalog();
  const auto path_set = candidates("SELECT id FROM shop.events WHERE payload @> '{\"a\": 1}'", catalog);

  const auto* path = find_kind(path_set, CandidateKind::jsonb);
  REQUIRE(path != nullptr);
  CHECK(path->hypothetical_ddl() == "CREATE INDEX ON shop.events USING gin (payload jsonb_path_ops)");
  CHECK_FALSE(path->hypopg_supported());
  const auto ops_set =
      candidates("SELECT id FROM shop.events WHERE payload @> '{\"a\": 1}' AND payload ? 'b'", catalog);
  const auto* ops = find_kind(ops_set, CandidateKind::jsonb);
  REQUIRE(ops != nullptr);
  CHECK(ops->hypothetical_ddl() == "CREATE INDEX ON shop.events USING gin (payload jsonb_ops)");
  // <@ is not a GIN operator for jsonb.
  CHECK(find_kind(candidates("SELECT id FROM shop.events WHERE payload <@ '{\"a\": 1}'", catalog),
                  CandidateKind::jsonb) == nullptr);
}

TEST_CASE("kinds: GIN for array overlap and containment", "[index_candidate_kinds]")
{
  const auto catalog = candidate_support::catalog();
  for (const char* sql : {"SELECT id FROM shop.events WHERE tags && ARRAY['a']",
                          "SELECT id FROM shop.events WHERE tags @> ARRAY['a', 'b']"}) {
    const auto set = candidates(sql, catalog);
    const auto* array = find_kind(set, CandidateKind::array);
    REQUIRE(array != nullptr);
    CHECK(array->hypothetical_ddl() == "CREATE INDEX ON shop.events USING gin (tags)");
    CHECK(array->index_name() == "events_tags_gin_idx");
  }
}

TEST_CASE("kinds: BRIN on a large table in physical order only", "[index_candidate_kinds]")
{
  auto catalog = candidate_support::catalog();
  const auto set = candidates("SELECT count(*) FROM shop.events WHERE created_at >= '2024-01-01' "
                              "AND created_at < '2024-02-01'",
                              catalog);
  const auto* brin = find_kind(set, CandidateKind::brin);
  REQUIRE(brin != nullptr);
  CHECK(brin->hypothetical_ddl() == "CREATE INDEX ON shop.events USING brin (created_at)");
  CHECK(brin->hypopg_supported());
  // Uncorrelated column, small table, or a table that is updated a lot: no BRIN.
  CHECK(find_kind(candidates("SELECT id FROM shop.events WHERE seen_at > now()", catalog), CandidateKind::brin) ==
        nullptr);
  heuristics::CandidateSettings settings;
  settings.brin_min_rows = 5'000'000;
  CHECK(find_kind(candidates("SELECT id FROM shop.events WHERE created_at > now()", catalog, settings),
                  CandidateKind::brin) == nullptr);
  model::TableActivity activity;
  activity.n_tup_ins = 2'000'000;
  activity.n_tup_upd = 900'000;
  catalog.tables[0].activity = activity;
  CHECK(find_kind(candidates("SELECT id FROM shop.events WHERE created_at > now()", catalog), CandidateKind::brin) ==
        nullptr);
  catalog.tables[0].activity->n_tup_upd = 10;
  CHECK(find_kind(candidates("SELECT id FROM shop.events WHERE created_at > now()", catalog), CandidateKind::brin) !=
        nullptr);
}

TEST_CASE("kinds: join keys are kept", "[index_candidate_kinds]")
{
  auto catalog = candidate_support::catalog();
  model::TableInfo customers{"shop", "customers", 1000, 10, 81920, {}, {}, {}};
  customers.columns = {candidate_support::typed("id", "integer", -1), candidate_support::typed("region", "text", 5)};
  catalog.tables.push_back(customers);
  const auto set = candidates("SELECT c.region FROM shop.customers c JOIN shop.events e ON e.customer_id = c.id "
                              "WHERE c.region = 'north'",
                              catalog);
  const auto has_join_key = [&](const std::string& table, const Columns& columns) {
    return std::any_of(set.candidates.begin(), set.candidates.end(), [&](const heuristics::IndexCandidate& c) {
      return c.kind == CandidateKind::join_key && c.table == table && c.columns == columns;
    });
  };
  CHECK(has_join_key("events", {"customer_id"}));
  CHECK(has_join_key("customers", {"id"}));
}

TEST_CASE("kinds: no partial index on one key of many (tenant_id = 42)", "[index_candidate_kinds]")
{
  auto catalog = candidate_support::catalog();
  auto& customer = catalog.tables[0].columns[1];
  customer.n_distinct = 500;
  customer.most_common_vals = {"42"};
  customer.most_common_freqs = {0.002};
  CHECK(find_kind(candidates("SELECT id FROM shop.events WHERE customer_id = 42", catalog), CandidateKind::partial) ==
        nullptr);
}
