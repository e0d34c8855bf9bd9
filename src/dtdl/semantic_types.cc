// Semantic type and unit tables of DTDL v2 and of the v3 QuantitativeTypes extension v1, with
// their lookups. Constant tables, no allocation: thread-safe.
#include "dtdl/semantic_types.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <span>

namespace dtwin::dtdl {
namespace {

// Where a row exists: kV2 rows are in both tables (QuantitativeTypes v1 kept every v2 semantic
// type and unit, with the same unit type), kQt rows only in QuantitativeTypes v1.
enum Since : uint8_t { kV2, kQt };

struct Row {
  std::string_view term;
  std::string_view unit_type;
  Since since;
};

// Sources: DTDL/v2/DTDL.v2.md "Semantic Type" (42 semantic types, 36 unit types, 172 units) and
// DTDL/v3/DTDL.quantitativeTypes.v1.md (52 semantic types, 43 unit types, 240 units) in
// Azure/opendigitaltwins-dtdl. Several semantic types share a unit type (Humidity -> DensityUnit;
// Luminosity, EnergyRate -> PowerUnit; Distance -> LengthUnit; Latitude, Longitude -> AngleUnit;
// Thrust -> ForceUnit; Concentration, RelativeDensity, RelativeHumidity -> Unitless), and every
// unit belongs to exactly one unit type. Both arrays are sorted by term (checked below).
// clang-format off
constexpr std::array kSemanticTypes = std::to_array<Row>({
    {"Acceleration",            "AccelerationUnit",           kV2},
    {"Angle",                   "AngleUnit",                  kV2},
    {"AngularAcceleration",     "AngularAccelerationUnit",    kV2},
    {"AngularVelocity",         "AngularVelocityUnit",        kV2},
    {"ApparentEnergy",          "ApparentEnergyUnit",         kQt},
    {"ApparentPower",           "ApparentPowerUnit",          kQt},
    {"Area",                    "AreaUnit",                   kV2},
    {"Capacitance",             "CapacitanceUnit",            kV2},
    {"Concentration",           "Unitless",                   kQt},
    {"Current",                 "CurrentUnit",                kV2},
    {"DataRate",                "DataRateUnit",               kV2},
    {"DataSize",                "DataSizeUnit",               kV2},
    {"Density",                 "DensityUnit",                kV2},
    {"Distance",                "LengthUnit",                 kV2},
    {"ElectricCharge",          "ChargeUnit",                 kV2},
    {"Energy",                  "EnergyUnit",                 kV2},
    {"EnergyRate",              "PowerUnit",                  kQt},
    {"Force",                   "ForceUnit",                  kV2},
    {"Frequency",               "FrequencyUnit",              kV2},
    {"Humidity",                "DensityUnit",                kV2},
    {"Illuminance",             "IlluminanceUnit",            kV2},
    {"Inductance",              "InductanceUnit",             kV2},
    {"IonizingRadiationDose",   "IonizingRadiationDoseUnit",  kQt},
    {"Irradiance",              "IrradianceUnit",             kQt},
    {"Latitude",                "AngleUnit",                  kV2},
    {"Length",                  "LengthUnit",                 kV2},
    {"Longitude",               "AngleUnit",                  kV2},
    {"Luminance",               "LuminanceUnit",              kV2},
    {"Luminosity",              "PowerUnit",                  kV2},
    {"LuminousFlux",            "LuminousFluxUnit",           kV2},
    {"LuminousIntensity",       "LuminousIntensityUnit",      kV2},
    {"MagneticFlux",            "MagneticFluxUnit",           kV2},
    {"MagneticInduction",       "MagneticInductionUnit",      kV2},
    {"Mass",                    "MassUnit",                   kV2},
    {"MassFlowRate",            "MassFlowRateUnit",           kV2},
    {"Power",                   "PowerUnit",                  kV2},
    {"Pressure",                "PressureUnit",               kV2},
    {"Radioactivity",           "RadioactivityUnit",          kQt},
    {"ReactiveEnergy",          "ReactiveEnergyUnit",         kQt},
    {"ReactivePower",           "ReactivePowerUnit",          kQt},
    {"RelativeDensity",         "Unitless",                   kQt},
    {"RelativeHumidity",        "Unitless",                   kV2},
    {"Resistance",              "ResistanceUnit",             kV2},
    {"SoundPressure",           "SoundPressureUnit",          kV2},
    {"Temperature",             "TemperatureUnit",            kV2},
    {"Thrust",                  "ForceUnit",                  kV2},
    {"TimeSpan",                "TimeUnit",                   kV2},
    {"Torque",                  "TorqueUnit",                 kV2},
    {"Velocity",                "VelocityUnit",               kV2},
    {"Voltage",                 "VoltageUnit",                kV2},
    {"Volume",                  "VolumeUnit",                 kV2},
    {"VolumeFlowRate",          "VolumeFlowRateUnit",         kV2},
});

constexpr std::array kUnits = std::to_array<Row>({
    {"acre",                            "AreaUnit",                   kV2},
    {"ampere",                          "CurrentUnit",                kV2},
    {"ampereHour",                      "ChargeUnit",                 kQt},
    {"astronomicalUnit",                "LengthUnit",                 kV2},
    {"bar",                             "PressureUnit",               kV2},
    {"becquerel",                       "RadioactivityUnit",          kQt},
    {"bel",                             "SoundPressureUnit",          kV2},
    {"bit",                             "DataSizeUnit",               kV2},
    {"bitPerSecond",                    "DataRateUnit",               kV2},
    {"britishThermalUnit",              "EnergyUnit",                 kQt},
    {"britishThermalUnitPerHour",       "PowerUnit",                  kQt},
    {"byte",                            "DataSizeUnit",               kV2},
    {"bytePerSecond",                   "DataRateUnit",               kV2},
    {"candela",                         "LuminousIntensityUnit",      kV2},
    {"candelaPerSquareMetre",           "LuminanceUnit",              kV2},
    {"centimetre",                      "LengthUnit",                 kV2},
    {"centimetrePerSecond",             "VelocityUnit",               kV2},
    {"centimetrePerSecondSquared",      "AccelerationUnit",           kV2},
    {"coulomb",                         "ChargeUnit",                 kV2},
    {"cubicCentimetre",                 "VolumeUnit",                 kV2},
    {"cubicFoot",                       "VolumeUnit",                 kV2},
    {"cubicFootPerMinute",              "VolumeFlowRateUnit",         kQt},
    {"cubicInch",                       "VolumeUnit",                 kV2},
    {"cubicMetre",                      "VolumeUnit",                 kV2},
    {"cubicMetrePerHour",               "VolumeFlowRateUnit",         kQt},
    {"cubicMetrePerMinute",             "VolumeFlowRateUnit",         kQt},
    {"cubicMetrePerSecond",             "VolumeFlowRateUnit",         kQt},
    {"day",                             "TimeUnit",                   kV2},
    {"decapascal",                      "PressureUnit",               kQt},
    {"decibel",                         "SoundPressureUnit",          kV2},
    {"degreeCelsius",                   "TemperatureUnit",            kV2},
    {"degreeFahrenheit",                "TemperatureUnit",            kV2},
    {"degreeOfArc",                     "AngleUnit",                  kV2},
    {"degreePerSecond",                 "AngularVelocityUnit",        kV2},
    {"electronvolt",                    "EnergyUnit",                 kV2},
    {"exbibit",                         "DataSizeUnit",               kV2},
    {"exbibitPerSecond",                "DataRateUnit",               kV2},
    {"exbibyte",                        "DataSizeUnit",               kV2},
    {"exbibytePerSecond",               "DataRateUnit",               kV2},
    {"farad",                           "CapacitanceUnit",            kV2},
    {"fluidOunce",                      "VolumeUnit",                 kV2},
    {"foot",                            "LengthUnit",                 kV2},
    {"footcandle",                      "IlluminanceUnit",            kV2},
    {"gForce",                          "AccelerationUnit",           kV2},
    {"gallon",                          "VolumeUnit",                 kV2},
    {"gallonPerHour",                   "VolumeFlowRateUnit",         kQt},
    {"gallonPerMinute",                 "VolumeFlowRateUnit",         kQt},
    {"gauss",                           "MagneticInductionUnit",      kQt},
    {"gibibit",                         "DataSizeUnit",               kV2},
    {"gibibitPerSecond",                "DataRateUnit",               kV2},
    {"gibibyte",                        "DataSizeUnit",               kV2},
    {"gibibytePerSecond",               "DataRateUnit",               kV2},
    {"gigabecquerel",                   "RadioactivityUnit",          kQt},
    {"gigahertz",                       "FrequencyUnit",              kV2},
    {"gigajoule",                       "EnergyUnit",                 kV2},
    {"gigajoulePerHour",                "PowerUnit",                  kQt},
    {"gigavoltAmpere",                  "ApparentPowerUnit",          kQt},
    {"gigavoltAmpereHour",              "ApparentEnergyUnit",         kQt},
    {"gigavoltAmpereReactive",          "ReactivePowerUnit",          kQt},
    {"gigavoltAmpereReactiveHour",      "ReactiveEnergyUnit",         kQt},
    {"gigawatt",                        "PowerUnit",                  kV2},
    {"gigawattHour",                    "EnergyUnit",                 kQt},
    {"gram",                            "MassUnit",                   kV2},
    {"gramPerCubicMetre",               "DensityUnit",                kV2},
    {"gramPerHour",                     "MassFlowRateUnit",           kV2},
    {"gramPerSecond",                   "MassFlowRateUnit",           kV2},
    {"gray",                            "IonizingRadiationDoseUnit",  kQt},
    {"hectare",                         "AreaUnit",                   kV2},
    {"hectopascal",                     "PressureUnit",               kQt},
    {"henry",                           "InductanceUnit",             kV2},
    {"hertz",                           "FrequencyUnit",              kV2},
    {"horsepower",                      "PowerUnit",                  kV2},
    {"hour",                            "TimeUnit",                   kV2},
    {"inch",                            "LengthUnit",                 kV2},
    {"inchesOfMercury",                 "PressureUnit",               kV2},
    {"inchesOfWater",                   "PressureUnit",               kV2},
    {"joule",                           "EnergyUnit",                 kV2},
    {"joulePerHour",                    "PowerUnit",                  kQt},
    {"joulePerSecond",                  "PowerUnit",                  kQt},
    {"kelvin",                          "TemperatureUnit",            kV2},
    {"kibibit",                         "DataSizeUnit",               kV2},
    {"kibibitPerSecond",                "DataRateUnit",               kV2},
    {"kibibyte",                        "DataSizeUnit",               kV2},
    {"kibibytePerSecond",               "DataRateUnit",               kV2},
    {"kiloBritishThermalUnit",          "EnergyUnit",                 kQt},
    {"kiloBritishThermalUnitPerHour",   "PowerUnit",                  kQt},
    {"kiloampere",                      "CurrentUnit",                kQt},
    {"kilobecquerel",                   "RadioactivityUnit",          kQt},
    {"kilogram",                        "MassUnit",                   kV2},
    {"kilogramPerCubicMetre",           "DensityUnit",                kV2},
    {"kilogramPerHour",                 "MassFlowRateUnit",           kV2},
    {"kilogramPerSecond",               "MassFlowRateUnit",           kV2},
    {"kilohertz",                       "FrequencyUnit",              kV2},
    {"kilojoule",                       "EnergyUnit",                 kV2},
    {"kilojoulePerHour",                "PowerUnit",                  kQt},
    {"kilojoulePerSecond",              "PowerUnit",                  kQt},
    {"kilometre",                       "LengthUnit",                 kV2},
    {"kilometrePerHour",                "VelocityUnit",               kV2},
    {"kilometrePerSecond",              "VelocityUnit",               kV2},
    {"kiloohm",                         "ResistanceUnit",             kV2},
    {"kilopascal",                      "PressureUnit",               kV2},
    {"kilovolt",                        "VoltageUnit",                kV2},
    {"kilovoltAmpere",                  "ApparentPowerUnit",          kQt},
    {"kilovoltAmpereHour",              "ApparentEnergyUnit",         kQt},
    {"kilovoltAmpereReactive",          "ReactivePowerUnit",          kQt},
    {"kilovoltAmpereReactiveHour",      "ReactiveEnergyUnit",         kQt},
    {"kilowatt",                        "PowerUnit",                  kV2},
    {"kilowattHour",                    "EnergyUnit",                 kV2},
    {"kilowattHourPerYear",             "PowerUnit",                  kV2},
    {"knot",                            "VelocityUnit",               kV2},
    {"litre",                           "VolumeUnit",                 kV2},
    {"litrePerHour",                    "VolumeFlowRateUnit",         kV2},
    {"litrePerMinute",                  "VolumeFlowRateUnit",         kQt},
    {"litrePerSecond",                  "VolumeFlowRateUnit",         kV2},
    {"lumen",                           "LuminousFluxUnit",           kV2},
    {"lux",                             "IlluminanceUnit",            kV2},
    {"massPound",                       "MassUnit",                   kQt},
    {"massPoundPerHour",                "MassFlowRateUnit",           kQt},
    {"maxwell",                         "MagneticFluxUnit",           kV2},
    {"mebibit",                         "DataSizeUnit",               kV2},
    {"mebibitPerSecond",                "DataRateUnit",               kV2},
    {"mebibyte",                        "DataSizeUnit",               kV2},
    {"mebibytePerSecond",               "DataRateUnit",               kV2},
    {"megabecquerel",                   "RadioactivityUnit",          kQt},
    {"megaelectronvolt",                "EnergyUnit",                 kV2},
    {"megahertz",                       "FrequencyUnit",              kV2},
    {"megajoule",                       "EnergyUnit",                 kV2},
    {"megajoulePerHour",                "PowerUnit",                  kQt},
    {"megaohm",                         "ResistanceUnit",             kV2},
    {"megavolt",                        "VoltageUnit",                kV2},
    {"megavoltAmpere",                  "ApparentPowerUnit",          kQt},
    {"megavoltAmpereHour",              "ApparentEnergyUnit",         kQt},
    {"megavoltAmpereReactive",          "ReactivePowerUnit",          kQt},
    {"megavoltAmpereReactiveHour",      "ReactiveEnergyUnit",         kQt},
    {"megawatt",                        "PowerUnit",                  kV2},
    {"megawattHour",                    "EnergyUnit",                 kQt},
    {"metre",                           "LengthUnit",                 kV2},
    {"metrePerHour",                    "VelocityUnit",               kV2},
    {"metrePerSecond",                  "VelocityUnit",               kV2},
    {"metrePerSecondSquared",           "AccelerationUnit",           kV2},
    {"microampere",                     "CurrentUnit",                kV2},
    {"microfarad",                      "CapacitanceUnit",            kV2},
    {"microgram",                       "MassUnit",                   kV2},
    {"microgramPerCubicMetre",          "DensityUnit",                kQt},
    {"microgray",                       "IonizingRadiationDoseUnit",  kQt},
    {"microhenry",                      "InductanceUnit",             kV2},
    {"micrometre",                      "LengthUnit",                 kV2},
    {"microsecond",                     "TimeUnit",                   kV2},
    {"microsievert",                    "IonizingRadiationDoseUnit",  kQt},
    {"microvolt",                       "VoltageUnit",                kV2},
    {"microwatt",                       "PowerUnit",                  kV2},
    {"mile",                            "LengthUnit",                 kV2},
    {"milePerHour",                     "VelocityUnit",               kV2},
    {"milePerSecond",                   "VelocityUnit",               kV2},
    {"milliampere",                     "CurrentUnit",                kV2},
    {"milliampereHour",                 "ChargeUnit",                 kQt},
    {"millibar",                        "PressureUnit",               kV2},
    {"millifarad",                      "CapacitanceUnit",            kV2},
    {"milligram",                       "MassUnit",                   kV2},
    {"milligramPerCubicMetre",          "DensityUnit",                kQt},
    {"milligray",                       "IonizingRadiationDoseUnit",  kQt},
    {"millihenry",                      "InductanceUnit",             kV2},
    {"millihertz",                      "FrequencyUnit",              kQt},
    {"millilitre",                      "VolumeUnit",                 kV2},
    {"millilitrePerHour",               "VolumeFlowRateUnit",         kV2},
    {"millilitrePerMinute",             "VolumeFlowRateUnit",         kQt},
    {"millilitrePerSecond",             "VolumeFlowRateUnit",         kV2},
    {"millimetre",                      "LengthUnit",                 kV2},
    {"millimetresOfMercury",            "PressureUnit",               kV2},
    {"milliohm",                        "ResistanceUnit",             kV2},
    {"millisecond",                     "TimeUnit",                   kV2},
    {"millisievert",                    "IonizingRadiationDoseUnit",  kQt},
    {"millivolt",                       "VoltageUnit",                kV2},
    {"millivoltAmpere",                 "ApparentPowerUnit",          kQt},
    {"millivoltAmpereReactive",         "ReactivePowerUnit",          kQt},
    {"milliwatt",                       "PowerUnit",                  kV2},
    {"milliwattHour",                   "EnergyUnit",                 kQt},
    {"minute",                          "TimeUnit",                   kV2},
    {"minuteOfArc",                     "AngleUnit",                  kV2},
    {"nanofarad",                       "CapacitanceUnit",            kV2},
    {"nanometre",                       "LengthUnit",                 kV2},
    {"nanosecond",                      "TimeUnit",                   kV2},
    {"nauticalMile",                    "LengthUnit",                 kV2},
    {"newton",                          "ForceUnit",                  kV2},
    {"newtonMetre",                     "TorqueUnit",                 kV2},
    {"ohm",                             "ResistanceUnit",             kV2},
    {"ounce",                           "ForceUnit",                  kV2},
    {"partsPerBillion",                 "Unitless",                   kQt},
    {"partsPerMillion",                 "Unitless",                   kQt},
    {"partsPerQuadrillion",             "Unitless",                   kQt},
    {"partsPerTrillion",                "Unitless",                   kQt},
    {"pascal",                          "PressureUnit",               kV2},
    {"percent",                         "Unitless",                   kV2},
    {"picofarad",                       "CapacitanceUnit",            kV2},
    {"pound",                           "ForceUnit",                  kV2},
    {"poundPerSquareInch",              "PressureUnit",               kV2},
    {"radian",                          "AngleUnit",                  kV2},
    {"radianPerSecond",                 "AngularVelocityUnit",        kV2},
    {"radianPerSecondSquared",          "AngularAccelerationUnit",    kV2},
    {"revolutionPerMinute",             "AngularVelocityUnit",        kV2},
    {"revolutionPerSecond",             "AngularVelocityUnit",        kV2},
    {"second",                          "TimeUnit",                   kV2},
    {"secondOfArc",                     "AngleUnit",                  kV2},
    {"sievert",                         "IonizingRadiationDoseUnit",  kQt},
    {"slug",                            "MassUnit",                   kV2},
    {"squareCentimetre",                "AreaUnit",                   kV2},
    {"squareFoot",                      "AreaUnit",                   kV2},
    {"squareInch",                      "AreaUnit",                   kV2},
    {"squareKilometre",                 "AreaUnit",                   kV2},
    {"squareMetre",                     "AreaUnit",                   kV2},
    {"squareMillimetre",                "AreaUnit",                   kV2},
    {"tebibit",                         "DataSizeUnit",               kV2},
    {"tebibitPerSecond",                "DataRateUnit",               kV2},
    {"tebibyte",                        "DataSizeUnit",               kV2},
    {"tebibytePerSecond",               "DataRateUnit",               kV2},
    {"terawattHour",                    "EnergyUnit",                 kQt},
    {"tesla",                           "MagneticInductionUnit",      kV2},
    {"ton",                             "ForceUnit",                  kV2},
    {"tonOfRefrigeration",              "PowerUnit",                  kQt},
    {"tonne",                           "MassUnit",                   kV2},
    {"turn",                            "AngleUnit",                  kV2},
    {"unity",                           "Unitless",                   kV2},
    {"volt",                            "VoltageUnit",                kV2},
    {"voltAmpere",                      "ApparentPowerUnit",          kQt},
    {"voltAmpereHour",                  "ApparentEnergyUnit",         kQt},
    {"voltAmpereReactive",              "ReactivePowerUnit",          kQt},
    {"voltAmpereReactiveHour",          "ReactiveEnergyUnit",         kQt},
    {"watt",                            "PowerUnit",                  kV2},
    {"wattHour",                        "EnergyUnit",                 kQt},
    {"wattPerSquareMetre",              "IrradianceUnit",             kQt},
    {"weber",                           "MagneticFluxUnit",           kV2},
    {"year",                            "TimeUnit",                   kV2},
    {"yobibit",                         "DataSizeUnit",               kV2},
    {"yobibitPerSecond",                "DataRateUnit",               kV2},
    {"yobibyte",                        "DataSizeUnit",               kV2},
    {"yobibytePerSecond",               "DataRateUnit",               kV2},
    {"zebibit",                         "DataSizeUnit",               kV2},
    {"zebibitPerSecond",                "DataRateUnit",               kV2},
    {"zebibyte",                        "DataSizeUnit",               kV2},
    {"zebibytePerSecond",               "DataRateUnit",               kV2},
});
// clang-format on

static_assert(std::ranges::is_sorted(kSemanticTypes, {}, &Row::term));
static_assert(std::ranges::is_sorted(kUnits, {}, &Row::term));
static_assert(std::ranges::count(kSemanticTypes, kV2, &Row::since) == 42);
static_assert(kSemanticTypes.size() == 52);
static_assert(std::ranges::count(kUnits, kV2, &Row::since) == 172);
static_assert(kUnits.size() == 240);

bool InTable(const Row& row, SemanticTable table) {
  return table == SemanticTable::kQuantitativeTypesV1 || row.since == kV2;
}

// The row named term that exists in table, or nullptr.
const Row* Find(std::span<const Row> rows, SemanticTable table, std::string_view term) {
  auto it = std::ranges::lower_bound(rows, term, {}, &Row::term);
  if (it == rows.end() || it->term != term || !InTable(*it, table)) return nullptr;
  return &*it;
}

// DTMI forms, as the reference parser reports them (DTDLParser test cases
// generated/PropertyWithSemanticTypeStandardV2.json, ...QuantitativeV3.json) and as the
// QuantitativeTypes v1 context (DTDL.FeatureExtension.quantitativeTypes.v1.context.json) defines
// them: v2 terms carry version 2, QuantitativeTypes v1 terms have no version at all.
struct DtmiForm {
  std::string_view prefix;
  std::string_view suffix;
};

DtmiForm ClassForm(SemanticTable table) {
  if (table == SemanticTable::kV2Core) return {"dtmi:standard:class:", ";2"};
  return {"dtmi:dtdl:extension:quantitativeTypes:v1:class:", ""};
}

DtmiForm UnitForm(SemanticTable table) {
  if (table == SemanticTable::kV2Core) return {"dtmi:standard:unit:", ";2"};
  return {"dtmi:dtdl:extension:quantitativeTypes:v1:unit:", ""};
}

// The term of dtmi when it has the form prefix + term + suffix and term is in rows; else empty.
// Returns the table's own copy of the term, so it outlives dtmi.
std::string_view TermFromDtmi(std::span<const Row> rows, SemanticTable table, DtmiForm form,
                              std::string_view dtmi) {
  if (!dtmi.starts_with(form.prefix) || !dtmi.ends_with(form.suffix) ||
      dtmi.size() <= form.prefix.size() + form.suffix.size()) {
    return {};
  }
  dtmi.remove_prefix(form.prefix.size());
  dtmi.remove_suffix(form.suffix.size());
  const Row* row = Find(rows, table, dtmi);
  return row ? row->term : std::string_view{};
}

}  // namespace

bool IsSemanticType(SemanticTable table, std::string_view term) {
  return Find(kSemanticTypes, table, term) != nullptr;
}

std::string_view UnitTypeOf(SemanticTable table, std::string_view semantic_type) {
  const Row* row = Find(kSemanticTypes, table, semantic_type);
  return row ? row->unit_type : std::string_view{};
}

bool IsUnitOfType(SemanticTable table, std::string_view unit_type, std::string_view unit) {
  const Row* row = Find(kUnits, table, unit);
  return row && row->unit_type == unit_type;
}

bool IsUnitType(SemanticTable table, std::string_view term) {
  return std::ranges::any_of(kUnits, [&](const Row& row) {
    return row.unit_type == term && InTable(row, table);
  });
}

bool IsUnit(SemanticTable table, std::string_view term) {
  return Find(kUnits, table, term) != nullptr;
}

std::string_view SemanticTypeFromDtmi(SemanticTable table, std::string_view dtmi) {
  return TermFromDtmi(kSemanticTypes, table, ClassForm(table), dtmi);
}

std::string_view UnitFromDtmi(SemanticTable table, std::string_view dtmi) {
  return TermFromDtmi(kUnits, table, UnitForm(table), dtmi);
}

}  // namespace dtwin::dtdl
