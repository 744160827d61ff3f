#pragma once
// LOGAD_API marks what liblogad.so exports. The library is compiled with hidden symbols
// (-fvisibility=hidden), so its ABI is what carries this mark: the API headers installed beside
// it, and what the logad command itself calls. Everything else stays private to the library and
// can change without breaking a program linked against it.
#if defined(__GNUC__) || defined(__clang__)
#define LOGAD_API __attribute__((visibility("default")))
#else
#define LOGAD_API
#endif
