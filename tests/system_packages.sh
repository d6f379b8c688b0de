#!/usr/bin/env bash
# Installs the Debian packages some tests need (a browser, a virtual screen, sound tools).
# The coach itself needs none of them. Without root or apt, the tests that need a missing
# package are skipped with the reason printed in pytest's summary.
set -u
wanted=(chromium xvfb xdotool libportaudio2 espeak-ng sox)
missing=()
for pkg in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    echo "system_packages: not root or no apt-get; tests needing ${missing[*]} will be skipped"
    exit 0
fi
echo "system_packages: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
{ apt-get update -q && apt-get install -y -q --no-install-recommends "${missing[@]}"; } >/tmp/coach-apt.log 2>&1 \
    || echo "system_packages: apt-get failed (see /tmp/coach-apt.log); dependent tests will be skipped"
exit 0
