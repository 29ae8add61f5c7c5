//! The server secret: 32 random bytes kept in a file readable by the owner only.
//! It keys the hashes of national codes, so losing it orphans every verification.

use rand::RngCore;
use std::fs::OpenOptions;
use std::io::{ErrorKind, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

pub struct Secret([u8; 32]);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("cannot read or create the secret file {path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("the secret file {0} is not 64 hexadecimal digits")]
    Malformed(String),
}

impl Secret {
    pub fn bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Reads the secret, or creates it (mode 0600) on first start.
    pub fn load_or_create(path: &Path) -> Result<Secret, SecretError> {
        let io = |source| SecretError::Io {
            path: path.display().to_string(),
            source,
        };
        match std::fs::read_to_string(path) {
            Ok(text) => Secret::from_hex(text.trim()).ok_or_else(|| SecretError::Malformed(path.display().to_string())),
            Err(err) if err.kind() == ErrorKind::NotFound => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir).map_err(io)?;
                }
                let mut bytes = [0u8; 32];
                rand::rng().fill_bytes(&mut bytes);
                let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
                // Written whole under a name of this process's own, then linked
                // into place: the link appears with its content or not at all,
                // and of processes starting at once exactly one link wins.
                let draft = path.with_extension(format!("new-{}-{}", std::process::id(), rand::rng().next_u64()));
                let mut file = OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .mode(0o600)
                    .open(&draft)
                    .map_err(io)?;
                let written = file
                    .write_all(format!("{hex}\n").as_bytes())
                    .and_then(|()| file.sync_all())
                    .and_then(|()| std::fs::hard_link(&draft, path));
                let _ = std::fs::remove_file(&draft);
                match written {
                    Ok(()) => Ok(Secret(bytes)),
                    Err(err) if err.kind() == ErrorKind::AlreadyExists => Secret::load_or_create(path),
                    Err(err) => Err(io(err)),
                }
            }
            Err(err) => Err(io(err)),
        }
    }

    fn from_hex(text: &str) -> Option<Secret> {
        if text.len() != 64 {
            return None;
        }
        let mut bytes = [0u8; 32];
        for (i, byte) in bytes.iter_mut().enumerate() {
            *byte = u8::from_str_radix(text.get(i * 2..i * 2 + 2)?, 16).ok()?;
        }
        Some(Secret(bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_missing_secret_is_created_private_and_then_kept() {
        let dir = std::env::temp_dir().join(format!("mahalle-secret-{}", std::process::id()));
        let path = dir.join("nested/secret.key");
        let first = Secret::load_or_create(&path).expect("created");
        let mode = std::fs::metadata(&path).expect("exists").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let second = Secret::load_or_create(&path).expect("read back");
        assert_eq!(first.bytes(), second.bytes());
        assert_eq!(format!("{first:?}"), "Secret(…)");
        std::fs::write(&path, "not hex").expect("overwrite");
        assert!(matches!(Secret::load_or_create(&path), Err(SecretError::Malformed(_))));
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn processes_starting_at_once_all_read_the_one_secret() {
        let dir = std::env::temp_dir().join(format!("mahalle-secret-race-{}", std::process::id()));
        for attempt in 0..20 {
            let path = dir.join(format!("{attempt}/secret.key"));
            let secrets: Vec<[u8; 32]> = std::thread::scope(|scope| {
                let starts: Vec<_> = (0..8)
                    .map(|_| scope.spawn(|| *Secret::load_or_create(&path).expect("read or created").bytes()))
                    .collect();
                starts.into_iter().map(|s| s.join().expect("no panic")).collect()
            });
            assert!(secrets.iter().all(|s| *s == secrets[0]), "one secret for all");
            let files = std::fs::read_dir(path.parent().expect("folder"))
                .expect("folder")
                .count();
            assert_eq!(files, 1, "no draft left behind");
        }
        let _ = std::fs::remove_dir_all(dir);
    }
}
