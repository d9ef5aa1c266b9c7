#pragma once
// The sandbox server for the connector tests: DSNs from the environment (source
// .sandbox/env), failing, never skipping, when they are missing or the server is unreachable.

#include <cstdlib>
#include <memory>
#include <string>

#include <pqxx/pqxx>

#include "connectors/postgres/session.hpp"
#include "tests/support/catch.hpp"

namespace sandbox {

inline std::string env_dsn(const char* name)
{
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0')
    FAIL(std::string(name) + " is not set: run scripts/pg-sandbox start and source .sandbox/env");
  return value;
}

inline std::string test_dsn()
{
  return env_dsn("PGADVISOR_TEST_DSN");
}

inline std::string admin_dsn()
{
  return env_dsn("PGADVISOR_ADMIN_DSN");
}

//! A Session as the advisor role; FAILs with the connection error when it cannot connect.
inline std::unique_ptr<connectors::pg::Session> session(const connectors::pg::SessionSettings& settings = {})
{
  auto result = connectors::pg::Session::connect(test_dsn(), settings);
  if (!result)
    FAIL("sandbox unreachable: " + result.error().message);
  return std::move(result.value());
}

//! A superuser connection for setting up fixtures (and holding locks).
inline std::unique_ptr<pqxx::connection> admin()
{
  try {
    return std::make_unique<pqxx::connection>(admin_dsn());
  } catch (const std::exception& e) {
    FAIL(std::string("sandbox unreachable as admin: ") + e.what());
  }
  return nullptr;
}

//! Runs a (multi-statement) setup script as superuser, in one transaction.
inline void admin_exec(const std::string& sql)
{
  auto conn = admin();
  pqxx::work txn(*conn);
  txn.exec(sql);
  txn.commit();
}

//! A fresh schema owned by the advisor role: dropped (with everything in it) and recreated.
inline void recreate_schema(const std::string& schema)
{
  admin_exec("SET client_min_messages = warning; DROP SCHEMA IF EXISTS " + schema +
             " CASCADE; CREATE SCHEMA " + schema + " AUTHORIZATION advisor;");
}

inline long long count(pqxx::connection& conn, const std::string& query)
{
  pqxx::nontransaction txn(conn);
  return txn.exec1(query)[0].as<long long>();
}

//! The session is clean: no transaction open (statement_timestamp() equals now() only in the
//! first statement of a transaction), no prepared statement, no hypothetical index.
inline void require_clean(connectors::pg::Session& session)
{
  pqxx::nontransaction txn(session.conn());
  CHECK(txn.exec1("SELECT now() = statement_timestamp()")[0].as<bool>());
  CHECK(txn.exec1("SELECT count(*) FROM pg_prepared_statements")[0].as<long long>() == 0);
  // hypopg() is what the hypopg_list_indexes view reads; the view is not granted to advisor.
  CHECK(txn.exec1("SELECT count(*) FROM hypopg()")[0].as<long long>() == 0);
}

}  // namespace sandbox
