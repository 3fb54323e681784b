// zcb_site_render <stats_dir> <out_dir> [history_dir]: renders the static site without the zcbench
// executable (which needs LibTorch). Exit status 0 on success, 1 on an error, 2 on a usage error.
#include <iostream>

#include "zcb/error.hpp"
#include "zcb/site/render.hpp"

int main(int argc, char** argv) {
  if (argc != 3 && argc != 4) {
    std::cerr << "usage: zcb_site_render <stats_dir> <out_dir> [history_dir]\n"
                 "Renders the leaderboard site for the stats in <stats_dir> (run.json and one\n"
                 "JSON file per space and task) into <out_dir>, replacing a previous site; with\n"
                 "<history_dir> (archived runs, `zcbench history`), also the history page.\n";
    return 2;
  }
  try {
    zcb::site::render_site(argv[1], argv[2], argc == 4 ? argv[3] : "");
  } catch (const zcb::Error& error) {
    std::cerr << "zcb_site_render: error: " << error.what() << '\n';
    return 1;
  }
  std::cout << "zcb_site_render: wrote " << argv[2] << "/index.html\n";
  return 0;
}
