#pragma once
// A webhook signing secret in a test's scratch directory, and the text to look for wherever
// it must not appear (logs, the store, the recommendations file).

#include <sys/stat.h>

#include <string>

#include "tests/integration/advisor/test_daemon_process.hpp"

namespace webhook_test {

inline constexpr const char* secret_text = "pgadvisor-daemon-secret-Kv27pQ";

//! Writes the secret to `webhook.secret` (mode 0600) in `dir`; returns its path.
inline std::string write_secret(const daemon_test::ScratchDir& dir)
{
  const std::string path = dir.file("webhook.secret");
  daemon_test::write_file(path, std::string(secret_text) + "\n");
  ::chmod(path.c_str(), 0600);
  return path;
}

}  // namespace webhook_test
