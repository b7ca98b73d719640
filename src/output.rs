//! The output set — every file of the site, by relative path, in memory — and the content hash
//! that names assets and marks a build. Below rendering and the offline and serve layers, which
//! all produce or read a [`Files`].

use std::collections::BTreeMap;

/// The rendered site: relative path → file contents, sorted, so the same input always gives the
/// same bytes in the same order.
pub type Files = BTreeMap<String, Vec<u8>>;

/// `style.css` → `assets/style.<8 hex digits of a content hash>.css`, so a cached old file is
/// never combined with a new page.
pub fn hashed_name(name: &str, bytes: &[u8]) -> String {
    let hash = fnv1a64(bytes);
    match name.rsplit_once('.') {
        Some((stem, ext)) => format!("assets/{stem}.{:08x}.{ext}", hash as u32),
        None => format!("assets/{name}.{:08x}", hash as u32),
    }
}

/// FNV-1a, 64-bit: a stable content hash for cache-busting file names (not for security).
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}
