// Table snapshots and stored plans for the root-cause hypotheses: rows in and out, the
// "before" selection (latest at or before, else the earliest), pruning, the other plan.

#include "connectors/store/evidence_store.hpp"
#include "tests/unit/connectors/store_support.hpp"

namespace {

namespace store = connectors::store;

model::TableCounters counters(const std::string& schema, const std::string& name, std::int64_t live)
{
  model::TableCounters t;
  t.schema = schema;
  t.name = name;
  t.n_live_tup = live;
  t.n_dead_tup = 7;
  t.n_mod_since_analyze = 11;
  t.n_tup_ins = 100;
  t.n_tup_upd = 20;
  t.n_tup_del = 3;
  t.analyze_count = 2;
  t.autoanalyze_count = 5;
  return t;
}

std::int64_t count_rows(store::Database& db, const std::string& table)
{
  auto stmt = db.prepare("SELECT count(*) FROM " + table);
  REQUIRE(stmt.ok());
  REQUIRE(stmt->step().value());
  return stmt->integer(0);
}

}  // namespace

TEST_CASE("evidence store: snapshots keep cumulative writes and analyses per table", "[evidence_store]")
{
  store_test::TempStore t;
  auto& db = t.store->database();
  REQUIRE_FALSE(store::record_table_snapshots(db, "prod", 1000, {counters("shop", "orders", 5000),
                                                                 counters("shop", "customers", 300)}));
  CHECK(count_rows(db, "table_snapshots") == 2);

  auto got = store::table_snapshot_before(db, "prod", "shop", "orders", 1000);
  REQUIRE(got.ok());
  REQUIRE(got->has_value());
  const auto& s = **got;
  CHECK(s.target == "prod");
  CHECK(s.schema_name == "shop");
  CHECK(s.table_name == "orders");
  CHECK(s.at == 1000);
  CHECK(s.n_live_tup == 5000);
  CHECK(s.n_dead_tup == 7);
  CHECK(s.n_mod_since_analyze == 11);
  CHECK(s.writes == 123);        // 100 inserted + 20 updated + 3 deleted
  CHECK(s.analyze_count == 7);  // 2 manual + 5 auto
}

TEST_CASE("evidence store: the same table and time is replaced, not duplicated", "[evidence_store]")
{
  store_test::TempStore t;
  auto& db = t.store->database();
  REQUIRE_FALSE(store::record_table_snapshots(db, "prod", 1000, {counters("shop", "orders", 5000)}));
  REQUIRE_FALSE(store::record_table_snapshots(db, "prod", 1000, {counters("shop", "orders", 6000)}));
  CHECK(count_rows(db, "table_snapshots") == 1);
  auto got = store::table_snapshot_before(db, "prod", "shop", "orders", 2000);
  REQUIRE(got.ok());
  REQUIRE(got->has_value());
  CHECK((*got)->n_live_tup == 6000);
}

TEST_CASE("evidence store: before picks the latest at or before, else the earliest", "[evidence_store]")
{
  store_test::TempStore t;
  auto& db = t.store->database();
  for (double at : {1000.0, 2000.0, 3000.0})
    REQUIRE_FALSE(
        store::record_table_snapshots(db, "prod", at, {counters("shop", "orders", static_cast<std::int64_t>(at))}));
  // Another target and another table never leak in.
  REQUIRE_FALSE(store::record_table_snapshots(db, "other", 2500, {counters("shop", "orders", 1)}));
  REQUIRE_FALSE(store::record_table_snapshots(db, "prod", 2500, {counters("shop", "customers", 1)}));

  auto at_or_before = [&](double at) {
    auto got = store::table_snapshot_before(db, "prod", "shop", "orders", at);
    REQUIRE(got.ok());
    REQUIRE(got->has_value());
    return (*got)->at;
  };
  CHECK(at_or_before(2000) == 2000);  // exactly at
  CHECK(at_or_before(2999) == 2000);  // the latest before
  CHECK(at_or_before(9999) == 3000);
  CHECK(at_or_before(10) == 1000);    // nothing that old: the earliest one

  auto none = store::table_snapshot_before(db, "prod", "shop", "missing", 2000);
  REQUIRE(none.ok());
  CHECK_FALSE(none->has_value());
}

