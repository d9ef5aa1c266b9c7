#pragma once
// A tiny blocking HTTP/1.1 receiver on 127.0.0.1 for the webhook tests: one request per
// connection, served on its own thread, answering a script of replies and recording what it
// got. A daemon started as a child process posts to it like any receiver.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/catch.hpp"

namespace http_test {

struct Reply {
  Reply(int status_ = 200, std::string headers_ = {}, int delay_ms_ = 0)
      : status(status_), headers(std::move(headers_)), delay_ms(delay_ms_)
  {
  }
  int status;
  std::string headers;  //!< extra header lines, each ending in \r\n
  int delay_ms;
};

struct Received {
  std::map<std::string, std::string> headers;  //!< lower-case names
  std::string body;
  int status = 0;  //!< what the receiver answered
};

inline std::string lower(std::string text)
{
  for (char& c : text)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

class Receiver {
public:
  //! Answers `script` in order, then `after` for ever. Listens on a free loopback port.
  Receiver(std::vector<Reply> script, Reply after) : m_script(std::move(script)), m_after(std::move(after))
  {
    m_listen = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(m_listen >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    REQUIRE(::bind(m_listen, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(::listen(m_listen, 16) == 0);
    socklen_t length = sizeof address;
    REQUIRE(::getsockname(m_listen, reinterpret_cast<sockaddr*>(&address), &length) == 0);
    m_port = ntohs(address.sin_port);
    m_thread = std::thread([this] { serve(); });
  }
  Receiver(const Receiver&) = delete;
  Receiver& operator=(const Receiver&) = delete;
  ~Receiver()
  {
    m_stop = true;
    m_thread.join();
    ::close(m_listen);
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port) + "/hook"; }
  int port() const { return m_port; }
  std::vector<Received> requests()
  {
    std::lock_guard lock(m_mutex);
    return m_requests;
  }
  //! Waits until at least `count` requests arrived; false on timeout.
  bool wait_for(std::size_t count, std::chrono::milliseconds timeout)
  {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (requests().size() >= count)
        return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

private:
  void serve()
  {
    while (!m_stop) {
      pollfd fd{m_listen, POLLIN, 0};
      if (::poll(&fd, 1, 20) <= 0)
        continue;
      const int client = ::accept4(m_listen, nullptr, nullptr, SOCK_CLOEXEC);
      if (client < 0)
        continue;
      handle(client);
      ::close(client);
    }
  }

  void handle(int client)
  {
    std::string data;
    char buffer[4096];
    std::size_t header_end = std::string::npos;
    std::size_t content_length = 0;
    while (true) {
      pollfd fd{client, POLLIN, 0};
      if (::poll(&fd, 1, 2000) <= 0)
        return;
      const ssize_t n = ::recv(client, buffer, sizeof buffer, 0);
      if (n <= 0)
        return;
      data.append(buffer, static_cast<std::size_t>(n));
      if (header_end == std::string::npos) {
        header_end = data.find("\r\n\r\n");
        if (header_end != std::string::npos) {
          const auto found = lower(data.substr(0, header_end)).find("content-length:");
          if (found != std::string::npos)
            content_length = std::stoul(data.substr(found + 15));
        }
      }
      if (header_end != std::string::npos && data.size() >= header_end + 4 + content_length)
        break;
    }
    Received request;
    std::istringstream lines(data.substr(0, header_end));
    std::string line;
    std::getline(lines, line);  // the request line
    while (std::getline(lines, line)) {
      if (!line.empty() && line.back() == '\r')
        line.pop_back();
      const auto colon = line.find(':');
      if (colon == std::string::npos)
        continue;
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ')
        value.erase(0, 1);
      request.headers[lower(line.substr(0, colon))] = value;
    }
    request.body = data.substr(header_end + 4, content_length);
    Reply reply;
    {
      std::lock_guard lock(m_mutex);
      reply = m_requests.size() < m_script.size() ? m_script[m_requests.size()] : m_after;
      request.status = reply.status;
      // Recorded before the reply goes out, so a sender that got its answer finds it here.
      m_requests.push_back(std::move(request));
    }
    if (reply.delay_ms > 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(reply.delay_ms));
    const std::string response = "HTTP/1.1 " + std::to_string(reply.status) + " Test\r\nContent-Length: 2\r\n" +
                                 "Connection: close\r\n" + reply.headers + "\r\nok";
    ::send(client, response.data(), response.size(), MSG_NOSIGNAL);
  }

  std::vector<Reply> m_script;
  Reply m_after;
  int m_listen = -1;
  int m_port = 0;
  std::atomic<bool> m_stop{false};
  std::thread m_thread;
  std::mutex m_mutex;
  std::vector<Received> m_requests;
};

}  // namespace http_test
