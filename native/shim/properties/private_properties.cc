#include "private_properties.h"

#include <set>

#include "common/text.h"

namespace wsfc::shim::props {

namespace {

using proplist::Format;

const proplist::Property* findIn(const std::vector<proplist::Property>& list, const std::u16string& name) {
  for (const auto& p : list)
    if (samePropertyName(p.name, name)) return &p;
  return nullptr;
}

std::string utf8(const std::u16string& s) {
  u16string_t w(s.begin(), s.end());
  return toUtf8(w);
}

bool belowMin(const PropertyDef& d, uint64_t v) {
  if (!d.hasMin) return false;
  return proplist::isSignedFormat(d.format) ? static_cast<int64_t>(v) < static_cast<int64_t>(d.min) : v < d.min;
}
bool aboveMax(const PropertyDef& d, uint64_t v) {
  if (!d.hasMax) return false;
  return proplist::isSignedFormat(d.format) ? static_cast<int64_t>(v) > static_cast<int64_t>(d.max) : v > d.max;
}

std::string number(const PropertyDef& d, uint64_t v) {
  return proplist::isSignedFormat(d.format) ? std::to_string(static_cast<int64_t>(v)) : std::to_string(v);
}

bool isNumeric(Format f) {
  return f == Format::Dword || f == Format::Long || f == Format::Word || f == Format::UlargeInteger ||
         f == Format::LargeInteger || f == Format::Filetime;
}

}  // namespace

std::vector<uint8_t> enumerate(const TypeSchema& m) {
  std::vector<std::u16string> names;
  for (const auto& p : m.properties) names.push_back(p.name);
  return proplist::encodeMultiSz(names);
}

std::vector<uint8_t> get(const TypeSchema& m, const std::vector<proplist::Property>& stored, bool readOnly) {
  std::vector<proplist::Property> out;
  for (const auto& d : m.properties) {
    if (d.readOnly != readOnly) continue;
    const proplist::Property* s = findIn(stored, d.name);
    if (s && s->format == d.format) {
      out.push_back(*s);
    } else if (d.hasDefault) {
      proplist::Property p;
      p.name = d.name;
      p.format = d.format;
      p.values.push_back(d.defaultValue);
      out.push_back(std::move(p));
    }
  }
  return proplist::encode(out);
}

std::vector<uint8_t> formats(const TypeSchema& m) {
  proplist::ListWriter w;
  w.u32(static_cast<uint32_t>(m.properties.size()));
  for (const auto& d : m.properties) {
    w.name(d.name);
    proplist::Value v;
    v.number = static_cast<uint16_t>(d.format);
    w.value(Format::Word, v);
    w.endmark();
  }
  return std::move(w.bytes());
}

std::vector<uint8_t> requiredDependencies(const TypeSchema& m) {
  proplist::ListWriter w;
  for (const auto& dep : m.requiredDependencies) {
    if (dep.byClass) {
      w.entry(proplist::kSyntaxResClass, &dep.resourceClass, 4);
    } else {
      w.name(dep.typeName);
    }
  }
  w.endmark();
  return std::move(w.bytes());
}

Verdict verify(const TypeSchema& m, const uint8_t* input, size_t size, std::vector<proplist::Property>& parsed) {
  proplist::DecodeError err;
  if (!proplist::decode(input, size, parsed, err))
    return {kErrorInvalidData, "malformed property list at offset " + std::to_string(err.offset) + ": " + err.reason};
  std::set<std::u16string> seen;
  for (const auto& p : parsed) {
    std::string name = utf8(p.name);
    const PropertyDef* d = m.find(p.name);
    if (!d) return {kErrorInvalidParameter, "unknown property '" + name + "'"};
    if (!seen.insert(foldPropertyName(p.name)).second) return {kErrorInvalidParameter, "property '" + name + "' is given twice"};
    if (d->readOnly) return {kErrorInvalidParameter, "property '" + name + "' is read-only"};
    if (p.format != d->format)
      return {kErrorInvalidParameter, "property '" + name + "' must be " + proplist::formatName(d->format) + ", got " +
                                          proplist::formatName(p.format)};
    if (p.values.size() != 1 || p.hasExpanded)
      return {kErrorInvalidParameter, "property '" + name + "' takes exactly one value"};
    const auto& v = p.values.front();
    if (isNumeric(d->format)) {
      if (belowMin(*d, v.number))
        return {kErrorInvalidParameter, "property '" + name + "' = " + number(*d, v.number) + " is below the minimum " + number(*d, d->min)};
      if (aboveMax(*d, v.number))
        return {kErrorInvalidParameter, "property '" + name + "' = " + number(*d, v.number) + " is above the maximum " + number(*d, d->max)};
    }
    if (d->required && (d->format == Format::Sz || d->format == Format::ExpandSz) && v.text.empty())
      return {kErrorInvalidParameter, "required property '" + name + "' cannot be empty"};
  }
  return {};
}

std::vector<proplist::Property> merge(const std::vector<proplist::Property>& stored,
                                      const std::vector<proplist::Property>& changes, const TypeSchema& m) {
  std::vector<proplist::Property> out;
  // Stored under the schema's spelling, whatever the SET used (as a property table stores them).
  for (const auto& d : m.properties) {
    const proplist::Property* p = findIn(changes, d.name);
    if (!p) p = findIn(stored, d.name);
    if (!p) continue;
    out.push_back(*p);
    out.back().name = d.name;
  }
  // Values the schema does not know (an older or newer type version wrote them) are kept.
  for (const auto& s : stored)
    if (!m.find(s.name)) out.push_back(s);
  return out;
}

void coerceToSchema(const TypeSchema& m, std::vector<proplist::Property>& stored) {
  for (auto& p : stored) {
    const PropertyDef* d = m.find(p.name);
    if (!d || d->format == p.format) continue;
    if (p.format == Format::Dword && d->format == Format::Long) {
      for (auto& v : p.values) v.number = static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(static_cast<uint32_t>(v.number))));
      p.format = Format::Long;
    } else if (p.format == Format::Dword && d->format == Format::Word) {
      bool fits = true;
      for (auto& v : p.values) fits = fits && v.number <= 0xFFFF;
      if (fits) p.format = Format::Word;  // otherwise the mismatch makes readers use the default
    } else if (p.format == Format::UlargeInteger && (d->format == Format::LargeInteger || d->format == Format::Filetime)) {
      p.format = d->format;
    }
  }
}

bool decodeStored(const std::vector<uint8_t>& bytes, std::vector<proplist::Property>& out, std::string& why) {
  out.clear();
  if (bytes.empty()) return true;
  proplist::DecodeError err;
  if (proplist::decode(bytes.data(), bytes.size(), out, err)) return true;
  why = "stored properties are malformed at offset " + std::to_string(err.offset) + ": " + err.reason;
  return false;
}

}  // namespace wsfc::shim::props
