#pragma once
// One object per thread, for the per-line hot paths' scratch (parsing, NDJSON writing). In a
// shared library each use of a thread_local object is a call to __tls_get_addr (about 2% of
// `logad parse` on HDFS lines); a thread_local pointer of the initial-exec model is one load
// relative to the thread register, and its 8 bytes of static TLS leave the library loadable
// with dlopen. The object is made at a thread's first call and freed when the thread ends.
// Use it with types of internal linkage (in an anonymous namespace), so that each instance
// lives in the one module that uses it.
#include <memory>

namespace logad::util {

template <class T>
T& thread_scratch() {
    [[gnu::tls_model("initial-exec")]] static thread_local T* object = nullptr;
    if (object) [[likely]]
        return *object;
    static thread_local std::unique_ptr<T> owner;  // reached once per thread
    owner = std::make_unique<T>();
    object = owner.get();
    return *object;
}

}  // namespace logad::util
