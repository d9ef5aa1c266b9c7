#pragma once
// Whether a recommended CREATE INDEX now exists on the target: what moves a recommendation
// from open to applied.

#include <string>
#include <vector>

#include "connectors/postgres/session.hpp"
#include "model/result.hpp"

namespace advisor::daemon {

//! True when `indexdef` (pg_get_indexdef) indexes the same table with the same access method
//! and key list as the recommended `ddl` (names, CONCURRENTLY, IF NOT EXISTS and spacing
//! ignored). Pure.
bool same_index(const std::string& ddl, const std::string& indexdef);

//! pg_get_indexdef of every valid index of the target's database.
model::Result<std::vector<std::string>> index_definitions(connectors::pg::Session& session);

}  // namespace advisor::daemon
