#pragma once
// A thin RAII layer over the SQLite C API: one connection, prepared statements, errors as
// values. Every connection gets busy_timeout, WAL and foreign keys.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "model/result.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace connectors::store {

class Statement {
public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : m_db(db), m_stmt(stmt) {}
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  ~Statement();

  // Parameters are 1-based, as in SQL (?1, ?2…).
  Statement& bind(int index, const std::string& value);
  Statement& bind(int index, double value);
  Statement& bind(int index, std::int64_t value);
  Statement& bind_null(int index);

  //! Advances to the next row: true when there is one, false when done. Errors: the message
  //! of SQLite (e.g. "database or disk is full").
  model::Result<bool> step();
  //! Runs to completion (for statements without rows).
  std::optional<model::Error> run();
  void reset();

  std::string text(int column) const;
  double real(int column) const;
  std::int64_t integer(int column) const;
  bool is_null(int column) const;

private:
  sqlite3* m_db;
  sqlite3_stmt* m_stmt;
};

class Database {
public:
  //! Opens (creating it when absent, with mode 0600) the database at `path` and sets
  //! busy_timeout, journal_mode=WAL, synchronous=NORMAL, foreign_keys=ON.
  static model::Result<std::unique_ptr<Database>> open(const std::string& path, int busy_timeout_ms);

  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  //! Runs one or more statements without results.
  std::optional<model::Error> exec(const std::string& sql);
  model::Result<Statement> prepare(const std::string& sql);
  //! Rows changed by the last INSERT, UPDATE or DELETE.
  int changes();
  sqlite3* handle() { return m_db; }
  const std::string& path() const { return m_path; }

private:
  Database(sqlite3* db, std::string path) : m_db(db), m_path(std::move(path)) {}
  sqlite3* m_db;
  std::string m_path;
};

//! An error of kind `server` with SQLite's message for `db`, prefixed by `what`.
model::Error sqlite_error(sqlite3* db, const std::string& what);

}  // namespace connectors::store
