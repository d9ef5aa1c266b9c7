#pragma once
// The receiving end of the systemd notify protocol for the daemon tests: a datagram socket the
// child's NOTIFY_SOCKET points at, keeping every message it was sent (READY=1, WATCHDOG=1…).

#include <chrono>
#include <cstdio>
#include <string>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>
#include <vector>

#include "tests/support/catch.hpp"

namespace daemon_test {

class NotifySocket {
public:
  //! Binds a datagram socket at `path` (removed again by the destructor).
  explicit NotifySocket(std::string path) : m_path(std::move(path))
  {
    m_fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    REQUIRE(m_fd >= 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::snprintf(address.sun_path, sizeof address.sun_path, "%s", m_path.c_str());
    REQUIRE(::bind(m_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    // A short receive timeout, so the waits below look at their deadline often.
    timeval timeout{0, 100000};
    ::setsockopt(m_fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  }
  ~NotifySocket()
  {
    ::close(m_fd);
    ::unlink(m_path.c_str());
  }
  NotifySocket(const NotifySocket&) = delete;
  NotifySocket& operator=(const NotifySocket&) = delete;

  //! Collects messages until one contains `needle`; every message seen is kept in messages().
  bool wait_for(const std::string& needle, std::chrono::milliseconds timeout)
  {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline)
      if (receive_one() && m_messages.back().find(needle) != std::string::npos)
        return true;
    return false;
  }
  //! Collects whatever arrives for about `duration` (at least one receive timeout, 100 ms).
  void collect_for(std::chrono::milliseconds duration)
  {
    const auto deadline = std::chrono::steady_clock::now() + duration;
    do
      receive_one();
    while (std::chrono::steady_clock::now() < deadline);
  }
  //! Messages received so far that contain `needle`.
  std::size_t count(const std::string& needle) const
  {
    std::size_t n = 0;
    for (const auto& message : m_messages)
      n += message.find(needle) != std::string::npos ? 1 : 0;
    return n;
  }
  const std::vector<std::string>& messages() const { return m_messages; }

private:
  //! One message (true), or false after the receive timeout.
  bool receive_one()
  {
    char buffer[4096];
    const auto n = ::recv(m_fd, buffer, sizeof buffer, 0);
    if (n <= 0)
      return false;
    m_messages.emplace_back(buffer, static_cast<std::size_t>(n));
    return true;
  }

  std::string m_path;
  int m_fd = -1;
  std::vector<std::string> m_messages;
};

}  // namespace daemon_test
