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
        step "installing wasm-bindgen-cli $want into $TOOLS (about 3 minutes, once)"
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

# The characters the site's own font covers: Latin, the Persian and Arabic
# letters, digits and punctuation, and the joiners. Anything else a resident
# types falls back to the phone's fonts (style/main.css names the same range).
FONT_UNICODES="U+0020-007E,U+00A0-00FF,U+060C-061F,U+0621-0656,U+0660-066D,U+0670,U+067E,U+0686,U+0698,U+06A9,U+06AF,U+06C0,U+06CC,U+06D5,U+06F0-06F9,U+200C-200F,U+2010-2027,U+2030-203A,U+2212"

# fontTools from PyPI, to cut the font down to those characters.
ensure_fonttools() {
    if ! PYTHONPATH="$TOOLS/python" python3 -c 'import fontTools.subset, brotli' 2>/dev/null; then
        step "installing fontTools into $TOOLS/python (once)"
        python3 -m pip install --quiet --disable-pip-version-check --target "$TOOLS/python" \
            fonttools==4.68.0 brotli==1.2.1
    fi
}

# The self-hosted Persian font from its npm package, cut down to the
# characters above (111 KB to 64 KB); the same npm install brings wasm-opt.
copy_fonts() {
    ensure_npm "$ROOT/style"
    ensure_fonttools
    mkdir -p "$ROOT/style/public/fonts"
    PYTHONPATH="$TOOLS/python" python3 -m fontTools.subset \
        "$ROOT/style/node_modules/vazirmatn/fonts/webfonts/Vazirmatn[wght].woff2" \
        --unicodes="$FONT_UNICODES" --layout-features='*' --flavor=woff2 \
        --output-file="$ROOT/style/public/fonts/Vazirmatn.woff2"
}

# The site (target/site: pkg/app.<hash>.{js,wasm,css} with the islands'
# code, pkg/recount.<hash>.{js,wasm} with the tally engine the recount loads
# on demand, pkg/snippets/, fonts/), made with cargo, wasm-bindgen and wasm-opt
# directly: neither README command needs the 30-minute cargo-leptos install
# (`cargo leptos watch` still works for development, with unhashed names and
# no recount engine).
build_site() {
    copy_fonts
    step "building the browser bundles (wasm32, release)"
    rm -rf "$SITE" && mkdir -p "$SITE/pkg"
    # Two cargo runs: in one, the engine would be built with the islands' features.
    cargo build --locked -p app --lib --target wasm32-unknown-unknown \
        --no-default-features --features hydrate --profile wasm-release
    bundle app
    cargo build --locked -p recount --lib --target wasm32-unknown-unknown --profile wasm-release
    bundle recount
    cp "$ROOT/style/main.css" "$SITE/pkg/app.css"
    cp -r "$ROOT/style/public/." "$SITE/"
    fingerprint_site
    precompress "$SITE"/pkg/app.*.js "$SITE"/pkg/app.*.wasm "$SITE"/pkg/app.*.css \
        "$SITE"/pkg/recount.*.js "$SITE"/pkg/recount.*.wasm
}

# pkg/NAME.js and pkg/NAME.wasm from the crate's wasm32 build.
bundle() {
    local name=$1
    wasm-bindgen --target web --no-typescript --out-dir "$SITE/pkg" --out-name "$name" \
        "$CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm-release/$name.wasm"
    wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
        "$SITE/pkg/${name}_bg.wasm" -o "$SITE/pkg/$name.wasm"
    rm "$SITE/pkg/${name}_bg.wasm"
}

# Brotli at its best (quality 11) and gzip at its best next to each file,
# which the server sends as they are to a browser that takes them: the bundle
# is a fifth smaller than the brotli it would make on the fly, and no request
# pays for compressing. Debian's gzip packs the bundle about 2% tighter than
# zlib at the same level.
precompress() {
    node -e '
        const fs = require("fs"), zlib = require("zlib");
        const { BROTLI_PARAM_QUALITY, BROTLI_PARAM_SIZE_HINT } = zlib.constants;
        for (const file of process.argv.slice(1)) {
            const data = fs.readFileSync(file);
            const params = { [BROTLI_PARAM_QUALITY]: 11, [BROTLI_PARAM_SIZE_HINT]: data.length };
            fs.writeFileSync(file + ".br", zlib.brotliCompressSync(data, { params }));
        }' "$@"
    gzip -9 -n -k -f "$@"
}

# Names the bundles, stylesheet and font after their content, so that
# browsers may keep them for good and an update is never met by a stale copy:
# the font as Vazirmatn.<hash>.woff2 (the stylesheet names it so), the engine
# as recount.<hash>.{js,wasm}, then app.js, app.wasm and app.css as
# app.<hash>.* with one hash of all three, which is how the server finds them
# (server/src/assets.rs). The small scripts in pkg/snippets keep their names
# and are served to be checked again on each visit.
fingerprint_site() {
    local hash
    hash=$(sha256sum "$SITE/fonts/Vazirmatn.woff2" | cut -c1-16)
    mv "$SITE/fonts/Vazirmatn.woff2" "$SITE/fonts/Vazirmatn.$hash.woff2"
    sed -i "s#/fonts/Vazirmatn.woff2#/fonts/Vazirmatn.$hash.woff2#" "$SITE/pkg/app.css"
    hash=$(cat "$SITE/pkg/recount.js" "$SITE/pkg/recount.wasm" | sha256sum | cut -c1-16)
    for ext in js wasm; do
        mv "$SITE/pkg/recount.$ext" "$SITE/pkg/recount.$hash.$ext"
    done
    hash=$(cat "$SITE/pkg/app.js" "$SITE/pkg/app.wasm" "$SITE/pkg/app.css" | sha256sum | cut -c1-16)
    for ext in js wasm css; do
        mv "$SITE/pkg/app.$ext" "$SITE/pkg/app.$hash.$ext"
    done
}
