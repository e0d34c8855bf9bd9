// The TOML side of AuthSettings, for server_config.cc only (it keeps toml++ out of the other
// headers). Stateless; thread-compatible.
#pragma once

#include <toml++/toml.h>

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "server/auth_config.h"

namespace dtwin::server {

// Applies the top-level key name (IsAuthSetting) with value node. where(node) is the
// "file:line: " prefix of messages; relative paths are taken from base_dir.
Status ApplyAuthToml(std::string_view name, const toml::node& node,
                     const std::function<std::string(const toml::node&)>& where,
                     const std::filesystem::path& base_dir, AuthSettings& settings);

}  // namespace dtwin::server
