// Semantic types and units of DTDL: v2's built-in table and v3's QuantitativeTypes
// extension (dtmi:dtdl:extension:quantitativeTypes;1). Static tables; thread-safe.
#pragma once

#include <string_view>

#include "dtdl/dtmi.h"

namespace dtwin::dtdl {

// Which table applies: v2 core semantic types, or v3 with the QuantitativeTypes extension.
enum class SemanticTable : uint8_t { kV2Core, kQuantitativeTypesV1 };

// True when term is a semantic type (e.g. "Temperature") in that table: 42 in v2, 52 in
// QuantitativeTypes v1 (a superset). Terms only; "SemanticType/Velocity" (an old spelling that
// the reference parser treats as an undefined co-type) is not one.
bool IsSemanticType(SemanticTable table, std::string_view term);

// The unit type a semantic type takes ("Temperature" -> "TemperatureUnit"); empty when term
// is not a semantic type of the table.
std::string_view UnitTypeOf(SemanticTable table, std::string_view semantic_type);

// True when unit (e.g. "degreeCelsius") is a unit of unit_type ("TemperatureUnit"). Every unit
// belongs to exactly one unit type; unit types can be shared by several semantic types.
bool IsUnitOfType(SemanticTable table, std::string_view unit_type, std::string_view unit);

// True when term is a unit type of the table ("TemperatureUnit").
bool IsUnitType(SemanticTable table, std::string_view term);

// True when term is any unit of the table (whatever its type).
bool IsUnit(SemanticTable table, std::string_view term);

// The term a DTMI stands for, or empty when dtmi is not a semantic type (resp. unit) of the
// table. The returned view points into the static table. Exact forms (case-sensitive):
//   v2:    "dtmi:standard:class:Temperature;2", "dtmi:standard:unit:degreeCelsius;2"
//   QT v1: "dtmi:dtdl:extension:quantitativeTypes:v1:class:Temperature",
//          "dtmi:dtdl:extension:quantitativeTypes:v1:unit:degreeCelsius" (no version)
// Unit types are not looked up by DTMI (the reference parser names them
// "dtmi:standard:enum:TemperatureUnit;2" and "...:quantitativeTypes:v1:enum:TemperatureUnit").
std::string_view SemanticTypeFromDtmi(SemanticTable table, std::string_view dtmi);
std::string_view UnitFromDtmi(SemanticTable table, std::string_view dtmi);

}  // namespace dtwin::dtdl
