// Every index candidate kind on the sandbox: generated from real SQL, the real catalog and
// pg_proc, its DDL executed for real (CREATE INDEX CONCURRENTLY), and the real plan uses it.
// HypoPG builds the kinds that say they are supported and refuses the others.

#include <unistd.h>

#include "connectors/postgres/catalog_reader.hpp"
#include "connectors/postgres/function_reader.hpp"
#include "connectors/postgres/hypopg_session.hpp"
#include "heuristics/index_candidate_expression.hpp"
#include "heuristics/index_candidates.hpp"
#include "parser/query.hpp"
#include "tests/integration/advisor/sandbox.hpp"

namespace {

using heuristics::CandidateKind;

//! One schema per test process: other runs of this binary on the shared sandbox must not drop
//! the table under a CREATE INDEX CONCURRENTLY of this one. Left-over schemas of earlier runs
//! are dropped when the next run starts (not at exit: libpq and OpenSSL may already be torn
//! down by then).
const std::string schema = "i3a_kinds_" + std::to_string(getpid());

std::string with_schema(std::string text)
{
  const std::string marker = "i3a_kinds";
  for (auto pos = text.find(marker); pos != std::string::npos; pos = text.find(marker, pos + schema.size()))
    text.replace(pos, marker.size(), schema);
  return text;
}

void create_schema()
{
  static bool created = false;
  if (created)
    return;
  created = true;
  sandbox::admin(R"sql(
    DO $$
    DECLARE leftover text;
    BEGIN
      FOR leftover IN SELECT nspname FROM pg_namespace WHERE nspname LIKE 'i3a\_kinds\_%' LOOP
        EXECUTE format('DROP SCHEMA %I CASCADE', leftover);
      END LOOP;
    END $$)sql");
  sandbox::admin(with_schema(R"sql(
    SET client_min_messages = warning;
    DROP SCHEMA IF EXISTS i3a_kinds CASCADE;
    CREATE SCHEMA i3a_kinds;
    GRANT USAGE ON SCHEMA i3a_kinds TO advisor;
    CREATE TABLE i3a_kinds.events (
      id bigint PRIMARY KEY, customer_id int NOT NULL, status text NOT NULL, email text NOT NULL,
      name varchar(40) NOT NULL, code text COLLATE "C" NOT NULL, payload jsonb NOT NULL,
      tags text[] NOT NULL, created_at timestamptz NOT NULL, total numeric(12,2) NOT NULL);
    INSERT INTO i3a_kinds.events
      SELECT g, g % 2000,
             CASE WHEN g % 100 < 3 THEN 'pending' WHEN g % 100 < 30 THEN 'shipped' ELSE 'done' END,
             'user' || g || '@example.com', 'Name ' || g, 'AB' || g,
             jsonb_build_object('campaign', 'c' || g % 500, 'n', g),
             ARRAY['t' || g % 1000, 'all'],
             timestamptz '2024-01-01' + g * interval '1 minute', (g % 1000) / 10.0
        FROM generate_series(1, 100000) g;
    GRANT SELECT ON ALL TABLES IN SCHEMA i3a_kinds TO advisor;
  )sql"));
  sandbox::admin(with_schema("VACUUM ANALYZE i3a_kinds.events"));
}

std::unique_ptr<connectors::pg::Session> connect()
{
  auto session = connectors::pg::Session::connect(sandbox::test_dsn());
  if (!session)
    FAIL("sandbox unreachable: " << session.error().message);
  return std::move(session.value());
}

heuristics::CandidateSet candidates_for(connectors::pg::Session& session, const std::string& sql_template)
{
  auto info = parser::analyse(with_schema(sql_template));
  REQUIRE(info.ok());
  std::vector<std::pair<std::string, std::string>> tables;
  for (const auto& table : info->shape.tables)
    tables.emplace_back(table.schema, table.name);
  auto catalog = connectors::pg::read_catalog(session, tables);
  REQUIRE(catalog.ok());
  auto features = connectors::pg::read_server_features(session, heuristics::functions_to_check(info->shape));
  REQUIRE(features.ok());
  catalog->features = std::move(features.value());
  heuristics::CandidateSettings settings;
  settings.brin_min_rows = 50'000;  // the test table is 100,000 rows
  return heuristics::generate_candidate_set(info->shape, *catalog, settings);
}

const heuristics::IndexCandidate& find(const heuristics::CandidateSet& set, CandidateKind kind)
{
  for (const auto& candidate : set.candidates)
    if (candidate.kind == kind)
      return candidate;
  FAIL("no " << heuristics::to_string(kind) << " candidate");
  throw std::logic_error("unreachable");
}

//! HypoPG accepts the hypothetical DDL exactly when the candidate says it is supported.
void check_hypopg(connectors::pg::Session& session, const heuristics::IndexCandidate& candidate,
                  const std::string& sql)
{
  connectors::pg::WhatIfSession what_if(session);
  REQUIRE(what_if.available());
  auto result = what_if.evaluate(with_schema(sql), {candidate.hypothetical_ddl()});
  INFO(candidate.hypothetical_ddl());
  CHECK(result.ok() == candidate.hypopg_supported());
  if (result.ok())
    CHECK(result->index_used);
}

//! Runs the prerequisites and the DDL for real, checks the plan uses the index (and the node
//! type when given), and drops the index again.
void build_and_check(const heuristics::IndexCandidate& candidate, const std::string& sql,
                     const std::string& node_type = {})
{
  for (const auto& statement : candidate.prerequisites)
    sandbox::admin(statement);
  INFO(candidate.ddl());
  sandbox::admin(candidate.ddl());
  // VACUUM: an index-only scan needs the visibility map, which another session's old snapshot
  // may have kept VACUUM from setting when the table was loaded. CHECKPOINT first: a commit
  // whose WAL is not flushed yet (asynchronous commit) keeps VACUUM from marking pages
  // all-visible.
  sandbox::admin("CHECKPOINT");
  sandbox::admin(with_schema("VACUUM ANALYZE i3a_kinds.events"));
  const std::string plan = sandbox::admin_value("EXPLAIN (FORMAT JSON) " + with_schema(sql));
  const std::string valid = sandbox::admin_value("SELECT indisvalid FROM pg_index WHERE indexrelid = '" + schema +
                                                 "." + candidate.index_name() + "'::regclass");
  sandbox::admin("DROP INDEX " + schema + "." + candidate.index_name());
  INFO(plan);
  CHECK(valid == "t");
  CHECK(plan.find("\"Index Name\": \"" + candidate.index_name() + "\"") != std::string::npos);
  if (!node_type.empty())
    CHECK(plan.find("\"Node Type\": \"" + node_type + "\"") != std::string::npos);
}

void check_kind(CandidateKind kind, const std::string& sql, const std::string& expected_ddl,
                const std::string& node_type = {})
{
  create_schema();
  auto session = connect();
  const auto set = candidates_for(*session, sql);
  const auto& candidate = find(set, kind);
  CHECK(candidate.hypothetical_ddl() == with_schema(expected_ddl));
  check_hypopg(*session, candidate, sql);
  build_and_check(candidate, sql, node_type);
}

}  // namespace

TEST_CASE("index kinds: btree with equalities and ORDER BY DESC", "[index_kinds]")
{
  check_kind(CandidateKind::btree,
             "SELECT id FROM i3a_kinds.events WHERE customer_id = 42 AND status = 'done' "
             "ORDER BY created_at DESC LIMIT 10",
             "CREATE INDEX ON i3a_kinds.events (customer_id, status, created_at DESC)");
}

TEST_CASE("index kinds: covering INCLUDE gives an index-only scan", "[index_kinds]")
{
  check_kind(CandidateKind::covering, "SELECT total, email FROM i3a_kinds.events WHERE customer_id = 42",
             "CREATE INDEX ON i3a_kinds.events (customer_id) INCLUDE (total, email)", "Index Only Scan");
}

TEST_CASE("index kinds: partial index on a rare status", "[index_kinds]")
{
  check_kind(CandidateKind::partial,
             "SELECT id FROM i3a_kinds.events WHERE status = 'pending' ORDER BY created_at LIMIT 50",
             "CREATE INDEX ON i3a_kinds.events (created_at) WHERE status = 'pending'");
}

TEST_CASE("index kinds: expression index on lower(email)", "[index_kinds]")
{
  check_kind(CandidateKind::expression, "SELECT id FROM i3a_kinds.events WHERE lower(email) = 'user42@example.com'",
             "CREATE INDEX ON i3a_kinds.events ((lower(email)))");
}

TEST_CASE("index kinds: a STABLE function is rejected with the reason", "[index_kinds]")
{
  create_schema();
  auto session = connect();
  const auto set = candidates_for(
      *session, "SELECT count(*) FROM i3a_kinds.events WHERE date_trunc('day', created_at) = '2024-01-05'");
  REQUIRE(set.rejected.size() == 1);
  CHECK(set.rejected[0].second.find("date_trunc(text, timestamp with time zone) is STABLE, not IMMUTABLE") !=
        std::string::npos);
  // PostgreSQL agrees: the index cannot be built.
  CHECK_THROWS_WITH(sandbox::admin(set.rejected[0].first.ddl()), Catch::Contains("IMMUTABLE"));
}

TEST_CASE("index kinds: LIKE prefix on a non-C collation uses text_pattern_ops", "[index_kinds]")
{
  check_kind(CandidateKind::pattern, "SELECT id FROM i3a_kinds.events WHERE email LIKE 'user4242%'",
             "CREATE INDEX ON i3a_kinds.events (email text_pattern_ops)");
  check_kind(CandidateKind::pattern, "SELECT id FROM i3a_kinds.events WHERE name LIKE 'Name 4242%'",
             "CREATE INDEX ON i3a_kinds.events (name varchar_pattern_ops)");
}

TEST_CASE("index kinds: LIKE prefix on a C-collated column uses a plain btree", "[index_kinds]")
{
  create_schema();
  auto session = connect();
  const std::string sql = "SELECT id FROM i3a_kinds.events WHERE code LIKE 'AB4242%'";
  const auto set = candidates_for(*session, sql);
  REQUIRE(set.candidates.size() == 1);
  CHECK(set.candidates[0].hypothetical_ddl() == with_schema("CREATE INDEX ON i3a_kinds.events (code)"));
  build_and_check(set.candidates[0], sql);
}

TEST_CASE("index kinds: trigram GIN for an infix LIKE and a regex", "[index_kinds]")
{
  check_kind(CandidateKind::trigram, "SELECT id FROM i3a_kinds.events WHERE email LIKE '%er4242@%'",
             "CREATE INDEX ON i3a_kinds.events USING gin (email gin_trgm_ops)");
  check_kind(CandidateKind::trigram, "SELECT id FROM i3a_kinds.events WHERE email ~ 'user4242[0-9]@'",
             "CREATE INDEX ON i3a_kinds.events USING gin (email gin_trgm_ops)");
}

TEST_CASE("index kinds: GIN for jsonb containment and key existence", "[index_kinds]")
{
  check_kind(CandidateKind::jsonb, "SELECT id FROM i3a_kinds.events WHERE payload @> '{\"campaign\": \"c42\"}'",
             "CREATE INDEX ON i3a_kinds.events USING gin (payload jsonb_path_ops)");
  check_kind(CandidateKind::jsonb,
             "SELECT id FROM i3a_kinds.events WHERE payload @> '{\"campaign\": \"c42\"}' AND payload ? 'n'",
             "CREATE INDEX ON i3a_kinds.events USING gin (payload jsonb_ops)");
}

TEST_CASE("index kinds: GIN for array overlap", "[index_kinds]")
{
  check_kind(CandidateKind::array, "SELECT id FROM i3a_kinds.events WHERE tags && ARRAY['t7']",
             "CREATE INDEX ON i3a_kinds.events USING gin (tags)");
}

TEST_CASE("index kinds: BRIN for a range on the insertion-ordered column", "[index_kinds]")
{
  check_kind(CandidateKind::brin,
             "SELECT count(*) FROM i3a_kinds.events WHERE created_at >= '2024-01-10' AND created_at < '2024-01-11'",
             "CREATE INDEX ON i3a_kinds.events USING brin (created_at)");
}
