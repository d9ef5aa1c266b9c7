#include "connectors/systemd/notifier.hpp"

#include <cstdlib>
#include <ctime>
#include <unistd.h>

#ifdef PGADVISOR_WITH_SYSTEMD
#include <systemd/sd-daemon.h>
#else
#include <cstring>
#include <sys/socket.h>
#include <sys/un.h>
#endif

namespace connectors::systemd {

namespace {

#ifndef PGADVISOR_WITH_SYSTEMD
//! The protocol itself, for builds without libsystemd: one datagram to NOTIFY_SOCKET.
bool raw_notify(const std::string& message)
{
  const char* path = std::getenv("NOTIFY_SOCKET");
  if (!path || !*path)
    return false;
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const std::size_t length = std::strlen(path);
  if (length >= sizeof(address.sun_path))
    return false;
  std::memcpy(address.sun_path, path, length);
  if (address.sun_path[0] == '@')  // abstract namespace
    address.sun_path[0] = '\0';
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return false;
  const auto size = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + length);
  const bool ok = ::sendto(fd, message.data(), message.size(), MSG_NOSIGNAL,
                           reinterpret_cast<const sockaddr*>(&address), size) >= 0;
  ::close(fd);
  return ok;
}
#endif

std::optional<std::chrono::microseconds> read_watchdog()
{
#ifdef PGADVISOR_WITH_SYSTEMD
  std::uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0)
    return std::chrono::microseconds(usec);
  return std::nullopt;
#else
  const char* usec = std::getenv("WATCHDOG_USEC");
  if (!usec)
    return std::nullopt;
  if (const char* pid = std::getenv("WATCHDOG_PID"); pid && std::atol(pid) != ::getpid())
    return std::nullopt;
  const long long value = std::atoll(usec);
  if (value <= 0)
    return std::nullopt;
  return std::chrono::microseconds(value);
#endif
}

}  // namespace

Notifier::Notifier()
{
  const char* socket = std::getenv("NOTIFY_SOCKET");
  m_enabled = socket && *socket;
  m_watchdog = read_watchdog();
}

bool Notifier::send(const std::string& message)
{
  if (!m_enabled)
    return false;
#ifdef PGADVISOR_WITH_SYSTEMD
  return sd_notify(0, message.c_str()) > 0;
#else
  return raw_notify(message);
#endif
}

void Notifier::ready(const std::string& status)
{
  send(status.empty() ? std::string("READY=1") : std::string("READY=1\nSTATUS=") + status);
}

void Notifier::reloading()
{
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  const long long usec = static_cast<long long>(now.tv_sec) * 1'000'000 + now.tv_nsec / 1000;
  send(std::string("RELOADING=1\nMONOTONIC_USEC=") + std::to_string(usec));
}

void Notifier::stopping() { send("STOPPING=1"); }

void Notifier::watchdog() { send("WATCHDOG=1"); }

void Notifier::status(const std::string& text) { send(std::string("STATUS=") + text); }

}  // namespace connectors::systemd
