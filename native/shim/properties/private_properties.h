// The private-property control codes computed from the manifest and the stored property list
// (resdll-contract.md §7.3, §8): pure functions, no I/O, so they are cheap and testable.
#pragma once
#include <string>
#include <vector>

#include "shim/config/type_schema.h"
#include "common/resapi_abi.h"

namespace wsfc::shim::props {

// ENUM_PRIVATE_PROPERTIES: every property name as a MULTI_SZ.
std::vector<uint8_t> enumerate(const TypeSchema& m);
// GET_PRIVATE_PROPERTIES (readOnly false) / GET_RO_PRIVATE_PROPERTIES (true): stored values,
// defaults where nothing is stored; properties with neither are left out.
std::vector<uint8_t> get(const TypeSchema& m, const std::vector<proplist::Property>& stored, bool readOnly);
// GET_PRIVATE_PROPERTY_FMTS: NAME + WORD(format) + ENDMARK per property.
std::vector<uint8_t> formats(const TypeSchema& m);
// GET_REQUIRED_DEPENDENCIES: a value list of RESCLASS / NAME entries and ENDMARK.
std::vector<uint8_t> requiredDependencies(const TypeSchema& m);

struct Verdict {
  DWORD status = kErrorSuccess;
  std::string message;  // why, for the cluster log (empty on success)
};

// The schema check of SET/VALIDATE: a well-formed list, each property known, writable, of its
// format, single-valued (except MULTI_SZ's own list) and in range, none twice.
Verdict verify(const TypeSchema& m, const uint8_t* input, size_t size, std::vector<proplist::Property>& parsed);
// Stored values with the changes applied, in schema order (unknown stored values are kept last).
std::vector<proplist::Property> merge(const std::vector<proplist::Property>& stored,
                                      const std::vector<proplist::Property>& changes, const TypeSchema& m);
// Narrows stored values to the schema's formats where the store keeps them wider: the cluster
// database holds long/word as REG_DWORD and largeInteger/filetime as REG_QWORD (as ResUtil does).
void coerceToSchema(const TypeSchema& m, std::vector<proplist::Property>& stored);
// The stored list, tolerating an empty store (nothing set yet).
bool decodeStored(const std::vector<uint8_t>& bytes, std::vector<proplist::Property>& out, std::string& why);

}  // namespace wsfc::shim::props
