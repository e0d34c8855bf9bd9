// TokenIssuer: the signing key file (made 0600, reused, refused when others can read it),
// client authentication and the OAuth2 errors, and tokens the JwtValidator accepts with the
// client's identity and roles.
#include "auth/token_issuer.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "auth/jwt_validator.h"

namespace dtwin::auth {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::system_clock;

const Clock::time_point kNow{std::chrono::seconds(1714557600)};
constexpr std::string_view kSecret = "correct horse battery staple";

class TokenIssuerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("dtwin_token_issuer_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  TokenIssuerOptions Options() const {
    TokenIssuerOptions options;
    options.issuer = "https://issuer.test/dtwin";
    options.clients = {{"app-1", SecretSha256Hex(kSecret), {"Azure Digital Twins Data Reader"}}};
    options.token_lifetime = std::chrono::seconds(600);
    return options;
  }

  std::unique_ptr<TokenIssuer> OpenOrDie() {
    Result<std::unique_ptr<TokenIssuer>> issuer = TokenIssuer::Open(Options(), key_path());
    EXPECT_TRUE(issuer.ok()) << issuer.status().ToString();
    return issuer.ok() ? std::move(*issuer) : nullptr;
  }

  static TokenRequest Request(std::string secret = std::string(kSecret)) {
    return TokenRequest{"client_credentials", "app-1", std::move(secret),
                        "https://digitaltwins.azure.net/.default", "adfs"};
  }

  static OAuthError ErrorOf(const std::variant<IssuedToken, OAuthError>& result) {
    EXPECT_TRUE(std::holds_alternative<OAuthError>(result));
    return std::holds_alternative<OAuthError>(result) ? std::get<OAuthError>(result) : OAuthError{};
  }

  fs::path key_path() const { return dir_ / "issuer-key.pem"; }

  fs::path dir_;
};

TEST_F(TokenIssuerTest, KeyFileIsCreatedPrivateAndReused) {
  std::unique_ptr<TokenIssuer> first = OpenOrDie();
  ASSERT_NE(first, nullptr);
  struct stat info {};
  ASSERT_EQ(::stat(key_path().c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600);

  std::unique_ptr<TokenIssuer> second = OpenOrDie();
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(first->jwks_json(), second->jwks_json());
  ASSERT_EQ(second->jwks().keys.size(), 1u);
  EXPECT_EQ(second->jwks().keys.begin()->second.type, JwkType::kEcP256);
}

TEST_F(TokenIssuerTest, KeyReadableByOthersIsRefused) {
  ASSERT_NE(OpenOrDie(), nullptr);
  fs::permissions(key_path(), fs::perms::others_read, fs::perm_options::add);
  Result<std::unique_ptr<TokenIssuer>> issuer = TokenIssuer::Open(Options(), key_path());
  ASSERT_FALSE(issuer.ok());
  EXPECT_NE(issuer.status().message().find("chmod 600"), std::string::npos);
}

TEST_F(TokenIssuerTest, KeyFileThatIsNoKeyIsRefused) {
  {
    std::FILE* file = std::fopen(key_path().c_str(), "w");
    ASSERT_NE(file, nullptr);
    std::fputs("not a key\n", file);
    std::fclose(file);
  }
  fs::permissions(key_path(), fs::perms::owner_read | fs::perms::owner_write);
  Result<std::unique_ptr<TokenIssuer>> issuer = TokenIssuer::Open(Options(), key_path());
  ASSERT_FALSE(issuer.ok());
  EXPECT_NE(issuer.status().message().find("EC P-256 private key"), std::string::npos);
}

TEST_F(TokenIssuerTest, IssuedTokenValidatesWithTheClientsIdentity) {
  std::unique_ptr<TokenIssuer> issuer = OpenOrDie();
  ASSERT_NE(issuer, nullptr);
  std::variant<IssuedToken, OAuthError> result = issuer->Issue(Request(), kNow);
  ASSERT_TRUE(std::holds_alternative<IssuedToken>(result)) << ErrorOf(result).description;
  const IssuedToken& token = std::get<IssuedToken>(result);
  EXPECT_EQ(token.expires_in, std::chrono::seconds(600));

  JwtValidatorOptions options;
  options.issuers = {"https://issuer.test/dtwin"};
  JwtValidator validator(options, issuer->jwks());
  Result<ValidatedToken> validated = validator.Validate(token.access_token, kNow);
  ASSERT_TRUE(validated.ok()) << validated.status().ToString();
  EXPECT_EQ(validated->client_id, "app-1");
  EXPECT_EQ(validated->tenant_id, "adfs");
  EXPECT_EQ(validated->roles, std::vector<std::string>{"Azure Digital Twins Data Reader"});
  EXPECT_EQ(validated->expires, kNow + std::chrono::seconds(600));
  // Short-lived: the same token is refused once its lifetime (plus the skew) has passed.
  EXPECT_FALSE(validator.Validate(token.access_token, kNow + std::chrono::hours(1)).ok());
}

TEST_F(TokenIssuerTest, ScopeMayNameEitherAdtAudienceOrBeAbsent) {
  std::unique_ptr<TokenIssuer> issuer = OpenOrDie();
  ASSERT_NE(issuer, nullptr);
  for (std::string scope :
       {"https://digitaltwins.azure.net/.default", "https://digitaltwins.azure.net//.default",
        "0b07f429-9f4b-4714-9392-cc5e8e80c8b0/.default", ""}) {
    TokenRequest request = Request();
    request.scope = scope;
    EXPECT_TRUE(std::holds_alternative<IssuedToken>(issuer->Issue(request, kNow))) << scope;
  }
  TokenRequest other = Request();
  other.scope = "https://graph.microsoft.com/.default";
  EXPECT_EQ(ErrorOf(issuer->Issue(other, kNow)).error, "invalid_scope");
}

TEST_F(TokenIssuerTest, BadCredentialsAndGrantsGetOAuthErrors) {
  std::unique_ptr<TokenIssuer> issuer = OpenOrDie();
  ASSERT_NE(issuer, nullptr);

  OAuthError wrong_secret = ErrorOf(issuer->Issue(Request("wrong"), kNow));
  EXPECT_EQ(wrong_secret.http_status, 401);
  EXPECT_EQ(wrong_secret.error, "invalid_client");
  EXPECT_EQ(wrong_secret.description.find("wrong\""), std::string::npos);

  TokenRequest unknown = Request();
  unknown.client_id = "app-2";
  OAuthError unknown_client = ErrorOf(issuer->Issue(unknown, kNow));
  EXPECT_EQ(unknown_client.http_status, 401);
  EXPECT_EQ(unknown_client.error, "invalid_client");
  // The same answer as a wrong secret: the response does not tell which clients exist.
  EXPECT_EQ(unknown_client.description.substr(0, 40), wrong_secret.description.substr(0, 40));

  TokenRequest password = Request();
  password.grant_type = "password";
  OAuthError grant = ErrorOf(issuer->Issue(password, kNow));
  EXPECT_EQ(grant.http_status, 400);
  EXPECT_EQ(grant.error, "unsupported_grant_type");

  TokenRequest no_secret = Request("");
  EXPECT_EQ(ErrorOf(issuer->Issue(no_secret, kNow)).error, "invalid_request");
}

TEST(SecretSha256HexTest, IsTheLowercaseHexDigest) {
  // FIPS 180-2 test vector for "abc".
  EXPECT_EQ(SecretSha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_NE(NewClientSecret(), NewClientSecret());
  EXPECT_EQ(NewClientSecret().size(), 43u);  // 32 bytes in base64url
}

}  // namespace
}  // namespace dtwin::auth
