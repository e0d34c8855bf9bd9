// api-version resolution.
#include "server/api_version.h"

#include <array>
#include <string>

namespace dtwin::server {

namespace {

constexpr std::array<std::pair<ApiVersion, std::string_view>, 4> kVersions = {{
    {ApiVersion::k2020_10_31, "2020-10-31"},
    {ApiVersion::k2022_05_31, "2022-05-31"},
    {ApiVersion::k2023_06_30, "2023-06-30"},
    {ApiVersion::k2023_10_31, "2023-10-31"},
}};

}  // namespace

std::string_view ApiVersionName(ApiVersion version) {
  for (const auto& [value, name] : kVersions) {
    if (value == version) return name;
  }
  return "";
}

std::string_view SupportedApiVersions() { return "2020-10-31, 2022-05-31, 2023-06-30, 2023-10-31"; }

std::optional<ApiVersion> ResolveApiVersion(const std::vector<QueryParam>& query, ApiError* error) {
  const std::string* given = nullptr;
  for (const QueryParam& param : query) {
    if (!EqualsIgnoreCase(param.name, "api-version")) continue;
    if (given != nullptr && *given != param.value) {
      *error = {400,
                "InvalidArgument",
                "api-version is given twice with different values ('" + *given + "' and '" +
                    param.value + "')",
                {}};
      return std::nullopt;
    }
    given = &param.value;
  }
  if (given == nullptr) {
    *error = {400,
              "MissingApiVersionParameter",
              "The api-version query parameter (?api-version=) is required for all requests. "
              "Supported api-versions: " +
                  std::string(SupportedApiVersions()) + ".",
              {}};
    return std::nullopt;
  }
  for (const auto& [value, name] : kVersions) {
    if (*given == name) return value;
  }
  *error = {400,
            "UnsupportedApiVersionValue",
            "Unsupported api-version '" + *given + "'. The supported api-versions are '" +
                std::string(SupportedApiVersions()) + "'.",
            {}};
  return std::nullopt;
}

}  // namespace dtwin::server
