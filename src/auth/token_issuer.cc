// Token issuing: key file, client authentication, JWT claims.
#include "auth/token_issuer.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <fstream>
#include <sstream>

#include "auth/jws_signer.h"
#include "auth/jwt_validator.h"
#include "common/base64url.h"

namespace dtwin::auth {
namespace {

namespace json = boost::json;
using BioPtr = std::unique_ptr<BIO, OpenSslDeleter<BIO_free_all>>;

constexpr size_t kSha256Bytes = 32;

std::string Sha256(std::string_view bytes) {
  std::string digest(kSha256Bytes, '\0');
  EVP_Digest(bytes.data(), bytes.size(), reinterpret_cast<unsigned char*>(digest.data()), nullptr,
             EVP_sha256(), nullptr);
  return digest;
}

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

std::string RandomBase64Url(size_t bytes) {
  std::string random(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(random.data()), static_cast<int>(bytes)) != 1) {
    std::abort();  // no randomness: nothing secret can be made, and nothing else should run
  }
  return Base64UrlEncode(random);
}

Status KeyError(const std::filesystem::path& path, std::string_view what) {
  return Status(ErrorCode::kInvalidArgument,
                "issuer signing key " + path.string() + ": " + std::string(what));
}

Result<EvpPkeyPtr> LoadKey(const std::filesystem::path& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return KeyError(path, "cannot be read");
  if ((info.st_mode & 077) != 0) {
    return KeyError(path, "is readable by group or others; chmod 600 it");
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream pem;
  pem << in.rdbuf();
  const std::string text = pem.str();
  BioPtr bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
  EvpPkeyPtr key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!key || !EVP_PKEY_is_a(key.get(), "EC")) {
    return KeyError(path, "is not a PEM EC P-256 private key");
  }
  char group[32] = {};
  if (EVP_PKEY_get_group_name(key.get(), group, sizeof(group), nullptr) != 1 ||
      std::string_view(group) != "prime256v1") {
    return KeyError(path, "is not on the curve P-256");
  }
  return key;
}

Result<EvpPkeyPtr> CreateKey(const std::filesystem::path& path) {
  EvpPkeyPtr key(EVP_EC_gen("P-256"));
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!key || !bio ||
      PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return KeyError(path, "OpenSSL could not generate it");
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  // O_EXCL: never overwrite a key another process just wrote; 0600 from the first byte on.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return KeyError(path, "cannot be created");
  const bool written = ::write(fd, data, static_cast<size_t>(size)) == size && ::fsync(fd) == 0;
  ::close(fd);
  if (!written) return KeyError(path, "cannot be written");
  return key;
}

// The key id: a digest of the public key, so a new key gets a new kid.
Result<std::string> KeyId(EVP_PKEY* key) {
  unsigned char* der = nullptr;
  const int size = i2d_PUBKEY(key, &der);
  if (size <= 0) return Status(ErrorCode::kInternal, "OpenSSL could not encode the issuer key");
  std::string digest = Sha256(std::string_view(reinterpret_cast<const char*>(der), size));
  OPENSSL_free(der);
  return Base64UrlEncode(digest).substr(0, 22);
}

// Whether scope (space-separated) names ADT: "<audience>/.default" for one of kAdtAudiences.
bool ScopeIsAdt(std::string_view scope) {
  while (!scope.empty()) {
    const size_t space = scope.find(' ');
    std::string_view item = scope.substr(0, space);
    scope = space == std::string_view::npos ? std::string_view() : scope.substr(space + 1);
    constexpr std::string_view kDefault = "/.default";
    if (item.size() <= kDefault.size() || !item.ends_with(kDefault)) continue;
    item.remove_suffix(kDefault.size());
    for (const std::string& audience : kAdtAudiences) {
      if (item == audience) return true;
    }
  }
  return false;
}

std::map<std::string, const IssuerClient*, std::less<>> IndexClients(
    const std::vector<IssuerClient>& clients) {
  std::map<std::string, const IssuerClient*, std::less<>> index;
  for (const IssuerClient& client : clients) index.emplace(client.client_id, &client);
  return index;
}

}  // namespace

