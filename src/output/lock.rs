//! The site's lock: one wenku at a time changes a site's output and index.
//!
//! `wenku build` takes it before it touches anything, and `wenku serve`
//! holds it for as long as it may rebuild. A second one is refused at once
//! and told who holds the lock, instead of failing half-way on the search
//! index's own lock after it replaced the pages. The lock is the operating
//! system's (`flock`), so a killed process never leaves it taken; the
//! file only says who took it last.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

/// In the site folder: the output folder is replaced whole by builds.
pub const FILE: &str = ".wenku-lock";

/// Held until dropped.
#[derive(Debug)]
pub struct SiteLock {
    _file: File,
}

/// The site is locked by another process.
#[derive(Debug, thiserror::Error)]
#[error(
    "the site {} is being built or served by another wenku: {holder}\n  = help: wait for it to finish, or stop it (a running `wenku serve` rebuilds the site itself)",
    .root.display()
)]
pub struct Locked {
    pub root: PathBuf,
    /// `wenku serve, process 1234, since 2026-12-06 12:03:05 UTC`.
    pub holder: String,
}

impl Locked {
    pub fn in_chinese(&self) -> String {
        format!(
            "站点 {} 正由另一个 wenku 生成或提供：{}\n  = 提示：等它结束，或先停止它（运行中的 `wenku serve` 会自己重新生成站点）",
            self.root.display(),
            self.holder
        )
    }
}

impl SiteLock {
    /// Takes the lock of the site at `root` for `command` (`wenku build`),
    /// or fails at once naming who holds it.
    pub fn acquire(root: &Path, command: &str) -> anyhow::Result<SiteLock> {
        let path = root.join(FILE);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| anyhow::anyhow!("cannot open the site's lock {}: {e}", path.display()))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                let holder = holder.trim();
                let holder = if holder.is_empty() { "another process".to_owned() } else { holder.to_owned() };
                return Err(Locked { root: root.to_path_buf(), holder }.into());
            }
            Err(TryLockError::Error(e)) => {
                return Err(anyhow::anyhow!("cannot lock the site's lock {}: {e}", path.display()));
            }
        }
        let holder = format!("{command}, process {}, since {}", std::process::id(), now());
        // Who holds it is a courtesy: the lock holds without it.
        let _ = file.set_len(0).and_then(|()| file.rewind()).and_then(|()| file.write_all(holder.as_bytes()));
        Ok(SiteLock { _file: file })
    }
}

fn now() -> String {
    let now = time::OffsetDateTime::now_utc();
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02} UTC",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_taker_is_refused_and_told_who_holds_it() {
        let dir = tempfile::tempdir().unwrap();
        let held = SiteLock::acquire(dir.path(), "wenku serve").unwrap();
        let refused = SiteLock::acquire(dir.path(), "wenku build").unwrap_err();
        let locked = refused.downcast_ref::<Locked>().expect("a Locked error");
        assert!(
            locked.holder.starts_with(&format!("wenku serve, process {}", std::process::id())),
            "{}",
            locked.holder
        );
        assert!(refused.to_string().contains("being built or served by another wenku: wenku serve"));
        assert!(locked.in_chinese().contains("正由另一个 wenku"));
        drop(held);
        SiteLock::acquire(dir.path(), "wenku build").expect("free once dropped");
    }
}
