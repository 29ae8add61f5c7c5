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

# The site (target/site: pkg/app.<hash>.{js,wasm,css}, fonts/), made with
# cargo, wasm-bindgen and wasm-opt directly: neither README command needs the
# 30-minute cargo-leptos install (`cargo leptos watch` still works for
# development, with unhashed names).
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
    fingerprint_site
}

# Names the bundle, stylesheet and font after their content, so that browsers
# may keep them for good and an update is never met by a stale copy: the font
# as Vazirmatn.<hash>.woff2 (the stylesheet names it so), then app.js, app.wasm
# and app.css as app.<hash>.* with one hash of all three, which is how the
# server finds them (web::leptos_options).
fingerprint_site() {
    local hash
    hash=$(sha256sum "$SITE/fonts/Vazirmatn.woff2" | cut -c1-16)
    mv "$SITE/fonts/Vazirmatn.woff2" "$SITE/fonts/Vazirmatn.$hash.woff2"
    sed -i "s#/fonts/Vazirmatn.woff2#/fonts/Vazirmatn.$hash.woff2#" "$SITE/pkg/app.css"
    hash=$(cat "$SITE/pkg/app.js" "$SITE/pkg/app.wasm" "$SITE/pkg/app.css" | sha256sum | cut -c1-16)
    for ext in js wasm css; do
        mv "$SITE/pkg/app.$ext" "$SITE/pkg/app.$hash.$ext"
    done
}