std::string SecretSha256Hex(std::string_view secret) { return Hex(Sha256(secret)); }

std::string NewClientSecret() { return RandomBase64Url(32); }

TokenIssuer::TokenIssuer(TokenIssuerOptions options, EvpPkeyPtr key, std::string kid,
                         std::string jwks_json, Jwks jwks)
    : options_(std::move(options)),
      clients_(IndexClients(options_.clients)),
      key_(std::move(key)),
      kid_(std::move(kid)),
      jwks_json_(std::move(jwks_json)),
      jwks_(std::move(jwks)) {}

Result<std::unique_ptr<TokenIssuer>> TokenIssuer::Open(TokenIssuerOptions options,
                                                       const std::filesystem::path& key_path) {
  std::error_code error;
  Result<EvpPkeyPtr> key =
      std::filesystem::exists(key_path, error) ? LoadKey(key_path) : CreateKey(key_path);
  if (!key.ok()) return key.status();
  Result<std::string> kid = KeyId(key->get());
  if (!kid.ok()) return kid.status();
  Result<json::object> jwk = PublicJwkOf(key->get(), JwkType::kEcP256, *kid);
  if (!jwk.ok()) return jwk.status();
  std::string jwks_json = json::serialize(json::object{{"keys", json::array{*jwk}}});
  Result<Jwks> jwks = ParseJwks(jwks_json);
  if (!jwks.ok()) return jwks.status();
  return std::unique_ptr<TokenIssuer>(new TokenIssuer(std::move(options), std::move(*key),
                                                      std::move(*kid), std::move(jwks_json),
                                                      std::move(*jwks)));
}

std::variant<IssuedToken, OAuthError> TokenIssuer::Issue(
    const TokenRequest& request, std::chrono::system_clock::time_point now) const {
  if (request.grant_type != "client_credentials") {
    return OAuthError{400, "unsupported_grant_type",
                      "this issuer grants only client_credentials, not '" +
                          request.grant_type.substr(0, 64) + "'"};
  }
  if (request.client_id.empty() || request.client_secret.empty()) {
    return OAuthError{400, "invalid_request", "client_id and client_secret are required"};
  }
  // Hash before the lookup and compare digests in constant time, so neither the secret nor
  // whether the client exists shows in the response time.
  const std::string presented = SecretSha256Hex(request.client_secret);
  auto found = clients_.find(request.client_id);
  const bool known =
      found != clients_.end() && found->second->secret_sha256.size() == presented.size();
  const std::string& expected = known ? found->second->secret_sha256 : presented;
  const bool match = CRYPTO_memcmp(presented.data(), expected.data(), presented.size()) == 0;
  if (!known || !match) {
    return OAuthError{401, "invalid_client",
                      "unknown client or wrong client secret for client_id '" +
                          request.client_id.substr(0, 64) + "'"};
  }
  if (!request.scope.empty() && !ScopeIsAdt(request.scope)) {
    return OAuthError{400, "invalid_scope",
                      "this issuer makes tokens for Azure Digital Twins only; ask for the scope "
                      "https://digitaltwins.azure.net/.default"};
  }

  const IssuerClient& client = *found->second;
  const int64_t issued_at =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  json::array roles;
  for (const std::string& role : client.roles) roles.push_back(json::string(role));
  const json::object claims{{"aud", kAdtAudiences.front()},
                            {"iss", options_.issuer},
                            {"iat", issued_at},
                            {"nbf", issued_at},
                            {"exp", issued_at + options_.token_lifetime.count()},
                            {"sub", client.client_id},
                            {"appid", client.client_id},
                            {"azp", client.client_id},
                            {"tid", request.tenant},
                            {"roles", std::move(roles)},
                            {"jti", RandomBase64Url(16)},
                            {"ver", "1.0"}};
  const json::object header{{"alg", "ES256"}, {"kid", kid_}, {"typ", "JWT"}};
  Result<std::string> token =
      SignCompactJws(JwsSigningInput(header, claims), key_.get(), JwkType::kEcP256);
  if (!token.ok()) return OAuthError{500, "server_error", token.status().message()};
  return IssuedToken{std::move(*token), options_.token_lifetime};
}

}  // namespace dtwin::auth
