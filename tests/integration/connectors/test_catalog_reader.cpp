#include "connectors/postgres/catalog_reader.hpp"
#include "tests/integration/connectors/sandbox.hpp"
#include "tests/support/catch.hpp"

using connectors::pg::read_catalog;

namespace {

const std::string k_schema = "conn_test_catalog";

void create_fixture()
{
  sandbox::recreate_schema(k_schema);
  sandbox::admin_exec(R"(
SET ROLE advisor;
CREATE TABLE conn_test_catalog.orders (
  id bigint PRIMARY KEY,
  customer_id int NOT NULL,
  status text COLLATE "C",
  note varchar(40),
  email text,
  tags int[],
  created_at timestamptz);
INSERT INTO conn_test_catalog.orders
  SELECT g, g % 100, CASE WHEN g % 10 = 0 THEN 'shipped' ELSE 'open' END, NULL, 'user' || g || '@x.org',
         ARRAY[g % 3], now()
  FROM generate_series(1, 5000) AS g;
CREATE INDEX orders_customer_created ON conn_test_catalog.orders (customer_id, created_at DESC)
  INCLUDE (status);
CREATE INDEX orders_lower_email ON conn_test_catalog.orders (lower(email) text_pattern_ops);
CREATE INDEX orders_open ON conn_test_catalog.orders (created_at) WHERE status = 'open';
CREATE INDEX orders_note ON conn_test_catalog.orders (note);
CREATE INDEX orders_tags ON conn_test_catalog.orders USING gin (tags);
ANALYZE conn_test_catalog.orders;
CREATE TABLE conn_test_catalog."MixedCase" (x int);
)");
}

const model::IndexInfo* find_index(const model::TableInfo& table, const std::string& name)
{
  for (const auto& index : table.indexes)
    if (index.name == name)
      return &index;
  return nullptr;
}

}  // namespace

TEST_CASE("catalog: table sizes, columns and statistics", "[catalog_reader]")
{
  create_fixture();
  auto session = sandbox::session();
  auto catalog = read_catalog(*session, {{k_schema, "orders"}});
  REQUIRE(catalog.ok());
  REQUIRE(catalog->tables.size() == 1);
  const auto& orders = catalog->tables[0];
  CHECK(orders.schema == k_schema);
  CHECK(orders.name == "orders");
  CHECK(orders.reltuples == Approx(5000));
  CHECK(orders.relpages > 0);
  CHECK(orders.size_bytes > 0);
  REQUIRE(orders.columns.size() == 7);
  CHECK(orders.columns[0].name == "id");
  CHECK(orders.columns[0].type == "bigint");
  CHECK(orders.columns[0].collation.empty());
  CHECK(orders.columns[0].not_null);

  const auto* status = orders.column("status");
  REQUIRE(status != nullptr);
  CHECK(status->collation == "C");
  CHECK_FALSE(status->not_null);
  REQUIRE(status->most_common_vals.size() == 2);
  CHECK(status->most_common_vals[0] == "open");
  REQUIRE(status->most_common_freqs.size() == 2);
  CHECK(status->most_common_freqs[0] == Approx(0.9).margin(0.01));
  CHECK(status->n_distinct.value_or(0) == Approx(2));

  const auto* note = orders.column("note");
  REQUIRE(note != nullptr);
  CHECK(note->type == "character varying(40)");
  CHECK(note->collation == "default");
  CHECK(note->null_frac.value_or(0) == Approx(1.0));

  const auto* customer = orders.column("customer_id");
  REQUIRE(customer != nullptr);
  CHECK(customer->n_distinct.value_or(0) == Approx(100));
  CHECK(customer->correlation.has_value());
  sandbox::require_clean(*session);
}

