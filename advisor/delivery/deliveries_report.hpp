#pragma once
// The outbox as `pgadvisor recommendations --deliveries` shows it: one line per delivery,
// newest first, dead letters easy to spot.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "connectors/store/outbox_store.hpp"

namespace advisor::delivery {

//! A table: state, attempts, last status, event, recommendation id, delivery id, endpoint,
//! queued and next-attempt times (UTC), and the last error. "No deliveries." when empty.
std::string deliveries_text(const std::vector<connectors::store::OutboxRow>& rows);

//! The same as JSON objects (no payload: it can be large; ask the store for it).
nlohmann::ordered_json deliveries_json(const std::vector<connectors::store::OutboxRow>& rows);

}  // namespace advisor::delivery
