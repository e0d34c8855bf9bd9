// /digitaltwins/{id} and its components: get (200 + ETag), create-or-replace (200 + ETag,
// If-None-Match: *), JSON Patch (204 + ETag, If-Match), delete (204, If-Match).
#include "server/adt_codec.h"
#include "server/api_error.h"
#include "server/api_routes.h"
#include "server/handler_support.h"

namespace dtwin::server {

namespace {

using service::DigitalTwinsService;
using service::Document;

HttpResponse TwinResponse(Document twin, ApiVersion version) {
  RenderTwinForVersion(twin.body, version);
  return DocumentResponse(200, std::move(twin.body), twin.etag);
}

void GetTwin(const DigitalTwinsService& service, const RequestContext& context,
             const Responder& respond) {
  if (context.api_version() != ApiVersion::k2020_10_31) {
    // The stored shape is the wire shape: serialize straight from the graph.
    Result<service::SerializedDocument> twin = service.GetTwinJson(context.param(0));
    if (!twin.ok()) return respond(ErrorResponse(twin.status()));
    HttpResponse response = JsonResponse(200, std::move(twin->json));
    response.headers.push_back({"ETag", std::move(twin->etag)});
    return respond(std::move(response));
  }
  Result<Document> twin = service.GetTwin(context.param(0));
  if (!twin.ok()) return respond(ErrorResponse(twin.status()));
  respond(TwinResponse(std::move(*twin), context.api_version()));
}

void PutTwin(DigitalTwinsService& service, const RequestContext& context, Responder respond) {
  Result<service::Preconditions> pre = context.Preconditions(/*with_if_none_match=*/true);
  if (!pre.ok()) return respond(ErrorResponse(pre.status()));
  Result<boost::json::value> body = context.JsonBody();
  if (!body.ok()) return respond(ErrorResponse(body.status()));
  service.PutTwin(context.param(0), *body, *pre,
                  OnConnectionThread<Result<Document>>(
                      context, [respond, version = context.api_version()](Result<Document> twin) {
                        if (!twin.ok()) return respond(ErrorResponse(twin.status()));
                        respond(TwinResponse(std::move(*twin), version));
                      }));
}

void PatchTwin(DigitalTwinsService& service, const RequestContext& context, Responder respond) {
  Result<service::Preconditions> pre = context.Preconditions(/*with_if_none_match=*/false);
  if (!pre.ok()) return respond(ErrorResponse(pre.status()));
  Result<boost::json::value> patch = context.JsonBody();
  if (!patch.ok()) return respond(ErrorResponse(patch.status()));
  service.PatchTwin(context.param(0), *patch, *pre, NoContentWithEtagOr(std::move(respond)));
}

void DeleteTwin(DigitalTwinsService& service, const RequestContext& context, Responder respond) {
  Result<service::Preconditions> pre = context.Preconditions(/*with_if_none_match=*/false);
  if (!pre.ok()) return respond(ErrorResponse(pre.status()));
  service.DeleteTwin(context.param(0), *pre, NoContentOr(std::move(respond)));
}

void GetComponent(const DigitalTwinsService& service, const RequestContext& context,
                  const Responder& respond) {
  Result<Document> component = service.GetComponent(context.param(0), context.param(1));
  if (!component.ok()) return respond(ErrorResponse(component.status()));
  RenderComponentForVersion(component->body, context.api_version());
  respond(DocumentResponse(200, std::move(component->body), component->etag));
}

void PatchComponent(DigitalTwinsService& service, const RequestContext& context,
                    Responder respond) {
  Result<service::Preconditions> pre = context.Preconditions(/*with_if_none_match=*/false);
  if (!pre.ok()) return respond(ErrorResponse(pre.status()));
  Result<boost::json::value> patch = context.JsonBody();
  if (!patch.ok()) return respond(ErrorResponse(patch.status()));
  service.PatchComponent(context.param(0), context.param(1), *patch, *pre,
                         NoContentWithEtagOr(std::move(respond)));
}

}  // namespace

void AddTwinRoutes(Router& router, DigitalTwinsService& service) {
  router.Add(HttpMethod::kGet, "/digitaltwins/{id}", WithService(service, GetTwin));
  router.Add(HttpMethod::kPut, "/digitaltwins/{id}", WithService(service, PutTwin));
  router.Add(HttpMethod::kPatch, "/digitaltwins/{id}", WithService(service, PatchTwin));
  router.Add(HttpMethod::kDelete, "/digitaltwins/{id}", WithService(service, DeleteTwin));
  router.Add(HttpMethod::kGet, "/digitaltwins/{id}/components/{component}",
             WithService(service, GetComponent));
  router.Add(HttpMethod::kPatch, "/digitaltwins/{id}/components/{component}",
             WithService(service, PatchComponent));
}

}  // namespace dtwin::server
