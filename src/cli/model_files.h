// Finding DTDL files: every *.json and *.dtdl file below a directory, as `az dt model create
// --from-directory` takes them. Shared by `dtwin model validate` and `dtwin model create`.
// Stateless; thread-safe.
#pragma once

#include <string>
#include <system_error>
#include <vector>

namespace dtwin::cli {

// The files, sorted (a stable order, so one batch always reads the same way); error is set
// when the directory cannot be walked.
std::vector<std::string> ModelFilesBelow(const std::string& directory, std::error_code& error);

}  // namespace dtwin::cli