TEST_CASE("evidence store: prune deletes only the snapshots older than the cut", "[evidence_store]")
{
  store_test::TempStore t;
  auto& db = t.store->database();
  for (double at : {1000.0, 2000.0, 3000.0})
    REQUIRE_FALSE(store::record_table_snapshots(db, "prod", at, {counters("shop", "orders", 1)}));
  REQUIRE_FALSE(store::prune_table_snapshots(db, 2000));
  CHECK(count_rows(db, "table_snapshots") == 2);
  auto got = store::table_snapshot_before(db, "prod", "shop", "orders", 1500);
  REQUIRE(got.ok());
  REQUIRE(got->has_value());
  CHECK((*got)->at == 2000);  // 1000 is gone: the earliest left
}

TEST_CASE("evidence store: a snapshot into a full transaction rolls back with it", "[evidence_store]")
{
  store_test::TempStore t;
  auto& db = t.store->database();
  auto error = t.store->transaction([&]() -> std::optional<model::Error> {
    if (auto e = store::record_table_snapshots(db, "prod", 1000, {counters("shop", "orders", 1)}))
      return e;
    return model::make_error(model::ErrorKind::internal, "the cycle failed later");
  });
  REQUIRE(error);
  CHECK(count_rows(db, "table_snapshots") == 0);
}

TEST_CASE("evidence store: stored plan by hash and the most recent other plan", "[evidence_store]")
{
  store_test::TempStore t;
  auto& s = *t.store;
  auto& db = s.database();
  REQUIRE(s.record_plan("prod", "42", "aaaa", R"([{"Plan":{"Node Type":"Index Scan"}}])", 1000).ok());
  REQUIRE(s.record_plan("prod", "42", "bbbb", R"([{"Plan":{"Node Type":"Seq Scan"}}])", 2000).ok());
  REQUIRE(s.record_plan("prod", "42", "aaaa", R"([{"Plan":{"Node Type":"Index Scan"}}])", 3000).ok());
  REQUIRE(s.record_plan("prod", "7", "cccc", "[]", 4000).ok());   // another fingerprint
  REQUIRE(s.record_plan("other", "42", "dddd", "[]", 5000).ok()); // another target

  auto a = store::stored_plan(db, "prod", "42", "aaaa");
  REQUIRE(a.ok());
  REQUIRE(a->has_value());
  CHECK((*a)->plan_json.find("Index Scan") != std::string::npos);
  CHECK((*a)->first_seen_at == 1000);
  CHECK((*a)->last_seen_at == 3000);
  auto missing = store::stored_plan(db, "prod", "42", "zzzz");
  REQUIRE(missing.ok());
  CHECK_FALSE(missing->has_value());

  // The current plan recorded already (bbbb is current): the other is aaaa.
  auto other = store::latest_other_plan(db, "prod", "42", "bbbb");
  REQUIRE(other.ok());
  REQUIRE(other->has_value());
  CHECK((*other)->plan_hash == "aaaa");
  // The current plan not recorded yet: the most recently seen of all, whatever its hash.
  auto before_recording = store::latest_other_plan(db, "prod", "42", "eeee");
  REQUIRE(before_recording.ok());
  REQUIRE(before_recording->has_value());
  CHECK((*before_recording)->plan_hash == "aaaa");
  auto from_a = store::latest_other_plan(db, "prod", "42", "aaaa");
  REQUIRE(from_a.ok());
  REQUIRE(from_a->has_value());
  CHECK((*from_a)->plan_hash == "bbbb");
  // One plan only: no other.
  auto single = store::latest_other_plan(db, "prod", "7", "cccc");
  REQUIRE(single.ok());
  CHECK_FALSE(single->has_value());
}
