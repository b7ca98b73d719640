//! Helpers shared by the engine's integration tests: where the repository is, and the shipped
//! policy data (`content/policy.yaml`) in the forms the tests feed the engine.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use policybook_engine::rules::Policy;
use serde_json::Value;

/// The repository root (the engine crate lives in `wasm/` under it).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the engine crate lives in wasm/ under the repository")
        .to_path_buf()
}

/// A file of the repository, by its path from the root.
pub fn read(path: &str) -> String {
    std::fs::read_to_string(repo_root().join(path)).unwrap_or_else(|e| panic!("{path} is readable: {e}"))
}

/// `content/policy.yaml` as a JSON value (what the page hands the engine).
pub fn policy_value() -> Value {
    serde_yaml::from_str(&read("content/policy.yaml")).expect("content/policy.yaml is YAML")
}

/// `content/policy.yaml` in the engine's model.
pub fn policy() -> Policy {
    serde_json::from_value(policy_value()).expect("content/policy.yaml matches the model")
}
