// fingerprint_tree: libpg_query's fingerprint computed from the parse tree we already have,
// checked bit for bit against pg_query_fingerprint (which re-parses) on the benchmark mix,
// every SQL fixture and a hand-written spread of statement kinds.

#include <pg_query.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "bench/query_corpus.hpp"
#include "parser/fingerprint_tree.hpp"
#include "parser/json_tree.hpp"
#include "parser/query.hpp"
#include "tests/support/catch.hpp"

namespace {

// Statements of many kinds, literal spellings, comments and parameters. A few are here
// because they must fall back (see "fingerprint tree: falls back where the JSON is lossy").
const char* const k_statements[] = {
  R"(SELECT 1)",
  R"(SELECT * FROM users)",
  R"(SELECT id, email FROM users WHERE id = 42)",
  R"(SELECT id, email FROM users WHERE id = 7)",
  R"(SELECT email, id FROM users WHERE id = $1)",
  R"(select ID from USERS where "Email" = 'a@b.c')",
  R"(SELECT a AS x, b AS y FROM t)",
  R"(SELECT DISTINCT a FROM t)",
  R"(SELECT DISTINCT ON (a) a, b FROM t ORDER BY a, b DESC)",
  R"(SELECT count(*) FROM orders)",
  R"(SELECT count(DISTINCT user_id) FROM orders WHERE total > 10.5)",
  R"(SELECT sum(total) FILTER (WHERE state = 'paid') FROM orders)",
  R"(SELECT * FROM orders WHERE created_at > now() - interval '1 day')",
  R"(SELECT * FROM orders WHERE created_at > now() - interval '7 days')",
  R"(SELECT * FROM t WHERE a IN (1, 2, 3))",
  R"(SELECT * FROM t WHERE a IN (1, 2, 3, 4, 5, 6, 7))",
  R"(SELECT * FROM t WHERE a NOT IN ('x', 'y'))",
  R"(SELECT * FROM t WHERE a = ANY($1))",
  R"(SELECT * FROM t WHERE a = ANY(ARRAY[1, 2, 3]))",
  R"(SELECT * FROM t WHERE a <> ALL(ARRAY[b, c]))",
  R"(SELECT * FROM t WHERE a BETWEEN 1 AND 10)",
  R"(SELECT * FROM t WHERE a NOT BETWEEN SYMMETRIC 1 AND 10)",
  R"(SELECT * FROM t WHERE a LIKE 'abc%' OR b ILIKE '%x' OR c NOT LIKE 'q')",
  R"(SELECT * FROM t WHERE a SIMILAR TO 'x*')",
  R"(SELECT * FROM t WHERE a ~ '^x' AND b ~* 'y' AND c !~ 'z')",
  R"(SELECT * FROM t WHERE a IS NULL AND b IS NOT NULL)",
  R"(SELECT * FROM t WHERE a IS TRUE OR b IS NOT FALSE OR c IS UNKNOWN)",
  R"(SELECT * FROM t WHERE a IS DISTINCT FROM b AND c IS NOT DISTINCT FROM d)",
  R"(SELECT * FROM t WHERE NOT (a = 1 OR b = 2) AND c = 3)",
  R"(SELECT NULLIF(a, 0), COALESCE(b, c, 0), GREATEST(a, b), LEAST(a, b) FROM t)",
  R"(SELECT CASE WHEN a > 0 THEN 'pos' WHEN a < 0 THEN 'neg' ELSE 'zero' END FROM t)",
  R"(SELECT CASE a WHEN 1 THEN 'one' ELSE 'other' END FROM t)",
  R"(SELECT a::int, b::text, '1'::int, $1::bigint, CAST(c AS numeric(10, 2)) FROM t)",
  R"(SELECT a::varchar(20), b::timestamp with time zone, c::int[] FROM t)",
  R"(SELECT '{1,2}'::int[], ARRAY[1, 2], ARRAY[a, b], a[1], a[1:2], a[2:] FROM t)",
  R"(SELECT data->'a', data->>'b', data#>'{a,b}', data#>>'{a}', data @> '{"a":1}', data ? 'k' FROM docs)",
  R"(SELECT jsonb_build_object('a', a, 'b', b) FROM t)",
  R"(SELECT (a).b, (t.c).d FROM t)",
  R"(SELECT t.* FROM t)",
  R"(SELECT s.t.a FROM s.t)",
  R"(SELECT * FROM public.users u WHERE u.id = 1)",
  R"(SELECT * FROM users u JOIN orders o ON o.user_id = u.id)",
  R"(SELECT * FROM users u LEFT JOIN orders o ON o.user_id = u.id AND o.total > 0)",
  R"(SELECT * FROM users u RIGHT OUTER JOIN orders o USING (id))",
  R"(SELECT * FROM users u FULL JOIN orders o ON true)",
  R"(SELECT * FROM users u CROSS JOIN orders o)",
  R"(SELECT * FROM users NATURAL JOIN orders)",
  R"(SELECT * FROM a JOIN b USING (id) AS j)",
  R"(SELECT * FROM a, b, c WHERE a.id = b.id AND b.id = c.id)",
  R"(SELECT * FROM (SELECT a FROM t) s)",
  R"(SELECT * FROM (SELECT a FROM t) AS s(x))",
  R"(SELECT * FROM LATERAL (SELECT * FROM u WHERE u.a = t.a) l, t)",
  R"(SELECT * FROM generate_series(1, 10) g)",
  R"(SELECT * FROM generate_series(1, 10) WITH ORDINALITY AS g(n, i))",
  R"(SELECT * FROM unnest($1::int[]) AS x(id))",
  R"(SELECT * FROM t TABLESAMPLE SYSTEM (10))",
  R"(SELECT * FROM ONLY parent_table)",
  R"(SELECT * FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.a = t.a))",
  R"(SELECT * FROM t WHERE NOT EXISTS (SELECT 1 FROM u WHERE u.a = t.a))",
  R"(SELECT * FROM t WHERE a IN (SELECT b FROM u))",
  R"(SELECT * FROM t WHERE a = (SELECT max(b) FROM u))",
  R"(SELECT * FROM t WHERE a > ALL (SELECT b FROM u))",
  R"(SELECT * FROM t WHERE a = ANY (SELECT b FROM u))",
  R"(SELECT (SELECT count(*) FROM u WHERE u.t_id = t.id) AS n FROM t)",
  R"(SELECT ARRAY(SELECT id FROM u) FROM t)",
  R"(SELECT a, count(*) FROM t GROUP BY a HAVING count(*) > 1)",
  R"(SELECT a, b, sum(c) FROM t GROUP BY ROLLUP (a, b))",
  R"(SELECT a, b, sum(c) FROM t GROUP BY CUBE (a, b))",
  R"(SELECT a, b, sum(c) FROM t GROUP BY GROUPING SETS ((a), (b), ()))",
  R"(SELECT GROUPING(a), a FROM t GROUP BY a)",
  R"(SELECT * FROM t ORDER BY a DESC NULLS LAST, b ASC NULLS FIRST LIMIT 10 OFFSET 20)",
  R"(SELECT * FROM t ORDER BY a LIMIT $1 OFFSET $2)",
  R"(SELECT * FROM t ORDER BY a USING >)",
  R"(SELECT * FROM t FETCH FIRST 5 ROWS ONLY)",
  R"(SELECT * FROM t ORDER BY a FETCH FIRST 5 ROWS WITH TIES)",
  R"(SELECT * FROM t FOR UPDATE)",
  R"(SELECT * FROM t FOR SHARE SKIP LOCKED)",
  R"(SELECT * FROM t FOR UPDATE OF t NOWAIT)",
  R"(SELECT * FROM t FOR NO KEY UPDATE)",
  R"(SELECT row_number() OVER (PARTITION BY a ORDER BY b) FROM t)",
  R"(SELECT rank() OVER w, sum(c) OVER w FROM t WINDOW w AS (PARTITION BY a ORDER BY b))",
  R"(SELECT sum(c) OVER (ORDER BY b ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM t)",
  R"(SELECT sum(c) OVER (ORDER BY b RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) FROM t)",
  R"(SELECT lag(a, 1) OVER (ORDER BY b) FROM t)",
  R"(SELECT string_agg(a, ',' ORDER BY a) FROM t)",
  R"(SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY a) FROM t)",
  R"(SELECT array_agg(DISTINCT a) FROM t)",
  R"(SELECT f(a => 1, b => 2))",
  R"(SELECT f(VARIADIC ARRAY[1, 2]))",
  R"(SELECT count(*) FROM t)",
  R"(SELECT now(), current_date, current_timestamp, current_user, session_user, localtime)",
  R"(SELECT a COLLATE "C" FROM t)",
  R"(SELECT a FROM t WHERE b = 'x' COLLATE "de_DE")",
  R"(SELECT ROW(1, 2), (a, b) FROM t)",
  R"(SELECT * FROM t WHERE (a, b) = (1, 2))",
  R"(SELECT * FROM t WHERE (a, b) IN ((1, 2), (3, 4)))",
  R"(SELECT a FROM t UNION SELECT b FROM u)",
  R"(SELECT a FROM t UNION ALL SELECT b FROM u ORDER BY 1)",
  R"(SELECT a FROM t INTERSECT SELECT b FROM u)",
  R"(SELECT a FROM t EXCEPT ALL SELECT b FROM u)",
  R"((SELECT a FROM t LIMIT 1) UNION (SELECT b FROM u LIMIT 2))",
  R"(VALUES (1, 'a'), (2, 'b'))",
  R"(WITH x AS (SELECT a FROM t) SELECT * FROM x)",
  R"(WITH x(a) AS (SELECT 1), y AS (SELECT a FROM x) SELECT * FROM y)",
  R"(WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 10) SELECT * FROM r)",
  R"(WITH x AS MATERIALIZED (SELECT a FROM t) SELECT * FROM x)",
  R"(WITH x AS NOT MATERIALIZED (SELECT a FROM t) SELECT * FROM x)",
  R"(WITH d AS (DELETE FROM t WHERE a = 1 RETURNING *) INSERT INTO archive SELECT * FROM d)",
  R"(SELECT * INTO new_table FROM t)",
  R"(SELECT 1 /* comment */ + 2 -- trailing)",
  R"(/* leading comment */ SELECT a FROM t)",
  R"(SELECT -1, +2, 3.14, 1e10, B'101', X'1F', E'a\nb', $$dollar$$, U&'\0041')",
  R"(SELECT 'it''s', "weird ""name""", "üñí" FROM "Tab le")",
  R"(SELECT a FROM orders_2024_01)",
  R"(SELECT a FROM t1 JOIN t22 ON t1.a = t22.a)",
  R"(SELECT a FROM s1.tab123x)",
  R"(SELECT a FROM tbl_x9_y10)",
  R"(SELECT $1, $2, $10)",
  R"(SELECT * FROM t WHERE a = $1 AND b = $1)",
  R"(SELECT true, false, NULL, DEFAULT IS NULL)",
  R"(SELECT 1 FROM t WHERE a IS NOT NULL GROUP BY ())",
  R"(SELECT EXTRACT(year FROM ts), date_trunc('day', ts) FROM t)",
  R"(SELECT substring(a FROM 1 FOR 3), trim(both 'x' FROM a), position('a' IN b), overlay(a placing 'x' from 2) FROM t)",
  R"(SELECT a AT TIME ZONE 'UTC' FROM t)",
  R"(SELECT xmlelement(name foo, a) FROM t)",
  R"(SELECT * FROM t WHERE CURRENT_DATE > d)",
  R"(SELECT interval '1' day, timestamp '2020-01-01', date '2020-01-01')",
  R"(INSERT INTO t (a, b) VALUES (1, 2))",
  R"(INSERT INTO t (b, a) VALUES ($1, $2))",
  R"(INSERT INTO t VALUES (1, 2), (3, 4), (5, 6))",
  R"(INSERT INTO t (a) VALUES (DEFAULT))",
  R"(INSERT INTO t DEFAULT VALUES)",
  R"(INSERT INTO t (a, b) SELECT x, y FROM u WHERE z = 1)",
  R"(INSERT INTO t AS x (a) VALUES (1) ON CONFLICT (a) DO NOTHING)",
  R"(INSERT INTO t (a, b) VALUES (1, 2) ON CONFLICT (a) DO UPDATE SET b = excluded.b WHERE t.b < excluded.b)",
  R"(INSERT INTO t (a) VALUES (1) ON CONFLICT ON CONSTRAINT t_pkey DO NOTHING)",
  R"(INSERT INTO t (a) VALUES (1) RETURNING id, a AS aa)",
  R"(INSERT INTO t (a) OVERRIDING SYSTEM VALUE VALUES (1))",
  R"(UPDATE t SET a = 1 WHERE id = 2)",
  R"(UPDATE t SET a = a + 1, b = DEFAULT WHERE id = $1 RETURNING *)",
  R"(UPDATE t SET (a, b) = (1, 2) WHERE id = 3)",
  R"(UPDATE t SET (a, b) = (SELECT x, y FROM u WHERE u.id = t.id))",
  R"(UPDATE t SET a = u.a FROM u WHERE u.id = t.id)",
  R"(UPDATE ONLY t AS x SET a = 1)",
  R"(UPDATE t SET a[1] = 2, b.c = 3)",
  R"(UPDATE t SET a = 1 WHERE CURRENT OF cur)",
  R"(DELETE FROM t WHERE id = 1)",
  R"(DELETE FROM t USING u WHERE u.id = t.id AND u.x = 'y')",
  R"(DELETE FROM t WHERE a IN (SELECT a FROM u) RETURNING a)",
  R"(MERGE INTO t USING u ON t.id = u.id WHEN MATCHED THEN UPDATE SET a = u.a WHEN NOT MATCHED THEN INSERT (id, a) VALUES (u.id, u.a))",
  R"(MERGE INTO t USING u ON t.id = u.id WHEN MATCHED AND u.x THEN DELETE WHEN NOT MATCHED THEN DO NOTHING)",
  R"(CREATE TABLE t (id bigserial PRIMARY KEY, email text NOT NULL UNIQUE, org_id int REFERENCES orgs (id) ON DELETE CASCADE, created_at timestamptz DEFAULT now(), CHECK (id > 0)))",
  R"(CREATE TABLE IF NOT EXISTS s.t (a int, b varchar(10) COLLATE "C", CONSTRAINT t_pk PRIMARY KEY (a)))",
  R"(CREATE TEMP TABLE tmp_123 (a int) ON COMMIT DROP)",
  R"(CREATE UNLOGGED TABLE u (a int))",
  R"(CREATE TABLE t2 (LIKE t INCLUDING ALL))",
  R"(CREATE TABLE p (a int, b date) PARTITION BY RANGE (b))",
  R"(CREATE TABLE p_2024 PARTITION OF p FOR VALUES FROM ('2024-01-01') TO ('2025-01-01'))",
  R"(CREATE TABLE t (a int GENERATED ALWAYS AS IDENTITY, b int GENERATED ALWAYS AS (a * 2) STORED))",
  R"(CREATE TABLE t AS SELECT * FROM u)",
  R"(CREATE MATERIALIZED VIEW mv AS SELECT a, count(*) FROM t GROUP BY a)",
  R"(REFRESH MATERIALIZED VIEW CONCURRENTLY mv)",
  R"(CREATE VIEW v AS SELECT a FROM t)",
  R"(CREATE OR REPLACE VIEW v (x) AS SELECT a FROM t WITH CHECK OPTION)",
  R"(CREATE INDEX ON t (a))",
  R"(CREATE INDEX idx_t_a ON t (a))",
  R"(CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS idx_t_ab ON t USING btree (a DESC NULLS LAST, lower(b)) INCLUDE (c) WHERE d IS NOT NULL)",
  R"(CREATE INDEX idx ON t USING gin (doc jsonb_path_ops))",
  R"(CREATE INDEX idx ON t USING gist (geom) WITH (fillfactor = 70))",
  R"(DROP INDEX IF EXISTS idx_t_a)",
  R"(DROP INDEX CONCURRENTLY idx_t_a)",
  R"(DROP TABLE t, u CASCADE)",
  R"(DROP VIEW IF EXISTS v)",
  R"(DROP FUNCTION f(int))",
  R"(ALTER TABLE t ADD COLUMN c int DEFAULT 0)",
  R"(ALTER TABLE t DROP COLUMN IF EXISTS c)",
  R"(ALTER TABLE t ALTER COLUMN c TYPE bigint USING c::bigint)",
  R"(ALTER TABLE t ALTER COLUMN c SET NOT NULL, ALTER COLUMN d DROP DEFAULT)",
  R"(ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES u (id) NOT VALID)",
  R"(ALTER TABLE t VALIDATE CONSTRAINT fk)",
  R"(ALTER TABLE t RENAME TO t_old)",
  R"(ALTER TABLE t RENAME COLUMN a TO b)",
  R"(ALTER TABLE t SET (autovacuum_vacuum_scale_factor = 0.01))",
  R"(ALTER TABLE t OWNER TO bob)",
  R"(ALTER TABLE t SET SCHEMA s)",
  R"(ALTER INDEX idx RENAME TO idx2)",
  R"(ALTER SEQUENCE s RESTART WITH 100)",
  R"(CREATE SEQUENCE s START 1 INCREMENT 1)",
  R"(CREATE SCHEMA IF NOT EXISTS app)",
  R"(CREATE EXTENSION IF NOT EXISTS pg_trgm)",
  R"(CREATE EXTENSION hypopg WITH SCHEMA public)",
  R"(CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy'))",
  R"(ALTER TYPE mood ADD VALUE 'great')",
  R"(CREATE TYPE pair AS (a int, b text))",
  R"(CREATE DOMAIN posint AS int CHECK (VALUE > 0))",
  R"(CREATE FUNCTION f(a int) RETURNS int AS 'select $1' LANGUAGE sql IMMUTABLE)",
  R"(CREATE OR REPLACE FUNCTION g(x text, OUT y int) RETURNS SETOF record LANGUAGE plpgsql AS $$ begin return; end $$)",
  R"(CREATE PROCEDURE p() LANGUAGE sql AS 'select 1')",
  R"(CALL p())",
  R"(CALL p(1, 'a'))",
  R"(DO $$ begin perform 1; end $$)",
  R"(CREATE TRIGGER trg BEFORE INSERT OR UPDATE ON t FOR EACH ROW EXECUTE FUNCTION f())",
  R"(CREATE RULE r AS ON INSERT TO t DO INSTEAD NOTHING)",
  R"(CREATE POLICY p ON t FOR SELECT USING (owner = current_user))",
  R"(CREATE CAST (int AS text) WITH INOUT)",
  R"(CREATE ROLE bob LOGIN PASSWORD 'secret')",
  R"(ALTER ROLE bob SET work_mem = '64MB')",
  R"(DROP ROLE IF EXISTS bob)",
  R"(GRANT SELECT, INSERT ON t TO bob)",
  R"(GRANT ALL ON ALL TABLES IN SCHEMA public TO bob)",
  R"(REVOKE UPDATE ON t FROM PUBLIC)",
  R"(GRANT admin TO bob)",
  R"(ALTER DEFAULT PRIVILEGES IN SCHEMA s GRANT SELECT ON TABLES TO bob)",
  R"(COMMENT ON TABLE t IS 'a table')",
  R"(COMMENT ON COLUMN t.a IS 'a column')",
  R"(TRUNCATE t, u RESTART IDENTITY CASCADE)",
  R"(VACUUM)",
  R"(VACUUM ANALYZE t)",
  R"(VACUUM (VERBOSE, ANALYZE) t (a, b))",
  R"(ANALYZE t)",
  R"(CLUSTER t USING idx)",
  R"(REINDEX INDEX idx)",
  R"(REINDEX TABLE CONCURRENTLY t)",
  R"(CHECKPOINT)",
  R"(DISCARD ALL)",
  R"(LOCK TABLE t IN ACCESS EXCLUSIVE MODE)",
  R"(COPY t (a, b) FROM STDIN WITH (FORMAT csv, HEADER true))",
  R"(COPY (SELECT * FROM t) TO STDOUT)",
  R"(EXPLAIN SELECT * FROM t)",
  R"(EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) SELECT * FROM t WHERE a = 1)",
  R"(EXPLAIN ANALYZE VERBOSE DELETE FROM t)",
  R"(SET search_path = app, public)",
  R"(SET statement_timeout = 5000)",
  R"(SET LOCAL work_mem = '256MB')",
  R"(SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY)",
  R"(SET TIME ZONE 'UTC')",
  R"(RESET work_mem)",
  R"(RESET ALL)",
  R"(SHOW work_mem)",
  R"(SHOW ALL)",
  R"(BEGIN)",
  R"(BEGIN ISOLATION LEVEL REPEATABLE READ)",
  R"(START TRANSACTION READ ONLY)",
  R"(COMMIT)",
  R"(COMMIT AND CHAIN)",
  R"(ROLLBACK)",
  R"(END)",
  R"(SAVEPOINT sp1)",
  R"(RELEASE SAVEPOINT sp1)",
  R"(ROLLBACK TO SAVEPOINT sp1)",
  R"(PREPARE TRANSACTION 'tx1')",
  R"(COMMIT PREPARED 'tx1')",
  R"(PREPARE q1 (int) AS SELECT * FROM t WHERE a = $1)",
  R"(EXECUTE q1 (5))",
  R"(DEALLOCATE q1)",
  R"(DEALLOCATE ALL)",
  R"(DECLARE c1 CURSOR WITH HOLD FOR SELECT * FROM t)",
  R"(FETCH NEXT FROM c1)",
  R"(FETCH 10 FROM c1)",
  R"(MOVE FORWARD 5 IN c1)",
  R"(CLOSE c1)",
  R"(CLOSE ALL)",
  R"(LISTEN chan)",
  R"(NOTIFY chan, 'payload')",
  R"(UNLISTEN *)",
  R"(CREATE DATABASE db2)",
  R"(DROP DATABASE IF EXISTS db2)",
  R"(SELECT 1; SELECT 2)",
  R"(SELECT a FROM t; UPDATE t SET a = 1; DELETE FROM t)",
  R"(SELECT pg_sleep(1))",
  R"(SELECT * FROM t WHERE a = 1 AND a = 1)",
  R"(SELECT * FROM t WHERE b = 1 AND a = 1)",
  R"(SELECT * FROM t WHERE a = 1 AND b = 1)",
  R"(SELECT x FROM t WHERE ((((((((((a = 1)))))))))))",
  R"(SELECT * FROM t WHERE a @@ to_tsquery('x') AND b && c AND d <-> e < 1)",
  R"(SELECT a ->> 'k' = $1, a #- '{x}' FROM t)",
  R"(SELECT OPERATOR(pg_catalog.+)(1, 2))",
  R"(SELECT * FROM t WHERE a = $1::uuid)",
  R"(SELECT id FROM users WHERE email = lower($1) AND status <> 'deleted' LIMIT 1)",
  R"(ALTER FUNCTION f(int) IMMUTABLE)",
  R"(ALTER FUNCTION f(int) OWNER TO bob)",
  R"(ALTER ROLE bob WITH NOLOGIN)",
  R"(ALTER TABLESPACE ts SET (random_page_cost = 1.1))",
  R"(DROP OWNED BY bob)",
  R"(REASSIGN OWNED BY bob TO alice)",
  R"(SELECT XMLSERIALIZE(CONTENT x AS text) FROM t)",
  R"(WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SEARCH DEPTH FIRST BY n SET ord SELECT * FROM r)",
  R"(WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) CYCLE n SET is_cycle USING path SELECT * FROM r)",
  R"(ALTER SYSTEM SET work_mem = '64MB')",
  R"(SET CONSTRAINTS ALL DEFERRED)",
  R"(CREATE AGGREGATE my_sum (int) (SFUNC = int4pl, STYPE = int))",
  R"(CREATE STATISTICS st (dependencies) ON a, b FROM t)",
  R"(ALTER DATABASE db SET work_mem = '1MB')",
  R"(LOAD 'auto_explain')",
  R"(ALTER EXTENSION hypopg UPDATE)",
  R"(CREATE TABLE arr (a int[], b text[][]))",
  R"(SELECT c::int[] FROM t)",
  R"(CREATE SEQUENCE s2 START -5)",
  R"(SELECT * FROM t WHERE a = 1 ORDER BY b OFFSET 5 ROWS FETCH NEXT 3 ROWS ONLY)",
  R"(SELECT * FROM t1 JOIN (t2 JOIN t3 ON t2.a = t3.a) ON t1.a = t2.a)",
  R"(SELECT a, b FROM t WHERE (a > 1 AND b < 2) OR (a < 0 AND b > 5))",
  R"(SELECT count(*) FILTER (WHERE a), avg(b) OVER () FROM t)",
  R"(SELECT * FROM t WHERE ts >= $1::timestamptz AND ts < $2::timestamptz + interval '1 hour')",
  R"(SELECT u.id, o.id FROM users u, LATERAL (SELECT id FROM orders WHERE user_id = u.id ORDER BY id DESC LIMIT 3) o)",
  R"(UPDATE users SET status = 'x', updated_at = now() FROM orgs WHERE orgs.id = users.org_id AND orgs.plan = 'free')",
  R"(INSERT INTO events (user_id, kind, payload) VALUES ($1, $2, $3::jsonb))",
  R"(SELECT * FROM users WHERE id IN ($1, $2, $3))",
  R"(SELECT * FROM users WHERE id IN ($1))",
  R"(DELETE FROM sessions WHERE expires_at < now())",
  R"(SELECT EXISTS (SELECT 1 FROM t WHERE a = $1))",
  R"(SELECT a FROM t GROUP BY a ORDER BY count(*) DESC)",
  R"(SELECT DISTINCT a, b FROM t)",
  R"(SELECT a FROM t WHERE a IS NOT TRUE)",
  R"(SELECT * FROM t AS x(a, b) WHERE x.a = 1)",
  R"(CREATE TABLE orders_2024_05 PARTITION OF orders FOR VALUES IN (5))",
  R"(CREATE TABLE h PARTITION OF p FOR VALUES WITH (MODULUS 4, REMAINDER 1))",
  R"(CREATE TABLE p2 (a int) PARTITION BY LIST (a))",
  R"(CREATE INDEX CONCURRENTLY ON orders_2023 (created_at))",
  R"(SELECT * FROM "Users" WHERE "Id" = 1)",
  R"(SELECT * FROM users WHERE name = 'O''Brien' AND note = E'tab\there')",
  R"(SELECT 'αβγ', "ünïcödé" FROM "tåble")",
  R"(SELECT "col""quote" FROM t)",
  R"(SELECT * FROM t WHERE x = '\u0001')",
  R"(SELECT c::int[0] FROM t)",
  R"(SELECT c::int[ 0 ], d::int[] FROM t)",
  R"(SELECT c::int[/* x */], d[1] FROM t)",
  R"(SELECT c::int[1][] FROM t)"
};

struct Outcome {
  bool parsed = false;
  bool supported = false;
  bool same = false;
  std::string ours;
  std::string libpg;
};

// Our fingerprint of `sql` from pg_query_parse's JSON, next to pg_query_fingerprint's.
Outcome compare(const std::string& sql)
{
  Outcome out;
  PgQueryParseResult parsed = pg_query_parse(sql.c_str());
  PgQueryFingerprintResult expected = pg_query_fingerprint(sql.c_str());
  if (!parsed.error && !expected.error) {
    out.parsed = true;
    auto tree = parser::json::Tree::parse(parsed.parse_tree);
    if (tree) {
      auto ours = parser::detail::fingerprint_tree(*tree, sql);
      out.supported = ours.has_value();
      out.libpg = expected.fingerprint_str;
      if (ours) {
        out.ours = parser::detail::fingerprint_hex(*ours);
        out.same = *ours == expected.fingerprint && out.ours == out.libpg;
      }
    }
  }
  pg_query_free_fingerprint_result(expected);
  pg_query_free_parse_result(parsed);
  return out;
}

struct Tally {
  std::size_t total = 0;
  std::size_t fallbacks = 0;
  std::size_t wrong = 0;
};

// Compares every statement; a mismatch is reported with its text. Fallbacks are counted.
Tally check_all(const std::vector<std::string>& statements)
{
  Tally tally;
  for (const auto& sql : statements) {
    auto out = compare(sql);
    INFO(sql);
    REQUIRE(out.parsed);
    ++tally.total;
    if (!out.supported) {
      ++tally.fallbacks;
      continue;
    }
    CHECK(out.ours == out.libpg);
    if (!out.same)
      ++tally.wrong;
  }
  return tally;
}

std::string read_file(const std::filesystem::path& path)
{
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::filesystem::path> sql_fixtures()
{
  std::vector<std::filesystem::path> files;
  for (const char* dir : {"sql", "plans"})
    for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(PGADVISOR_FIXTURES) / dir))
      if (entry.path().extension() == ".sql")
        files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

TEST_CASE("fingerprint tree: bit-identical on the whole benchmark corpus, without fallback")
{
  auto queries = bench::generate();
  REQUIRE(queries.size() > 1000);
  auto tally = check_all(queries);
  CHECK(tally.total == queries.size());
  CHECK(tally.wrong == 0);
  CHECK(tally.fallbacks == 0);
}

TEST_CASE("fingerprint tree: bit-identical on the hand-written statements")
{
  std::vector<std::string> statements(std::begin(k_statements), std::end(k_statements));
  REQUIRE(statements.size() >= 150);
  auto tally = check_all(statements);
  CHECK(tally.wrong == 0);
  // Only the lossy constructs below fall back; a growing count means coverage was lost.
  CHECK(tally.fallbacks <= 5);
  WARN("hand-written statements: " << tally.total << ", fallbacks: " << tally.fallbacks);
}

TEST_CASE("fingerprint tree: bit-identical on every SQL fixture")
{
  auto files = sql_fixtures();
  REQUIRE(files.size() >= 10);
  std::size_t compared = 0;
  for (const auto& file : files) {
    auto sql = read_file(file);
    INFO(file.string());
    PgQueryParseResult parsed = pg_query_parse(sql.c_str());
    bool valid = parsed.error == nullptr && std::string(parsed.parse_tree).find("\"stmt\"") != std::string::npos;
    pg_query_free_parse_result(parsed);
    if (!valid)
      continue;  // invalid_syntax.sql and the comment-only file: nothing to fingerprint
    auto tally = check_all({sql});
    CHECK(tally.wrong == 0);
    CHECK(tally.fallbacks == 0);
    ++compared;
  }
  CHECK(compared >= files.size() - 2);
}

TEST_CASE("fingerprint tree: constants, parameters, aliases and order do not matter")
{
  auto fp = [](const std::string& sql) {
    PgQueryParseResult parsed = pg_query_parse(sql.c_str());
    auto tree = parser::json::Tree::parse(parsed.parse_tree);
    auto value = parser::detail::fingerprint_tree(*tree, sql);
    pg_query_free_parse_result(parsed);
    REQUIRE(value);
    return *value;
  };
  CHECK(fp("SELECT * FROM t WHERE a = 1") == fp("SELECT * FROM t WHERE a = $1"));
  CHECK(fp("SELECT * FROM t WHERE a IN (1, 2)") == fp("SELECT * FROM t WHERE a IN (3, 4, 5, 6)"));
  CHECK(fp("SELECT a AS x, b FROM t") == fp("SELECT b, a AS y FROM t"));
  CHECK(fp("SELECT * FROM orders_2024_01") == fp("SELECT * FROM orders_2023_12"));
  CHECK(fp("SELECT * FROM t WHERE a = 1") != fp("SELECT * FROM t WHERE b = 1"));
  CHECK(fp("SELECT DISTINCT a FROM t") != fp("SELECT a FROM t"));
  CHECK(fp("UPDATE t SET a = 1") != fp("UPDATE t SET b = 1"));
}

TEST_CASE("fingerprint tree: falls back where the JSON is lossy")
{
  // Integer nodes print only when positive: a negative DefElem value is lost.
  CHECK_FALSE(compare("CREATE SEQUENCE s START -5").supported);
  // int[0] and int[] both print as {}: told apart only through the text.
  CHECK_FALSE(compare("SELECT c::int[0] FROM t").supported);
  auto unsized = compare("SELECT c::int[], d::text[][] FROM t");
  CHECK(unsized.supported);
  CHECK(unsized.ours == unsized.libpg);
}

TEST_CASE("fingerprint tree: analyse uses it and agrees with fingerprint()")
{
  std::vector<std::string> statements(std::begin(k_statements), std::end(k_statements));
  auto queries = bench::generate();
  statements.insert(statements.end(), queries.begin(), queries.begin() + 200);
  for (const auto& sql : statements) {
    INFO(sql);
    auto info = parser::analyse(sql, parser::AnalyseOptions{false});
    auto expected = parser::fingerprint(sql);
    REQUIRE(info.ok());
    REQUIRE(expected.ok());
    CHECK(info->fingerprint.value == expected->value);
    CHECK(info->fingerprint.hex == expected->hex);
  }
}

TEST_CASE("fingerprint tree: hex form is 16 lowercase digits")
{
  CHECK(parser::detail::fingerprint_hex(0) == "0000000000000000");
  CHECK(parser::detail::fingerprint_hex(0x0e915edfe51b849eULL) == "0e915edfe51b849e");
  CHECK(parser::detail::fingerprint_hex(~0ULL) == "ffffffffffffffff");
}
