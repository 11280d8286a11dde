//! The PROPFIND reader on real servers' answers and on hostile ones: huge, deep, badly
//! escaped, other servers' hrefs, entities. Nothing here may panic or run unbounded.

use super::*;

const DEVICE_A: &str = "0612ce61d480060ea7729bd527ff9b64.ringlet-sync";
const DEVICE_B: &str = "d539c075cfcaa695f997a7cbcad53f81.ringlet-sync";

fn multistatus(responses: &[(&str, bool)]) -> String {
    let mut xml =
        String::from(r#"<?xml version="1.0" encoding="utf-8"?><d:multistatus xmlns:d="DAV:">"#);
    for (href, collection) in responses {
        let kind = if *collection { "<d:collection/>" } else { "" };
        xml.push_str(&format!(
            "<d:response><d:href>{href}</d:href><d:propstat><d:prop><d:resourcetype>{kind}</d:resourcetype></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>"
        ));
    }
    xml.push_str("</d:multistatus>");
    xml
}

fn names(xml: &str) -> Vec<String> {
    parse_listing(
        xml.as_bytes(),
        "https",
        "cloud.example.org",
        "/dav/Ring let",
    )
    .unwrap()
    .files
    .into_iter()
    .map(|f| f.name)
    .collect()
}

#[test]
fn an_answer_like_nextclouds_gives_the_device_files_of_the_folder_only() {
    let xml = multistatus(&[
        ("/dav/Ring%20let/", true),
        (&format!("/dav/Ring%20let/{DEVICE_B}"), false),
        (
            &format!("https://cloud.example.org/dav/Ring%20let/{DEVICE_A}"),
            false,
        ),
        ("/dav/Ring%20let/notes.txt", false),
        (&format!("/dav/Ring%20let/{DEVICE_A}.tmp"), false),
    ]);
    assert_eq!(names(&xml), [DEVICE_A, DEVICE_B]);
}

#[test]
fn the_default_namespace_and_other_prefixes_read_the_same() {
    let xml = format!(
        r#"<multistatus xmlns="DAV:"><response><href>/dav/Ring%20let/{DEVICE_A}</href></response></multistatus>"#
    );
    assert_eq!(names(&xml), [DEVICE_A]);
    let xml = format!(
        r#"<X:multistatus xmlns:X="DAV:"><X:response><X:href>/dav/Ring%20let/{DEVICE_A}</X:href></X:response></X:multistatus>"#
    );
    assert_eq!(names(&xml), [DEVICE_A]);
}

#[test]
fn elements_of_another_namespace_are_not_webdavs() {
    let xml = format!(
        r#"<d:multistatus xmlns:d="DAV:" xmlns:o="urn:other"><d:response><o:href>/dav/Ring%20let/{DEVICE_A}</o:href></d:response></d:multistatus>"#
    );
    assert!(names(&xml).is_empty());
    let xml = format!(
        r#"<o:multistatus xmlns:o="urn:other"><o:response><o:href>/dav/Ring%20let/{DEVICE_A}</o:href></o:response></o:multistatus>"#
    );
    assert!(parse_listing(
        xml.as_bytes(),
        "https",
        "cloud.example.org",
        "/dav/Ring let"
    )
    .is_err());
}

#[test]
fn other_servers_and_other_folders_hrefs_are_left_out() {
    let xml = multistatus(&[
        (
            &format!("https://evil.example.net/dav/Ring%20let/{DEVICE_A}"),
            false,
        ),
        (
            &format!("http://cloud.example.org/dav/Ring%20let/{DEVICE_A}"),
            false,
        ),
        (
            &format!("//evil.example.net/dav/Ring%20let/{DEVICE_A}"),
            false,
        ),
        (&format!("file:///dav/Ring%20let/{DEVICE_A}"), false),
        (&format!("/dav/Other/{DEVICE_A}"), false),
        (&format!("/dav/Ring%20let/sub/{DEVICE_A}"), false),
        (&format!("/dav/Ring%20let/../Ring%20let/{DEVICE_A}"), false),
        (&format!("/dav/Ring%20let%2F{DEVICE_A}"), false),
    ]);
    // The last one decodes to the folder's path: a name, never a path to follow.
    assert_eq!(names(&xml), [DEVICE_A]);
    let xml = multistatus(&[(
        &format!("https://evil.example.net/dav/Ring%20let/{DEVICE_A}"),
        false,
    )]);
    assert!(names(&xml).is_empty());
}

#[test]
fn the_default_port_and_the_hosts_case_name_the_same_server() {
    let xml = multistatus(&[(
        &format!("https://Cloud.Example.org:443/dav/Ring%20let/{DEVICE_A}"),
        false,
    )]);
    assert_eq!(names(&xml), [DEVICE_A]);
    let xml = multistatus(&[(
        &format!("https://cloud.example.org:8443/dav/Ring%20let/{DEVICE_A}"),
        false,
    )]);
    assert!(names(&xml).is_empty());
}

#[test]
fn bad_escapes_are_left_out_and_relative_hrefs_read_against_the_folder() {
    let xml = multistatus(&[
        (&format!("/dav/Ring%2/{DEVICE_A}"), false),
        (&format!("/dav/Ring%zzlet/{DEVICE_A}"), false),
        (&format!("/dav/Ring%20let/%00{DEVICE_A}"), false),
        (&format!("/dav/Ring%ff%fe/{DEVICE_A}"), false),
        (&format!("/dav/Ring%+1let/{DEVICE_A}"), false),
        (DEVICE_B, false),
    ]);
    assert_eq!(names(&xml), [DEVICE_B]);
}

#[test]
fn entities_in_an_href_are_xmls_five_and_character_references_only() {
    let xml = format!(
        r#"<d:multistatus xmlns:d="DAV:"><d:response><d:href>/dav/Ring&#x25;20let/{DEVICE_A}</d:href></d:response></d:multistatus>"#
    );
    assert_eq!(names(&xml), [DEVICE_A]);
    let xml = format!(
        r#"<d:multistatus xmlns:d="DAV:"><d:response><d:href>/dav/&xxe;/{DEVICE_A}</d:href></d:response></d:multistatus>"#
    );
    assert!(parse_multistatus(xml.as_bytes()).is_err());
    let xml = r#"<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><d:multistatus xmlns:d="DAV:"><d:response><d:href>&xxe;</d:href></d:response></d:multistatus>"#;
    assert!(parse_multistatus(xml.as_bytes()).is_err());
}

#[test]
fn a_device_file_name_that_is_a_folder_is_a_problem_not_a_file() {
    let xml = multistatus(&[(&format!("/dav/Ring%20let/{DEVICE_A}/"), true)]);
    let listing = parse_listing(
        xml.as_bytes(),
        "https",
        "cloud.example.org",
        "/dav/Ring let",
    )
    .unwrap();
    assert!(listing.files.is_empty());
    assert_eq!(listing.problems.len(), 1, "{:?}", listing.problems);
    assert!(listing.problems[0].contains("not a plain file"));
}

#[test]
fn deep_nesting_is_refused_without_recursion() {
    let mut xml = String::from(r#"<d:multistatus xmlns:d="DAV:">"#);
    for _ in 0..100_000 {
        xml.push_str("<x>");
    }
    assert_eq!(parse_multistatus(xml.as_bytes()), Err("it nests too deep"));
}

#[test]
fn huge_answers_are_refused_and_long_hrefs_dropped() {
    let huge = vec![b' '; MAX_LISTING_LEN + 1];
    assert_eq!(parse_multistatus(&huge), Err("it is too long"));
    let long = format!("/dav/Ring%20let/{}{DEVICE_A}", "a/".repeat(MAX_HREF_LEN));
    let xml = multistatus(&[
        (&long, false),
        (&format!("/dav/Ring%20let/{DEVICE_B}"), false),
    ]);
    assert_eq!(names(&xml), [DEVICE_B]);
    let many = vec![("/x", false); MAX_RESPONSES + 1];
    assert_eq!(
        parse_multistatus(multistatus(&many).as_bytes()),
        Err("it lists too many entries")
    );
}

#[test]
fn broken_or_foreign_documents_are_errors_not_panics() {
    for bad in [
        &b""[..],
        b"<d:multistatus xmlns:d=\"DAV:\">",
        b"</d:multistatus>",
        b"<d:multistatus xmlns:d=\"DAV:\"><d:response></d:multistatus>",
        b"\xff\xfe<",
        b"<html><body>Login</body></html>",
        b"<d:multistatus xmlns:d=\"DAV:\"><d:href>&#0;</d:href></d:multistatus>",
        b"<d:multistatus xmlns:d=\"DAV:\"><d:response><d:href>&#xD800;</d:href></d:response></d:multistatus>",
    ] {
        assert!(parse_multistatus(bad).is_err(), "{:?}", String::from_utf8_lossy(bad));
    }
    // An empty folder.
    assert_eq!(
        parse_multistatus(br#"<d:multistatus xmlns:d="DAV:"/>"#),
        Ok(Vec::new())
    );
}

#[test]
fn addresses_say_what_is_wrong_with_them() {
    let err = |address: &str| {
        WebDavFolder::new(address, "alice", b"pw")
            .unwrap_err()
            .to_string()
    };
    assert!(err("http://cloud.example.org/dav").contains("in clear"));
    assert!(err("https://alice:pw@cloud.example.org/dav").contains("never a password"));
    assert!(err("https://cloud.example.org/a b").contains("not a web address"));
    assert!(err("ftp://cloud.example.org/dav").contains("only http"));
    assert!(err("https://cloud.example.org/dav?x=1").contains("query"));
    assert!(WebDavFolder::new("https://cloud.example.org/dav", "", b"pw").is_err());
    for local in [
        "http://127.0.0.1:8080/dav",
        "http://localhost/dav",
        "http://[::1]:80/x",
    ] {
        let folder = WebDavFolder::new(local, "alice", b"pw").unwrap();
        assert!(folder.url().ends_with('/'));
    }
    let folder = WebDavFolder::new("https://cloud.example.org/a%20b/", "alice", b"pw").unwrap();
    assert_eq!(folder.url(), "https://cloud.example.org/a%20b/");
    assert_eq!(folder.path, "/a b");
    assert!(!format!("{folder:?}").contains("pw"));
}
