#pragma once
// The service manager's notification protocol (sd_notify): READY, RELOADING, STOPPING,
// WATCHDOG and STATUS messages. Does nothing when not started by systemd (no NOTIFY_SOCKET).

#include <chrono>
#include <optional>
#include <string>

namespace connectors::systemd {

class Notifier {
public:
  //! Reads NOTIFY_SOCKET and WATCHDOG_USEC/WATCHDOG_PID from the environment once.
  Notifier();

  bool enabled() const { return m_enabled; }
  //! The watchdog interval systemd expects pings within; nullopt when the watchdog is off.
  std::optional<std::chrono::microseconds> watchdog_interval() const { return m_watchdog; }

  void ready(const std::string& status = {});
  //! RELOADING=1 with MONOTONIC_USEC (systemd ≥ 253 requires it for Type=notify-reload).
  void reloading();
  void stopping();
  void watchdog();
  void status(const std::string& text);

  //! Sends one raw notification ("READY=1\nSTATUS=…"); false when it could not be delivered.
  bool send(const std::string& message);

private:
  bool m_enabled = false;
  std::optional<std::chrono::microseconds> m_watchdog;
};

}  // namespace connectors::systemd
