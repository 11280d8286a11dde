//! `sync::webdav::parse_listing` on arbitrary bytes, as a WebDAV server's answer to
//! PROPFIND: never a panic, never unbounded; every file it keeps is a device file's name
//! (so never a path, another server's file or one outside the folder), each device once.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ringlet_core::sync::{file, webdav};

fuzz_target!(|data: &[u8]| {
    let _ = webdav::parse_multistatus(data);
    let Ok(listing) = webdav::parse_listing(data, "https", "cloud.example.org", "/dav/Ring let")
    else {
        return;
    };
    let mut seen = std::collections::BTreeSet::new();
    for listed in &listing.files {
        assert_eq!(file::device_of(&listed.name), Some(listed.device));
        assert_eq!(listed.name, file::file_name(listed.device));
        assert!(seen.insert(listed.device), "a device listed twice");
    }
});
