// POST /query: one page of an ADT query over the twin graph, under the read lock (so every
// applied write is visible: no indexing lag).
#include <shared_mutex>

#include "service/digital_twins_service.h"
#include "service/instance_state.h"

namespace dtwin::service {

Result<query::QueryPage> DigitalTwinsService::Query(const query::QueryRequest& request) const {
  const InstanceState& state = *impl_;
  std::shared_lock lock(state.mu);
  const query::QueryCatalog catalog{
      .model_and_descendants =
          [&state](std::string_view model_id) {
            return state.model_families.Of(state.models, model_id);
          },
      .append_twin_json = [&state](const graph::Twin& twin,
                                   std::string& out) { state.AppendTwinJsonUncached(twin, out); },
  };
  return query::ExecuteQuery(state.graph, catalog, state.options.query, request);
}

}  // namespace dtwin::service
