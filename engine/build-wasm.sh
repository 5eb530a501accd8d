#!/usr/bin/env bash
# Builds the WebAssembly search engine into the default theme, where it is
# committed: the README's two commands need no wasm target. CI runs this
# with an output path and compares the bytes with the committed file.
# Paths are remapped so that the bytes do not depend on where the clone is.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-themes/default/static/search-engine.wasm}"
rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || true
RUSTFLAGS="--remap-path-prefix=$PWD=/wenku --remap-path-prefix=${CARGO_HOME:-$HOME/.cargo}=/cargo" \
  cargo build --quiet --profile wasm --target wasm32-unknown-unknown -p wenku-engine --target-dir target/wasm-build
cp target/wasm-build/wasm32-unknown-unknown/wasm/wenku_engine.wasm "$out"
