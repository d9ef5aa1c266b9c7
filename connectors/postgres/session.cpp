#include "connectors/postgres/session.hpp"

#include <utility>

namespace connectors::pg {

namespace {

//! libpq messages end with a newline and may span lines; one line reads better in a log.
std::string one_line(std::string text)
{
  while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
    text.pop_back();
  for (auto& c : text)
    if (c == '\n')
      c = ' ';
  return text;
}

}  // namespace

Session::Session(std::unique_ptr<pqxx::connection> conn, SessionSettings settings,
                 std::vector<std::string> secrets)
    : m_conn(std::move(conn)), m_settings(settings), m_secrets(std::move(secrets))
{
}

Session::~Session() = default;

model::Result<std::unique_ptr<Session>> Session::connect(const std::string& conninfo,
                                                         const SessionSettings& settings)
{
  auto secrets = conninfo_secrets(conninfo);
  const auto fail = [&](const std::string& what) {
    return model::make_error(model::ErrorKind::unreachable,
                             scrub_secrets((conninfo.empty() ? std::string("could not connect (PG* environment defaults)")
                                                             : "could not connect to \"" + redact_conninfo(conninfo) + "\"") +
                                               ": " + one_line(what),
                                           secrets),
                             "check the connection string, that the server runs, and the "
                             "password in ~/.pgpass or PGPASSFILE");
  };
  try {
    // fallback_application_name leaves an application_name chosen by the user in place.
    auto conn = std::make_unique<pqxx::connection>(with_fallback_application_name(conninfo, "pgadvisor"));
    // set_variable (not a bare SET) so libpqxx replays them if it ever reconnects.
    conn->set_variable("statement_timeout", std::to_string(settings.statement_timeout_ms));
    conn->set_variable("lock_timeout", std::to_string(settings.lock_timeout_ms));
    conn->set_variable("idle_in_transaction_session_timeout",
                       std::to_string(settings.idle_in_transaction_timeout_ms));
    return std::unique_ptr<Session>(new Session(std::move(conn), settings, std::move(secrets)));
  } catch (const pqxx::broken_connection& e) {
    return fail(e.what());
  } catch (const pqxx::sql_error& e) {
    return fail(e.what());
  } catch (const std::exception& e) {
    // libpqxx reports a malformed conninfo as a plain failure before any connection exists.
    return fail(e.what());
  }
}

int Session::server_version_num() const
{
  return m_conn->server_version();
}

bool Session::has_extension(const std::string& name)
{
  pqxx::nontransaction txn(*m_conn);
  const auto rows = txn.exec_params("SELECT 1 FROM pg_catalog.pg_extension WHERE extname = $1", name);
  return !rows.empty();
}

std::string Session::database()
{
  return m_conn->dbname();
}

}  // namespace connectors::pg
