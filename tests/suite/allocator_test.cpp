// The worker allocator: resolving --allocator, the worker's environment, and handing freed
// memory back so that per-proxy peak memory stays honest.
#include "allocator.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <memory>

#include "temp_dir.hpp"
#include "zcb/error.hpp"

namespace zcb {
namespace {

std::string error_of(const std::string& request, const std::vector<std::string>& dirs) {
  try {
    resolve_worker_allocator(request, dirs);
  } catch (const Error& error) {
    return error.what();
  }
  return "";
}

TEST(WorkerAllocator, ResolvesEachRequest) {
  test::TempDir dir;
  const std::vector<std::string> empty_dirs = {dir.path().string()};
  EXPECT_EQ(resolve_worker_allocator("system", empty_dirs).describe(), "system");
  // auto falls back to the system malloc where tcmalloc is not installed ...
  EXPECT_EQ(resolve_worker_allocator("auto", empty_dirs).describe(), "system");
  // ... while asking for tcmalloc by name is an error there.
  EXPECT_NE(error_of("tcmalloc", empty_dirs).find("libtcmalloc-minimal4"), std::string::npos);

  const auto library = dir.path() / "libtcmalloc_minimal.so.4";
  std::ofstream(library) << "stand-in";
  const std::vector<std::string> dirs = {(dir.path() / "missing").string(), dir.path().string()};
  for (const char* request : {"auto", "tcmalloc"}) {
    const WorkerAllocator found = resolve_worker_allocator(request, dirs);
    EXPECT_EQ(found.name, "tcmalloc");
    EXPECT_EQ(found.library, library.string());
  }
  EXPECT_EQ(resolve_worker_allocator(library.string(), {}).name, "tcmalloc");
  EXPECT_NE(error_of("/no/such/libmalloc.so", {}).find("/no/such/libmalloc.so: no such library"),
            std::string::npos);
  EXPECT_NE(error_of("jemalloc", dirs).find("expected auto, system, tcmalloc"), std::string::npos);
}

TEST(WorkerAllocator, PreloadsItsLibraryAheadOfTheCallersPreload) {
  std::string path = "PATH=/usr/bin", preload = "LD_PRELOAD=/opt/libfoo.so";
  char* parent[] = {path.data(), preload.data(), nullptr};
  const WorkerAllocator tcmalloc{"tcmalloc", "/usr/lib/libtcmalloc_minimal.so.4"};
  EXPECT_EQ(worker_environment(tcmalloc, parent),
            (std::vector<std::string>{
                "PATH=/usr/bin", "LD_PRELOAD=/usr/lib/libtcmalloc_minimal.so.4:/opt/libfoo.so"}));
  EXPECT_EQ(worker_environment({"system", ""}, parent),
            (std::vector<std::string>{"PATH=/usr/bin", "LD_PRELOAD=/opt/libfoo.so"}));
  char* bare[] = {path.data(), nullptr};
  EXPECT_EQ(worker_environment({"system", ""}, bare), (std::vector<std::string>{"PATH=/usr/bin"}));
}

/// Resident set size of this process in MiB (VmRSS).
double resident_mib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  }
  return -1;
}

TEST(WorkerAllocator, FreedMemoryLeavesTheResidentSet) {
  if (resident_mib() < 0) GTEST_SKIP() << "no /proc/self/status";
  // Free memory earlier tests left resident would be reused and hide the growth below.
  release_free_heap_memory();
  const double before = resident_mib();
  {
    // 256 MiB in 64 KiB blocks, touched. tcmalloc keeps every freed span resident (as it
    // keeps a freed activation) until someone hands it back; the ctest entry
    // zcb_allocator_tcmalloc runs this under tcmalloc.
    constexpr int kBlock = 64 << 10;
    std::vector<std::unique_ptr<char[]>> blocks;
    for (int i = 0; i < 4096; ++i) {
      blocks.emplace_back(new char[kBlock]);
      for (int offset = 0; offset < kBlock; offset += 4096) blocks.back()[offset] = 1;
    }
    EXPECT_GT(resident_mib(), before + 200);
  }
  release_free_heap_memory();
  EXPECT_LT(resident_mib(), before + 64) << "on " << active_allocator();
}

TEST(WorkerAllocator, ReportsTheMallocItRunsOn) {
  // Set by the zcb_allocator_tcmalloc ctest entry, which preloads tcmalloc as a worker would.
  const char* expected = std::getenv("ZCB_EXPECT_ALLOCATOR");
  EXPECT_EQ(active_allocator(), expected != nullptr ? expected : "system");
}

}  // namespace
}  // namespace zcb
