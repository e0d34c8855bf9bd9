// `dtwin model validate`: gathers *.json files, parses them as one upload batch and prints
// each problem as file:line:col: message.
#include "cli/model_validate_command.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/model_files.h"
#include "dtdl/model_parser.h"

namespace dtwin::cli {

namespace {

namespace fs = std::filesystem;

constexpr int kExitValid = 0;
constexpr int kExitInvalid = 1;
constexpr int kExitUsage = 2;

// Adds path (a file, or every *.json and *.dtdl file below a directory) to files.
bool CollectFiles(const std::string& path, std::vector<std::string>& files, std::ostream& err) {
  std::error_code ec;
  fs::file_status status = fs::status(path, ec);
  if (ec || !fs::exists(status)) {
    err << "dtwin: " << path << ": no such file or directory\n";
    return false;
  }
  if (!fs::is_directory(status)) {
    files.push_back(path);
    return true;
  }
  std::vector<std::string> found = ModelFilesBelow(path, ec);
  if (ec) {
    err << "dtwin: " << path << ": " << ec.message() << "\n";
    return false;
  }
  files.insert(files.end(), found.begin(), found.end());
  return true;
}

bool ReadFile(const std::string& path, std::string& text, std::ostream& err) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    err << "dtwin: " << path << ": cannot read\n";
    return false;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  text = std::move(buffer).str();
  return true;
}

}  // namespace

std::string ModelValidateUsage() {
  return "usage: dtwin model validate [options] PATH...\n"
         "\n"
         "Checks DTDL v2/v3 model files as Azure Digital Twins would on upload: all files\n"
         "(directories are searched for *.json) form one batch that is valid or not as a\n"
         "whole. Problems are printed as FILE:LINE:COLUMN: message.\n"
         "\n"
         "options:\n"
         "  --dtdl-only                     plain DTDL: allow what only ADT forbids\n"
         "                                  (Commands, inline Interfaces)\n"
         "  --allow-undefined-extensions    accept terms from unknown extension contexts\n"
         "  --disallow-undefined-extensions reject them (default: v2 accepts, v3 rejects)\n"
         "\n"
         "exit status: 0 valid, 1 invalid, 2 usage or I/O error\n";
}

int RunModelValidate(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  dtdl::ParserOptions options;
  std::vector<std::string> paths;
  for (const std::string& arg : args) {
    if (arg == "--dtdl-only") {
      options.adt_mode = false;
    } else if (arg == "--allow-undefined-extensions") {
      options.undefined_terms = dtdl::UndefinedTerms::kAllow;
    } else if (arg == "--disallow-undefined-extensions") {
      options.undefined_terms = dtdl::UndefinedTerms::kDisallow;
    } else if (arg == "-h" || arg == "--help") {
      out << ModelValidateUsage();
      return kExitValid;
    } else if (arg.size() > 1 && arg[0] == '-') {
      err << "dtwin: unknown option '" << arg << "'\n" << ModelValidateUsage();
      return kExitUsage;
    } else {
      paths.push_back(arg);
    }
  }
  if (paths.empty()) {
    err << "dtwin: model validate needs at least one file or directory\n" << ModelValidateUsage();
    return kExitUsage;
  }
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    if (!CollectFiles(path, files, err)) return kExitUsage;
  }
  if (files.empty()) {
    err << "dtwin: no *.json files found\n";
    return kExitUsage;
  }
  std::vector<dtdl::ModelSource> sources;
  sources.reserve(files.size());
  for (const std::string& file : files) {
    dtdl::ModelSource source;
    source.name = file;
    if (!ReadFile(file, source.text, err)) return kExitUsage;
    sources.push_back(std::move(source));
  }

  dtdl::ParseResult result = dtdl::ModelParser(options).Parse(sources);
  for (const dtdl::DtdlError& error : result.errors) {
    if (error.source_index < sources.size()) {
      err << sources[error.source_index].name;
      if (error.line != 0) {
        err << ':' << error.line << ':' << error.column;
      } else if (!error.pointer.empty()) {
        err << ":" << error.pointer;
      }
      err << ": " << error.message << "\n";
    } else {
      err << "dtwin: " << error.message << "\n";
    }
  }
  if (!result.ok()) {
    err << result.errors.size() << (result.errors.size() == 1 ? " error" : " errors") << " in "
        << files.size() << (files.size() == 1 ? " file" : " files") << "\n";
    return kExitInvalid;
  }
  out << "valid: " << result.models.interfaces.size() << " interfaces in " << files.size()
      << (files.size() == 1 ? " file" : " files") << "\n";
  return kExitValid;
}

}  // namespace dtwin::cli
