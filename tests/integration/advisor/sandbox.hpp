#pragma once
// The sandbox PostgreSQL for advisor tests (started by scripts/pg-sandbox; settings from
// .sandbox/env). A missing or unreachable server fails the test: it never skips.

#include <cstdlib>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "tests/support/cli_runner.hpp"
#include "tests/support/catch.hpp"

namespace sandbox {

inline std::string env(const char* name)
{
  const char* value = std::getenv(name);
  if (!value || !*value)
    FAIL(name << " is not set: start the sandbox with scripts/pg-sandbox start and source .sandbox/env");
  return value;
}

inline std::string test_dsn() { return env("PGADVISOR_TEST_DSN"); }
inline std::string admin_dsn() { return env("PGADVISOR_ADMIN_DSN"); }

//! Runs SQL as the superuser, outside any transaction block (CREATE INDEX CONCURRENTLY works).
inline pqxx::result admin(const std::string& sql)
{
  pqxx::connection conn(admin_dsn());
  pqxx::nontransaction tx(conn);
  return tx.exec(sql);
}

inline std::string admin_value(const std::string& sql)
{
  auto rows = admin(sql);
  REQUIRE(rows.size() == 1);
  return rows[0][0].is_null() ? std::string() : rows[0][0].c_str();
}

using test_support::CliRun;
using test_support::run;

}  // namespace sandbox
