#include "allocator.hpp"

#include <dlfcn.h>

#if defined(__GLIBC__)
#include <malloc.h>  // malloc_trim
#endif

#include <filesystem>

// GCC names AddressSanitizer builds one way, clang the other.
#if defined(__SANITIZE_ADDRESS__)
#define ZCB_ADDRESS_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ZCB_ADDRESS_SANITIZER 1
#endif
#endif
#ifndef ZCB_ADDRESS_SANITIZER
#define ZCB_ADDRESS_SANITIZER 0
#endif

#include "zcb/error.hpp"

namespace zcb {
namespace {

namespace fs = std::filesystem;

constexpr const char* kTcmallocLibrary = "libtcmalloc_minimal.so.4";  // Debian libtcmalloc-minimal4

/// gperftools' C entry point; present only when tcmalloc is the process's malloc.
using ReleaseFreeMemoryFn = void (*)();
ReleaseFreeMemoryFn tcmalloc_release_function() {
  return reinterpret_cast<ReleaseFreeMemoryFn>(
      dlsym(RTLD_DEFAULT, "MallocExtension_ReleaseFreeMemory"));
}

}  // namespace

std::string WorkerAllocator::describe() const {
  return library.empty() ? name : name + " (" + library + ")";
}

std::vector<std::string> default_library_dirs() {
  std::vector<std::string> dirs;
#ifdef ZCB_LIBRARY_ARCHITECTURE
  dirs.push_back(std::string("/usr/lib/") + ZCB_LIBRARY_ARCHITECTURE);
#endif
  for (const char* dir : {"/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64",
                          "/usr/lib", "/usr/local/lib"}) {
    dirs.emplace_back(dir);
  }
  return dirs;
}

WorkerAllocator resolve_worker_allocator(const std::string& request,
                                         const std::vector<std::string>& search_dirs) {
  if (request == "system") return {"system", ""};
#if ZCB_ADDRESS_SANITIZER
  // A sanitizer build owns malloc; a preloaded allocator would come before its runtime.
  if (request == "auto") return {"system", ""};
#endif
  if (request == "auto" || request == "tcmalloc") {
    for (const std::string& dir : search_dirs) {
      const fs::path candidate = fs::path(dir) / kTcmallocLibrary;
      std::error_code ignored;
      if (fs::is_regular_file(candidate, ignored)) return {"tcmalloc", candidate.string()};
    }
    if (request == "auto") return {"system", ""};
    throw Error(std::string("--allocator tcmalloc: ") + kTcmallocLibrary +
                " is not installed (Debian package libtcmalloc-minimal4; ci/install-deps.sh "
                "installs it)");
  }
  if (request.find('/') != std::string::npos) {
    std::error_code ignored;
    if (!fs::is_regular_file(request, ignored)) {
      throw Error("--allocator " + request + ": no such library");
    }
    const std::string file = fs::path(request).filename().string();
    return {file.find("tcmalloc") != std::string::npos ? "tcmalloc" : file, request};
  }
  throw Error("--allocator '" + request +
              "': expected auto, system, tcmalloc or the path of a malloc library");
}

std::vector<std::string> worker_environment(const WorkerAllocator& allocator,
                                            char** parent_environment) {
  std::vector<std::string> environment;
  std::string preload = allocator.library;
  for (char** entry = parent_environment; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string variable = *entry;
    if (variable.rfind("LD_PRELOAD=", 0) == 0) {
      const std::string existing = variable.substr(11);
      if (!existing.empty()) preload = preload.empty() ? existing : preload + ":" + existing;
      continue;
    }
    environment.push_back(variable);
  }
  if (!preload.empty()) environment.push_back("LD_PRELOAD=" + preload);
  return environment;
}

void release_free_heap_memory() {
  if (const ReleaseFreeMemoryFn release = tcmalloc_release_function()) {
    release();
    return;
  }
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

std::string active_allocator() { return tcmalloc_release_function() ? "tcmalloc" : "system"; }

}  // namespace zcb
