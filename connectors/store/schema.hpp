#pragma once
// The store's schema as numbered migrations. PRAGMA user_version records how many ran; each
// runs in its own transaction, so a crash leaves the database at a whole version.

#include <optional>
#include <span>
#include <string_view>

#include "connectors/store/sqlite_db.hpp"

namespace connectors::store {

//! Migration i (0-based) takes the schema from version i to i + 1.
std::span<const std::string_view> migrations();

//! The version this build writes.
int latest_schema_version();

//! Runs the migrations the database lacks. A database newer than this build is an error
//! (ErrorKind::refused): an older binary must not write into it.
std::optional<model::Error> migrate(Database& db);

//! PRAGMA user_version.
model::Result<int> schema_version(Database& db);

}  // namespace connectors::store
