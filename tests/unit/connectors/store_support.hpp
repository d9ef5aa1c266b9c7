#pragma once
// A fresh store file per test, removed afterwards.

#include <cstdio>
#include <memory>
#include <string>
#include <unistd.h>

#include "connectors/store/history_store.hpp"
#include "tests/support/catch.hpp"

namespace store_test {

struct TempStore {
  std::string path;
  std::unique_ptr<connectors::store::HistoryStore> store;

  TempStore()
  {
    static int counter = 0;
    path = "/tmp/pgadvisor-store-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".db";
    remove_files();
    auto opened = connectors::store::HistoryStore::open(path);
    REQUIRE(opened.ok());
    store = std::move(*opened);
  }
  ~TempStore()
  {
    store.reset();
    remove_files();
  }
  void remove_files()
  {
    for (const char* suffix : {"", "-wal", "-shm"})
      std::remove((path + suffix).c_str());
  }
};

}  // namespace store_test
