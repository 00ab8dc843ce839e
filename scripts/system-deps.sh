#!/usr/bin/env bash
# System packages the test suite needs (Debian/Ubuntu): a real MariaDB server for the
# sql_query integration tests, and a real X server with a system tray for the desktop tests
# (Xvfb, trayer, xdotool, plus the X libraries Qt's xcb platform loads at run time), and
# bubblewrap, the python tool's sandbox.
# Installs only what is missing; never starts a service.
set -euo pipefail
have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ]; }
# a library package counts as present when dpkg says so (no dpkg: assume present)
have_pkg() {
  command -v dpkg-query >/dev/null 2>&1 || return 0
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"
}
missing=()
have mariadbd || missing+=(mariadb-server)
have Xvfb || missing+=(xvfb)
have xdotool || missing+=(xdotool)
have trayer || missing+=(trayer)
have bwrap || missing+=(bubblewrap)
for pkg in libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 \
  libxcb-render-util0 libxcb-shape0 libegl1 libgl1; do
  have_pkg "$pkg" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: please install: ${missing[*]}" >&2
  exit 0  # the tests that need them fail with instructions
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "system-deps: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
