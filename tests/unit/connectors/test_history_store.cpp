// The SQLite history: schema migrations, windows with hourly roll-ups, plans, retention.

#include <cmath>
#include <sys/stat.h>

#include "connectors/store/schema.hpp"
#include "tests/unit/connectors/store_support.hpp"

namespace {

connectors::store::WindowRecord window(const std::string& fingerprint, double end, double calls, double mean,
                                       double stddev)
{
  connectors::store::WindowRecord w;
  w.target = "prod";
  w.fingerprint = fingerprint;
  w.start_at = end - 60;
  w.end_at = end;
  w.calls = calls;
  w.total_ms = calls * mean;
  w.mean_ms = mean;
  w.stddev_ms = stddev;
  w.rows = calls;
  return w;
}

}  // namespace

TEST_CASE("store: a new store is migrated to the latest schema, WAL, mode 0600", "[store]")
{
  store_test::TempStore t;
  CHECK(t.store->schema_version().value() == connectors::store::latest_schema_version());
  auto mode = t.store->database().prepare("PRAGMA journal_mode");
  REQUIRE(mode.ok());
  REQUIRE(mode->step().value());
  CHECK(mode->text(0) == "wal");
  struct stat info {};
  REQUIRE(::stat(t.path.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);
  CHECK(t.store->integrity_ok().value());

  // Opening again runs nothing twice.
  auto again = connectors::store::HistoryStore::open(t.path);
  REQUIRE(again.ok());
  CHECK((*again)->schema_version().value() == connectors::store::latest_schema_version());
}

TEST_CASE("store: a store from a newer pgadvisor is refused, not written", "[store]")
{
  store_test::TempStore t;
  REQUIRE_FALSE(t.store->database().exec("PRAGMA user_version = 99"));
  t.store.reset();
  auto opened = connectors::store::HistoryStore::open(t.path);
  REQUIRE_FALSE(opened.ok());
  CHECK(opened.error().kind == model::ErrorKind::refused);
  CHECK(opened.error().message.find("schema version 99") != std::string::npos);
}

TEST_CASE("store: windows come back oldest first, limited to the most recent", "[store]")
{
  store_test::TempStore t;
  std::vector<connectors::store::WindowRecord> windows;
  for (int i = 1; i <= 5; ++i)
    windows.push_back(window("q1", 1000.0 + 60 * i, i, 2.0 * i, 0.5));
  windows.push_back(window("q2", 1060, 3, 1, 0));
  REQUIRE_FALSE(t.store->add_windows(windows));
  auto last = t.store->windows("prod", "q1", 3);
  REQUIRE(last.ok());
  REQUIRE(last->size() == 3);
  CHECK(last->front().end_at == 1180);
  CHECK(last->back().end_at == 1300);
  CHECK(last->back().calls == 5);
  CHECK(last->back().mean_ms == 10);
  auto active = t.store->active_fingerprints("prod", 1250);
  REQUIRE(active.ok());
  CHECK(*active == std::vector<std::string>{"q1"});
}

TEST_CASE("store: the hourly roll-up sums calls and time and keeps a correct stddev", "[store]")
{
  store_test::TempStore t;
  // Two windows in the same hour: 10 calls at 2 ms (sd 1), 30 calls at 6 ms (sd 2).
  const double hour = 3600.0 * 1000;
  REQUIRE_FALSE(t.store->add_windows({window("q", hour + 60, 10, 2, 1), window("q", hour + 120, 30, 6, 2)}));
  auto hourly = t.store->hourly("prod", "q");
  REQUIRE(hourly.ok());
  REQUIRE(hourly->size() == 1);
  CHECK(hourly->front().hour == hour);
  CHECK(hourly->front().calls == 40);
  CHECK(hourly->front().total_ms == Approx(200));
  // Pooled: E[x²] = (10·(1+4) + 30·(4+36)) / 40 = 31.25; mean 5; variance 6.25.
  CHECK(hourly->front().stddev_ms == Approx(2.5));
}

TEST_CASE("store: retention drops old windows but keeps their hourly roll-up", "[store]")
{
  store_test::TempStore t;
  const double day = 86400;
  const double now = 100 * day;
  REQUIRE_FALSE(t.store->add_windows({window("q", now - 10 * day, 5, 1, 0), window("q", now - 60, 5, 1, 0)}));
  REQUIRE_FALSE(t.store->add_event({now - 100 * day, "prod", "old", "an old event"}));
  REQUIRE_FALSE(t.store->prune(now, 7 * day, 90 * day));
  CHECK(t.store->windows("prod", "q", 10)->size() == 1);
  CHECK(t.store->hourly("prod", "q")->size() == 2);
  CHECK(t.store->events("prod", 10)->empty());
  REQUIRE_FALSE(t.store->prune(now + 200 * day, 7 * day, 90 * day));
  CHECK(t.store->hourly("prod", "q")->empty());
  CHECK(t.store->integrity_ok().value());
}

TEST_CASE("store: a plan hash is new once per fingerprint", "[store]")
{
  store_test::TempStore t;
  CHECK(t.store->record_plan("prod", "q", "aaaa", "[]", 10).value());
  CHECK_FALSE(t.store->record_plan("prod", "q", "aaaa", "[]", 20).value());
  CHECK(t.store->record_plan("prod", "q", "bbbb", "[]", 30).value());
  CHECK(t.store->record_plan("prod", "other", "aaaa", "[]", 30).value());
  auto plans = t.store->plans("prod", "q");
  REQUIRE(plans.ok());
  REQUIRE(plans->size() == 2);
  CHECK(plans->front().plan_hash == "aaaa");
}

TEST_CASE("store: a failed transaction leaves nothing behind", "[store]")
{
  store_test::TempStore t;
  auto error = t.store->transaction([&]() -> std::optional<model::Error> {
    if (auto e = t.store->add_windows({window("q", 100, 1, 1, 0)}))
      return e;
    return model::make_error(model::ErrorKind::internal, "abandoned");
  });
  REQUIRE(error);
  CHECK(t.store->windows("prod", "q", 10)->empty());
  CHECK(t.store->hourly("prod", "q")->empty());
}

TEST_CASE("store: statement texts and baselines are kept per target", "[store]")
{
  store_test::TempStore t;
  REQUIRE_FALSE(t.store->put_statement("prod", "42", "SELECT $1", 1));
  CHECK(t.store->statement("prod", "42").value() == std::optional<std::string>("SELECT $1"));
  CHECK_FALSE(t.store->statement("staging", "42").value().has_value());
  REQUIRE_FALSE(t.store->save_baseline("prod", 5, "{\"version\":1}"));
  REQUIRE_FALSE(t.store->save_baseline("prod", 6, "{\"version\":2}"));
  CHECK(t.store->baseline("prod").value() == std::optional<std::string>("{\"version\":2}"));
}

TEST_CASE("store: a version 1 store migrates to version 2 with its recommendations", "[store]")
{
  const std::string path = "/tmp/pgadvisor-store-v1-" + std::to_string(::getpid()) + ".db";
  for (const char* suffix : {"", "-wal", "-shm"})
    std::remove((path + suffix).c_str());
  {
    auto db = connectors::store::Database::open(path, 5000);
    REQUIRE(db.ok());
    REQUIRE_FALSE((*db)->exec(std::string(connectors::store::migrations()[0]) + "\nPRAGMA user_version = 1;"));
    REQUIRE_FALSE((*db)->exec("INSERT INTO recommendations VALUES ('r1', 'prod', 'create_index', 'CREATE INDEX …',"
                              " 'applied', 5, 10, 'q1', '{}', 'a', 'b', 'c')"));
  }
  auto store = connectors::store::HistoryStore::open(path);
  REQUIRE(store.ok());
  CHECK((*store)->schema_version().value() == connectors::store::latest_schema_version());
  auto& db = (*store)->database();
  auto stmt = db.prepare("SELECT id, status, applied_at IS NULL, verification FROM recommendations");
  REQUIRE(stmt.ok());
  REQUIRE(stmt->step().value());
  CHECK(stmt->text(0) == "r1");
  CHECK(stmt->text(1) == "applied");
  CHECK(stmt->integer(2) == 1);
  CHECK(stmt->text(3).empty());
  // The new status is allowed now; the CHECK still refuses anything else.
  CHECK_FALSE(db.exec("UPDATE recommendations SET status = 'no_effect'"));
  CHECK(db.exec("UPDATE recommendations SET status = 'bogus'").has_value());
  store->reset();
  for (const char* suffix : {"", "-wal", "-shm"})
    std::remove((path + suffix).c_str());
}

TEST_CASE("store: windows between two times leave out the ones straddling either end", "[store]")
{
  store_test::TempStore t;
  REQUIRE_FALSE(t.store->add_windows({window("q", 1060, 10, 1, 0), window("q", 1120, 10, 1, 0),
                                      window("q", 1180, 10, 1, 0), window("other", 1120, 5, 1, 0)}));
  auto inside = t.store->windows_between("prod", "q", 1000, 1150);
  REQUIRE(inside.ok());
  REQUIRE(inside->size() == 2);
  CHECK(inside->front().end_at == 1060);
  CHECK(inside->back().end_at == 1120);
  auto after = t.store->windows_between("prod", "q", 1090, 1e18);
  REQUIRE(after.ok());
  REQUIRE(after->size() == 1);  // 1060-1120 straddles 1090
  CHECK(after->front().end_at == 1180);
}
