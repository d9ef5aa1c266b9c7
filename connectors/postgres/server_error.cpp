#include "connectors/postgres/server_error.hpp"

#include <pqxx/pqxx>

#include "connectors/postgres/session.hpp"

namespace connectors::pg {

std::string server_message(const std::string& what)
{
  std::string text = what.substr(0, what.find('\n'));
  for (const std::string prefix : {"ERROR:  ", "FATAL:  "})
    if (text.rfind(prefix, 0) == 0)
      text.erase(0, prefix.size());
  while (!text.empty() && text.back() == ' ')
    text.pop_back();
  return text;
}

model::Error current_exception_to_error(const Session& session, const ErrorContext& context)
{
  using model::ErrorKind;
  const auto make = [&](ErrorKind kind, const std::string& message, const std::string& hint = {}) {
    return model::make_error(kind, session.scrub(message), session.scrub(hint));
  };
  try {
    throw;
  } catch (const pqxx::broken_connection& e) {
    return make(ErrorKind::unreachable, "the connection to the server was lost: " + server_message(e.what()));
  } catch (const pqxx::sql_error& e) {
    const auto& state = e.sqlstate();
    const auto message = server_message(e.what());
    if (state == "57014")
      return make(ErrorKind::server,
                  "canceled: the query ran longer than statement_timeout (" +
                      std::to_string(context.statement_timeout_ms) + " ms)",
                  "raise statement_timeout or explain without ANALYZE");
    if (state == "55P03")
      return make(ErrorKind::server,
                  "could not get a lock within lock_timeout (" + std::to_string(context.lock_timeout_ms) +
                      " ms) on " + (context.relations.empty() ? "a relation of the query" : context.relations),
                  "another session holds a conflicting lock; retry later");
    if (state == "42P01" || state == "42703" || state == "42883" || state == "3F000" || state == "42704")
      return make(ErrorKind::not_found, message);
    if (state.rfind("42", 0) == 0 && state != "42501")
      return make(ErrorKind::invalid_input, message);
    return make(ErrorKind::server, message);
  } catch (const pqxx::usage_error& e) {
    return make(ErrorKind::internal, e.what());
  } catch (const std::exception& e) {
    return make(ErrorKind::server, server_message(e.what()));
  }
}

}  // namespace connectors::pg
