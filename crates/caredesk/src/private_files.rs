//! Files only their owner may read: the data directory, the secret key file, backups. Made
//! with those modes from the start (never loosened and then narrowed), and an existing one that
//! others can read is narrowed with a warning.

use std::fs::File;
use std::path::Path;

use anyhow::Context;

/// Makes `dir` (and its parents) readable by its owner only; an existing directory that others
/// can read is narrowed.
pub fn make_private_dir(dir: &Path) -> anyhow::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .with_context(|| format!("cannot create the data directory {}", dir.display()))?;
    owner_only(dir, 0o700)
}

/// Narrows `path` to `mode` when group or others may reach it.
pub fn owner_only(path: &Path, mode: u32) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let current = std::fs::metadata(path)
            .with_context(|| format!("cannot read {}", path.display()))?
            .permissions()
            .mode();
        if current & 0o077 != 0 {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
                .with_context(|| format!("cannot make {} private", path.display()))?;
            tracing::warn!(path = %path.display(), "others could read this; it is now the owner's only");
        }
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
    Ok(())
}

/// Creates a new file at `path`, readable and writable by its owner only; an existing file is
/// an `AlreadyExists` error, never overwritten.
pub fn create_private_file(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// Puts the entries of `dir` (a file made or renamed in it) on disk.
pub fn sync_dir(dir: &Path) -> anyhow::Result<()> {
    #[cfg(unix)]
    File::open(dir)
        .and_then(|d| d.sync_all())
        .with_context(|| format!("cannot flush {}", dir.display()))?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}
