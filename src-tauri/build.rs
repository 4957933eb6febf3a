//! Build script: generates Tauri's context and the permissions of the app's own commands.
//! Listing the commands here makes each one require an explicit grant in a capability,
//! so the webview can call nothing Lifeguard did not allow on purpose.

fn main() {
    let manifest = tauri_build::AppManifest::new().commands(&["app_info"]);
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(manifest);
    if let Err(error) = tauri_build::try_build(attributes) {
        panic!("tauri-build failed: {error:#}");
    }
}
