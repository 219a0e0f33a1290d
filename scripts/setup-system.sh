#!/usr/bin/env bash
# `npm run setup`: installs the system packages the tests need, each only if it is missing
# (Debian or Ubuntu, apt, as root or through sudo):
#   chromium      the browser of the end-to-end tests and benchmarks (Playwright cannot download
#                 its own browser everywhere; where it can, its own is used when this one is absent)
#   python3-torch, -numpy, -pil, -skimage, -matplotlib
#                 the model factory (PyTorch) and the generators of the test fixtures
# If another apt or dpkg process holds the package lock (an unattended upgrade, say), it waits
# for it, at most MOODLENS_APT_WAIT seconds (default 900), instead of failing.
set -euo pipefail

wait_seconds="${MOODLENS_APT_WAIT:-900}"
need=()
if [ -x /usr/bin/chromium ]; then
  echo "setup: chromium is present ($(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium))"
else
  need+=(chromium)
fi
if /usr/bin/python3 -c 'import numpy, PIL, skimage, torch, matplotlib' 2>/dev/null; then
  echo "setup: Debian's Python stack (torch, numpy, PIL, skimage, matplotlib) is present"
else
  need+=(python3 python3-numpy python3-pil python3-skimage python3-torch python3-matplotlib)
fi
if [ "${#need[@]}" -eq 0 ]; then
  echo "setup: nothing to install"
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "setup: please install ${need[*]} with your package manager (no apt-get here)" >&2
  exit 1
fi
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)

# apt waits for the dpkg lock itself (DPkg::Lock::Timeout); the package lists' lock it does not
# wait for, so a failed run that names a lock is retried until the same deadline.
deadline=$((SECONDS + wait_seconds))
apt() {
  local log
  log="$(mktemp)"
  while true; do
    if "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout="$wait_seconds" "$@" 2>"$log"; then
      rm -f "$log"
      return 0
    fi
    if grep -qiE 'could not get lock|unable to lock|is another process using it' "$log" && [ "$SECONDS" -lt "$deadline" ]; then
      echo "setup: another package manager holds the lock; waiting ($((deadline - SECONDS)) s left)"
      sleep 10
      continue
    fi
    cat "$log" >&2
    rm -f "$log"
    return 1
  done
}

echo "setup: installing ${need[*]} (about 1.5 GB with their dependencies; a few minutes)"
apt update -qq
apt install -y -qq --no-install-recommends "${need[@]}"
echo "setup: done"
