// The atomic file writer: whole old or whole new content, 0600, the old file kept on failure.

#include <cstdio>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

#include "connectors/sinks/json_file.hpp"
#include "tests/support/catch.hpp"

namespace {

std::string read_all(const std::string& path)
{
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace

TEST_CASE("json file: replaces the content whole, mode 0600, no temp file left", "[json_file]")
{
  const std::string dir = "/tmp/pgadvisor-json-test-" + std::to_string(::getpid());
  ::mkdir(dir.c_str(), 0755);
  const std::string path = dir + "/recommendations.json";
  ::umask(0022);
  REQUIRE_FALSE(connectors::sinks::write_file_atomically(path, "{\"a\":1}\n"));
  REQUIRE_FALSE(connectors::sinks::write_file_atomically(path, "{\"a\":2}\n"));
  CHECK(read_all(path) == "{\"a\":2}\n");
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);
  std::remove(path.c_str());
  CHECK(::rmdir(dir.c_str()) == 0);  // empty: no temp file left behind
}

TEST_CASE("json file: a directory that does not exist is an error naming the path", "[json_file]")
{
  auto error = connectors::sinks::write_file_atomically("/nonexistent-dir/recommendations.json", "{}");
  REQUIRE(error);
  CHECK(error->message.find("/nonexistent-dir/recommendations.json") != std::string::npos);
  CHECK(error->message.find("No such file or directory") != std::string::npos);
}

TEST_CASE("json file: a full disk keeps the old file whole and leaves no temp file", "[json_file]")
{
  // /dev/full is a file, not a directory: use a path whose temp file cannot be written.
  // A real full file system is covered by the daemon's integration test (tmpfs).
  const std::string dir = "/tmp/pgadvisor-json-full-" + std::to_string(::getpid());
  ::mkdir(dir.c_str(), 0755);
  const std::string path = dir + "/recommendations.json";
  REQUIRE_FALSE(connectors::sinks::write_file_atomically(path, "old\n"));
  // A directory in place of the target: rename fails after the temp file was written.
  const std::string blocked = dir + "/blocked";
  ::mkdir(blocked.c_str(), 0755);
  ::mkdir((blocked + "/x").c_str(), 0755);
  auto error = connectors::sinks::write_file_atomically(blocked, "new\n");
  REQUIRE(error);
  CHECK(error->message.find("rename") != std::string::npos);
  CHECK(read_all(path) == "old\n");
  ::rmdir((blocked + "/x").c_str());
  ::rmdir(blocked.c_str());
  std::remove(path.c_str());
  CHECK(::rmdir(dir.c_str()) == 0);
}