TEST_CASE("catalog: indexes key by key", "[catalog_reader]")
{
  create_fixture();
  auto session = sandbox::session();
  auto catalog = read_catalog(*session, {{k_schema, "orders"}});
  REQUIRE(catalog.ok());
  const auto& orders = catalog->tables.at(0);
  CHECK(orders.indexes.size() == 6);

  const auto* pkey = find_index(orders, "orders_pkey");
  REQUIRE(pkey != nullptr);
  CHECK(pkey->primary);
  CHECK(pkey->unique);
  CHECK(pkey->valid);
  CHECK(pkey->access_method == "btree");
  CHECK(pkey->columns == std::vector<std::string>{"id"});
  CHECK(pkey->opclasses == std::vector<std::string>{""});
  CHECK(pkey->size_bytes > 0);
  CHECK(pkey->table == "orders");
  CHECK(pkey->schema == k_schema);

  const auto* composite = find_index(orders, "orders_customer_created");
  REQUIRE(composite != nullptr);
  CHECK(composite->columns == std::vector<std::string>{"customer_id", "created_at"});
  CHECK(composite->descending == std::vector<bool>{false, true});
  CHECK(composite->is_expression == std::vector<bool>{false, false});
  CHECK(composite->include_columns == std::vector<std::string>{"status"});
  CHECK(composite->opclasses == std::vector<std::string>{"", ""});
  CHECK_FALSE(composite->unique);
  CHECK(composite->definition.find("INCLUDE (status)") != std::string::npos);

  const auto* expression = find_index(orders, "orders_lower_email");
  REQUIRE(expression != nullptr);
  CHECK(expression->columns == std::vector<std::string>{"lower(email)"});
  CHECK(expression->is_expression == std::vector<bool>{true});
  CHECK(expression->opclasses == std::vector<std::string>{"text_pattern_ops"});

  const auto* partial = find_index(orders, "orders_open");
  REQUIRE(partial != nullptr);
  CHECK(partial->predicate.find("'open'") != std::string::npos);

  const auto* varchar = find_index(orders, "orders_note");
  REQUIRE(varchar != nullptr);
  CHECK(varchar->opclasses == std::vector<std::string>{""});  // text_ops is varchar's default

  const auto* gin = find_index(orders, "orders_tags");
  REQUIRE(gin != nullptr);
  CHECK(gin->access_method == "gin");
  CHECK(gin->opclasses == std::vector<std::string>{""});  // array_ops is the default
  sandbox::require_clean(*session);
}

TEST_CASE("catalog: unqualified names follow search_path, case kept", "[catalog_reader]")
{
  create_fixture();
  auto session = sandbox::session();
  {
    pqxx::nontransaction txn(session->conn());
    txn.exec0("SET search_path = conn_test_catalog, public");
  }
  auto catalog = read_catalog(*session, {{"", "orders"}, {"", "MixedCase"}, {k_schema, "orders"}});
  REQUIRE(catalog.ok());
  REQUIRE(catalog->tables.size() == 2);  // the duplicate is read once
  CHECK(catalog->find(k_schema, "orders") != nullptr);
  CHECK(catalog->find("", "MixedCase") != nullptr);
  CHECK(catalog->find("", "MixedCase")->columns.size() == 1);
}

TEST_CASE("catalog: unknown table is not_found", "[catalog_reader]")
{
  create_fixture();
  auto session = sandbox::session();
  auto unknown = read_catalog(*session, {{k_schema, "orders"}, {k_schema, "nope"}});
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().kind == model::ErrorKind::not_found);
  CHECK(unknown.error().message == "relation \"conn_test_catalog.nope\" does not exist");

  auto no_schema = read_catalog(*session, {{"no_such_schema", "t"}});
  REQUIRE_FALSE(no_schema.ok());
  CHECK(no_schema.error().kind == model::ErrorKind::not_found);

  auto quoted = read_catalog(*session, {{k_schema, "it's \"odd\""}});
  REQUIRE_FALSE(quoted.ok());
  CHECK(quoted.error().kind == model::ErrorKind::not_found);

  auto lower_case = read_catalog(*session, {{k_schema, "mixedcase"}});
  REQUIRE_FALSE(lower_case.ok());
  CHECK(lower_case.error().kind == model::ErrorKind::not_found);
  sandbox::require_clean(*session);
}

