//! Windows: a hidden top-level window of Ringlet's own, on its own thread with its own
//! message loop, hears
//! - `WM_WTSSESSION_CHANGE` with `WTS_SESSION_LOCK` (Win+L, the screen saver's lock), once
//!   registered with `WTSRegisterSessionNotification`;
//! - `WM_POWERBROADCAST` with `PBT_APMSUSPEND` (sleep, hibernate), sent to every top-level
//!   window (a message-only window would not get it);
//! - the lid switch's power setting (`GUID_LIDSWITCH_STATE_CHANGE`, 0: closed), once
//!   registered with `RegisterPowerSettingNotification`.
//!
//! Checked here with `cargo check --target x86_64-pc-windows-gnu`; it has not run on Windows.

use std::sync::OnceLock;

use tauri::{AppHandle, Runtime};
use windows_sys::Win32::Foundation::{HWND, LPARAM, LRESULT, WPARAM};
use windows_sys::Win32::System::LibraryLoader::GetModuleHandleW;
use windows_sys::Win32::System::Power::{RegisterPowerSettingNotification, POWERBROADCAST_SETTING};
use windows_sys::Win32::System::RemoteDesktop::{
    WTSRegisterSessionNotification, NOTIFY_FOR_THIS_SESSION,
};
use windows_sys::Win32::System::SystemServices::GUID_LIDSWITCH_STATE_CHANGE;
use windows_sys::Win32::UI::WindowsAndMessaging::{
    CreateWindowExW, DefWindowProcW, DispatchMessageW, GetMessageW, RegisterClassW,
    TranslateMessage, DEVICE_NOTIFY_WINDOW_HANDLE, MSG, PBT_APMSUSPEND, PBT_POWERSETTINGCHANGE,
    WM_POWERBROADCAST, WM_WTSSESSION_CHANGE, WNDCLASSW, WTS_SESSION_LOCK,
};

use super::{on_event, OsEvent};

/// Where the window's procedure sends what it heard: the app's `on_event`.
static SINK: OnceLock<Box<dyn Fn(OsEvent) + Send + Sync>> = OnceLock::new();

/// Starts the listening window on its own thread. Failing (no window could be made) is said
/// once on stderr; the idle lock still applies.
pub fn watch<R: Runtime>(app: AppHandle<R>) {
    if SINK
        .set(Box::new(move |event| on_event(&app, event)))
        .is_err()
    {
        return;
    }
    std::thread::spawn(|| {
        // SAFETY: the window and its class are made and used on this thread only; every
        // pointer handed to Windows points at memory that outlives the call.
        if let Err(problem) = unsafe { listen() } {
            eprintln!("ringlet: not locking with the OS: {problem}");
        }
    });
}

fn wide(text: &str) -> Vec<u16> {
    text.encode_utf16().chain(std::iter::once(0)).collect()
}

unsafe fn listen() -> Result<(), &'static str> {
    let name = wide("RingletOsLock");
    let instance = GetModuleHandleW(std::ptr::null());
    let class = WNDCLASSW {
        style: 0,
        lpfnWndProc: Some(window_proc),
        cbClsExtra: 0,
        cbWndExtra: 0,
        hInstance: instance,
        hIcon: std::ptr::null_mut(),
        hCursor: std::ptr::null_mut(),
        hbrBackground: std::ptr::null_mut(),
        lpszMenuName: std::ptr::null(),
        lpszClassName: name.as_ptr(),
    };
    if RegisterClassW(&class) == 0 {
        return Err("its window class could not be registered");
    }
    // Top-level and never shown: broadcasts reach it, the person never sees it.
    let window = CreateWindowExW(
        0,
        name.as_ptr(),
        name.as_ptr(),
        0,
        0,
        0,
        0,
        0,
        std::ptr::null_mut(),
        std::ptr::null_mut(),
        instance,
        std::ptr::null(),
    );
    if window.is_null() {
        return Err("its window could not be made");
    }
    if WTSRegisterSessionNotification(window, NOTIFY_FOR_THIS_SESSION) == 0 {
        eprintln!("ringlet: screen locks will not lock the vault (no session notifications)");
    }
    let lid = RegisterPowerSettingNotification(
        window,
        &GUID_LIDSWITCH_STATE_CHANGE,
        DEVICE_NOTIFY_WINDOW_HANDLE,
    );
    if lid == 0 {
        eprintln!("ringlet: closing the lid will not lock the vault (no lid notifications)");
    }
    let mut message: MSG = std::mem::zeroed();
    while GetMessageW(&mut message, std::ptr::null_mut(), 0, 0) > 0 {
        TranslateMessage(&message);
        DispatchMessageW(&message);
    }
    Ok(())
}

unsafe extern "system" fn window_proc(
    window: HWND,
    message: u32,
    wparam: WPARAM,
    lparam: LPARAM,
) -> LRESULT {
    if let Some(event) = event_of(message, wparam, lparam) {
        if let Some(sink) = SINK.get() {
            sink(event);
        }
    }
    DefWindowProcW(window, message, wparam, lparam)
}

/// The event a window message announces, if it is one that locks.
///
/// # Safety
/// For a `PBT_POWERSETTINGCHANGE` broadcast, `lparam` must point at the
/// `POWERBROADCAST_SETTING` Windows sent with it.
unsafe fn event_of(message: u32, wparam: WPARAM, lparam: LPARAM) -> Option<OsEvent> {
    let what = u32::try_from(wparam).ok()?;
    match message {
        WM_WTSSESSION_CHANGE if what == WTS_SESSION_LOCK => Some(OsEvent::ScreenLocked),
        WM_POWERBROADCAST if what == PBT_APMSUSPEND => Some(OsEvent::Suspending),
        WM_POWERBROADCAST if what == PBT_POWERSETTINGCHANGE && lparam != 0 => {
            let setting = &*(lparam as *const POWERBROADCAST_SETTING);
            let lid = setting.PowerSetting.data1 == GUID_LIDSWITCH_STATE_CHANGE.data1
                && setting.PowerSetting.data2 == GUID_LIDSWITCH_STATE_CHANGE.data2
                && setting.PowerSetting.data3 == GUID_LIDSWITCH_STATE_CHANGE.data3
                && setting.PowerSetting.data4 == GUID_LIDSWITCH_STATE_CHANGE.data4;
            // The setting's data is a DWORD: 0 when the lid is closed.
            let closed = lid && setting.DataLength >= 4 && {
                let data = std::ptr::addr_of!(setting.Data).cast::<u32>();
                std::ptr::read_unaligned(data) == 0
            };
            closed.then_some(OsEvent::LidClosed)
        }
        _ => None,
    }
}
