//! How the window is painted on Linux. WebKitGTK composites every frame with OpenGL by
//! default; where the only OpenGL is Mesa's software rasteriser (virtual machines, Xvfb,
//! many machines without a working driver) each frame then costs the whole window in CPU
//! time, and a countdown ring ticking once a second kept a fifth of a core busy. Ringlet's
//! page is a short list and a few dialogs, so WebKit's damage-tracked CPU painting is smooth
//! everywhere and only repaints what changed. `RINGLET_GPU_COMPOSITING=1` turns
//! compositing back on (PERFORMANCE.md has the measurements).
//!
//! It is WebKit's own switch, read when a web view is made, rather than the view's
//! setting changed after: a view whose window was hidden or moved before its first paint
//! stayed blank when the setting changed under it (a window started in the tray, or
//! opened where it was left).

/// Called first thing in `run`, before any thread or window exists.
pub fn configure() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("RINGLET_GPU_COMPOSITING").is_none_or(|v| v != "1") {
        // Single-threaded still: nothing else reads the environment now.
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    }
}
