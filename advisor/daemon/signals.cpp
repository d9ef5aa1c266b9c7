#include "advisor/daemon/signals.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <unistd.h>

namespace advisor::daemon {

namespace {

int pipe_fds[2] = {-1, -1};
volatile std::sig_atomic_t stop_requests = 0;
volatile std::sig_atomic_t deadline_seconds = 10;

void on_signal(int signo)
{
  const int saved = errno;
  if (signo == SIGTERM || signo == SIGINT) {
    stop_requests = stop_requests + 1;
    if (stop_requests >= 2)
      _exit(0);
    alarm(static_cast<unsigned>(deadline_seconds));
  }
  const unsigned char byte = static_cast<unsigned char>(signo);
  [[maybe_unused]] const auto n = write(pipe_fds[1], &byte, 1);
  errno = saved;
}

void on_alarm(int)
{
  static const char message[] = "<4>pgadvisor: shutdown timeout reached: cycle abandoned, exiting\n";
  [[maybe_unused]] const auto n = write(STDERR_FILENO, message, sizeof message - 1);
  _exit(0);
}

void handle(int signo, void (*handler)(int))
{
  struct sigaction action {};
  action.sa_handler = handler;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(signo, &action, nullptr);
}

}  // namespace

SignalPipe::SignalPipe(std::chrono::seconds hard_deadline)
{
  deadline_seconds = static_cast<std::sig_atomic_t>(std::max<long long>(1, hard_deadline.count()));
  if (pipe_fds[0] < 0 && pipe2(pipe_fds, O_NONBLOCK | O_CLOEXEC) != 0)
    pipe_fds[0] = pipe_fds[1] = -1;
  handle(SIGHUP, on_signal);
  handle(SIGTERM, on_signal);
  handle(SIGINT, on_signal);
  handle(SIGALRM, on_alarm);
  handle(SIGPIPE, SIG_IGN);
}

SignalPipe::~SignalPipe()
{
  handle(SIGHUP, SIG_DFL);
  handle(SIGTERM, SIG_DFL);
  handle(SIGINT, SIG_DFL);
  alarm(0);
}

int SignalPipe::fd() const { return pipe_fds[0]; }

void SignalPipe::set_hard_deadline(std::chrono::seconds deadline)
{
  deadline_seconds = static_cast<std::sig_atomic_t>(std::max<long long>(1, deadline.count()));
}

std::vector<int> SignalPipe::drain()
{
  std::vector<int> out;
  unsigned char buffer[64];
  for (;;) {
    const auto n = read(pipe_fds[0], buffer, sizeof buffer);
    if (n <= 0)
      break;
    for (ssize_t i = 0; i < n; ++i)
      out.push_back(buffer[i]);
  }
  return out;
}

}  // namespace advisor::daemon
