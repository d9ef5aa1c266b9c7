#pragma once
// Writes a file so that a reader sees either the old or the new content, whole, even across a
// crash or power loss: temp file in the same directory, fsync, rename, fsync of the directory.

#include <optional>
#include <string>

#include "model/result.hpp"

namespace connectors::sinks {

//! Replaces `path` with `content` atomically, mode 0600. On failure (disk full, read-only
//! directory) the old file is left untouched, the temp file removed, and the error names the
//! path and the system's reason. nullopt: written.
std::optional<model::Error> write_file_atomically(const std::string& path, const std::string& content);

}  // namespace connectors::sinks
