// /models: upload (201 + bare array), list (paged), get, decommission (PATCH), delete.
#include <boost/json/array.hpp>

#include "server/adt_codec.h"
#include "server/api_error.h"
#include "server/api_routes.h"
#include "server/handler_support.h"
#include "server/paging_links.h"

namespace dtwin::server {

namespace {

using service::DigitalTwinsService;
using service::ModelInfo;

void UploadModels(DigitalTwinsService& service, const RequestContext& context, Responder respond) {
  Result<boost::json::value> body = context.JsonBody();
  if (!body.ok()) return respond(ErrorResponse(body.status()));
  service.AddModels(*body, OnConnectionThread<Result<std::vector<ModelInfo>>>(
                               context, [respond](Result<std::vector<ModelInfo>> models) {
                                 if (!models.ok()) return respond(ErrorResponse(models.status()));
                                 boost::json::array value;
                                 for (const ModelInfo& model : *models) {
                                   value.push_back(ModelInfoToJson(model));
                                 }
                                 respond(JsonResponse(201, boost::json::value(std::move(value))));
                               }));
}

void ListModels(const DigitalTwinsService& service, const RequestContext& context,
                const Responder& respond) {
  Result<bool> include_definition = context.BoolQuery("includeModelDefinition", false);
  if (!include_definition.ok()) return respond(ErrorResponse(include_definition.status()));
  Result<service::PageRequest> page_request = context.Page();
  if (!page_request.ok()) return respond(ErrorResponse(page_request.status()));
  Result<service::Page<ModelInfo>> page = service.ListModels(context.QueryValues("dependenciesFor"),
                                                             *include_definition, *page_request);
  if (!page.ok()) return respond(ErrorResponse(page.status()));
  boost::json::array value;
  for (const ModelInfo& model : page->items) value.push_back(ModelInfoToJson(model));
  respond(JsonResponse(
      200, boost::json::value(PageBody(std::move(value), NextLink(context, page->continuation),
                                       PageKeyOrder::kValueFirst))));
}

void GetModel(const DigitalTwinsService& service, const RequestContext& context,
              const Responder& respond) {
  Result<bool> include_definition = context.BoolQuery("includeModelDefinition", false);
  if (!include_definition.ok()) return respond(ErrorResponse(include_definition.status()));
  Result<ModelInfo> model = service.GetModel(context.param(0), *include_definition);
  if (!model.ok()) return respond(ErrorResponse(model.status()));
  respond(JsonResponse(200, boost::json::value(ModelInfoToJson(*model))));
}

}  // namespace

void AddModelRoutes(Router& router, DigitalTwinsService& service) {
  router.Add(HttpMethod::kPost, "/models", WithService(service, UploadModels));
  router.Add(HttpMethod::kGet, "/models", WithService(service, ListModels));
  router.Add(HttpMethod::kGet, "/models/{id}", WithService(service, GetModel));
  router.Add(HttpMethod::kPatch, "/models/{id}",
             [&service](const RequestContext& context, Responder respond) {
               Result<boost::json::value> patch = context.JsonBody();
               if (!patch.ok()) return respond(ErrorResponse(patch.status()));
               service.UpdateModel(context.param(0), *patch, NoContentOr(std::move(respond)));
             });
  router.Add(HttpMethod::kDelete, "/models/{id}",
             [&service](const RequestContext& context, Responder respond) {
               service.DeleteModel(context.param(0), NoContentOr(std::move(respond)));
             });
}

}  // namespace dtwin::server
