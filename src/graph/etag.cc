// NewEtag (declared in twin_graph.h): weak etags W/"<uuid v4>". Thread-safe (per-thread
// generator).
#include <string>

#include "common/uuid.h"
#include "graph/twin_graph.h"  // declares NewEtag

namespace dtwin::graph {

std::string NewEtag() {
  std::string etag;
  etag.reserve(40);
  etag += "W/\"";
  AppendUuid(etag);
  etag += '"';
  return etag;
}

}  // namespace dtwin::graph
