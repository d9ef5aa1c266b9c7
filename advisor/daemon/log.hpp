#pragma once
// The daemon's log: short lines on stderr ("pgadvisor: prod: target is down (…); retrying in
// 5s"), filtered by daemon.log_level. Callers never pass a conninfo, only redacted ones.

#include <iosfwd>
#include <mutex>
#include <string>

namespace advisor::daemon {

enum class LogLevel { debug, info, warning, error };

//! "debug", "info", "warning", "error"; anything else reads as info.
LogLevel parse_log_level(const std::string& text);

class Log {
public:
  explicit Log(std::ostream& out, LogLevel level = LogLevel::info) : m_out(out), m_level(level) {}
  void set_level(LogLevel level) { m_level = level; }
  //! One line; `target` empty for the daemon itself. Safe from several threads (an index build
  //! runs beside the loop that keeps the watchdog fed).
  void write(LogLevel level, const std::string& target, const std::string& message);
  void debug(const std::string& target, const std::string& message) { write(LogLevel::debug, target, message); }
  void info(const std::string& target, const std::string& message) { write(LogLevel::info, target, message); }
  void warning(const std::string& target, const std::string& message) { write(LogLevel::warning, target, message); }
  void error(const std::string& target, const std::string& message) { write(LogLevel::error, target, message); }

private:
  std::ostream& m_out;
  LogLevel m_level;
  std::mutex m_mutex;
};

}  // namespace advisor::daemon
