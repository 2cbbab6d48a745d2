#include "alloc_counter.h"

#include <atomic>
#include <cstddef>

#if defined(__SANITIZE_ADDRESS__)
#define AURIS_COUNT_ALLOCS 0
#else
#define AURIS_COUNT_ALLOCS 1
#endif

namespace {
std::atomic<long long> g_allocations{0};
}  // namespace

#if AURIS_COUNT_ALLOCS
// glibc's own entry points; interposing malloc/calloc/realloc in the
// executable sees every allocation of the process.
extern "C" {
void* __libc_malloc(std::size_t);
void* __libc_calloc(std::size_t, std::size_t);
void* __libc_realloc(void*, std::size_t);
void* __libc_memalign(std::size_t, std::size_t);

void* malloc(std::size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return __libc_malloc(n);
}
void* calloc(std::size_t n, std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return __libc_calloc(n, size);
}
void* realloc(void* p, std::size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return __libc_realloc(p, n);
}
void* aligned_alloc(std::size_t alignment, std::size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return __libc_memalign(alignment, n);
}
}
#endif

namespace auris::test {

bool AllocCounterActive() { return AURIS_COUNT_ALLOCS != 0; }
long long AllocationCount() { return g_allocations.load(std::memory_order_relaxed); }

}  // namespace auris::test
