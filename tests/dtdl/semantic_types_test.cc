// Tests of the DTDL v2 and QuantitativeTypes v1 semantic type and unit tables.
#include "dtdl/semantic_types.h"

#include <gtest/gtest.h>

#include <string>

namespace dtwin::dtdl {
namespace {

constexpr SemanticTable kV2 = SemanticTable::kV2Core;
constexpr SemanticTable kQt = SemanticTable::kQuantitativeTypesV1;

TEST(SemanticTypesTest, BothTablesKnowTheV2SemanticTypes) {
  for (SemanticTable table : {kV2, kQt}) {
    EXPECT_TRUE(IsSemanticType(table, "Acceleration"));
    EXPECT_TRUE(IsSemanticType(table, "Temperature"));
    EXPECT_TRUE(IsSemanticType(table, "VolumeFlowRate"));
    EXPECT_EQ(UnitTypeOf(table, "Temperature"), "TemperatureUnit");
    EXPECT_EQ(UnitTypeOf(table, "TimeSpan"), "TimeUnit");
    EXPECT_EQ(UnitTypeOf(table, "ElectricCharge"), "ChargeUnit");
  }
}

TEST(SemanticTypesTest, SharedUnitTypes) {
  for (SemanticTable table : {kV2, kQt}) {
    EXPECT_EQ(UnitTypeOf(table, "Humidity"), "DensityUnit");
    EXPECT_EQ(UnitTypeOf(table, "Luminosity"), "PowerUnit");
    EXPECT_EQ(UnitTypeOf(table, "Distance"), "LengthUnit");
    EXPECT_EQ(UnitTypeOf(table, "Length"), "LengthUnit");
    EXPECT_EQ(UnitTypeOf(table, "Latitude"), "AngleUnit");
    EXPECT_EQ(UnitTypeOf(table, "Longitude"), "AngleUnit");
    EXPECT_EQ(UnitTypeOf(table, "Thrust"), "ForceUnit");
    EXPECT_EQ(UnitTypeOf(table, "RelativeHumidity"), "Unitless");
    EXPECT_TRUE(IsUnitOfType(table, "DensityUnit", "gramPerCubicMetre"));
    EXPECT_TRUE(IsUnitOfType(table, "PowerUnit", "kilowattHourPerYear"));
  }
  EXPECT_EQ(UnitTypeOf(kQt, "EnergyRate"), "PowerUnit");
  EXPECT_EQ(UnitTypeOf(kQt, "Concentration"), "Unitless");
  EXPECT_EQ(UnitTypeOf(kQt, "RelativeDensity"), "Unitless");
}

TEST(SemanticTypesTest, QuantitativeTypesOnlySemanticTypes) {
  for (const char* term :
       {"ApparentEnergy", "ApparentPower", "Concentration", "EnergyRate", "IonizingRadiationDose",
        "Irradiance", "Radioactivity", "ReactiveEnergy", "ReactivePower", "RelativeDensity"}) {
    EXPECT_TRUE(IsSemanticType(kQt, term)) << term;
    EXPECT_FALSE(IsSemanticType(kV2, term)) << term;
    EXPECT_EQ(UnitTypeOf(kV2, term), "") << term;
  }
  EXPECT_EQ(UnitTypeOf(kQt, "IonizingRadiationDose"), "IonizingRadiationDoseUnit");
}

TEST(SemanticTypesTest, UnitsAndTheirTypes) {
  for (SemanticTable table : {kV2, kQt}) {
    EXPECT_TRUE(IsUnit(table, "degreeCelsius"));
    EXPECT_TRUE(IsUnitOfType(table, "TemperatureUnit", "degreeCelsius"));
    EXPECT_TRUE(IsUnitOfType(table, "VelocityUnit", "kilometrePerSecond"));
    EXPECT_TRUE(IsUnitOfType(table, "AccelerationUnit", "centimetrePerSecondSquared"));
    EXPECT_TRUE(IsUnitOfType(table, "AreaUnit", "acre"));
    EXPECT_TRUE(IsUnitOfType(table, "Unitless", "percent"));
    EXPECT_TRUE(IsUnitOfType(table, "ForceUnit", "ounce"));
    EXPECT_TRUE(IsUnitOfType(table, "VolumeUnit", "fluidOunce"));
    // A unit of another type (generated/PropertyWithSemanticTypeStandardAndWrongUnitV2.json).
    EXPECT_FALSE(IsUnitOfType(table, "VelocityUnit", "kilometre"));
    EXPECT_FALSE(IsUnitOfType(table, "MassUnit", "pound"));
    EXPECT_FALSE(IsUnitOfType(table, "NoSuchUnit", "metre"));
  }
}

TEST(SemanticTypesTest, QuantitativeTypesOnlyUnits) {
  struct Case {
    const char* unit;
    const char* type;
  };
  for (const Case& c :
       {Case{"kiloampere", "CurrentUnit"}, Case{"ampereHour", "ChargeUnit"},
        Case{"britishThermalUnitPerHour", "PowerUnit"}, Case{"tonOfRefrigeration", "PowerUnit"},
        Case{"wattHour", "EnergyUnit"}, Case{"massPound", "MassUnit"},
        Case{"gauss", "MagneticInductionUnit"}, Case{"partsPerMillion", "Unitless"},
        Case{"hectopascal", "PressureUnit"}, Case{"millihertz", "FrequencyUnit"},
        Case{"microgramPerCubicMetre", "DensityUnit"},
        Case{"cubicMetrePerHour", "VolumeFlowRateUnit"},
        Case{"sievert", "IonizingRadiationDoseUnit"},
        Case{"wattPerSquareMetre", "IrradianceUnit"}}) {
    EXPECT_TRUE(IsUnitOfType(kQt, c.type, c.unit)) << c.unit;
    EXPECT_FALSE(IsUnit(kV2, c.unit)) << c.unit;
    EXPECT_FALSE(IsUnitOfType(kV2, c.type, c.unit)) << c.unit;
  }
  // Sorting puts "kiloBritishThermalUnit" before "kiloampere": both must still be found.
  EXPECT_TRUE(IsUnitOfType(kQt, "EnergyUnit", "kiloBritishThermalUnit"));
  EXPECT_TRUE(IsUnitOfType(kQt, "PowerUnit", "kiloBritishThermalUnitPerHour"));
}

TEST(SemanticTypesTest, NegativeLookups) {
  for (SemanticTable table : {kV2, kQt}) {
    EXPECT_FALSE(IsSemanticType(table, ""));
    EXPECT_FALSE(IsSemanticType(table, "temperature"));  // case-sensitive
    EXPECT_FALSE(IsSemanticType(table, "Property"));
    EXPECT_FALSE(IsSemanticType(table, "TemperatureUnit"));  // a unit type, not a semantic type
    EXPECT_FALSE(IsSemanticType(table, "degreeCelsius"));
    // The old spelling is an undefined co-type for the reference parser
    // (generated/PropertyWithSemanticTypeStandardOldStyleV2.json).
    EXPECT_FALSE(IsSemanticType(table, "SemanticType/Velocity"));
    EXPECT_FALSE(IsSemanticType(table, "Zzz"));
    EXPECT_EQ(UnitTypeOf(table, "Foobar"), "");
    EXPECT_FALSE(IsUnit(table, ""));
    EXPECT_FALSE(IsUnit(table, "DegreeCelsius"));
    EXPECT_FALSE(IsUnit(table, "Temperature"));
    EXPECT_FALSE(IsUnit(table, "aaa"));
    EXPECT_FALSE(IsUnit(table, "zzz"));
    EXPECT_FALSE(IsUnitOfType(table, "", ""));
  }
}

TEST(SemanticTypesTest, V2Dtmis) {
  EXPECT_EQ(SemanticTypeFromDtmi(kV2, "dtmi:standard:class:Temperature;2"), "Temperature");
  EXPECT_EQ(SemanticTypeFromDtmi(kV2, "dtmi:standard:class:Luminosity;2"), "Luminosity");
  EXPECT_EQ(UnitFromDtmi(kV2, "dtmi:standard:unit:degreeCelsius;2"), "degreeCelsius");
  EXPECT_EQ(UnitFromDtmi(kV2, "dtmi:standard:unit:gigawatt;2"), "gigawatt");

  EXPECT_EQ(SemanticTypeFromDtmi(kV2, "dtmi:standard:class:Temperature;3"), "");
  EXPECT_EQ(SemanticTypeFromDtmi(kV2, "dtmi:standard:class:Temperature"), "");
  EXPECT_EQ(SemanticTypeFromDtmi(kV2, "dtmi:standard:class:VelocityUnit;2"), "");
  EXPECT_EQ(SemanticTypeFromDtmi(kV2, "dtmi:standard:class:EnergyRate;2"), "");  // QT only
  EXPECT_EQ(SemanticTypeFromDtmi(kV2, "dtmi:standard:unit:degreeCelsius;2"), "");
  EXPECT_EQ(SemanticTypeFromDtmi(kV2, "dtmi:standard:class:;2"), "");
  EXPECT_EQ(SemanticTypeFromDtmi(kV2, "dtmi:standard:class:"), "");
  EXPECT_EQ(SemanticTypeFromDtmi(kV2, "Temperature"), "");
  EXPECT_EQ(UnitFromDtmi(kV2, "dtmi:standard:unit:kiloampere;2"), "");  // QT only
  EXPECT_EQ(UnitFromDtmi(kV2, "dtmi:standard:class:degreeCelsius;2"), "");
  EXPECT_EQ(UnitFromDtmi(kV2, "dtmi:dtdl:extension:quantitativeTypes:v1:unit:degreeCelsius"), "");
}

TEST(SemanticTypesTest, QuantitativeTypesDtmis) {
  EXPECT_EQ(SemanticTypeFromDtmi(kQt, "dtmi:dtdl:extension:quantitativeTypes:v1:class:Velocity"),
            "Velocity");
  EXPECT_EQ(SemanticTypeFromDtmi(kQt, "dtmi:dtdl:extension:quantitativeTypes:v1:class:EnergyRate"),
            "EnergyRate");
  EXPECT_EQ(UnitFromDtmi(kQt, "dtmi:dtdl:extension:quantitativeTypes:v1:unit:kilometrePerSecond"),
            "kilometrePerSecond");
  EXPECT_EQ(UnitFromDtmi(kQt, "dtmi:dtdl:extension:quantitativeTypes:v1:unit:kiloampere"),
            "kiloampere");

  EXPECT_EQ(SemanticTypeFromDtmi(kQt, "dtmi:standard:class:Temperature;2"), "");
  EXPECT_EQ(SemanticTypeFromDtmi(kQt, "dtmi:standard:class:Temperature;3"), "");
  EXPECT_EQ(
      SemanticTypeFromDtmi(kQt, "dtmi:dtdl:extension:quantitativeTypes:v1:class:Temperature;1"),
      "");
  EXPECT_EQ(SemanticTypeFromDtmi(kQt, "dtmi:dtdl:extension:quantitativeTypes:v2:class:Velocity"),
            "");
  // A lowercase "length" is not a term (generated/LocalTermReservedStandardTypeV3.json).
  EXPECT_EQ(SemanticTypeFromDtmi(kQt, "dtmi:dtdl:extension:quantitativeTypes:v1:class:length"), "");
  EXPECT_EQ(SemanticTypeFromDtmi(kQt, "dtmi:dtdl:extension:quantitativeTypes:v1:class:"), "");
  EXPECT_EQ(SemanticTypeFromDtmi(kQt, "dtmi:dtdl:extension:quantitativeTypes:v1:enum:PowerUnit"),
            "");
  EXPECT_EQ(UnitFromDtmi(kQt, "dtmi:standard:unit:degreeCelsius;2"), "");
  EXPECT_EQ(UnitFromDtmi(kQt, "dtmi:dtdl:extension:quantitativeTypes:v1:class:Velocity"), "");
}

TEST(SemanticTypesTest, DtmiResultOutlivesTheInput) {
  std::string dtmi = "dtmi:standard:unit:kelvin;2";
  std::string_view term = UnitFromDtmi(kV2, dtmi);
  dtmi.assign(dtmi.size(), 'x');
  EXPECT_EQ(term, "kelvin");
}

}  // namespace
}  // namespace dtwin::dtdl
