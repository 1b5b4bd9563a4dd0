# Builds shared by ./scripts/demo, ./scripts/release and ./scripts/test, each skipped when the
# sources it reads have not changed since its output was made (a fingerprint stored beside it).
# Source this file from the repository root.

# A fingerprint of what a build reads.
fingerprint() { find "$@" -type f -print0 2>/dev/null | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16; }
# wasm-bindgen warns that `strip = true` hides the target features: expected here (size first).
quiet() { "$@" 2> >(grep -v 'target_features' >&2); }
rust_sources=(src derive Cargo.toml Cargo.lock)

# up_to_date OUTPUT STAMP_FILE STAMP: whether OUTPUT exists and was built from the same sources.
up_to_date() { [ -f "$1" ] && [ "$(cat "$2" 2>/dev/null)" = "$3" ]; }

# The agent widget: www/widget/dist/{widget.js,widget.wasm}.
build_widget() {
  local stamp
  stamp=$(fingerprint "${rust_sources[@]}" www/widget/src www/widget/build.mjs package-lock.json)
  if up_to_date www/widget/dist/widget.wasm www/widget/dist/.fingerprint "$stamp"; then
    echo "agent widget: up to date"
  else
    echo "building the agent widget (www/widget/dist)…"
    quiet ./scripts/build-widget
    echo "$stamp" > www/widget/dist/.fingerprint
  fi
}

# The simulator's and studio's wasm: www/pkg.
build_sim() {
  local stamp
  stamp=$(fingerprint "${rust_sources[@]}")
  if up_to_date www/pkg/wxcc_sfdc_adapter_bg.wasm www/pkg/.fingerprint "$stamp"; then
    echo "simulator wasm: up to date"
  else
    echo "building the simulator's wasm (www/pkg)…"
    quiet wasm-pack --quiet build --release --target web --out-dir www/pkg --no-typescript --no-pack . >/dev/null
    echo "$stamp" > www/pkg/.fingerprint
  fi
}

# The CLI as a WASI program for Node: target/wasm32-wasip1/release/wxcc-sfdc.wasm.
cli_wasm=target/wasm32-wasip1/release/wxcc-sfdc.wasm
build_cli_wasm() {
  local stamp
  stamp=$(fingerprint "${rust_sources[@]}" layouts)
  if up_to_date "$cli_wasm" "$cli_wasm.fingerprint" "$stamp"; then
    echo "CLI (wasm32-wasip1): up to date"
  else
    echo "building the CLI for Node (wasm32-wasip1)…"
    cargo build --quiet --locked --release --target wasm32-wasip1 --bin wxcc-sfdc
    echo "$stamp" > "$cli_wasm.fingerprint"
  fi
}
