// The api-version query parameter: which versions dtwin speaks and how a request's version
// is resolved (required; a repeated parameter is fine when every copy agrees, as SDK paging
// produces). Stateless; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "server/api_error.h"
#include "server/url_encoding.h"

namespace dtwin::server {

enum class ApiVersion : uint8_t { k2020_10_31, k2022_05_31, k2023_06_30, k2023_10_31 };

// "2022-05-31".
std::string_view ApiVersionName(ApiVersion version);

// "2020-10-31, 2022-05-31, 2023-06-30, 2023-10-31".
std::string_view SupportedApiVersions();

// The request's version, or nullopt with *error set: 400 MissingApiVersionParameter when
// absent, 400 UnsupportedApiVersionValue when unknown (the Azure REST API guidelines' codes;
// ADT's recordings never show these cases), 400 InvalidArgument when copies disagree.
std::optional<ApiVersion> ResolveApiVersion(const std::vector<QueryParam>& query, ApiError* error);

}  // namespace dtwin::server
