#!/usr/bin/env bash
# Sourced by ci/test.sh and ci/setup-and-run.sh: installs what is missing, builds, and points
# ZCB_MIRROR at ../shared/data beside the checkout when no mirror is set and that folder exists.
bash ci/install-deps.sh
bash ci/build.sh
if [ -z "${ZCB_MIRROR:-}" ] && [ -d ../shared/data ]; then
  ZCB_MIRROR="$(cd ../shared/data && pwd)"
  export ZCB_MIRROR
fi
