// A program built against the installed client library (see install_test.sh): one call
// that succeeds and one that must fail with ResourceNotFoundError, against the dtwin whose
// URL is the first argument. Exits 0 when both behave. Single-threaded.
#include <dtwin/client/digital_twins_client.h>

#include <iostream>
#include <memory>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: install_check URL\n";
    return 2;
  }
  dtwin::client::DigitalTwinsClient client(
      argv[1], std::make_shared<dtwin::client::StaticTokenCredential>("install-check"));
  try {
    size_t models = 0;
    for (const dtwin::client::ModelData& model : client.ListModels()) models += !model.id.empty();
    std::cout << "models: " << models << "\n";
    client.GetDigitalTwin("no-such-twin");
    std::cerr << "GetDigitalTwin of a missing twin did not fail\n";
    return 1;
  } catch (const dtwin::client::ResourceNotFoundError& error) {
    std::cout << "not found as expected: " << error.code() << "\n";
    return 0;
  } catch (const dtwin::client::DigitalTwinsError& error) {
    std::cerr << "unexpected error: " << error.what() << "\n";
    return 1;
  }
}
