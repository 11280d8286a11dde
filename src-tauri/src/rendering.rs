//! How the window is painted on Linux. WebKitGTK composites every frame with OpenGL by
//! default; where the only OpenGL is Mesa's software rasteriser (virtual machines, Xvfb,
//! many machines without a working driver) each frame then costs the whole window in CPU
//! time, and a countdown ring ticking once a second kept a fifth of a core busy. Ringlet's
//! page is a short list and a few dialogs, so WebKit's damage-tracked CPU painting is smooth
//! everywhere and only repaints what changed. `RINGLET_GPU_COMPOSITING=1` turns
//! compositing back on (PERFORMANCE.md has the measurements).

#[cfg(target_os = "linux")]
use tauri::Manager;
use tauri::Runtime;

/// Set on the main window before its page is shown.
pub fn configure<R: Runtime>(app: &tauri::AppHandle<R>) {
    #[cfg(target_os = "linux")]
    {
        if std::env::var_os("RINGLET_GPU_COMPOSITING").is_some_and(|v| v == "1") {
            return;
        }
        let Some(window) = app.get_webview_window("main") else {
            return;
        };
        let result = window.with_webview(|webview| {
            use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
            if let Some(settings) = webview.inner().settings() {
                settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
            }
        });
        if let Err(error) = result {
            eprintln!("ringlet: could not set the window's painting mode: {error}");
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = app;
}
