// JwtValidator and ParseJwks against keys, JWKS and tokens made here with OpenSSL: every
// rejection the issue lists, the claims of good tokens, key rotation and the per-token cache.
#include "auth/jwt_validator.h"

#include <gtest/gtest.h>
#include <openssl/rsa.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "common/base64url.h"
#include "jwt_test_keys.h"

namespace dtwin::auth {
namespace {

namespace json = boost::json;
using Clock = std::chrono::system_clock;
using test::GenerateTestKey;
using test::MakeToken;
using test::SignCompact;
using test::SigningInput;
using test::TestKey;

constexpr std::string_view kIssuer = "https://issuer.example/";
constexpr int64_t kNowSeconds = 1714557600;  // 2024-05-01T10:00:00Z
const Clock::time_point kNow{std::chrono::seconds(kNowSeconds)};

// Literal tokens: scripts/fuzz takes them as seeds for fuzz/jwt_fuzzer.cc (which signs the
// header.payload ones with its keys of the same kids, "ec-1" and "rsa-1").
constexpr std::string_view kSeedEs256SigningInput =
    "eyJhbGciOiJFUzI1NiIsImtpZCI6ImVjLTEiLCJ0eXAiOiJKV1QifQ."
    "eyJpc3MiOiJodHRwczovL2lzc3Vlci5leGFtcGxlLyIsImF1ZCI6WyJodHRwczovL2RpZ2l0YWx0d2lucy5henVy"
    "ZS5uZXQiLCJhcGk6Ly9vdGhlciJdLCJzdWIiOiJzZWVkLXN1YmplY3QiLCJvaWQiOiJzZWVkLW9iamVjdCIsImF6"
    "cCI6InNlZWQtY2xpZW50IiwidGlkIjoic2VlZC10ZW5hbnQiLCJyb2xlcyI6WyJBenVyZSBEaWdpdGFsIFR3aW5z"
    "IERhdGEgUmVhZGVyIl0sImV4cCI6MTcxNDU2MTIwMCwibmJmIjoxNzE0NTU3MDAwfQ";
constexpr std::string_view kSeedRs256SigningInput =
    "eyJhbGciOiJSUzI1NiIsImtpZCI6InJzYS0xIiwidHlwIjoiSldUIn0."
    "eyJpc3MiOiJodHRwczovL2lzc3Vlci5leGFtcGxlLyIsImF1ZCI6IjBiMDdmNDI5LTlmNGItNDcxNC05MzkyLWNj"
    "NWU4ZTgwYzhiMCIsInN1YiI6InNlZWQtc3ViamVjdCIsImFwcGlkIjoic2VlZC1hcHAiLCJyb2xlcyI6WyJBenVy"
    "ZSBEaWdpdGFsIFR3aW5zIERhdGEgT3duZXIiXSwiZXhwIjoxNzE0NTYxMjAwfQ";
constexpr std::string_view kSeedAlgNoneToken =
    "eyJhbGciOiJub25lIiwia2lkIjoiZWMtMSJ9."
    "eyJpc3MiOiJodHRwczovL2lzc3Vlci5leGFtcGxlLyIsImF1ZCI6Imh0dHBzOi8vZGlnaXRhbHR3aW5zLmF6dXJl"
    "Lm5ldCIsImV4cCI6MTcxNDU2MTIwMH0.";

// Keys are generated once: RSA-2048 generation takes tens of milliseconds.
const TestKey& RsaKey() {
  static const TestKey key = GenerateTestKey("rsa-1", JwkType::kRsa);
  return key;
}
const TestKey& EcKey() {
  static const TestKey key = GenerateTestKey("ec-1", JwkType::kEcP256);
  return key;
}
const TestKey& SecondRsaKey() {
  static const TestKey key = GenerateTestKey("rsa-2", JwkType::kRsa);
  return key;
}

Jwks ParseOrDie(const std::string& text) {
  Result<Jwks> jwks = ParseJwks(text);
  EXPECT_TRUE(jwks.ok()) << jwks.status().ToString();
  return jwks.ok() ? std::move(jwks).value() : Jwks{};
}

JwtValidatorOptions Options() {
  JwtValidatorOptions options;
  options.issuers = {std::string(kIssuer)};
  return options;
}

JwtValidator MakeValidator(JwtValidatorOptions options = Options()) {
  return JwtValidator(std::move(options), ParseOrDie(test::JwksJson({&RsaKey(), &EcKey()})));
}

// Claims of a token valid at kNow for ADT, issued by kIssuer.
json::object GoodClaims() {
  return {{"iss", kIssuer},
          {"aud", "https://digitaltwins.azure.net"},
          {"sub", "subject-1"},
          {"oid", "object-1"},
          {"azp", "client-1"},
          {"tid", "tenant-1"},
          {"roles", json::array{"Azure Digital Twins Data Owner", "Extra.Role"}},
          {"iat", kNowSeconds - 60},
          {"nbf", kNowSeconds - 60},
          {"exp", kNowSeconds + 3600}};
}

json::object With(json::object claims, std::string_view name, json::value value) {
  claims[name] = std::move(value);
  return claims;
}

json::object Without(json::object claims, std::string_view name) {
  claims.erase(name);
  return claims;
}

std::string Encode(std::string_view text) { return Base64UrlEncode(text); }

// Validate must fail with Unauthorized, a message holding `expected`, and never the token.
void ExpectRejected(const JwtValidator& validator, const std::string& token,
                    std::string_view expected, Clock::time_point now = kNow) {
  const Result<ValidatedToken> result = validator.Validate(token, now);
  ASSERT_FALSE(result.ok()) << "accepted: " << expected;
  EXPECT_EQ(result.status().code(), ErrorCode::kUnauthorized) << result.status().ToString();
  EXPECT_NE(result.status().message().find(expected), std::string::npos)
      << "message: " << result.status().message() << "\nexpected: " << expected;
  if (token.size() >= 8) {
    EXPECT_EQ(result.status().message().find(token), std::string::npos) << "message echoes token";
  }
}

TEST(ParseJwksTest, ReadsRsaAndEcKeysByKid) {
  const Jwks jwks = ParseOrDie(test::JwksJson({&RsaKey(), &EcKey()}));
  EXPECT_EQ(jwks.keys.size(), 2u);
  EXPECT_TRUE(jwks.ignored.empty());
  ASSERT_NE(jwks.Find("rsa-1"), nullptr);
  EXPECT_EQ(jwks.Find("rsa-1")->type, JwkType::kRsa);
  EXPECT_EQ(EVP_PKEY_eq(jwks.Find("rsa-1")->key.get(), RsaKey().key.get()), 1);
  ASSERT_NE(jwks.Find("ec-1"), nullptr);
  EXPECT_EQ(jwks.Find("ec-1")->type, JwkType::kEcP256);
  EXPECT_EQ(EVP_PKEY_eq(jwks.Find("ec-1")->key.get(), EcKey().key.get()), 1);
  EXPECT_EQ(jwks.Find("other"), nullptr);
}

TEST(ParseJwksTest, IgnoresUnsupportedKeysWithAReason) {
  json::object rsa = test::PublicJwk(RsaKey());
  json::object ec = test::PublicJwk(EcKey());
  const TestKey weak{"weak", JwkType::kRsa, EvpPkeyPtr(EVP_RSA_gen(1024))};
  json::object off_curve = ec;
  off_curve["kid"] = "off-curve";
  off_curve["y"] = Encode(std::string(31, '\0') + '\x01');
  const json::array keys{rsa,
                         json::object{{"kty", "oct"}, {"kid", "hmac"}, {"k", "c2VjcmV0"}},
                         With(ec, "crv", "P-384"),
                         With(With(rsa, "kid", "enc"), "use", "enc"),
                         With(With(rsa, "kid", "ps"), "alg", "PS256"),
                         Without(With(ec, "kid", "x"), "x"),
                         Without(ec, "kid"),
                         With(ec, "kid", "rsa-1"),
                         test::PublicJwk(weak),
                         off_curve,
                         "not an object",
                         ec};
  const Jwks jwks = ParseOrDie(json::serialize(json::object{{"keys", keys}}));
  EXPECT_EQ(jwks.keys.size(), 2u);
  EXPECT_NE(jwks.Find("rsa-1"), nullptr);
  EXPECT_NE(jwks.Find("ec-1"), nullptr);
  const std::vector<std::string> expected = {
      "keys/1 (kid \"hmac\"): kty \"oct\" is not supported",
      "keys/2 (kid \"ec-1\"): EC curve other than P-256",
      "keys/3 (kid \"enc\"): use is not \"sig\"",
      "keys/4 (kid \"ps\"): RSA key for an alg other than RS256",
      "keys/5 (kid \"x\"): EC P-256 key needs base64url members x and y of 32 bytes",
      "keys/6: no kid (tokens name their key by kid)",
      "keys/7 (kid \"rsa-1\"): duplicate kid",
      "keys/8 (kid \"weak\"): RSA key of 1024 bits is shorter than 2048",
      "keys/9 (kid \"off-curve\"): EC point is not on the P-256 curve",
      "keys/10: not an object"};
  EXPECT_EQ(jwks.ignored, expected);
}

TEST(ParseJwksTest, RejectsDocumentsWithoutUsableKeys) {
  for (const auto& [text, expected] : std::vector<std::pair<std::string, std::string>>{
           {"{\"keys\":[", "JWKS is not JSON"},
           {"[]", "JWKS is not an object with a \"keys\" array"},
           {"{\"keys\":{}}", "JWKS is not an object with a \"keys\" array"},
           {"{\"keys\":[]}", "JWKS has no usable key"},
           {"{\"keys\":[{\"kty\":\"oct\",\"kid\":\"a\"}]}",
            "JWKS has no usable key: keys/0 (kid \"a\"): kty \"oct\" is not supported"}}) {
    const Result<Jwks> jwks = ParseJwks(text);
    ASSERT_FALSE(jwks.ok()) << text;
    EXPECT_EQ(jwks.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(jwks.status().message().find(expected), std::string::npos) << jwks.status().message();
  }
}

TEST(JwtValidatorTest, AcceptsRs256WithAudienceStringAndExtractsClaims) {
  const JwtValidator validator = MakeValidator();
  const Result<ValidatedToken> result = validator.Validate(MakeToken(GoodClaims(), RsaKey()), kNow);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->issuer, kIssuer);
  EXPECT_EQ(result->subject, "subject-1");
  EXPECT_EQ(result->object_id, "object-1");
  EXPECT_EQ(result->client_id, "client-1");
  EXPECT_EQ(result->tenant_id, "tenant-1");
  EXPECT_EQ(result->roles,
            (std::vector<std::string>{"Azure Digital Twins Data Owner", "Extra.Role"}));
  EXPECT_EQ(result->expires, kNow + std::chrono::hours(1));
  EXPECT_EQ(result->not_before, kNow - std::chrono::minutes(1));
}

TEST(JwtValidatorTest, AcceptsEs256WithAudienceArray) {
  const JwtValidator validator = MakeValidator();
  const json::object claims =
      With(GoodClaims(), "aud", json::array{"api://other", "0b07f429-9f4b-4714-9392-cc5e8e80c8b0"});
  const Result<ValidatedToken> result = validator.Validate(MakeToken(claims, EcKey()), kNow);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->subject, "subject-1");
}

TEST(JwtValidatorTest, AcceptsEachAdtAudienceAndV1AppId) {
  const JwtValidator validator = MakeValidator();
  for (const std::string& audience : kAdtAudiences) {
    json::object claims = Without(With(GoodClaims(), "aud", json::string(audience)), "azp");
    claims["appid"] = "app-1";
    claims.erase("roles");
    claims.erase("nbf");
    const Result<ValidatedToken> result = validator.Validate(MakeToken(claims, RsaKey()), kNow);
    ASSERT_TRUE(result.ok()) << audience << ": " << result.status().ToString();
    EXPECT_EQ(result->client_id, "app-1");
    EXPECT_TRUE(result->roles.empty());
    EXPECT_EQ(result->not_before, Clock::time_point());
  }
}

TEST(JwtValidatorTest, AcceptsTheLiteralSeedsOnceSigned) {
  const JwtValidator validator = MakeValidator();
  const Result<ValidatedToken> es =
      validator.Validate(SignCompact(kSeedEs256SigningInput, EcKey()), kNow);
  ASSERT_TRUE(es.ok()) << es.status().ToString();
  EXPECT_EQ(es->client_id, "seed-client");
  EXPECT_EQ(es->roles, std::vector<std::string>{"Azure Digital Twins Data Reader"});
  const Result<ValidatedToken> rs =
      validator.Validate(SignCompact(kSeedRs256SigningInput, RsaKey()), kNow);
  ASSERT_TRUE(rs.ok()) << rs.status().ToString();
  EXPECT_EQ(rs->client_id, "seed-app");
  ExpectRejected(validator, std::string(kSeedAlgNoneToken), "alg \"none\"");
}

TEST(JwtValidatorTest, RejectsMalformedTokens) {
  const JwtValidator validator = MakeValidator();
  const std::string good = MakeToken(GoodClaims(), RsaKey());
  const std::string header = good.substr(0, good.find('.'));
  const std::string payload = good.substr(good.find('.') + 1, good.rfind('.') - good.find('.') - 1);
  const std::string signature = good.substr(good.rfind('.') + 1);
  ExpectRejected(validator, "", "the bearer token is empty");
  ExpectRejected(validator, header + "." + payload, "not three parts");
  ExpectRejected(validator, good + ".extra", "not three parts");
  ExpectRejected(validator, "no dots at all in this token", "not three parts");
  ExpectRejected(validator, "!!" + header + "." + payload + "." + signature,
                 "token header is not base64url");
  ExpectRejected(validator, header.substr(0, 5) + "." + payload + "." + signature,
                 "token header is not base64url");  // a length no encoding has
  ExpectRejected(validator, Encode("{\"alg\":") + "." + payload + "." + signature,
                 "token header is not JSON");
  ExpectRejected(validator, Encode("[\"RS256\"]") + "." + payload + "." + signature,
                 "token header is not a JSON object");
  ExpectRejected(validator,
                 Encode("{\"alg\":\"RS256\",\"alg\":\"none\"}") + "." + payload + "." + signature,
                 "duplicate member name");
  // The reader quotes member names in full; the message keeps the gist, bounded.
  const std::string long_name(500, 'n');
  const std::string duplicate = Encode("{\"" + long_name + "\":1,\"" + long_name + "\":2}");
  const Result<ValidatedToken> bounded =
      validator.Validate(duplicate + "." + payload + "." + signature, kNow);
  ASSERT_FALSE(bounded.ok());
  EXPECT_NE(bounded.status().message().find(
                "token header is not JSON: invalid JSON: duplicate member name \"nnn"),
            std::string::npos)
      << bounded.status().message();
  EXPECT_LT(bounded.status().message().size(), 200u) << bounded.status().message();
  ExpectRejected(validator, header + "." + payload + ".sig+nature",
                 "token signature is not base64url");
  // A payload that is not JSON, correctly signed, is still malformed.
  const json::object good_header{{"alg", "RS256"}, {"kid", "rsa-1"}};
  ExpectRejected(
      validator,
      SignCompact(Encode(json::serialize(good_header)) + "." + Encode("{\"exp\":"), RsaKey()),
      "token payload is not JSON");
  ExpectRejected(validator, SignCompact(Encode(json::serialize(good_header)) + ".%%", RsaKey()),
                 "token payload is not base64url");
  JwtValidatorOptions small = Options();
  small.max_token_bytes = 100;
  ExpectRejected(MakeValidator(small), good, "token is longer than 100 bytes");
}

TEST(JwtValidatorTest, RejectsAlgorithmsOtherThanRs256AndEs256) {
  const JwtValidator validator = MakeValidator();
  const json::object claims = GoodClaims();
  const auto token_with = [&](json::object header, std::string_view signature) {
    return SigningInput(header, claims) + "." + std::string(signature);
  };
  ExpectRejected(validator, token_with({{"alg", "none"}, {"kid", "rsa-1"}}, ""),
                 "alg \"none\" (an unsigned token) is not accepted");
  // HS256 keyed with the public key's bytes: the classic key-confusion attack.
  ExpectRejected(validator, token_with({{"alg", "HS256"}, {"kid", "rsa-1"}}, Encode("mac")),
                 "alg \"HS256\" (a shared-secret signature) is not accepted");
  ExpectRejected(validator, token_with({{"alg", "HS512"}, {"kid", "ec-1"}}, Encode("mac")),
                 "alg \"HS512\" (a shared-secret signature) is not accepted");
  for (const char* alg : {"RS384", "PS256", "ES384", "EdDSA", "rs256"}) {
    ExpectRejected(validator, token_with({{"alg", alg}, {"kid", "rsa-1"}}, Encode("sig")),
                   "alg \"" + std::string(alg) + "\" is not supported (RS256 and ES256 are)");
  }
  ExpectRejected(validator, token_with({{"kid", "rsa-1"}}, Encode("sig")),
                 "token header has no alg");
  ExpectRejected(validator, token_with({{"alg", 256}, {"kid", "rsa-1"}}, Encode("sig")),
                 "token header has no alg");
  ExpectRejected(
      validator,
      SignCompact(
          SigningInput({{"alg", "RS256"}, {"kid", "rsa-1"}, {"crit", json::array{"exp"}}}, claims),
          RsaKey()),
      "token header has crit");
}

TEST(JwtValidatorTest, RejectsUnknownOrMismatchedKeys) {
  const JwtValidator validator = MakeValidator();
  const json::object claims = GoodClaims();
  ExpectRejected(validator, MakeToken(claims, SecondRsaKey()),
                 "no key with kid \"rsa-2\" in the JWKS");
  ExpectRejected(validator, SignCompact(SigningInput({{"alg", "RS256"}}, claims), RsaKey()),
                 "token header has no kid");
  // An RS256 token naming the EC key: the key type decides, never the token's alg alone.
  ExpectRejected(validator,
                 SignCompact(SigningInput({{"alg", "RS256"}, {"kid", "ec-1"}}, claims), RsaKey()),
                 "alg RS256 does not match the type of key \"ec-1\"");
  ExpectRejected(validator,
                 SignCompact(SigningInput({{"alg", "ES256"}, {"kid", "rsa-1"}}, claims), EcKey()),
                 "alg ES256 does not match the type of key \"rsa-1\"");
}

TEST(JwtValidatorTest, RejectsBadSignatures) {
  const JwtValidator validator = MakeValidator();
  for (const TestKey* key : {&RsaKey(), &EcKey()}) {
    const std::string good = MakeToken(GoodClaims(), *key);
    const std::string signature = good.substr(good.rfind('.') + 1);
    // Claims changed after signing.
    const std::string header = good.substr(0, good.find('.'));
    const std::string forged_payload = Encode(json::serialize(
        With(GoodClaims(), "roles", json::array{"Azure Digital Twins Data Owner", "Admin"})));
    ExpectRejected(validator, header + "." + forged_payload + "." + signature,
                   "token signature does not verify with key \"" + key->kid + "\"");
    // Signed by another key that claims this key's kid.
    const TestKey impostor = GenerateTestKey(key->kid, key->type);
    ExpectRejected(validator, MakeToken(GoodClaims(), impostor), "token signature does not verify");
    // A signature bit flipped, and a truncated signature.
    std::string flipped = good;
    flipped[good.rfind('.') + 5] = flipped[good.rfind('.') + 5] == 'A' ? 'B' : 'A';
    ExpectRejected(validator, flipped, "token signature does not verify");
    ExpectRejected(validator, good.substr(0, good.size() - 8), "token signature does not verify");
    ExpectRejected(validator, good.substr(0, good.rfind('.') + 1),
                   "token signature does not verify");
  }
  // ES256 signatures as OpenSSL writes them (DER) instead of JWS's r || s.
  const std::string input = SigningInput({{"alg", "ES256"}, {"kid", "ec-1"}}, GoodClaims());
  const EvpMdCtxPtr context(EVP_MD_CTX_new());
  std::vector<unsigned char> der(128);
  size_t size = der.size();
  ASSERT_EQ(EVP_DigestSignInit(context.get(), nullptr, EVP_sha256(), nullptr, EcKey().key.get()),
            1);
  ASSERT_EQ(EVP_DigestSign(context.get(), der.data(), &size,
                           reinterpret_cast<const unsigned char*>(input.data()), input.size()),
            1);
  ExpectRejected(validator, input + "." + Encode(std::string(der.begin(), der.begin() + size)),
                 "token signature does not verify");
}

TEST(JwtValidatorTest, RejectsTokensOutsideTheirLifetime) {
  const JwtValidator validator = MakeValidator();
  const std::chrono::seconds skew = Options().clock_skew;
  const std::string token = MakeToken(GoodClaims(), EcKey());
  const Clock::time_point expires = kNow + std::chrono::hours(1);
  JwtValidatorOptions uncached = Options();
  uncached.cache_capacity = 0;
  const JwtValidator fresh = MakeValidator(uncached);
  EXPECT_TRUE(fresh.Validate(token, expires + skew).ok());
  ExpectRejected(fresh, token, "token expired at 2024-05-01T11:00:00.0000000Z",
                 expires + skew + std::chrono::seconds(1));
  EXPECT_TRUE(fresh.Validate(token, kNow - std::chrono::minutes(1) - skew).ok());
  ExpectRejected(fresh, token, "token is not valid before 2024-05-01T09:59:00.0000000Z",
                 kNow - std::chrono::minutes(1) - skew - std::chrono::seconds(1));
  ExpectRejected(validator, MakeToken(With(GoodClaims(), "exp", kNowSeconds - 301), RsaKey()),
                 "token expired at 2024-05-01T09:54:59.0000000Z");
  EXPECT_TRUE(
      validator.Validate(MakeToken(With(GoodClaims(), "exp", kNowSeconds - 299), RsaKey()), kNow)
          .ok());
  ExpectRejected(validator, MakeToken(With(GoodClaims(), "nbf", kNowSeconds + 301), RsaKey()),
                 "token is not valid before");
  ExpectRejected(validator, MakeToken(Without(GoodClaims(), "exp"), RsaKey()),
                 "token has no exp claim");
  ExpectRejected(validator, MakeToken(With(GoodClaims(), "exp", "tomorrow"), RsaKey()),
                 "exp claim is not a number");
  ExpectRejected(validator, MakeToken(With(GoodClaims(), "nbf", json::array{}), RsaKey()),
                 "nbf claim is not a number");
  // Out-of-range dates are clamped, not overflowed: far future is valid, far past expired.
  EXPECT_TRUE(validator.Validate(MakeToken(With(GoodClaims(), "exp", 1e300), RsaKey()), kNow).ok());
  ExpectRejected(validator, MakeToken(With(GoodClaims(), "exp", -1e300), RsaKey()),
                 "token expired");
  EXPECT_TRUE(
      validator.Validate(MakeToken(With(GoodClaims(), "exp", kNowSeconds + 0.5), RsaKey()), kNow)
          .ok());
}

TEST(JwtValidatorTest, RejectsWrongIssuerOrAudience) {
  const JwtValidator validator = MakeValidator();
  ExpectRejected(validator, MakeToken(With(GoodClaims(), "iss", "https://evil.example/"), RsaKey()),
                 "issuer \"https://evil.example/\" is not accepted");
  ExpectRejected(validator,
                 MakeToken(With(GoodClaims(), "iss", "https://issuer.example"), RsaKey()),
                 "issuer \"https://issuer.example\" is not accepted");
  ExpectRejected(validator, MakeToken(Without(GoodClaims(), "iss"), RsaKey()),
                 "token has no iss claim");
  ExpectRejected(validator, MakeToken(With(GoodClaims(), "iss", 7), RsaKey()),
                 "iss claim is not a string");
  ExpectRejected(MakeValidator(JwtValidatorOptions{}), MakeToken(GoodClaims(), RsaKey()),
                 "issuer \"https://issuer.example/\" is not accepted");
  ExpectRejected(validator,
                 MakeToken(With(GoodClaims(), "aud", "https://management.azure.com"), RsaKey()),
                 "audience \"https://management.azure.com\" is not accepted");
  ExpectRejected(validator,
                 MakeToken(With(GoodClaims(), "aud",
                                json::array{"api://a", 5, "https://digitaltwins.azure.net/x"}),
                           RsaKey()),
                 "none of the token's 3 audiences is accepted");
  ExpectRejected(validator, MakeToken(With(GoodClaims(), "aud", json::array{}), RsaKey()),
                 "none of the token's 0 audiences is accepted");
  ExpectRejected(validator, MakeToken(Without(GoodClaims(), "aud"), RsaKey()),
                 "token has no aud claim");
  ExpectRejected(validator, MakeToken(With(GoodClaims(), "aud", json::object{}), RsaKey()),
                 "aud claim is neither a string nor an array");
  JwtValidatorOptions custom = Options();
  custom.audiences = {"api://dtwin"};
  ExpectRejected(MakeValidator(custom), MakeToken(GoodClaims(), RsaKey()), "is not accepted");
  EXPECT_TRUE(MakeValidator(custom)
                  .Validate(MakeToken(With(GoodClaims(), "aud", "api://dtwin"), RsaKey()), kNow)
                  .ok());
}

TEST(JwtValidatorTest, RejectsIdentityClaimsOfTheWrongType) {
  const JwtValidator validator = MakeValidator();
  for (const char* name : {"sub", "oid", "tid", "azp", "appid"}) {
    ExpectRejected(validator, MakeToken(With(GoodClaims(), name, json::array{"x"}), RsaKey()),
                   std::string(name) + " claim is not a string");
  }
  ExpectRejected(validator,
                 MakeToken(With(GoodClaims(), "roles", "Azure Digital Twins Data Owner"), RsaKey()),
                 "roles claim is not an array");
  ExpectRejected(validator,
                 MakeToken(With(GoodClaims(), "roles", json::array{"a", nullptr}), RsaKey()),
                 "roles claim holds a value that is not a string");
}

TEST(JwtValidatorTest, AcceptsTokensOfEitherKeyDuringRotation) {
  // The JWKS during a rotation holds the outgoing and the incoming key.
  const JwtValidator validator(Options(), ParseOrDie(test::JwksJson({&RsaKey(), &SecondRsaKey()})));
  const Result<ValidatedToken> old_key =
      validator.Validate(MakeToken(GoodClaims(), RsaKey()), kNow);
  const Result<ValidatedToken> new_key =
      validator.Validate(MakeToken(With(GoodClaims(), "sub", "subject-2"), SecondRsaKey()), kNow);
  ASSERT_TRUE(old_key.ok()) << old_key.status().ToString();
  ASSERT_TRUE(new_key.ok()) << new_key.status().ToString();
  EXPECT_EQ(old_key->subject, "subject-1");
  EXPECT_EQ(new_key->subject, "subject-2");
  // Each key verifies only its own kid's tokens.
  const std::string input = SigningInput({{"alg", "RS256"}, {"kid", "rsa-1"}}, GoodClaims());
  ExpectRejected(validator, SignCompact(input, SecondRsaKey()),
                 "token signature does not verify with key \"rsa-1\"");
  // Once the old key is gone, its tokens are rejected.
  const JwtValidator rotated(Options(), ParseOrDie(test::JwksJson({&SecondRsaKey()})));
  ExpectRejected(rotated, MakeToken(GoodClaims(), RsaKey()), "no key with kid \"rsa-1\"");
}

TEST(JwtValidatorTest, CacheAnswersRepeatsWithTheSameResultUntilExpiry) {
  const JwtValidator validator = MakeValidator();
  const std::string token = MakeToken(GoodClaims(), RsaKey());
  const Result<ValidatedToken> first = validator.Validate(token, kNow);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(validator.cached_tokens(), 1u);
  const Result<ValidatedToken> second = validator.Validate(token, kNow + std::chrono::minutes(30));
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(*second, *first);
  EXPECT_EQ(validator.cached_tokens(), 1u);
  // Past exp + skew the cached token is rejected as a fresh one would be.
  const Clock::time_point after = kNow + std::chrono::hours(1) + std::chrono::seconds(301);
  ExpectRejected(validator, token, "token expired at 2024-05-01T11:00:00.0000000Z", after);
  ExpectRejected(validator, token, "token is not valid before", kNow - std::chrono::minutes(7));
  // Failures are not remembered.
  ExpectRejected(validator, MakeToken(With(GoodClaims(), "iss", "https://evil.example/"), RsaKey()),
                 "is not accepted");
  EXPECT_EQ(validator.cached_tokens(), 1u);
}

TEST(JwtValidatorTest, CacheStaysWithinItsCapacity) {
  JwtValidatorOptions options = Options();
  options.cache_capacity = 2;
  const JwtValidator validator = MakeValidator(options);
  std::vector<std::string> tokens;
  for (int i = 0; i < 3; ++i) {
    tokens.push_back(MakeToken(With(GoodClaims(), "exp", kNowSeconds + 3600 * (3 - i)), EcKey()));
    ASSERT_TRUE(validator.Validate(tokens.back(), kNow).ok());
    EXPECT_LE(validator.cached_tokens(), 2u);
  }
  EXPECT_EQ(validator.cached_tokens(), 2u);
  // Every token still validates (the evicted one the slow way).
  for (const std::string& token : tokens) EXPECT_TRUE(validator.Validate(token, kNow).ok());
  options.cache_capacity = 0;
  const JwtValidator uncached = MakeValidator(options);
  ASSERT_TRUE(uncached.Validate(tokens[0], kNow).ok());
  EXPECT_EQ(uncached.cached_tokens(), 0u);
}

TEST(JwtValidatorTest, EntraIssuersAreV1AndV2) {
  EXPECT_EQ(EntraIssuers("72f988bf-86f1-41af-91ab-2d7cd011db47"),
            (std::vector<std::string>{
                "https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/",
                "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0"}));
}

// Prints what a validation costs, cached and not (no assertion on time: machines differ).
TEST(JwtValidatorTest, PrintsValidationCost) {
  const JwtValidator validator = MakeValidator();
  // Entra ID tokens are 1-2 KB: the padded one is of that size.
  for (const auto& [key, padding] :
       {std::pair{&RsaKey(), 0}, std::pair{&EcKey(), 0}, std::pair{&RsaKey(), 1200}}) {
    const std::string token =
        MakeToken(With(GoodClaims(), "padding", json::string(padding, 'p')), *key);
    constexpr int kUncached = 200;
    JwtValidatorOptions options = Options();
    options.cache_capacity = 0;
    const JwtValidator uncached = MakeValidator(options);
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < kUncached; ++i) ASSERT_TRUE(uncached.Validate(token, kNow).ok());
    const auto uncached_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                 std::chrono::steady_clock::now() - start)
                                 .count() /
                             kUncached;
    ASSERT_TRUE(validator.Validate(token, kNow).ok());
    constexpr int kCached = 200000;
    start = std::chrono::steady_clock::now();
    for (int i = 0; i < kCached; ++i) ASSERT_TRUE(validator.Validate(token, kNow).ok());
    const auto cached_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                               std::chrono::steady_clock::now() - start)
                               .count() /
                           kCached;
    std::printf("%s token of %zu bytes: uncached %lld ns, cached %lld ns per validation\n",
                std::string(test::AlgOf(*key)).c_str(), token.size(),
                static_cast<long long>(uncached_ns), static_cast<long long>(cached_ns));
  }
}

}  // namespace
}  // namespace dtwin::auth
