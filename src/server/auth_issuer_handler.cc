// The built-in token issuer's HTTP face: OpenID discovery documents, the OAuth2 token
// endpoint and the JWKS, at the paths MSAL (Python and Node) uses for an ADFS authority
// ("/adfs/...") and for a tenant with instance discovery disabled ("/{tenant}/v2.0/...").
// These routes need no api-version and no token.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>

#include "server/api_routes.h"
#include "server/handler_support.h"
#include "server/paging_links.h"
#include "server/request_context.h"
#include "server/url_encoding.h"

namespace dtwin::server {
namespace {

namespace json = boost::json;

// Which of the two path families a route belongs to.
enum class Flavor { kV1, kV2 };

HttpResponse NoStore(HttpResponse response) {
  // RFC 6749 section 5.1: token responses must not be cached.
  response.headers.push_back({"Cache-Control", "no-store"});
  response.headers.push_back({"Pragma", "no-cache"});
  return response;
}

void Discovery(Flavor flavor, const RequestContext& context, Responder respond) {
  const std::string authority = BaseUrl(context.request()) + "/" + PercentEncode(context.param(0));
  const std::string_view version = flavor == Flavor::kV2 ? "/v2.0" : "";
  json::object body{
      // MSAL (msal-common 16) requires the issuer on the authority's origin, so it names the
      // authority; the tokens' iss is the configured issuer name, which only dtwin checks.
      {"issuer", authority},
      {"authorization_endpoint", authority + "/oauth2" + std::string(version) + "/authorize"},
      {"token_endpoint", authority + "/oauth2" + std::string(version) + "/token"},
      {"jwks_uri", authority + "/discovery" + std::string(version) + "/keys"},
      {"response_types_supported", json::array{"token"}},
      {"grant_types_supported", json::array{"client_credentials"}},
      {"token_endpoint_auth_methods_supported", json::array{"client_secret_post"}},
      {"id_token_signing_alg_values_supported", json::array{"ES256"}},
      {"subject_types_supported", json::array{"public"}},
      {"tenant_region_scope", nullptr}};
  respond(JsonResponse(200, body));
}

void Keys(const auth::TokenIssuer& issuer, const RequestContext&, Responder respond) {
  respond(JsonResponse(200, issuer.jwks_json()));
}

HttpResponse OAuthErrorResponse(const auth::OAuthError& error) {
  return NoStore(
      JsonResponse(error.http_status,
                   json::object{{"error", error.error}, {"error_description", error.description}}));
}

void Token(const auth::TokenIssuer& issuer, const RequestContext& context, Responder respond) {
  std::optional<std::string_view> type = context.Header("Content-Type");
  if (!type ||
      !EqualsIgnoreCase(type->substr(0, type->find(';')), "application/x-www-form-urlencoded")) {
    return respond(OAuthErrorResponse(
        {400, "invalid_request",
         "the token request must be application/x-www-form-urlencoded (RFC 6749 section 4.4)"}));
  }
  Result<std::vector<QueryParam>> form = ParseQuery(context.request().body);
  if (!form.ok()) {
    return respond(OAuthErrorResponse({400, "invalid_request", form.status().message()}));
  }
  auth::TokenRequest request;
  request.tenant = context.param(0);
  for (const QueryParam& field : *form) {
    std::string* slot = field.name == "grant_type"      ? &request.grant_type
                        : field.name == "client_id"     ? &request.client_id
                        : field.name == "client_secret" ? &request.client_secret
                        : field.name == "scope"         ? &request.scope
                                                        : nullptr;
    if (slot != nullptr && slot->empty()) *slot = field.value;
  }
  std::variant<auth::IssuedToken, auth::OAuthError> issued =
      issuer.Issue(request, std::chrono::system_clock::now());
  if (const auto* error = std::get_if<auth::OAuthError>(&issued)) {
    return respond(OAuthErrorResponse(*error));
  }
  const auto& token = std::get<auth::IssuedToken>(issued);
  respond(NoStore(JsonResponse(200, json::object{{"token_type", "Bearer"},
                                                 {"expires_in", token.expires_in.count()},
                                                 {"ext_expires_in", token.expires_in.count()},
                                                 {"access_token", token.access_token}})));
}

// The discovery documents name only paths; the issuer's keys and clients play no part.
template <Flavor kFlavor>
void DiscoveryOf(const auth::TokenIssuer&, const RequestContext& context, Responder respond) {
  Discovery(kFlavor, context, std::move(respond));
}

}  // namespace

void AddIssuerRoutes(Router& router, const auth::TokenIssuer& issuer) {
  router.Add(HttpMethod::kGet, "/{tenant}/.well-known/openid-configuration",
             WithService(issuer, DiscoveryOf<Flavor::kV1>));
  router.Add(HttpMethod::kGet, "/{tenant}/v2.0/.well-known/openid-configuration",
             WithService(issuer, DiscoveryOf<Flavor::kV2>));
  router.Add(HttpMethod::kPost, "/{tenant}/oauth2/token", WithService(issuer, Token));
  router.Add(HttpMethod::kPost, "/{tenant}/oauth2/v2.0/token", WithService(issuer, Token));
  router.Add(HttpMethod::kGet, "/{tenant}/discovery/keys", WithService(issuer, Keys));
  router.Add(HttpMethod::kGet, "/{tenant}/discovery/v2.0/keys", WithService(issuer, Keys));
}

}  // namespace dtwin::server
