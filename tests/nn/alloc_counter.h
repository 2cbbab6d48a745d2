// Counts heap allocations of this test binary (malloc, and so operator new
// and Eigen) to prove hot paths allocate nothing. Off under AddressSanitizer,
// which owns malloc itself.
#pragma once

namespace auris::test {

bool AllocCounterActive();
long long AllocationCount();

}  // namespace auris::test
