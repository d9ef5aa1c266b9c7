#pragma once
// One libpq connection to a target database, with pgadvisor's safety settings applied. The
// only place that opens connections; everything else in connectors::pg borrows a Session.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <pqxx/pqxx>

#include "connectors/postgres/conninfo.hpp"
#include "model/result.hpp"

namespace connectors::pg {

struct SessionSettings {
  int statement_timeout_ms = 30000;
  int lock_timeout_ms = 2000;
  int idle_in_transaction_timeout_ms = 60000;
};

class Session {
public:
  //! Connects with libpq (key=value or postgresql:// URL; PG* variables and .pgpass apply as
  //! libpq defines them) and sets statement_timeout, lock_timeout and
  //! idle_in_transaction_session_timeout from `settings`; application_name is "pgadvisor"
  //! unless the conninfo or PGAPPNAME names one. Failure: ErrorKind::unreachable with libpq's
  //! message and the redacted conninfo; no password ever appears in the message.
  static model::Result<std::unique_ptr<Session>> connect(const std::string& conninfo,
                                                         const SessionSettings& settings = {});

  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  ~Session();

  //! The libpqxx connection. No transaction is open on it between calls of this module.
  pqxx::connection& conn() { return *m_conn; }
  const SessionSettings& settings() const { return m_settings; }
  //! e.g. 150004 for PostgreSQL 15.4.
  int server_version_num() const;
  //! True when the extension is installed in this database (pg_extension). Never creates it.
  //! Throws pqxx exceptions only when the connection is gone.
  bool has_extension(const std::string& name);
  std::string database();
  //! `text` without any password this session knows of: use on every message that may quote
  //! libpq or the server.
  std::string scrub(std::string text) const { return scrub_secrets(std::move(text), m_secrets); }

private:
  Session(std::unique_ptr<pqxx::connection> conn, SessionSettings settings,
          std::vector<std::string> secrets);

  std::unique_ptr<pqxx::connection> m_conn;
  SessionSettings m_settings;
  std::vector<std::string> m_secrets;  //!< passwords to scrub from messages
};

}  // namespace connectors::pg
