// JSON arguments of the remote commands (see json_argument.h).
#include "cli/json_argument.h"

#include <boost/json/stream_parser.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>

#include "cli/command.h"

namespace dtwin::cli {

namespace {

namespace json = boost::json;

std::string ReadStream(std::istream& in) {
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string ReadFileOrThrow(const std::string& option, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError(option + ": cannot read '" + path + "'");
  return ReadStream(in);
}

std::string LineAndColumn(const std::string& text, size_t offset) {
  size_t line = 1, column = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + " column " + std::to_string(column);
}

}  // namespace

json::value ParseJsonText(const std::string& source, const std::string& text) {
  json::stream_parser parser;
  boost::system::error_code ec;
  size_t consumed = parser.write(text.data(), text.size(), ec);
  if (!ec) parser.finish(ec);
  if (ec) {
    throw UsageError(source + ": invalid JSON at " + LineAndColumn(text, consumed) + ": " +
                     ec.message());
  }
  return parser.release();
}

json::value ReadJsonArgument(const std::string& option, const std::string& argument) {
  if (argument == "@-") return ParseJsonText(option + " (stdin)", ReadStream(std::cin));
  if (argument.size() > 1 && argument[0] == '@') {
    std::string path = argument.substr(1);
    return ParseJsonText(path, ReadFileOrThrow(option, path));
  }
  std::error_code ec;
  size_t first = argument.find_first_not_of(" \t\r\n");
  bool looks_inline =
      first != std::string::npos && (argument[first] == '{' || argument[first] == '[');
  if (!looks_inline && std::filesystem::is_regular_file(argument, ec)) {
    return ParseJsonText(argument, ReadFileOrThrow(option, argument));
  }
  return ParseJsonText(option, argument);
}

json::object ReadJsonObjectArgument(const std::string& option, const std::string& argument) {
  json::value value = ReadJsonArgument(option, argument);
  if (!value.is_object()) throw UsageError(option + ": expected a JSON object");
  return std::move(value.get_object());
}

json::array ReadJsonPatchArgument(const std::string& option, const std::string& argument) {
  json::value value = ReadJsonArgument(option, argument);
  if (value.is_object()) return json::array{std::move(value)};
  if (!value.is_array())
    throw UsageError(option + ": expected a JSON Patch (an array of operations)");
  return std::move(value.get_array());
}

}  // namespace dtwin::cli
