#include <algorithm>

#include "connectors/postgres/function_reader.hpp"
#include "tests/integration/connectors/sandbox.hpp"

namespace {

const model::FunctionInfo* overload(const model::ServerFeatures& features, const std::string& name,
                                    const std::vector<std::string>& args)
{
  for (const auto* f : features.overloads(name))
    if (f->argument_types == args)
      return f;
  return nullptr;
}

}  // namespace

TEST_CASE("function_reader: volatility of built-in overloads", "[function_reader]")
{
  auto session = sandbox::session();
  auto features = connectors::pg::read_server_features(*session, {"lower", "date_trunc", "random", "->>"});
  REQUIRE(features.ok());
  const auto* lower = overload(*features, "lower", {"text"});
  REQUIRE(lower != nullptr);
  CHECK(lower->volatility == model::Volatility::immutable);
  const auto* stable = overload(*features, "date_trunc", {"text", "timestamp with time zone"});
  REQUIRE(stable != nullptr);
  CHECK(stable->volatility == model::Volatility::stable);
  CHECK(stable->signature() == "date_trunc(text, timestamp with time zone)");
  const auto* immutable = overload(*features, "date_trunc", {"text", "timestamp without time zone"});
  REQUIRE(immutable != nullptr);
  CHECK(immutable->volatility == model::Volatility::immutable);
  const auto* random = overload(*features, "random", {});
  REQUIRE(random != nullptr);
  CHECK(random->volatility == model::Volatility::volatile_);
  const auto* arrow = overload(*features, "->>", {"jsonb", "text"});
  REQUIRE(arrow != nullptr);
  CHECK(arrow->volatility == model::Volatility::immutable);
  CHECK(features->overloads("no_such_function_xyz").empty());
  sandbox::require_clean(*session);
}

TEST_CASE("function_reader: user functions, extensions and the database collation", "[function_reader]")
{
  sandbox::recreate_schema("i3a_functions");
  sandbox::admin_exec("CREATE FUNCTION i3a_functions.slugify(t text) RETURNS text LANGUAGE sql IMMUTABLE "
                      "AS $$ SELECT lower(t) $$; "
                      "CREATE FUNCTION i3a_functions.today_of(t timestamptz) RETURNS date LANGUAGE sql STABLE "
                      "AS $$ SELECT t::date $$;");
  auto session = sandbox::session();
  auto features = connectors::pg::read_server_features(*session, {"slugify", "today_of"});
  REQUIRE(features.ok());
  const auto* slugify = overload(*features, "slugify", {"text"});
  REQUIRE(slugify != nullptr);
  CHECK(slugify->schema == "i3a_functions");
  CHECK(slugify->volatility == model::Volatility::immutable);
  const auto* today = overload(*features, "today_of", {"timestamp with time zone"});
  REQUIRE(today != nullptr);
  CHECK(today->volatility == model::Volatility::stable);

  auto admin = sandbox::admin();
  pqxx::nontransaction txn(*admin);
  CHECK(features->has_extension("hypopg") ==
        (txn.exec1("SELECT count(*) FROM pg_extension WHERE extname = 'hypopg'")[0].as<int>() == 1));
  CHECK(features->has_extension("plpgsql"));
  CHECK_FALSE(features->has_extension("no_such_extension"));
  CHECK(features->database_collation ==
        txn.exec1("SELECT datcollate FROM pg_database WHERE datname = current_database()")[0].as<std::string>());
  sandbox::admin_exec("DROP SCHEMA i3a_functions CASCADE");
}

TEST_CASE("function_reader: a dead connection is an error value, not an exception", "[function_reader]")
{
  auto session = sandbox::session();
  auto admin = sandbox::admin();
  {
    pqxx::nontransaction txn(*admin);
    txn.exec("SELECT pg_terminate_backend(" + std::to_string(session->conn().backendpid()) + ")");
  }
  auto features = connectors::pg::read_server_features(*session, {"lower"});
  REQUIRE_FALSE(features.ok());
  CHECK((features.error().kind == model::ErrorKind::unreachable || features.error().kind == model::ErrorKind::server));
}
