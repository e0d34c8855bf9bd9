// `dtwin issuer new-client|hash-secret`: the printed config entry holds the hash of the printed
// secret, client ids that would break the TOML entry are refused, help and usage errors.
#include "server/auth_issuer_command.h"

#include <gtest/gtest.h>

#include <regex>
#include <sstream>

#include "auth/token_issuer.h"

namespace dtwin::server {
namespace {

struct IssuerRun {
  int code;
  std::string out;
  std::string err;
};

IssuerRun Issuer(const std::vector<std::string>& args, const std::string& stdin_text = "") {
  std::istringstream in(stdin_text);
  std::ostringstream out, err;
  int code = RunIssuerCommand(args, in, out, err);
  return {code, out.str(), err.str()};
}

TEST(IssuerCommandTest, NewClientPrintsASecretAndTheEntryWithItsHash) {
  IssuerRun run = Issuer({"new-client", "my-app.1"});
  ASSERT_EQ(run.code, 0) << run.err;
  std::smatch secret, hash;
  ASSERT_TRUE(std::regex_search(run.out, secret, std::regex("#   (\\S+)\n"))) << run.out;
  ASSERT_TRUE(std::regex_search(run.out, hash, std::regex("secret_sha256 = \"([0-9a-f]{64})\"")));
  EXPECT_EQ(hash[1].str(), auth::SecretSha256Hex(secret[1].str()));
  EXPECT_NE(run.out.find("client_id = \"my-app.1\""), std::string::npos) << run.out;
  // Each call makes a new secret; the default client id is "dev".
  IssuerRun other = Issuer({"new-client"});
  EXPECT_NE(other.out.find("client_id = \"dev\""), std::string::npos) << other.out;
  EXPECT_EQ(other.out.find(secret[1].str()), std::string::npos);
}

TEST(IssuerCommandTest, ClientIdsThatWouldBreakTheEntryAreRefused) {
  for (const char* id : {"a\"b", "-x", "two words", ""}) {
    IssuerRun run = Issuer({"new-client", id});
    EXPECT_EQ(run.code, 2) << id;
    EXPECT_EQ(run.out, "") << id;
    EXPECT_NE(run.err.find("may only contain"), std::string::npos) << run.err;
  }
}

TEST(IssuerCommandTest, HashSecretReadsOneLineFromStdin) {
  IssuerRun run = Issuer({"hash-secret"}, "s3cret\r\n");
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(run.out, "secret_sha256 = \"" + auth::SecretSha256Hex("s3cret") + "\"\n");
  IssuerRun empty = Issuer({"hash-secret"}, "");
  EXPECT_EQ(empty.code, 2);
  EXPECT_NE(empty.err.find("no secret on stdin"), std::string::npos);
}

TEST(IssuerCommandTest, HelpAndUsageErrors) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--help"}, {"new-client", "--help"}, {"hash-secret", "-h"}}) {
    IssuerRun run = Issuer(args);
    EXPECT_EQ(run.code, 0);
    EXPECT_NE(run.out.find("usage: dtwin issuer"), std::string::npos);
  }
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{}, {"rotate"}, {"new-client", "a", "b"}, {"hash-secret", "x"}}) {
    IssuerRun run = Issuer(args);
    EXPECT_EQ(run.code, 2);
    EXPECT_EQ(run.out, "");
    EXPECT_NE(run.err.find("usage: dtwin issuer"), std::string::npos);
  }
}

}  // namespace
}  // namespace dtwin::server
