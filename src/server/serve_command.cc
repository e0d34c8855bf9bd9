// `dtwin serve`: config -> store -> service -> router -> HTTP server, then a graceful stop.
#include "server/serve_command.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>

#include "auth/dev_certificates.h"
#include "events/event_sink_factory.h"
#include "server/access_log.h"
#include "server/api_dispatcher.h"
#include "server/api_routes.h"
#include "server/api_version.h"
#include "server/auth_guard.h"
#include "server/http_server.h"
#include "server/server_config.h"
#include "server/transport_config.h"
#include "service/digital_twins_service.h"
#include "storage/store.h"

namespace dtwin::server {

namespace {

void PrintHints(const ServerConfig& config, const std::string& url, std::ostream& err) {
  err << "dtwin: data in " << config.data_dir << "; api-versions " << SupportedApiVersions() << "; "
      << AuthSummary(config.auth, config.security) << "\n"
      << "dtwin: try   curl '" << url << "/models?api-version=2023-10-31'\n"
      << "dtwin: SDKs  Python: DigitalTwinsClient(\"" << url
      << "\", credential, authentication_policy=...); JavaScript: see docs/server.md,\n"
      << "             \"Pointing the SDKs at dtwin\"\n"
      << "dtwin: Ctrl-C or SIGTERM stops the server; one access-log line per request follows\n";
}

// One sink per delivery lane of each configured endpoint (sinks connect on first use). The
// notifications' source is --event-source, else the address the server is listening on.
Status StartEventDelivery(const ServerConfig& config, const std::string& listening_url,
                          service::DigitalTwinsService& service) {
  std::vector<std::pair<std::string, events::SinkFactory>> endpoints;
  for (const EndpointConfig& endpoint : config.endpoints) {
    endpoints.emplace_back(endpoint.name,
                           [url = endpoint.url] { return events::MakeEventSink(url); });
  }
  events::DeliveryOptions options;
  options.time_to_live = std::chrono::seconds(config.event_ttl_seconds);
  if (config.event_lanes > 0) {
    options.lanes_per_endpoint = options.batching_lanes_per_endpoint =
        static_cast<size_t>(config.event_lanes);
  }
  std::string source = config.event_source;
  if (source.empty()) source = listening_url.substr(listening_url.find("://") + 3);
  return service.StartEventDelivery(std::move(endpoints), std::move(options), std::move(source));
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
  // --dev-tls: made here, once the data directory is ours (the store holds its lock).
  std::optional<auth::DevCertificateFiles> dev_tls;
  if (config->transport.dev_tls) {
    dev_tls = auth::DevCertificateFilesIn(std::filesystem::absolute(config->data_dir));
    Result<bool> made = auth::EnsureDevCertificates(*dev_tls);
    if (!made.ok()) {
      err << "dtwin serve: --dev-tls: " << made.status().message() << "\n";
      return 1;
    }
    if (*made) {
      err << "dtwin: made a development CA and certificate in "
          << dev_tls->ca_cert.parent_path().string() << "\n";
    }
    config->tls_cert = dev_tls->server_cert.string();
    config->tls_key = dev_tls->server_key.string();
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

  AccessLog access_log(stderr);
  std::unique_ptr<auth::TokenIssuer> issuer;
  if (config->security.issuer_enabled) {
    Result<std::unique_ptr<auth::TokenIssuer>> opened = auth::TokenIssuer::Open(
        config->security.issuer, std::filesystem::path(config->data_dir) / "issuer-key.pem");
    if (!opened.ok()) {
      err << "dtwin serve: --issuer: " << opened.status().message() << "\n";
      return 1;
    }
    issuer = std::move(*opened);
  }
  Result<std::unique_ptr<AuthGuard>> guard =
      AuthGuard::Create(config->auth, config->security, issuer.get(), &access_log);
  if (!guard.ok()) {
    err << "dtwin serve: --auth " << config->auth << ": " << guard.status().message() << "\n";
    return 1;
  }
  ApiSecurity security{guard->get(), &access_log, {}};
  if (issuer) AddIssuerRoutes(security.open_routes, *issuer);
  AddMetricsRoute(security.open_routes, service);
  ApiDispatcher dispatcher(BuildApiRouter(service), std::move(security));
  Result<std::unique_ptr<HttpServer>> server =
      HttpServer::Create(HttpServerOptionsFor(*config), dispatcher, &access_log);
  if (!server.ok()) {
    err << "dtwin serve: " << server.status().message() << "\n";
    return 1;
  }

  const std::string url = (*server)->url();
  if (Status delivering = StartEventDelivery(*config, url, service); !delivering.ok()) {
    err << "dtwin serve: " << delivering.message() << "\n";
    return 1;
  }
  out << "dtwin listening on " << url;
  for (size_t i = 1; i < (*server)->urls().size(); ++i) out << " and " << (*server)->urls()[i];
  out << "\n";
  out.flush();
  PrintHints(*config, url, err);
  if (issuer) err << IssuerHint((*server)->urls());
  if (dev_tls) {
    err << "dtwin: HTTPS with the development CA " << dev_tls->ca_cert.string()
        << "; make clients trust it with\n"
        << auth::TrustEnvironmentLines(dev_tls->ca_cert);
  }
  err.flush();

  (*server)->Run();
  service.Flush();
  err << "dtwin: stopped\n";
  return 0;
}

}  // namespace dtwin::server
