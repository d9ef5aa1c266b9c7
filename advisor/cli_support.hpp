#pragma once
// What every command shares: option parsing into a variables map with usage errors as values,
// the output format, and how an error is printed.

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "model/result.hpp"

namespace advisor {

enum class OutputFormat { text, json };

struct ParsedOptions {
  boost::program_options::variables_map values;
  bool help = false;
  bool version = false;
};

//! Adds --help, --version and --format to `options`, parses `args` with `positional`, and
//! returns the map; a bad command line is a message for the user (exit code 2).
model::Result<ParsedOptions> parse_options(const std::vector<std::string>& args,
                                           boost::program_options::options_description options,
                                           const boost::program_options::positional_options_description& positional);

//! --format's value; "text" or "json", else nullopt.
std::optional<OutputFormat> output_format(const boost::program_options::variables_map& values);

//! Prints an error the way every command does: the message, the position in `input` with a
//! caret under it when known, and the hint.
void print_error(std::ostream& err, const model::Error& error, const std::string& input = {});

}  // namespace advisor
