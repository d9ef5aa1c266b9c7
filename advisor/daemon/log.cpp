#include "advisor/daemon/log.hpp"

#include <cstdlib>
#include <ostream>

namespace advisor::daemon {

LogLevel parse_log_level(const std::string& text)
{
  if (text == "debug")
    return LogLevel::debug;
  if (text == "warning")
    return LogLevel::warning;
  if (text == "error")
    return LogLevel::error;
  return LogLevel::info;
}

void Log::write(LogLevel level, const std::string& target, const std::string& message)
{
  if (level < m_level)
    return;
  const std::lock_guard<std::mutex> lock(m_mutex);
  // systemd's journal reads "<N>" prefixes as priorities; plain terminals just see them.
  // Under systemd (JOURNAL_STREAM set) a "<N>" prefix gives the journal the priority.
  static const bool journal = std::getenv("JOURNAL_STREAM") != nullptr;
  static constexpr const char* prefixes[] = {"<7>", "<6>", "<4>", "<3>"};
  if (journal)
    m_out << prefixes[static_cast<int>(level)];
  m_out << "pgadvisor: ";
  if (!target.empty())
    m_out << target << ": ";
  m_out << message << std::endl;
}

}  // namespace advisor::daemon
