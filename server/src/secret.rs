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
                // create_new: two processes starting at once must not overwrite each other.
                match OpenOptions::new().write(true).create_new(true).mode(0o600).open(path) {
                    Ok(mut file) => {
                        file.write_all(format!("{hex}\n").as_bytes()).map_err(io)?;
                        file.sync_all().map_err(io)?;
                        Ok(Secret(bytes))
                    }
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
}
