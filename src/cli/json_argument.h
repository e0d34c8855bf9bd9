// JSON given on the command line (--properties, --json-patch, --telemetry, --models): inline
// text, @FILE, @- (stdin), or, as az accepts, the path of an existing file. Stateless;
// reads files and stdin.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>

namespace dtwin::cli {

// The JSON that option's argument names. Throws UsageError naming the option and, for bad
// JSON, the line and column of the first error.
boost::json::value ReadJsonArgument(const std::string& option, const std::string& argument);

// Parses text read from source (a file name, or the option for inline text). Throws UsageError.
boost::json::value ParseJsonText(const std::string& source, const std::string& text);

// The argument as a JSON object; anything else is a UsageError.
boost::json::object ReadJsonObjectArgument(const std::string& option, const std::string& argument);

// A JSON Patch: an array of operations, or one operation object (taken as a one-item array,
// as az does).
boost::json::array ReadJsonPatchArgument(const std::string& option, const std::string& argument);

}  // namespace dtwin::cli
