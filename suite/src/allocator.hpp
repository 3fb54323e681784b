/// @file allocator.hpp
/// @brief Which malloc the worker processes run on, and handing freed heap memory back to the
/// system. Torch-free.
///
/// glibc serves every block above 32 MiB with its own mmap and unmaps it on free, so a
/// 224x224 or 256x256 batch pays a page fault per 4 KiB on every activation, every layer:
/// on this project's CPU machines half of naswot's time at 128x3x256x256 is kernel time.
/// tcmalloc keeps freed spans and reuses them. The scores are bit-identical (the allocator
/// only decides where tensors live); README "Speed" has the measured ratio.
#pragma once

#include <string>
#include <vector>

namespace zcb {

/// The malloc a worker is started with.
struct WorkerAllocator {
  std::string name;     ///< "system" or "tcmalloc"
  std::string library;  ///< the shared library preloaded into the worker; empty for "system"
  /// "tcmalloc (/usr/lib/.../libtcmalloc_minimal.so.4)" or "system": for provenance and logs.
  std::string describe() const;
};

/// Resolves an --allocator request: "auto" (tcmalloc where its library is installed and this is
/// no AddressSanitizer build, else the system malloc), "system", "tcmalloc" (an error where it is
/// not installed), or the path of a malloc library to preload. @p search_dirs are where "tcmalloc"
/// is looked for (tests pass their own). Throws zcb::Error naming the request for anything else.
WorkerAllocator resolve_worker_allocator(const std::string& request,
                                         const std::vector<std::string>& search_dirs);

/// The directories searched for libtcmalloc_minimal.so.4: this build's multiarch library
/// directory, then the usual ones.
std::vector<std::string> default_library_dirs();

/// The environment a worker is started with: this process's own, with @p allocator's library
/// first in LD_PRELOAD (nothing changed for "system"). Built before fork(), because a child of
/// a process that may have threads must not allocate before exec.
std::vector<std::string> worker_environment(const WorkerAllocator& allocator,
                                            char** parent_environment);

/// Hands the heap's free pages back to the system, whichever malloc this process runs on
/// (glibc: malloc_trim; tcmalloc: MallocExtension_ReleaseFreeMemory), so that the resident set
/// counts only live memory. Called before each proxy's peak-memory measurement.
void release_free_heap_memory();

/// The malloc this process actually runs on: "tcmalloc" when its extension API is linked in
/// (LD_PRELOAD took effect), else "system".
std::string active_allocator();

}  // namespace zcb
