#pragma once
// The pgadvisor binary as a child process for the daemon tests: arguments, extra environment,
// stderr captured to a file, signals, and a bounded wait.

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include "tests/support/catch.hpp"

namespace daemon_test {

inline std::string read_all(const std::string& path)
{
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

inline std::size_t count(const std::string& text, const std::string& needle)
{
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
    ++n;
  return n;
}

class Process {
public:
  Process(std::vector<std::string> args, std::vector<std::string> env, std::string log_path)
      : m_log(std::move(log_path))
  {
    args.insert(args.begin(), PGADVISOR_BINARY);
    m_pid = ::fork();
    REQUIRE(m_pid >= 0);
    if (m_pid == 0) {
      const int fd = ::open(m_log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      ::dup2(fd, STDERR_FILENO);
      ::dup2(fd, STDOUT_FILENO);
      for (const auto& item : env)
        ::putenv(const_cast<char*>(item.c_str()));
      std::vector<char*> argv;
      for (auto& arg : args)
        argv.push_back(arg.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
  }
  ~Process()
  {
    if (m_pid > 0 && !m_exited) {
      ::kill(m_pid, SIGKILL);
      ::waitpid(m_pid, nullptr, 0);
    }
  }

  void signal(int signo) { ::kill(m_pid, signo); }
  //! The exit code, -signal when killed, or nullopt when still running after `timeout`.
  std::optional<int> wait(std::chrono::milliseconds timeout)
  {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
        m_exited = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return std::nullopt;
  }
  std::string log() const { return read_all(m_log); }
  //! Waits until the log contains `needle` (at least `times` times); false on timeout.
  bool wait_for_log(const std::string& needle, std::chrono::milliseconds timeout, std::size_t times = 1)
  {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (count(log(), needle) >= times)
        return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

private:
  pid_t m_pid = -1;
  bool m_exited = false;
  std::string m_log;
};

//! A scratch directory for one test, removed with its content at the end.
struct ScratchDir {
  std::string path;
  explicit ScratchDir(const std::string& name)
  {
    path = "/tmp/pgadvisor-it-" + name + "-" + std::to_string(::getpid());
    std::system(("rm -rf '" + path + "' && mkdir -p '" + path + "'").c_str());
  }
  ~ScratchDir() { std::system(("rm -rf '" + path + "'").c_str()); }
  std::string file(const std::string& name) const { return path + "/" + name; }
};

inline void write_file(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

}  // namespace daemon_test
