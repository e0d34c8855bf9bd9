// Serializes boost::json values the way ADT renders them: compact, and doubles in the
// shortest form that round-trips (21.375, not 2.1375E1 as Boost.JSON 1.81 writes).
// Stateless; thread-safe.
#pragma once

#include <boost/json/value.hpp>
#include <string>

namespace dtwin {

std::string WriteJson(const boost::json::value& value);

// Appends to out (avoids a copy on hot paths).
void AppendJson(const boost::json::value& value, std::string& out);

}  // namespace dtwin
