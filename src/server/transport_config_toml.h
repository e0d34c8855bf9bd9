// The TOML side of TransportSettings, for server_config.cc only (it keeps toml++ out of the
// other headers). Stateless; thread-compatible.
#pragma once

#include <toml++/toml.h>

#include <functional>
#include <string>
#include <string_view>

#include "server/transport_config.h"

namespace dtwin::server {

// Applies the top-level key name (IsTransportSetting) with value node. where(node) is the
// "file:line: " prefix of messages.
Status ApplyTransportToml(std::string_view name, const toml::node& node,
                          const std::function<std::string(const toml::node&)>& where,
                          TransportSettings& settings);

}  // namespace dtwin::server
