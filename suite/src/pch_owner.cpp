// Owns the precompiled torch header that the other torch targets reuse (ZCB_USE_PCH).
#include "zcb/torch_headers.hpp"
