#include "connectors/store/sqlite_db.hpp"

#include <cstring>
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

namespace connectors::store {

namespace {

//! SQLite's message, plus the system's reason when there is one ("disk I/O error" alone does
//! not say that the disk is full).
std::string describe(sqlite3* db, const std::string& message)
{
  const int err = db ? sqlite3_system_errno(db) : 0;
  return err != 0 ? message + " (" + std::strerror(err) + ")" : message;
}

}  // namespace

model::Error sqlite_error(sqlite3* db, const std::string& what)
{
  return model::make_error(model::ErrorKind::server,
                           what + ": " + describe(db, db ? sqlite3_errmsg(db) : "out of memory"));
}

Statement::Statement(Statement&& other) noexcept : m_db(other.m_db), m_stmt(other.m_stmt)
{
  other.m_stmt = nullptr;
}

Statement::~Statement()
{
  if (m_stmt)
    sqlite3_finalize(m_stmt);
}

Statement& Statement::bind(int index, const std::string& value)
{
  sqlite3_bind_text(m_stmt, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::bind(int index, double value)
{
  sqlite3_bind_double(m_stmt, index, value);
  return *this;
}

Statement& Statement::bind(int index, std::int64_t value)
{
  sqlite3_bind_int64(m_stmt, index, value);
  return *this;
}

Statement& Statement::bind_null(int index)
{
  sqlite3_bind_null(m_stmt, index);
  return *this;
}

model::Result<bool> Statement::step()
{
  const int rc = sqlite3_step(m_stmt);
  if (rc == SQLITE_ROW)
    return true;
  if (rc == SQLITE_DONE)
    return false;
  return sqlite_error(m_db, "store");
}

std::optional<model::Error> Statement::run()
{
  for (;;) {
    auto row = step();
    if (!row)
      return row.error();
    if (!*row)
      return std::nullopt;
  }
}

void Statement::reset()
{
  sqlite3_reset(m_stmt);
  sqlite3_clear_bindings(m_stmt);
}

std::string Statement::text(int column) const
{
  const auto* data = sqlite3_column_text(m_stmt, column);
  if (!data)
    return {};
  return std::string(reinterpret_cast<const char*>(data), static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column)));
}

double Statement::real(int column) const { return sqlite3_column_double(m_stmt, column); }

std::int64_t Statement::integer(int column) const { return sqlite3_column_int64(m_stmt, column); }

bool Statement::is_null(int column) const { return sqlite3_column_type(m_stmt, column) == SQLITE_NULL; }

model::Result<std::unique_ptr<Database>> Database::open(const std::string& path, int busy_timeout_ms)
{
  // Create the file ourselves first so that it is 0600 whatever the umask: it holds query texts.
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    return model::make_error(model::ErrorKind::not_found, "cannot open the state file " + path);
  ::close(fd);

  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                 nullptr);
  if (rc != SQLITE_OK) {
    auto error = sqlite_error(db, "cannot open the state file " + path);
    sqlite3_close(db);
    return error;
  }
  std::unique_ptr<Database> database(new Database(db, path));
  sqlite3_busy_timeout(db, busy_timeout_ms);
  // auto_vacuum only takes effect on an empty database; on an existing one it is a no-op.
  if (auto error = database->exec("PRAGMA auto_vacuum = INCREMENTAL; PRAGMA journal_mode = WAL;"
                                  " PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;"))
    return *error;
  return database;
}

Database::~Database() { sqlite3_close(m_db); }

int Database::changes() { return sqlite3_changes(m_db); }

std::optional<model::Error> Database::exec(const std::string& sql)
{
  char* message = nullptr;
  if (sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &message) == SQLITE_OK)
    return std::nullopt;
  std::string text = describe(m_db, message ? message : sqlite3_errmsg(m_db));
  sqlite3_free(message);
  return model::make_error(model::ErrorKind::server, "store " + m_path + ": " + text);
}

model::Result<Statement> Database::prepare(const std::string& sql)
{
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(m_db, sql.c_str(), static_cast<int>(sql.size()), &stmt, nullptr) != SQLITE_OK)
    return sqlite_error(m_db, "store: cannot prepare");
  return Statement(m_db, stmt);
}

}  // namespace connectors::store
