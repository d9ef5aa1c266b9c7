#include "advisor/config/config_keys.hpp"

#include <array>

namespace advisor::config {

namespace {

// Keep the order: it is the order of the example file and of --show-config.
constexpr std::array keys{
    KeySpec{"daemon", "interval", KeyType::duration, "60s", true,
            "time between two sampling cycles"},
    KeySpec{"daemon", "state", KeyType::path, "/var/lib/pgadvisor/pgadvisor.db", false,
            "SQLite history and recommendations store"},
    KeySpec{"daemon", "output", KeyType::path, "/var/lib/pgadvisor/recommendations.json", true,
            "recommendations file, replaced atomically after every cycle"},
    KeySpec{"daemon", "log_level", KeyType::choice, "info", true, "least severe log line written",
            "debug|info|warning|error"},
    KeySpec{"daemon", "shutdown_timeout", KeyType::duration, "10s", true,
            "on SIGTERM, how long a running cycle may take before it is abandoned"},
    KeySpec{"daemon", "retry_initial", KeyType::duration, "5s", true,
            "first wait before reconnecting to a target that is down"},
    KeySpec{"daemon", "retry_max", KeyType::duration, "5m", true,
            "cap of the exponential backoff between reconnection attempts"},
    KeySpec{"daemon", "max_tracked_statements", KeyType::integer, "20000", false,
            "statements kept in memory per target (LRU); bounds the daemon's memory"},
    KeySpec{"daemon", "raw_retention", KeyType::duration, "7d", true,
            "how long per-cycle windows are kept"},
    KeySpec{"daemon", "hourly_retention", KeyType::duration, "90d", true,
            "how long hourly roll-ups, findings and events are kept"},
    KeySpec{"analysis", "max_analyses", KeyType::integer, "10", true,
            "statements analysed per target and cycle, at most"},
    KeySpec{"analysis", "top", KeyType::integer, "10", true,
            "the statements with the most total time in a window are analysed"},
    KeySpec{"analysis", "mean_threshold", KeyType::duration, "100ms", true,
            "a statement whose mean time exceeds this is analysed"},
    KeySpec{"analysis", "min_calls", KeyType::integer, "5", true,
            "calls a window needs before its mean counts for regression and thresholds"},
    KeySpec{"analysis", "regression_ratio", KeyType::number, "2", true,
            "a window mean this many times the statement's baseline is a regression"},
    KeySpec{"analysis", "trend_windows", KeyType::integer, "12", true,
            "windows the trend is fitted over"},
    KeySpec{"analysis", "trend_horizon", KeyType::duration, "7d", true,
            "a trend that will cross mean_threshold within this horizon is analysed"},
    KeySpec{"analysis", "explain_analyze", KeyType::boolean, "on", true,
            "run EXPLAIN ANALYZE (read-only statements, rolled back); off: plain EXPLAIN"},
    KeySpec{"analysis", "statement_timeout", KeyType::duration, "30s", true,
            "statement_timeout of pgadvisor's own sessions"},
    KeySpec{"analysis", "lock_timeout", KeyType::duration, "2s", true,
            "lock_timeout of pgadvisor's own sessions"},
    KeySpec{"webhook", "url", KeyType::string, "", true, "where recommendations are posted; empty: none"},
    KeySpec{"webhook", "secret_file", KeyType::path, "", true,
            "HMAC-SHA256 key of the signature (e.g. a systemd credential)"},
    KeySpec{"webhook", "format", KeyType::choice, "json", true, "body format", "json|slack|jira"},
    KeySpec{"webhook", "timeout", KeyType::duration, "10s", true, "time allowed for one delivery"},
    KeySpec{"webhook", "max_age", KeyType::duration, "24h", true,
            "undelivered messages older than this are dropped"},
    KeySpec{"auto_apply", "enabled", KeyType::boolean, "off", true,
            "apply low-risk recommendations of the listed kinds without a human (the target's role must own the tables)"},
    KeySpec{"auto_apply", "max_index_bytes", KeyType::integer, "1G", true,
            "largest index auto_apply may create"},
    KeySpec{"auto_apply", "window", KeyType::string, "", true,
            "local time range when auto_apply may run, e.g. 02:00-05:00; empty: any time"},
    KeySpec{"auto_apply", "kinds", KeyType::string, "", true,
            "recommendation kinds auto_apply may apply: create_index, analyze; empty: none"},
    KeySpec{"auto_apply", "lock_timeout", KeyType::duration, "5s", true,
            "lock_timeout of a build; CREATE INDEX CONCURRENTLY also waits this long for older transactions"},
    KeySpec{"verification", "min_calls", KeyType::integer, "100", true,
            "calls needed before and after a change to judge it"},
    KeySpec{"verification", "improvement_ratio", KeyType::number, "1.5", true,
            "verified: the mean time before is at least this many times the mean after"},
    KeySpec{"verification", "regression_ratio", KeyType::number, "1.2", true,
            "regressed: the mean time after is at least this many times the mean before"},
    KeySpec{"verification", "write_slowdown_ratio", KeyType::number, "1.2", true,
            "a write on the changed table this many times slower counts against the change"},
};

}  // namespace

const char* to_string(KeyType type)
{
  switch (type) {
  case KeyType::string: return "string";
  case KeyType::path: return "path";
  case KeyType::duration: return "duration";
  case KeyType::integer: return "integer";
  case KeyType::number: return "number";
  case KeyType::boolean: return "boolean";
  case KeyType::choice: return "choice";
  }
  return "unknown";
}

std::span<const KeySpec> key_table() { return keys; }

const KeySpec* find_key(std::string_view section, std::string_view name)
{
  for (const auto& key : keys)
    if (key.section == section && key.name == name)
      return &key;
  return nullptr;
}

std::string full_name(const KeySpec& key)
{
  return std::string(key.section) + "." + std::string(key.name);
}

}  // namespace advisor::config
