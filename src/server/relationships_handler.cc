// /digitaltwins/{id}/relationships[/{relationshipId}] and /incomingrelationships: get,
// create-or-replace (200 + ETag), JSON Patch (204 + ETag), delete, and the two paged lists.
#include <boost/json/array.hpp>

#include "server/adt_codec.h"
#include "server/api_error.h"
#include "server/api_routes.h"
#include "server/handler_support.h"
#include "server/paging_links.h"

namespace dtwin::server {

namespace {

using service::DigitalTwinsService;
using service::Document;

void GetRelationship(const DigitalTwinsService& service, const RequestContext& context,
                     const Responder& respond) {
  Result<Document> relationship = service.GetRelationship(context.param(0), context.param(1));
  if (!relationship.ok()) return respond(ErrorResponse(relationship.status()));
  respond(DocumentResponse(200, std::move(relationship->body), relationship->etag));
}

void PutRelationship(DigitalTwinsService& service, const RequestContext& context,
                     Responder respond) {
  Result<service::Preconditions> pre = context.Preconditions(/*with_if_none_match=*/true);
  if (!pre.ok()) return respond(ErrorResponse(pre.status()));
  Result<boost::json::value> body = context.JsonBody();
  if (!body.ok()) return respond(ErrorResponse(body.status()));
  service.PutRelationship(
      context.param(0), context.param(1), *body, *pre,
      OnConnectionThread<Result<Document>>(context, [respond](Result<Document> relationship) {
        if (!relationship.ok()) return respond(ErrorResponse(relationship.status()));
        respond(DocumentResponse(200, std::move(relationship->body), relationship->etag));
      }));
}

void PatchRelationship(DigitalTwinsService& service, const RequestContext& context,
                       Responder respond) {
  Result<service::Preconditions> pre = context.Preconditions(/*with_if_none_match=*/false);
  if (!pre.ok()) return respond(ErrorResponse(pre.status()));
  Result<boost::json::value> patch = context.JsonBody();
  if (!patch.ok()) return respond(ErrorResponse(patch.status()));
  service.PatchRelationship(context.param(0), context.param(1), *patch, *pre,
                            NoContentWithEtagOr(std::move(respond)));
}

void DeleteRelationship(DigitalTwinsService& service, const RequestContext& context,
                        Responder respond) {
  Result<service::Preconditions> pre = context.Preconditions(/*with_if_none_match=*/false);
  if (!pre.ok()) return respond(ErrorResponse(pre.status()));
  service.DeleteRelationship(context.param(0), context.param(1), *pre,
                             NoContentOr(std::move(respond)));
}

void ListRelationships(const DigitalTwinsService& service, const RequestContext& context,
                       const Responder& respond) {
  Result<service::PageRequest> page_request = context.Page();
  if (!page_request.ok()) return respond(ErrorResponse(page_request.status()));
  Result<service::Page<boost::json::object>> page = service.ListRelationships(
      context.param(0), context.QueryValue("relationshipName").value_or(""), *page_request);
  if (!page.ok()) return respond(ErrorResponse(page.status()));
  boost::json::array value;
  value.reserve(page->items.size());
  for (boost::json::object& relationship : page->items) value.push_back(std::move(relationship));
  respond(JsonResponse(
      200, boost::json::value(PageBody(std::move(value), NextLink(context, page->continuation),
                                       PageKeyOrder::kNextLinkFirst))));
}

void ListIncomingRelationships(const DigitalTwinsService& service, const RequestContext& context,
                               const Responder& respond) {
  Result<service::PageRequest> page_request = context.Page();
  if (!page_request.ok()) return respond(ErrorResponse(page_request.status()));
  Result<service::Page<service::IncomingRelationship>> page =
      service.ListIncomingRelationships(context.param(0), *page_request);
  if (!page.ok()) return respond(ErrorResponse(page.status()));
  boost::json::array value;
  value.reserve(page->items.size());
  for (const service::IncomingRelationship& incoming : page->items) {
    value.push_back(IncomingRelationshipToJson(
        incoming, RelationshipLink(context, incoming.source_id, incoming.relationship_id)));
  }
  respond(JsonResponse(
      200, boost::json::value(PageBody(std::move(value), NextLink(context, page->continuation),
                                       PageKeyOrder::kNextLinkFirst))));
}

}  // namespace

void AddRelationshipRoutes(Router& router, DigitalTwinsService& service) {
  router.Add(HttpMethod::kGet, "/digitaltwins/{id}/relationships",
             WithService(service, ListRelationships));
  router.Add(HttpMethod::kGet, "/digitaltwins/{id}/incomingrelationships",
             WithService(service, ListIncomingRelationships));
  router.Add(HttpMethod::kGet, "/digitaltwins/{id}/relationships/{relationshipId}",
             WithService(service, GetRelationship));
  router.Add(HttpMethod::kPut, "/digitaltwins/{id}/relationships/{relationshipId}",
             WithService(service, PutRelationship));
  router.Add(HttpMethod::kPatch, "/digitaltwins/{id}/relationships/{relationshipId}",
             WithService(service, PatchRelationship));
  router.Add(HttpMethod::kDelete, "/digitaltwins/{id}/relationships/{relationshipId}",
             WithService(service, DeleteRelationship));
}

}  // namespace dtwin::server
