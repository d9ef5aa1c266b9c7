#include "advisor/cli_support.hpp"

#include <algorithm>
#include <ostream>

namespace po = boost::program_options;

namespace advisor {

model::Result<ParsedOptions> parse_options(const std::vector<std::string>& args,
                                           po::options_description options,
                                           const po::positional_options_description& positional)
{
  options.add_options()
      ("format", po::value<std::string>()->default_value("text"), "output: text or json")
      ("help,h", "this help")
      ("version", "print the version");
  ParsedOptions parsed;
  try {
    po::store(po::command_line_parser(args).options(options).positional(positional).run(), parsed.values);
    po::notify(parsed.values);
  } catch (const po::error& e) {
    return model::make_error(model::ErrorKind::invalid_input, e.what());
  }
  parsed.help = parsed.values.count("help") > 0;
  parsed.version = parsed.values.count("version") > 0;
  if (!output_format(parsed.values))
    return model::make_error(model::ErrorKind::invalid_input,
                             "--format must be text or json, not '" + parsed.values["format"].as<std::string>() + "'");
  return parsed;
}

std::optional<OutputFormat> output_format(const po::variables_map& values)
{
  const auto format = values["format"].as<std::string>();
  if (format == "text")
    return OutputFormat::text;
  if (format == "json")
    return OutputFormat::json;
  return std::nullopt;
}

void print_error(std::ostream& err, const model::Error& error, const std::string& input)
{
  err << "pgadvisor: error: " << error.message << "\n";
  if (error.position > 0 && static_cast<std::size_t>(error.position) <= input.size() + 1) {
    // Show the line of the input that holds the position, with a caret under it.
    const std::size_t at = static_cast<std::size_t>(error.position - 1);
    const std::size_t line_start = input.rfind('\n', at == 0 ? 0 : at - 1);
    const std::size_t begin = line_start == std::string::npos || at == 0 ? 0 : line_start + 1;
    const std::size_t end = std::min(input.find('\n', at), input.size());
    const std::size_t line_number = static_cast<std::size_t>(std::count(input.begin(), input.begin() + begin, '\n')) + 1;
    err << "  at line " << line_number << ", position " << error.position << ":\n"
        << "    " << input.substr(begin, end - begin) << "\n"
        << "    " << std::string(at - begin, ' ') << "^\n";
  }
  if (!error.hint.empty())
    err << "  hint: " << error.hint << "\n";
}

}  // namespace advisor
