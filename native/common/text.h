// UTF-16 (the Resource API's strings) <-> UTF-8 (the frames and JavaScript). Invalid sequences
// become U+FFFD instead of failing: names and log lines must always get through.
#pragma once
#include <string>

#include "resapi_abi.h"

namespace wsfc {

using u16string_t = std::basic_string<WCHAR_T>;

// Appends one Unicode code point (at most U+10FFFF, not a surrogate) as UTF-8.
void appendUtf8(std::string& out, uint32_t codePoint);

std::string toUtf8(const WCHAR_T* s);
std::string toUtf8(const u16string_t& s);
u16string_t toUtf16(const std::string& s);
// Truncates to at most maxChars UTF-16 units without splitting a surrogate pair.
u16string_t truncateUtf16(u16string_t s, size_t maxChars);

}  // namespace wsfc
