// `dtwin serve`: config -> store -> service -> router -> HTTP server, then a graceful stop.
#include "server/serve_command.h"

#include <chrono>
#include <cstdio>

#include "server/access_log.h"
#include "server/api_dispatcher.h"
#include "server/api_routes.h"
#include "server/api_version.h"
#include "server/http_server.h"
#include "server/server_config.h"
#include "service/digital_twins_service.h"
#include "storage/store.h"

namespace dtwin::server {

namespace {

void PrintHints(const ServerConfig& config, const std::string& url, std::ostream& err) {
  err << "dtwin: data in " << config.data_dir << "; api-versions " << SupportedApiVersions()
      << "; auth none (any bearer token is accepted)\n"
      << "dtwin: try   curl '" << url << "/models?api-version=2023-10-31'\n"
      << "dtwin: SDKs  Python: DigitalTwinsClient(\"" << url
      << "\", credential, authentication_policy=...); JavaScript: see docs/server.md,\n"
      << "             \"Pointing the SDKs at dtwin\"\n"
      << "dtwin: Ctrl-C or SIGTERM stops the server; one access-log line per request follows\n";
}

}  // namespace

int RunServe(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  for (const std::string& arg : args) {
    if (arg == "-h" || arg == "--help") {
      out << ServeUsage();
      return 0;
    }
  }
  Result<ServerConfig> config = ParseServeArgs(args);
  if (!config.ok()) {
    err << "dtwin serve: " << config.status().message() << "\n\n" << ServeUsage();
    return 2;
  }

  Result<std::unique_ptr<storage::Store>> store = storage::OpenSqliteStore({config->data_dir});
  if (!store.ok()) {
    err << "dtwin serve: " << store.status().message() << "\n";
    return 1;
  }
  service::ServiceOptions service_options;
  for (const EndpointConfig& endpoint : config->endpoints) {
    service_options.endpoint_names.push_back(endpoint.name);
  }
  service_options.query.allow_unanchored_traversals = config->unanchored_queries;
  service_options.query.timeout = std::chrono::seconds(config->query_timeout_seconds);
  service::DigitalTwinsService service(std::move(*store), std::move(service_options));
  Status started = service.Start();
  if (!started.ok()) {
    err << "dtwin serve: cannot load " << config->data_dir << ": " << started.ToString() << "\n";
    return 1;
  }

  ApiDispatcher dispatcher(BuildApiRouter(service));
  AccessLog access_log(stderr);
  HttpServerOptions http_options;
  http_options.host = config->listen_host;
  http_options.port = config->listen_port;
  http_options.tls_cert = config->tls_cert;
  http_options.tls_key = config->tls_key;
  Result<std::unique_ptr<HttpServer>> server =
      HttpServer::Create(http_options, dispatcher, &access_log);
  if (!server.ok()) {
    err << "dtwin serve: " << server.status().message() << "\n";
    return 1;
  }

  const std::string url = (*server)->url();
  out << "dtwin listening on " << url << "\n";
  out.flush();
  PrintHints(*config, url, err);
  err.flush();

  (*server)->Run();
  service.Flush();
  err << "dtwin: stopped\n";
  return 0;
}

}  // namespace dtwin::server
