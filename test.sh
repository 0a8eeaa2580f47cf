#!/usr/bin/env bash
# Runs every ScenarioKit test on a fresh machine: installs what the tests need, then `dotnet test`.
# Idempotent: each step is skipped when what it installs is already there.
set -euo pipefail
cd "$(dirname "$0")"

# Chromium for the Web Chat browser tests; a Japanese font so screenshots show Japanese, not boxes.
need_apt=()
[ -x /usr/lib/chromium/chromium ] || need_apt+=(chromium)
dpkg -s fonts-ipafont-gothic >/dev/null 2>&1 || need_apt+=(fonts-ipafont-gothic)
# Node.js and npm (20 or later) for the Web Chat / SignalR bundles fetched at build and the JavaScript client tests.
command -v npm >/dev/null 2>&1 || need_apt+=(nodejs npm)
# PostgreSQL server binaries for the storage and multi-node tests: they start their own throw-away cluster
# (tests/Shared/PostgresTestServer.cs); SCENARIOKIT_TEST_POSTGRES=<connection string> uses an existing server instead.
if [ -z "${SCENARIOKIT_TEST_POSTGRES:-}" ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then need_apt+=(postgresql); fi
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "test.sh: installing ${need_apt[*]} (Debian packages) for the browser and PostgreSQL tests"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# The real Microsoft JavaScript clients (botframework-directlinejs, -webchat, botbuilder), from the committed lockfile.
if [ -f tests/clients/package-lock.json ]; then
  if [ ! -d tests/clients/node_modules ] || [ tests/clients/package-lock.json -nt tests/clients/node_modules/.package-lock.json ]; then
    (cd tests/clients && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi

exec dotnet test --solution ScenarioKit.sln "$@"
