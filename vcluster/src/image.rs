//! Saved clusters ("images"): a cluster's description, keys and every host's overlay
//! layer, copied to a folder of their own, from which `restore` and `clone` build
//! clusters again.
//!
//! An image lives in `<images>/<name>/` (`/var/lib/vcluster/images` unless
//! `VCLUSTER_IMAGES` says otherwise): `cluster.json`, `keys/` and `layers/<host>/upper`.
//! Layers are copied with `cp -a`, which keeps overlayfs's whiteouts (character devices)
//! and opaque-directory xattrs, so a restored host sees exactly the files it had,
//! deletions included.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

use crate::cluster::{io_err, require_root, Cluster, ClusterError, Seed, UpOptions, KEY_FILES};
use crate::run::output;

/// Where images are kept unless VCLUSTER_IMAGES says otherwise.
pub const DEFAULT_IMAGES: &str = "/var/lib/vcluster/images";

/// The folder all images live under.
pub fn images_dir() -> PathBuf {
    std::env::var_os("VCLUSTER_IMAGES")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(DEFAULT_IMAGES))
}

/// One saved image, as `vcluster images` lists it.
#[derive(Debug, Clone)]
pub struct Image {
    pub name: String,
    pub dir: PathBuf,
    /// The cluster it was saved from, as it was.
    pub cluster: Cluster,
    /// Bytes it takes on disk.
    pub bytes: u64,
    pub saved: Option<SystemTime>,
}

fn validate(name: &str) -> Result<(), ClusterError> {
    let ok = (1..=32).contains(&name.len())
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(ClusterError::BadImageName(name.to_string()))
    }
}

/// Copies a tree as `cp -a` does (to must not exist yet).
pub(crate) fn copy_tree(from: &Path, to: &Path) -> Result<(), ClusterError> {
    output(Command::new("cp").arg("-a").arg(from).arg(to))?;
    Ok(())
}

/// Saves cluster `cluster` as image `name`. The hosts keep running: files being written
/// at that moment are saved as they are then.
pub fn save(cluster: &Cluster, name: &str) -> Result<Image, ClusterError> {
    require_root()?;
    validate(name)?;
    let dir = images_dir().join(name);
    if dir.exists() {
        return Err(ClusterError::ImageExists(name.to_string()));
    }
    let tmp = images_dir().join(format!(".{name}.saving"));
    let _ = fs::remove_dir_all(&tmp);
    let made = (|| {
        fs::create_dir_all(tmp.join("keys"))
            .map_err(io_err(format!("creating {}", tmp.display())))?;
        fs::create_dir_all(tmp.join("layers")).map_err(io_err("creating the image's layers"))?;
        fs::copy(cluster.dir.join("cluster.json"), tmp.join("cluster.json"))
            .map_err(io_err("saving the cluster's description"))?;
        for k in KEY_FILES {
            fs::copy(cluster.dir.join(k), tmp.join("keys").join(k))
                .map_err(io_err(format!("saving key {k}")))?;
        }
        for h in &cluster.hosts {
            let to = tmp.join("layers").join(&h.name);
            fs::create_dir_all(&to).map_err(io_err("creating a host's saved layer"))?;
            let upper = cluster.layer(h).join("upper");
            if upper.exists() {
                copy_tree(&upper, &to.join("upper"))?;
            } else {
                fs::create_dir_all(to.join("upper")).map_err(io_err("creating an empty layer"))?;
            }
        }
        fs::rename(&tmp, &dir).map_err(io_err(format!("moving the image to {}", dir.display())))
    })();
    if let Err(e) = made {
        let _ = fs::remove_dir_all(&tmp);
        return Err(e);
    }
    load(name)
}

/// Loads image `name`.
pub fn load(name: &str) -> Result<Image, ClusterError> {
    validate(name)?;
    let dir = images_dir().join(name);
    let cluster = Cluster::read(&dir.join("cluster.json"))
        .map_err(|_| ClusterError::NoImage(name.to_string()))?;
    Ok(Image {
        name: name.to_string(),
        bytes: disk_usage(&dir),
        saved: fs::metadata(dir.join("cluster.json"))
            .and_then(|m| m.modified())
            .ok(),
        dir,
        cluster,
    })
}

/// Every image there is, by name.
pub fn list() -> Vec<Image> {
    let Ok(entries) = fs::read_dir(images_dir()) else {
        return Vec::new();
    };
    let mut out: Vec<Image> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| load(&e.file_name().to_string_lossy()).ok())
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// Removes image `name`.
pub fn remove(name: &str) -> Result<(), ClusterError> {
    let image = load(name)?;
    fs::remove_dir_all(&image.dir).map_err(io_err(format!("removing {}", image.dir.display())))
}

/// Builds the saved cluster again. Under its own name it comes back as it was: the same
/// hosts, subnet, addresses, keys and files. Under another name (`as_name`) it is a
/// copy with its own subnet and keys, which can run beside the original.
pub fn restore(name: &str, as_name: Option<&str>) -> Result<Cluster, ClusterError> {
    require_root()?;
    let image = load(name)?;
    let saved = &image.cluster;
    let same = as_name.is_none_or(|n| n == saved.name);
    let opts = UpOptions {
        user: saved.user.clone(),
        base: Some(saved.base.clone()),
        limits: saved.limits,
        subnet: same.then_some(saved.subnet),
    };
    let seed = Seed {
        layers: Some(image.dir.clone()),
        keys: same.then(|| image.dir.join("keys")),
    };
    Cluster::up_seeded(
        as_name.unwrap_or(&saved.name),
        saved.hosts.len(),
        &opts,
        &seed,
    )
}

/// Makes cluster `new` a copy of running cluster `from`: as many hosts, each starting
/// with a copy of its namesake's files, with its own subnet and keys.
pub fn clone(from: &Cluster, new: &str) -> Result<Cluster, ClusterError> {
    let opts = UpOptions {
        user: from.user.clone(),
        base: Some(from.base.clone()),
        limits: from.limits,
        subnet: None,
    };
    let seed = Seed {
        layers: Some(from.dir.clone()),
        keys: None,
    };
    Cluster::up_seeded(new, from.hosts.len(), &opts, &seed)
}

/// Bytes a tree takes on disk (`du -sb`; 0 if that fails).
pub fn disk_usage(path: &Path) -> u64 {
    output(Command::new("du").arg("-sb").arg(path))
        .ok()
        .and_then(|o| {
            String::from_utf8_lossy(&o.stdout)
                .split_whitespace()
                .next()?
                .parse()
                .ok()
        })
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_names() {
        assert!(validate("before-upgrade_2.1").is_ok());
        for bad in ["", ".hidden", "a/b", "x y", &"a".repeat(33)] {
            assert!(validate(bad).is_err(), "{bad}");
        }
    }
}
