// Serializes boost::json values the way ADT renders them: compact, and doubles in the
// shortest form that round-trips (21.375, not 2.1375E1 as Boost.JSON 1.81 writes).
// Stateless; thread-safe.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <concepts>
#include <string>
#include <string_view>

namespace dtwin {

std::string WriteJson(const boost::json::value& value);

// Appends to out (avoids a copy on hot paths).
void AppendJson(const boost::json::value& value, std::string& out);

// Appends text as a JSON string literal (quoted and escaped), e.g. an object key.
void AppendJsonString(std::string_view text, std::string& out);

// Objects and arrays as they are: passed where a value is expected they would be deep-copied
// into one. Templates, because plain overloads would make WriteJson(true) ambiguous
// (boost::json::object converts implicitly from scalars).
void AppendJsonObject(const boost::json::object& object, std::string& out);
void AppendJsonArray(const boost::json::array& array, std::string& out);

template <typename T>
requires std::same_as<T, boost::json::object> || std::same_as<T, boost::json::array>
void AppendJson(const T& container, std::string& out) {
  if constexpr (std::same_as<T, boost::json::object>) {
    AppendJsonObject(container, out);
  } else {
    AppendJsonArray(container, out);
  }
}

template <typename T>
requires std::same_as<T, boost::json::object> || std::same_as<T, boost::json::array> std::string
WriteJson(const T& container) {
  std::string out;
  AppendJson(container, out);
  return out;
}

}  // namespace dtwin
