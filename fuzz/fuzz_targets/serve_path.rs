//! Request-path resolution of `policybook serve`: whatever the path, the answer is a relative
//! file name with no `..` segment, no backslash and no leading slash, or a refusal.
#![no_main]

use libfuzzer_sys::fuzz_target;
use policybook::serve::{content_type, resolve, Target};

fuzz_target!(|data: &[u8]| {
    let raw = String::from_utf8_lossy(data);
    match resolve(&raw) {
        Target::File(path) => {
            assert!(!path.starts_with('/'), "{raw:?} resolved to an absolute path {path:?}");
            assert!(!path.contains('\\'), "{raw:?} resolved to {path:?}");
            assert!(
                path.split('/').all(|s| s != ".." && s != "."),
                "{raw:?} resolved to {path:?}"
            );
            let _ = content_type(&path);
        }
        Target::Bad(_) => {}
    }
});
