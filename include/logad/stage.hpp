#pragma once
// A pipeline stage takes inputs with push() and hands results to the next stage's Sink.
// finish() is called once at end of input so a stage can emit what it still holds.
namespace logad {

template <class T>
class Sink {
public:
    virtual ~Sink() = default;
    // The callee may steal from `item` (swap/move); the caller reuses it afterwards.
    virtual void push(T& item) = 0;
    virtual void finish() {}
};

}  // namespace logad
