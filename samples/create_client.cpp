// Sample: create a DigitalTwinsClient from environment variables, as the Python samples do,
// and make one call to show it works. Run: AZURE_URL=http://127.0.0.1:8080 ./create_client
//
// AZURE_URL names the instance. The credential (see sample_client.h):
// - Azure Digital Twins: DefaultAzureCredential, which expects AZURE_TENANT_ID,
//   AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (an app registration with a role on the
//   instance), or a managed identity, or an `az login`;
// - a local `dtwin serve --auth none` on http://: any token (StaticTokenCredential);
// - DTWIN_TOKEN, when set, is used as the bearer token as is.
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "sample_client.h"

using dtwin::client::DigitalTwinsClient;
using dtwin::client::DigitalTwinsClientOptions;
using dtwin::client::HttpLogEntry;

int main() {
  return dtwin::samples::RunSample([] {
    std::string url = dtwin::samples::EndpointFromEnvironment();
    std::shared_ptr<dtwin::client::TokenCredential> credential =
        dtwin::samples::CredentialFromEnvironment(url);

    // Options are optional; these show the ones a program most often sets.
    DigitalTwinsClientOptions options;
    options.application_id = "create-client-sample";  // appended to the User-Agent
    options.retry.max_retries = 2;
    options.log = [](const HttpLogEntry& entry) {  // one line per HTTP attempt
      std::cout << "  " << entry.method << " " << entry.url << " -> " << entry.status
                << " (attempt " << entry.attempt << ", " << entry.elapsed.count() << " us)\n";
    };
    DigitalTwinsClient client(url, credential, options);
    std::cout << "Created a client for " << url << "\n";

    // The first call fetches a token and opens a connection; later calls reuse both.
    size_t models = 0;
    dtwin::client::Pager<dtwin::client::ModelData> pager = client.ListModels();
    while (std::optional<dtwin::client::Page<dtwin::client::ModelData>> page = pager.NextPage()) {
      models += page->items.size();
    }
    std::cout << "The instance has " << models << " models\n";
  });
}
