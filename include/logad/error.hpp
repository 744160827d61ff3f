#pragma once
// Failures that stop a run. The library throws these and never prints or exits; only main()
// catches, prints `logad <cmd>: error: <what>` and exits 2. Messages say what to do next.
// Per-line problems are never exceptions: they are values counted by the stage (see parse/).
#include <logad/export.hpp>

#include <stdexcept>
#include <string>

namespace logad {

class LOGAD_API Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A flag, format string, regex or option value the user gave is wrong.
class LOGAD_API UsageError : public Error {
public:
    using Error::Error;
};

// An input file cannot be opened or read, or its content is unusable as a whole.
class LOGAD_API InputError : public Error {
public:
    using Error::Error;
};

// A saved model or state file is damaged, too old or too new for this build.
class LOGAD_API FormatError : public Error {
public:
    using Error::Error;
};

// Writing output failed (disk full, permission denied...).
class LOGAD_API OutputError : public Error {
public:
    using Error::Error;
};

// The reader of our stdout went away (`logad parse | head`): not an error, a quiet stop.
class LOGAD_API BrokenPipe : public Error {
public:
    BrokenPipe() : Error("broken pipe") {}
};

}  // namespace logad
