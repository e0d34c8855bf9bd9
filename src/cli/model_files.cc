// Model file discovery (see the header).
#include "cli/model_files.h"

#include <algorithm>
#include <filesystem>

namespace dtwin::cli {

std::vector<std::string> ModelFilesBelow(const std::string& directory, std::error_code& error) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  for (fs::recursive_directory_iterator it(directory, error), end; !error && it != end;
       it.increment(error)) {
    const std::string extension = it->path().extension().string();
    if (it->is_regular_file() && (extension == ".json" || extension == ".dtdl")) {
      files.push_back(it->path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace dtwin::cli
