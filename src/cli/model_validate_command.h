// `dtwin model validate PATH...`: checks DTDL files the way an upload would (one batch),
// offline. Stateless; thread-safe.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace dtwin::cli {

// Exit codes: 0 valid, 1 invalid models, 2 usage or I/O error.
int RunModelValidate(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// The command's help text.
std::string ModelValidateUsage();

}  // namespace dtwin::cli
