//! The page's IPC types (`ui/src/ipc-types.ts`) are generated from the Rust types: this test fails
//! when the checked-in file is stale, and `make ipc-types` (GALLEY_WRITE_IPC_TYPES=1) rewrites it.
use std::path::Path;

#[test]
fn the_checked_in_typescript_types_match_the_rust_types() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/ipc-types.ts");
    let generated = galley_app::ipc_types::typescript();
    if std::env::var_os("GALLEY_WRITE_IPC_TYPES").is_some() {
        std::fs::write(&path, &generated).expect("write ui/src/ipc-types.ts");
        return;
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    if checked_in != generated {
        let diff = similar::TextDiff::from_lines(&checked_in, &generated).unified_diff().header("checked in", "generated").to_string();
        panic!("ui/src/ipc-types.ts does not match the Rust types; run `make ipc-types` and commit it.\n{diff}");
    }
}

#[test]
fn generation_is_reproducible() {
    assert_eq!(galley_app::ipc_types::typescript(), galley_app::ipc_types::typescript());
}
