#!/usr/bin/env bash
# The prompt tests (test/e2e/prompt-pty.test.ts) drive the built CLI in a pseudo-terminal through Python's
# standard pty module (test/helpers/pty-run.py): no npm package, no native build, no download but the
# operating system's own python3. Where it is missing and we are root with apt-get (a fresh CI container),
# this installs it; anywhere else it says how, and those tests skip with that reason (or fail when CI is set).
set -euo pipefail

probe() { python3 -c 'import pty, termios, fcntl' >/dev/null 2>&1; }

case "$(uname -s)" in
  Linux | Darwin) ;;
  *)
    echo "setup-pty: $(uname -s): no Python pty here; the pseudo-terminal tests skip"
    exit 0
    ;;
esac
if probe; then
  echo "setup-pty: python3 with the pty module is there"
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  # A fresh container has no package lists yet: update only when the first try cannot find the package.
  # A failed install (no network, no mirror) is said below, not a failed pretest: those tests skip or fail alone.
  apt-get install -y --no-install-recommends python3 >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y --no-install-recommends python3 >/dev/null; } || true
  if probe; then
    echo "setup-pty: installed python3 (apt-get)"
    exit 0
  fi
fi
echo "setup-pty: python3 with its pty module is missing; install python3 (e.g. apt-get install python3, as root). The pseudo-terminal tests skip until then (and fail when CI is set)" >&2
exit 0