TEST_CASE("catalog: table activity and index usage from the statistics views", "[catalog_reader]")
{
  create_fixture();
  // Each step in its own transaction, its counters flushed before the next: an ANALYZE in the
  // same flush as the inserts would count them as modified after it.
  auto step = [](const std::string& sql) {
    sandbox::admin_exec("SET ROLE advisor; " + sql + "; SELECT pg_catalog.pg_stat_force_next_flush()");
  };
  step("CREATE TABLE conn_test_catalog.events (id int PRIMARY KEY, kind int NOT NULL) "
       "WITH (autovacuum_enabled = false)");
  step("CREATE INDEX events_kind ON conn_test_catalog.events (kind)");
  step("INSERT INTO conn_test_catalog.events SELECT g, g % 7 FROM generate_series(1, 1000) AS g");
  step("ANALYZE conn_test_catalog.events");
  step("INSERT INTO conn_test_catalog.events SELECT g, 1 FROM generate_series(1001, 1300) AS g");
  step("DELETE FROM conn_test_catalog.events WHERE id <= 100");
  step("UPDATE conn_test_catalog.events SET kind = 2 WHERE id BETWEEN 101 AND 150");
  step("SET enable_seqscan = off; SELECT count(*) FROM conn_test_catalog.events WHERE id = 7");
  step("CREATE TABLE conn_test_catalog.never (x int)");

  auto session = sandbox::session();
  auto catalog = read_catalog(*session, {{k_schema, "events"}, {k_schema, "never"}});
  REQUIRE(catalog.ok());
  const auto* events = catalog->find(k_schema, "events");
  REQUIRE(events != nullptr);
  REQUIRE(events->activity.has_value());
  const model::TableActivity& a = *events->activity;
  CHECK(a.n_tup_ins == 1300);
  CHECK(a.n_tup_del == 100);
  CHECK(a.n_tup_upd == 50);
  CHECK(a.n_live_tup == 1200);
  CHECK(a.n_dead_tup == 150);
  CHECK(a.n_mod_since_analyze == 450);  // 300 inserted + 100 deleted + 50 updated after ANALYZE
  CHECK(a.idx_scan >= 1);
  REQUIRE(a.seconds_since_analyze.has_value());
  CHECK(*a.seconds_since_analyze >= 0);
  CHECK(*a.seconds_since_analyze < 600);

  const auto* never = catalog->find(k_schema, "never");
  REQUIRE(never != nullptr);
  REQUIRE(never->activity.has_value());
  CHECK_FALSE(never->activity->seconds_since_analyze.has_value());

  const auto* pkey = find_index(*events, "events_pkey");
  const auto* kind = find_index(*events, "events_kind");
  REQUIRE(pkey != nullptr);
  REQUIRE(kind != nullptr);
  CHECK(pkey->backs_constraint);
  CHECK_FALSE(kind->backs_constraint);
  REQUIRE(pkey->idx_scan.has_value());
  CHECK(*pkey->idx_scan >= 1);
  REQUIRE(kind->idx_scan.has_value());
  CHECK(*kind->idx_scan == 0);
  sandbox::require_clean(*session);
}

TEST_CASE("catalog: unique constraints back their index, a unique index alone does not", "[catalog_reader]")
{
  create_fixture();
  sandbox::admin_exec(R"(
SET ROLE advisor;
CREATE TABLE conn_test_catalog.parents (id int PRIMARY KEY, code text CONSTRAINT parents_code_key UNIQUE, tag text);
CREATE UNIQUE INDEX parents_tag_idx ON conn_test_catalog.parents (tag);
CREATE TABLE conn_test_catalog.children (id int PRIMARY KEY, parent_id int REFERENCES conn_test_catalog.parents (id));
)");
  auto session = sandbox::session();
  auto catalog = read_catalog(*session, {{k_schema, "parents"}});
  REQUIRE(catalog.ok());
  const auto& parents = catalog->tables.at(0);
  CHECK(find_index(parents, "parents_pkey")->backs_constraint);
  CHECK(find_index(parents, "parents_code_key")->backs_constraint);
  // A foreign key elsewhere points at parents_pkey; that does not make parents_tag_idx special.
  CHECK_FALSE(find_index(parents, "parents_tag_idx")->backs_constraint);
  sandbox::require_clean(*session);
}
