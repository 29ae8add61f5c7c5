//! The built site's own files: the bundles, stylesheet and font, named by
//! `scripts/lib.sh` after their content so that browsers may keep them for good.

use app::results::recount::RecountEngine;
use app::shell::Assets;
use std::path::Path as FsPath;

/// The one file of `dir` named `{stem}.{hash}.{ext}`, as `scripts/lib.sh`
/// names what it builds after its content; none in a site built otherwise.
fn fingerprinted(dir: &FsPath, stem: &str, ext: &str) -> Option<String> {
    std::fs::read_dir(dir).ok()?.filter_map(Result::ok).find_map(|entry| {
        let name = entry.file_name().into_string().ok()?;
        let hash = name
            .strip_prefix(stem)?
            .strip_prefix('.')?
            .strip_suffix(ext)?
            .strip_suffix('.')?;
        is_fingerprint(hash).then_some(name)
    })
}

/// Whether a part of a file name is a content hash: 16 lowercase hex digits.
pub fn is_fingerprint(part: &str) -> bool {
    part.len() == 16 && part.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The name of the browser bundle, `app.<hash>` (its `.js`, `.wasm` and `.css`
/// share it), or `app` in a site built without hashes.
pub fn bundle_name(site_root: &FsPath) -> String {
    fingerprinted(&site_root.join("pkg"), "app", "js")
        .and_then(|name| name.strip_suffix(".js").map(str::to_owned))
        .unwrap_or_else(|| "app".to_owned())
}

/// Where the pages link the stylesheet and the font of the site at `site_root`.
pub fn site_assets(site_root: &FsPath) -> Assets {
    let defaults = Assets::default();
    let name = bundle_name(site_root);
    Assets {
        stylesheet: match name.as_str() {
            "app" => defaults.stylesheet,
            hashed => format!("/pkg/{hashed}.css"),
        },
        font: fingerprinted(&site_root.join("fonts"), "Vazirmatn", "woff2")
            .map_or(defaults.font, |font| format!("/fonts/{font}")),
        recount: fingerprinted(&site_root.join("pkg"), "recount", "js")
            .and_then(|name| {
                name.strip_suffix(".js")
                    .map(|stem| RecountEngine(format!("/pkg/{stem}")))
            })
            .unwrap_or(defaults.recount),
    }
}

#[cfg(test)]
mod tests {
    use super::site_assets;

    #[test]
    fn a_fingerprinted_site_is_linked_by_its_hashed_names() {
        let site = std::env::temp_dir().join(format!("mahalle-site-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&site);
        std::fs::create_dir_all(site.join("pkg")).expect("pkg");
        std::fs::create_dir_all(site.join("fonts")).expect("fonts");
        let unhashed = site_assets(&site);
        assert_eq!(
            (unhashed.stylesheet.as_str(), unhashed.font.as_str()),
            ("/pkg/app.css", "/fonts/Vazirmatn.woff2")
        );
        assert_eq!(unhashed.recount.0, "/pkg/recount");
        for file in [
            "pkg/app.0123456789abcdef.js",
            "pkg/app.notahash.js",
            "fonts/Vazirmatn.fedcba9876543210.woff2",
            "pkg/recount.00112233445566ff.js",
        ] {
            std::fs::write(site.join(file), "").expect("file");
        }
        let hashed = site_assets(&site);
        assert_eq!(hashed.stylesheet, "/pkg/app.0123456789abcdef.css");
        assert_eq!(hashed.font, "/fonts/Vazirmatn.fedcba9876543210.woff2");
        assert_eq!(hashed.recount.0, "/pkg/recount.00112233445566ff");
        let options = crate::web::leptos_options(&site, ([127, 0, 0, 1], 3000).into());
        assert_eq!(options.output_name.as_ref(), "app.0123456789abcdef");
        std::fs::remove_dir_all(&site).expect("clean up");
    }
}
