#!/usr/bin/env bash
# Installs the system packages the tests need, if they are missing (Debian/Ubuntu, apt):
# Chromium for the end-to-end tests (Playwright cannot download its own browser everywhere),
# and Debian's Python stack for the model factory and the e2e fixture generator.
set -euo pipefail

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
if ! /usr/bin/python3 -c 'import numpy, PIL, skimage, torch, matplotlib' 2>/dev/null; then
  need+=(python3 python3-numpy python3-pil python3-skimage python3-torch python3-matplotlib)
fi
if [ "${#need[@]}" -eq 0 ]; then
  echo "setup: chromium and the Python stack are already installed"
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "setup: please install ${need[*]} (no apt-get here)" >&2
  exit 1
fi
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
echo "setup: installing ${need[*]}"
"${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
