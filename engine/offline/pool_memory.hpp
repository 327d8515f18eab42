// engine/offline/pool_memory.hpp - the memory of the offline pipeline's block pools, faulted in
// with one call instead of one page fault per 4 KiB page.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <new>

namespace rc {

/// A block of floats for a pool of blocks, mapped anonymously: asked to be backed by huge pages
/// where the kernel allows it (transparent huge pages in `madvise` mode, the common default) and
/// populated at once (MADV_POPULATE_WRITE, Linux 5.14 and later; on older kernels pages fault in
/// as they are first written). A pool of 2 MiB took 512 page faults one by one, which on a
/// virtual machine cost a short file more than its conversion. The contents start as zeros.
/// Not for the audio callback: constructing it maps memory. Owned by one pipeline; not copyable.
class PoolMemory {
public:
  /// Effects: maps room for `floats` floats. `populate`: the job will use most of it, so it is
  /// backed by huge pages where allowed and populated at once; otherwise (a short job) only the
  /// 4 KiB pages it writes fault in: zeroing whole pools it never touches, 2 MiB per huge page,
  /// cost a 10 ms file 6 ms of its 15. Throws: std::bad_alloc if the mapping fails.
  PoolMemory(std::size_t floats, bool populate) : bytes_(round_up(floats * sizeof(float))) {
    void* p = mmap(nullptr, bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    data_ = static_cast<float*>(p);
    if (!populate) {
#ifdef MADV_NOHUGEPAGE
      (void)madvise(p, bytes_, MADV_NOHUGEPAGE); // where huge pages are always on: 4 KiB ones
#endif
      return;
    }
#ifdef MADV_HUGEPAGE
    (void)madvise(p, bytes_, MADV_HUGEPAGE); // a hint: refused or ignored is fine
#endif
#ifdef MADV_POPULATE_WRITE
    (void)madvise(p, bytes_, MADV_POPULATE_WRITE); // unsupported: faults come one by one
#endif
  }
  PoolMemory(const PoolMemory&) = delete;
  PoolMemory& operator=(const PoolMemory&) = delete;
  /// Effects: unmaps the memory.
  ~PoolMemory() { munmap(data_, bytes_); }

  /// Returns: the first float. Any thread of the pipeline (the pool's protocol orders access).
  [[nodiscard]] float* data() const noexcept { return data_; }
  /// Returns: float `i`. Precondition: i < the size given to the constructor.
  float& operator[](std::size_t i) const noexcept { return data_[i]; }

private:
  /// Returns: `bytes` rounded up to whole 2 MiB (a huge page): at least one page.
  static std::size_t round_up(std::size_t bytes) noexcept {
    constexpr std::size_t huge = std::size_t{2} << 20;
    return bytes == 0 ? huge : (bytes + huge - 1) / huge * huge;
  }

  std::size_t bytes_;
  float* data_ = nullptr;
};

} // namespace rc
