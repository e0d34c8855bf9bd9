#!/usr/bin/env bash
# The installed client library as a user gets it: `cmake --install --component client` into a
# temporary prefix (then moved, to prove it relocatable), an outside project (project/) built
# against it with find_package(dtwin CONFIG) and, separately, with pkg-config, and both
# programs run against a `dtwin serve` this script starts on port 0 and stops by PID.
# Usage: install_test.sh BUILD_DIR [CMAKE] [CXX] [GENERATOR]
set -euo pipefail

build_dir=$(cd "$1" && pwd)
cmake=${2:-cmake}
cxx=${3:-c++}
generator=${4:-Ninja}
here=$(cd "$(dirname "$0")" && pwd)

work=$(mktemp -d /tmp/dtwin-install-test.XXXXXX)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

echo "== cmake --install --component client"
"$cmake" --install "$build_dir" --component client --prefix "$work/installed" > "$work/install.log" ||
  fail "cmake --install: $(cat "$work/install.log")"
mv "$work/installed" "$work/prefix"  # nothing may point back at the first location
prefix=$work/prefix
[ -f "$prefix/include/dtwin/client/digital_twins_client.h" ] || fail "public headers not installed"
installed_headers=$(cd "$prefix/include" && find . -type f | sort)
[ "$(grep -cv '^./dtwin/client/' <<< "$installed_headers")" = 0 ] ||
  fail "headers other than dtwin/client/ installed: $installed_headers"
lib=$(find "$prefix" -name libdtwin_client.a -print -quit)
[ -n "$lib" ] || fail "libdtwin_client.a not installed"
config=$(find "$prefix" -name dtwinConfig.cmake -print -quit)
[ -n "$config" ] || fail "dtwinConfig.cmake not installed"
pc=$(find "$prefix" -name dtwin-client.pc -print -quit)
[ -n "$pc" ] || fail "dtwin-client.pc not installed"
echo "installed: ${lib#"$prefix"/}, ${config#"$prefix"/}, ${pc#"$prefix"/}"

echo "== outside project with find_package(dtwin CONFIG)"
"$cmake" -S "$here/project" -B "$work/cmake-build" -G "$generator" \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_CXX_COMPILER="$cxx" > "$work/configure.log" 2>&1 ||
  fail "configure: $(cat "$work/configure.log")"
"$cmake" --build "$work/cmake-build" > "$work/build.log" 2>&1 || fail "build: $(cat "$work/build.log")"

echo "== outside program with pkg-config"
pc_flags=$(PKG_CONFIG_PATH="$(dirname "$pc")" pkg-config --cflags --libs dtwin-client) ||
  fail "pkg-config dtwin-client"
echo "pkg-config --cflags --libs dtwin-client: $pc_flags"
# shellcheck disable=SC2086  # the flags are words
"$cxx" -std=c++20 -o "$work/install_check_pc" "$here/project/main.cpp" $pc_flags ||
  fail "compiling with pkg-config's flags"

echo "== both against dtwin serve"
"$build_dir/dtwin" serve --listen 127.0.0.1:0 --data-dir "$work/data" \
  > "$work/serve.out" 2> "$work/serve.err" &
server_pid=$!
for _ in $(seq 100); do grep -q "listening on" "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
url=$(head -1 "$work/serve.out" | sed -n 's/.*listening on //p')
[ -n "$url" ] || fail "dtwin serve did not start: $(cat "$work/serve.err")"

for program in "$work/cmake-build/install_check" "$work/install_check_pc"; do
  output=$("$program" "$url") || fail "$program exited $?: $output"
  echo "$output"
  grep -q "not found as expected: DigitalTwinNotFound" <<< "$output" ||
    fail "$program did not report DigitalTwinNotFound"
done
echo "PASS"
