# Shared by scripts/start and scripts/test: where tools and builds live, and how
# to install what is missing. Tools go to a fixed place outside the clone and are
# skipped when present, so only the first run on a machine pays for them.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLS=${MAHALLE_TOOLS:-$HOME/.cache/mahalle/tools}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/mahalle/target}
# binaryen's wasm-opt comes from npm (style/package.json): Debian's binaryen 108
# rewrites wasm-bindgen's externref table as anyref, and browsers then refuse it.
export PATH="$ROOT/style/node_modules/.bin:$TOOLS/bin:$HOME/.cargo/bin:$PATH"
SITE="$ROOT/target/site"
CARGO_LEPTOS_VERSION=0.3.10

step() { printf '\n==> %s\n' "$*" >&2; }

# The wasm-bindgen CLI must equal the library version in Cargo.lock.
wasm_bindgen_version() {
    awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_wasm_target() {
    if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
        step "adding the wasm32-unknown-unknown target"
        rustup target add wasm32-unknown-unknown
    fi
}

ensure_wasm_bindgen() {
    local want
    want=$(wasm_bindgen_version)
    if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$want" ]; then
        step "installing wasm-bindgen-cli $want into $TOOLS (about 8 minutes, once)"
        # Not --locked: its lock file names a crate version the registry lacks.
        cargo install --root "$TOOLS" wasm-bindgen-cli --version "$want" --force
    fi
}

ensure_cargo_leptos() {
    if [ "$(cargo-leptos --version 2>/dev/null | awk '{print $2}')" != "$CARGO_LEPTOS_VERSION" ]; then
        step "installing cargo-leptos $CARGO_LEPTOS_VERSION into $TOOLS (30-45 minutes, once)"
        cargo install --root "$TOOLS" cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --features no_downloads --force
    fi
}

# Debian's Chromium, for the browser tests.
ensure_chromium() {
    if [ ! -x /usr/bin/chromium ]; then
        step "installing Debian's chromium"
        local sudo=()
        [ "$(id -u)" -eq 0 ] || sudo=(sudo)
        "${sudo[@]}" apt-get install -y --no-install-recommends chromium \
            || { "${sudo[@]}" apt-get update && "${sudo[@]}" apt-get install -y --no-install-recommends chromium; }
    fi
}

ensure_npm() {
    local dir=$1
    if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
        step "installing npm packages in ${dir#"$ROOT"/}"
        (cd "$dir" && npm ci --no-audit --no-fund)
    fi
}

# The self-hosted Persian font, copied from its npm package into the site's
# assets; the same npm install brings wasm-opt.
copy_fonts() {
    ensure_npm "$ROOT/style"
    mkdir -p "$ROOT/style/public/fonts"
    cp "$ROOT/style/node_modules/vazirmatn/fonts/webfonts/Vazirmatn[wght].woff2" "$ROOT/style/public/fonts/Vazirmatn.woff2"
}

# The same site cargo-leptos builds (target/site: pkg/app.js, pkg/app.wasm,
# pkg/app.css, fonts/), made with cargo, wasm-bindgen and wasm-opt directly, so
# that tests do not need the 30-minute cargo-leptos install.
build_site() {
    copy_fonts
    step "building the browser bundle (wasm32, release)"
    cargo build --locked -p app --lib --target wasm32-unknown-unknown \
        --no-default-features --features hydrate --profile wasm-release
    rm -rf "$SITE" && mkdir -p "$SITE/pkg"
    wasm-bindgen --target web --no-typescript --out-dir "$SITE/pkg" --out-name app \
        "$CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm-release/app.wasm"
    wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
        "$SITE/pkg/app_bg.wasm" -o "$SITE/pkg/app.wasm"
    rm "$SITE/pkg/app_bg.wasm"
    cp "$ROOT/style/main.css" "$SITE/pkg/app.css"
    cp -r "$ROOT/style/public/." "$SITE/"
}
