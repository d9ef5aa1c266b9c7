#include <cstdlib>

#include "connectors/postgres/session.hpp"
#include "tests/integration/connectors/sandbox.hpp"
#include "tests/support/catch.hpp"

using connectors::pg::Session;

namespace {

std::string show(Session& session, const std::string& setting)
{
  pqxx::nontransaction txn(session.conn());
  return txn.exec1("SHOW " + setting)[0].as<std::string>();
}

//! A loopback port nothing listens on: the sandbox port + 1 is not guaranteed free, so ask
//! for port 1, which an unprivileged server can never hold.
const std::string k_closed_port = "host=127.0.0.1 port=1 dbname=pgadvisor_test user=advisor connect_timeout=3";

}  // namespace

TEST_CASE("session: connects and applies the safety settings", "[session]")
{
  connectors::pg::SessionSettings settings;
  settings.statement_timeout_ms = 12345;
  settings.lock_timeout_ms = 678;
  settings.idle_in_transaction_timeout_ms = 45678;
  auto session = sandbox::session(settings);
  CHECK(show(*session, "statement_timeout") == "12345ms");
  CHECK(show(*session, "lock_timeout") == "678ms");
  CHECK(show(*session, "idle_in_transaction_session_timeout") == "45678ms");
  CHECK(show(*session, "application_name") == "pgadvisor");
  CHECK(session->database() == "pgadvisor_test");
  CHECK(session->server_version_num() >= 130000);
  sandbox::require_clean(*session);
}

TEST_CASE("session: keeps an application_name the user chose", "[session]")
{
  auto result = Session::connect(sandbox::test_dsn() + " application_name=mytool");
  REQUIRE(result.ok());
  CHECK(show(**result, "application_name") == "mytool");
}

TEST_CASE("session: has_extension reads pg_extension", "[session]")
{
  auto session = sandbox::session();
  CHECK(session->has_extension("hypopg"));
  CHECK(session->has_extension("plpgsql"));
  CHECK_FALSE(session->has_extension("no_such_extension"));
}

TEST_CASE("session: accepts a postgresql:// URL", "[session]")
{
  const char* port = std::getenv("PGADVISOR_SANDBOX_PORT");
  REQUIRE(port != nullptr);
  auto result = Session::connect(std::string("postgresql://advisor@127.0.0.1:") + port + "/pgadvisor_test");
  REQUIRE(result.ok());
  CHECK((*result)->database() == "pgadvisor_test");
  CHECK(show(**result, "application_name") == "pgadvisor");
}

TEST_CASE("session: server down is unreachable", "[session]")
{
  auto result = Session::connect(k_closed_port + " password=s3cretPassw0rd");
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().kind == model::ErrorKind::unreachable);
  CHECK(result.error().message.find("port=1") != std::string::npos);
  CHECK(result.error().message.find("s3cretPassw0rd") == std::string::npos);
  CHECK(result.error().hint.find("s3cretPassw0rd") == std::string::npos);
}

TEST_CASE("session: a wrong password is unreachable and never echoed", "[session]")
{
  const std::string password = "WrongPassword-4242";
  auto key_value = Session::connect(sandbox::test_dsn() + " password=" + password);
  REQUIRE_FALSE(key_value.ok());
  CHECK(key_value.error().kind == model::ErrorKind::unreachable);
  CHECK(key_value.error().message.find("password authentication failed") != std::string::npos);
  CHECK(key_value.error().message.find(password) == std::string::npos);

  const char* port = std::getenv("PGADVISOR_SANDBOX_PORT");
  REQUIRE(port != nullptr);
  auto url = Session::connect(std::string("postgresql://advisor:") + password + "@127.0.0.1:" + port +
                              "/pgadvisor_test");
  REQUIRE_FALSE(url.ok());
  CHECK(url.error().kind == model::ErrorKind::unreachable);
  CHECK(url.error().message.find(password) == std::string::npos);
  CHECK(url.error().message.find("advisor:***@") != std::string::npos);
}

TEST_CASE("session: redact_conninfo hides every password form", "[session]")
{
  using connectors::pg::redact_conninfo;
  CHECK(redact_conninfo("host=h password=abc user=u") == "host=h password=*** user=u");
  CHECK(redact_conninfo("host=h password = 'a b\\'c' user=u") == "host=h password = *** user=u");
  CHECK(redact_conninfo("postgresql://u:p%40ss@h:5432/db") == "postgresql://u:***@h:5432/db");
  CHECK(redact_conninfo("postgresql://u@h/db?sslmode=require&password=xyz") ==
        "postgresql://u@h/db?sslmode=require&password=***");
  CHECK(redact_conninfo("host=h dbname=d") == "host=h dbname=d");
  CHECK(redact_conninfo("host=h password='unterminated").find("unterminated") == std::string::npos);
  const auto secrets = connectors::pg::conninfo_secrets("postgresql://u:p%40ss@h/db");
  CHECK(connectors::pg::scrub_secrets("bad p@ss and p%40ss", secrets) == "bad *** and ***");
}
