//! The sync folder on a WebDAV server (Nextcloud, ownCloud, Apache mod_dav, rclone), reached
//! directly: the same files as a local folder ([`super::folder`]), the same rules.
//!
//! - **List**: `PROPFIND` with `Depth: 1` (RFC 4918 §9.1); the `207 Multi-Status` answer is
//!   read by [`parse_multistatus`], a bounded stream reader (quick-xml: no DTD, no external
//!   entity, nesting, entries and href lengths capped). Only hrefs of this folder's own
//!   children on this server, percent-decoded strictly, named like a device file, are kept.
//! - **Read**: `GET`, refused above [`MAX_FILE_LEN`] from `Content-Length` and again while
//!   reading (a server may not say, or lie).
//! - **Write**: `PUT` to `<name>.tmp`, then `MOVE` to `<name>` with `Overwrite: T`
//!   (RFC 4918 §9.9): the server replaces the file in one step, so a reader never sees half
//!   of it.
//! - **Join**: `MKCOL` (§9.3) when the folder is missing.
//!
//! Authentication is HTTP Basic, so the password is sent with every request: only over
//! `https://`, or over plain `http://` to this computer itself (`localhost`, `127.0.0.1`,
//! `::1`: a local rclone or a tunnel). Every request has time limits, so a stopped server
//! fails a sync in seconds instead of hanging it. No proxy is used and no redirect followed
//! (the password would go where the redirect says).

use std::io::Read;
use std::time::Duration;

use quick_xml::events::Event;
use quick_xml::name::{Namespace, ResolveResult};
use quick_xml::reader::NsReader;
use ureq::http::{self, Method, Request, StatusCode, Uri};
use zeroize::Zeroizing;

use super::file::{self, MAX_FILE_LEN};
use super::folder::{Listed, Listing, SyncFolder};
use super::SyncError;

/// Connecting, and each read or write on the connection, may take this long (a stopped or
/// hung server fails a sync in seconds).
pub const TIMEOUT: Duration = Duration::from_secs(15);
const NOTHING_ANSWERS: &str =
    "nothing answers at that address (the server is stopped, or the address is wrong)";
/// A whole request, body included, at most (a 64 MiB file on a slow line).
const TIMEOUT_WHOLE: Duration = Duration::from_secs(600);
/// Largest PROPFIND answer read: some 30 000 entries (the folder may hold other files).
pub const MAX_LISTING_LEN: usize = 16 * 1024 * 1024;
/// Deepest element nesting in a PROPFIND answer (a real one is about 6 deep).
const MAX_DEPTH: usize = 32;
/// Most `<response>` entries read from one answer.
const MAX_RESPONSES: usize = 100_000;
/// Longest href kept, in bytes (longer ones are no file of ours).
const MAX_HREF_LEN: usize = 4096;
/// The properties asked for: whether an entry is a folder, and its length.
const PROPFIND_BODY: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/><d:getcontentlength/></d:prop></d:propfind>
"#;

/// A sync folder on a WebDAV server, with the user and password that reach it.
pub struct WebDavFolder {
    /// The folder's address as given, with a trailing slash.
    url: String,
    /// Its parts, to tell this folder's children from anything else an answer names.
    scheme: String,
    authority: String,
    /// The folder's path, percent-decoded, without the trailing slash.
    path: String,
    user: String,
    /// `Basic base64(user:password)`.
    authorization: Zeroizing<String>,
    password: Zeroizing<Vec<u8>>,
    agent: ureq::Agent,
}

impl std::fmt::Debug for WebDavFolder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebDavFolder")
            .field("url", &self.url)
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

/// Whether `address` names a WebDAV folder (`http://` or `https://`) rather than a path.
pub fn is_webdav_address(address: &str) -> bool {
    let lower = address.trim_start().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

impl WebDavFolder {
    /// The folder at `address` (`https://host/path`, or `http://` to this computer only),
    /// reached as `user` with `password`. Nothing is sent yet.
    pub fn new(address: &str, user: &str, password: &[u8]) -> Result<WebDavFolder, SyncError> {
        let bad = |reason: &str| SyncError::BadAddress {
            address: address.to_owned(),
            reason: reason.to_owned(),
        };
        let uri: Uri = address
            .trim()
            .parse()
            .map_err(|_| bad("it is not a web address (spaces and other characters in a path are written %20 and so on)"))?;
        let scheme = uri
            .scheme_str()
            .map(str::to_ascii_lowercase)
            .ok_or_else(|| bad("it has no http:// or https://"))?;
        let authority = uri
            .authority()
            .ok_or_else(|| bad("it names no server"))?
            .as_str()
            .to_owned();
        if authority.contains('@') {
            return Err(bad(
                "it holds a user name or password: give the user with --webdav-user, and never a password on a command line",
            ));
        }
        if uri.query().is_some() {
            return Err(bad("a WebDAV folder's address has no ?query"));
        }
        let host = uri.host().unwrap_or_default().to_ascii_lowercase();
        match scheme.as_str() {
            "https" => {}
            "http" if is_this_computer(&host) => {}
            "http" => {
                return Err(SyncError::PlainHttp {
                    address: address.to_owned(),
                })
            }
            _ => {
                return Err(bad(
                    "only http:// and https:// addresses are WebDAV folders",
                ))
            }
        }
        if user.is_empty() {
            return Err(bad("a WebDAV folder needs a user (--webdav-user)"));
        }
        if user.contains(':') {
            return Err(bad(
                "a user name for HTTP Basic authentication cannot hold ':'",
            ));
        }
        let raw_path = uri.path().trim_end_matches('/');
        let path =
            percent_decode_strict(raw_path).ok_or_else(|| bad("its path has a broken %-escape"))?;
        let url = format!("{scheme}://{authority}{raw_path}/");
        let mut credentials = Zeroizing::new(Vec::with_capacity(user.len() + 1 + password.len()));
        credentials.extend_from_slice(user.as_bytes());
        credentials.push(b':');
        credentials.extend_from_slice(password);
        let authorization = Zeroizing::new(format!(
            "Basic {}",
            data_encoding::BASE64.encode(&credentials)
        ));
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .allow_non_standard_methods(true)
            .max_redirects(0)
            .proxy(None)
            .https_only(scheme == "https")
            .timeout_connect(Some(TIMEOUT))
            .timeout_resolve(Some(TIMEOUT))
            .timeout_send_request(Some(TIMEOUT))
            .timeout_recv_response(Some(TIMEOUT))
            .timeout_per_read(Some(TIMEOUT))
            .timeout_per_write(Some(TIMEOUT))
            .timeout_global(Some(TIMEOUT_WHOLE))
            .user_agent(concat!("Ringlet/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Ok(WebDavFolder {
            url,
            scheme,
            authority,
            path,
            user: user.to_owned(),
            authorization,
            password: Zeroizing::new(password.to_vec()),
            agent,
        })
    }

    /// The folder's address, ending in `/`.
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn user(&self) -> &str {
        &self.user
    }

    /// Sends one request; a failure to reach the server is [`SyncError::Unreachable`].
    fn send(
        &self,
        method: &[u8],
        url: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Result<http::Response<ureq::Body>, SyncError> {
        let mut request = Request::builder()
            .method(Method::from_bytes(method).map_err(|_| SyncError::Internal("HTTP method"))?)
            .uri(url)
            .header("Authorization", self.authorization.as_str());
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let request = request
            .body(body)
            .map_err(|_| SyncError::Internal("an HTTP request could not be made"))?;
        self.agent.run(request).map_err(|e| self.unreachable(e))
    }

    fn unreachable(&self, error: ureq::Error) -> SyncError {
        let reason = match error {
            ureq::Error::Timeout(_) => format!(
                "the server did not answer within {} seconds",
                TIMEOUT.as_secs()
            ),
            ureq::Error::HostNotFound => "the server's name is not known".to_owned(),
            ureq::Error::ConnectionFailed => NOTHING_ANSWERS.to_owned(),
            ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
                NOTHING_ANSWERS.to_owned()
            }
            ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => format!(
                "the server did not answer within {} seconds",
                TIMEOUT.as_secs()
            ),
            ureq::Error::Io(io) => format!("the connection failed ({io})"),
            ureq::Error::Tls(why) => format!("the secure connection failed ({why})"),
            ureq::Error::Rustls(why) => format!("the secure connection failed ({why})"),
            other => other.to_string(),
        };
        SyncError::Unreachable {
            folder: self.url.clone(),
            reason,
        }
    }

    /// What a refusal means, in words.
    fn refused(&self, status: StatusCode, what: &'static str) -> SyncError {
        match status.as_u16() {
            401 | 403 => SyncError::WebDavLogin {
                folder: self.url.clone(),
                user: self.user.clone(),
                status: status.as_u16(),
            },
            404 | 409 if what == "list" => SyncError::WebDavMissing {
                folder: self.url.clone(),
            },
            405 | 501 if what == "list" => SyncError::NotWebDav {
                folder: self.url.clone(),
                status: status.as_u16(),
            },
            300..=399 => SyncError::WebDavServer {
                folder: self.url.clone(),
                what,
                status: format!(
                    "{status}: it sends the request elsewhere; give that address instead"
                ),
            },
            _ => SyncError::WebDavServer {
                folder: self.url.clone(),
                what,
                status: status.to_string(),
            },
        }
    }

    /// Creates the folder when it is missing (joining); its parent must exist.
    fn make_if_missing(&self) -> Result<(), SyncError> {
        match self.propfind("0") {
            Ok(_) => Ok(()),
            Err(SyncError::WebDavMissing { .. }) => {
                let response = self.send(b"MKCOL", &self.url, &[], &[])?;
                match response.status().as_u16() {
                    200..=299 | 405 => Ok(()),
                    409 => Err(SyncError::WebDavServer {
                        folder: self.url.clone(),
                        what: "create the folder",
                        status: "409 Conflict: the folder above it does not exist".to_owned(),
                    }),
                    _ => Err(self.refused(response.status(), "create the folder")),
                }
            }
            Err(other) => Err(other),
        }
    }

    /// PROPFIND at `depth`: the answer's bytes, capped.
    fn propfind(&self, depth: &str) -> Result<Vec<u8>, SyncError> {
        let response = self.send(
            b"PROPFIND",
            &self.url,
            &[
                ("Depth", depth),
                ("Content-Type", "application/xml; charset=utf-8"),
            ],
            PROPFIND_BODY.as_bytes(),
        )?;
        if response.status().as_u16() != 207 {
            return Err(self.refused(response.status(), "list"));
        }
        self.read_capped(
            response,
            MAX_LISTING_LEN as u64,
            SyncError::WebDavServer {
                folder: self.url.clone(),
                what: "list",
                status: format!(
                    "207, but a listing larger than Ringlet reads ({} MiB)",
                    MAX_LISTING_LEN / (1024 * 1024)
                ),
            },
        )
    }

    /// A response's body, refused when it says or turns out to be longer than `cap`.
    fn read_capped(
        &self,
        mut response: http::Response<ureq::Body>,
        cap: u64,
        too_large: SyncError,
    ) -> Result<Vec<u8>, SyncError> {
        if response
            .body()
            .content_length()
            .is_some_and(|len| len > cap)
        {
            return Err(too_large);
        }
        let mut bytes = Vec::new();
        response
            .body_mut()
            .as_reader()
            .take(cap + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| SyncError::Unreachable {
                folder: self.url.clone(),
                reason: format!("the answer stopped ({e})"),
            })?;
        if bytes.len() as u64 > cap {
            return Err(too_large);
        }
        Ok(bytes)
    }

    /// The address of the file `name` in the folder (device file names need no escaping).
    fn file_url(&self, name: &str) -> String {
        format!("{}{name}", self.url)
    }
}

impl SyncFolder for WebDavFolder {
    fn list(&self) -> Result<Listing, SyncError> {
        let body = self.propfind("1")?;
        parse_listing(&body, &self.scheme, &self.authority, &self.path).map_err(|why| {
            SyncError::WebDavServer {
                folder: self.url.clone(),
                what: "list",
                status: format!("207, but its answer does not read: {why}"),
            }
        })
    }

    fn read(&self, name: &str) -> Result<Vec<u8>, SyncError> {
        let response = self.send(b"GET", &self.file_url(name), &[], &[])?;
        match response.status().as_u16() {
            200 => self.read_capped(response, MAX_FILE_LEN, SyncError::TooLarge),
            // Listed a moment ago, gone now: another device is replacing it.
            404 => Err(SyncError::Incomplete),
            _ => Err(self.refused(response.status(), "read a file")),
        }
    }

    fn write(&self, name: &str, bytes: &[u8]) -> Result<(), SyncError> {
        let temporary = self.file_url(&format!("{name}.tmp"));
        let response = self.send(
            b"PUT",
            &temporary,
            &[("Content-Type", "application/octet-stream")],
            bytes,
        )?;
        if !response.status().is_success() {
            return Err(self.refused(response.status(), "write a file"));
        }
        let destination = self.file_url(name);
        let moved = self.send(
            b"MOVE",
            &temporary,
            &[("Destination", &destination), ("Overwrite", "T")],
            &[],
        );
        match moved {
            Ok(response) if response.status().is_success() => Ok(()),
            other => {
                let _ = self.send(b"DELETE", &temporary, &[], &[]);
                match other {
                    Ok(response) => Err(self.refused(response.status(), "replace a file")),
                    Err(error) => Err(error),
                }
            }
        }
    }

    fn display_name(&self) -> String {
        self.url.clone()
    }

    fn prepare(&self) -> Result<(), SyncError> {
        self.make_if_missing()
    }

    fn remembered(&self) -> super::folder::Remembered<'_> {
        super::folder::Remembered::WebDav {
            url: &self.url,
            user: &self.user,
            password: &self.password,
        }
    }
}

/// `localhost`, `127.0.0.1` (any 127/8) or `::1`: plain HTTP stays on this computer.
fn is_this_computer(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host == "localhost" {
        return true;
    }
    host.parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_loopback())
}

/// One `<response>` of a multistatus answer: its href as written, and whether its
/// `resourcetype` says collection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub href: String,
    pub collection: bool,
}

/// Reads a `207 Multi-Status` body into its entries. Bounded: nesting deeper than
/// [`MAX_DEPTH`], more than [`MAX_RESPONSES`] entries, or a body that is not UTF-8 XML is
/// refused; an href longer than [`MAX_HREF_LEN`] is dropped. Elements are matched in the
/// `DAV:` namespace only.
pub fn parse_multistatus(xml: &[u8]) -> Result<Vec<Entry>, &'static str> {
    if xml.len() > MAX_LISTING_LEN {
        return Err("it is too long");
    }
    let text = std::str::from_utf8(xml).map_err(|_| "it is not UTF-8")?;
    let mut reader = NsReader::from_str(text);
    let mut entries = Vec::new();
    // The DAV: elements open above the current point, by local name.
    let mut stack: Vec<Option<&'static str>> = Vec::new();
    let mut current: Option<(String, bool, bool)> = None; // href, collection, href too long
    let mut in_multistatus = false;
    loop {
        let (ns, event) = reader
            .read_resolved_event()
            .map_err(|_| "it is not well-formed XML")?;
        let dav = matches!(ns, ResolveResult::Bound(Namespace(n)) if n == "DAV:");
        match event {
            Event::Start(element) => {
                if stack.len() >= MAX_DEPTH {
                    return Err("it nests too deep");
                }
                let name = dav.then(|| known(element.local_name().as_ref())).flatten();
                open(name, &stack, &mut current, &mut in_multistatus, &entries)?;
                stack.push(name);
            }
            Event::Empty(element) => {
                let name = dav.then(|| known(element.local_name().as_ref())).flatten();
                open(name, &stack, &mut current, &mut in_multistatus, &entries)?;
                if name == Some("response") {
                    close(Some("response"), &mut current, &mut entries);
                }
            }
            Event::End(_) => {
                let name = stack.pop().ok_or("it is not well-formed XML")?;
                close(name, &mut current, &mut entries);
            }
            Event::Text(text) if stack.last() == Some(&Some("href")) => {
                push_href(&mut current, &text)
            }
            Event::CData(data) if stack.last() == Some(&Some("href")) => {
                push_href(&mut current, &data)
            }
            Event::GeneralRef(reference) if stack.last() == Some(&Some("href")) => {
                let resolved = match reference.resolve_char_ref() {
                    Ok(Some(c)) => c,
                    Ok(None) => match &*reference {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "quot" => '"',
                        "apos" => '\'',
                        _ => return Err("it uses an entity XML does not define"),
                    },
                    Err(_) => return Err("it holds a bad character reference"),
                };
                push_href(&mut current, resolved.encode_utf8(&mut [0; 4]))
            }
            Event::DocType(_) => return Err("it declares a document type"),
            Event::Eof => break,
            _ => {}
        }
    }
    if !stack.is_empty() {
        return Err("it ends early");
    }
    if !in_multistatus {
        return Err("it is not a multistatus answer");
    }
    Ok(entries)
}

/// The DAV: elements the reader follows.
fn known(local: &str) -> Option<&'static str> {
    match local {
        "multistatus" => Some("multistatus"),
        "response" => Some("response"),
        "href" => Some("href"),
        "resourcetype" => Some("resourcetype"),
        "collection" => Some("collection"),
        _ => None,
    }
}

fn open(
    name: Option<&'static str>,
    stack: &[Option<&'static str>],
    current: &mut Option<(String, bool, bool)>,
    in_multistatus: &mut bool,
    entries: &[Entry],
) -> Result<(), &'static str> {
    let parent = stack.last().copied().flatten();
    match name {
        Some("multistatus") if stack.is_empty() => *in_multistatus = true,
        Some("response") if parent == Some("multistatus") => {
            if entries.len() >= MAX_RESPONSES {
                return Err("it lists too many entries");
            }
            *current = Some((String::new(), false, false));
        }
        Some("collection") if parent == Some("resourcetype") => {
            if let Some(entry) = current.as_mut() {
                entry.1 = true;
            }
        }
        _ => {}
    }
    Ok(())
}

fn close(
    name: Option<&'static str>,
    current: &mut Option<(String, bool, bool)>,
    entries: &mut Vec<Entry>,
) {
    if name == Some("response") {
        if let Some((href, collection, too_long)) = current.take() {
            if !too_long && !href.is_empty() {
                entries.push(Entry {
                    href: href.trim().to_owned(),
                    collection,
                });
            }
        }
    }
}

fn push_href(current: &mut Option<(String, bool, bool)>, text: &str) {
    if let Some((href, _, too_long)) = current.as_mut() {
        if href.len() + text.len() > MAX_HREF_LEN {
            *too_long = true;
            href.clear();
        } else if !*too_long {
            href.push_str(text);
        }
    }
}

/// The device files a PROPFIND answer lists in the folder `path` (percent-decoded, no
/// trailing slash) of the server `scheme://authority`: hrefs of another server, outside
/// the folder, badly escaped or not named like a device file are left out; a device file
/// name that is a folder is named as a problem.
pub fn parse_listing(
    body: &[u8],
    scheme: &str,
    authority: &str,
    path: &str,
) -> Result<Listing, &'static str> {
    let mut listing = Listing::default();
    for entry in parse_multistatus(body)? {
        let Some(name) = child_name(&entry.href, scheme, authority, path) else {
            continue;
        };
        let Some(device) = file::device_of(&name) else {
            continue;
        };
        if entry.collection {
            listing
                .problems
                .push(format!("{name} is not a plain file (a folder): skipped."));
        } else if !listing.files.iter().any(|f| f.device == device) {
            listing.files.push(Listed { name, device });
        }
    }
    listing.files.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(listing)
}

/// The name of the child of folder `path` that `href` names, if it names one on this server.
fn child_name(href: &str, scheme: &str, authority: &str, path: &str) -> Option<String> {
    let raw_path = if href.starts_with('/') {
        href.to_owned()
    } else if let Some((href_scheme, rest)) = href.split_once("://") {
        if !href_scheme.eq_ignore_ascii_case(scheme) {
            return None;
        }
        let (href_authority, rest) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        if !same_authority(href_authority, authority, scheme) {
            return None;
        }
        rest.to_owned()
    } else if href.contains(':') || href.starts_with("//") {
        // Another scheme, or a network-path reference to some other server.
        return None;
    } else {
        // A relative reference, against the folder.
        format!("{path}/{href}")
    };
    let raw_path = raw_path.split(['?', '#']).next()?;
    let decoded = percent_decode_strict(raw_path)?;
    let decoded = decoded.strip_suffix('/').unwrap_or(&decoded);
    let (parent, name) = decoded.rsplit_once('/')?;
    if parent != path || name.is_empty() || name == "." || name == ".." {
        return None;
    }
    Some(name.to_owned())
}

/// Whether two authorities name the same server (host case-insensitive, the scheme's
/// default port written or not).
fn same_authority(a: &str, b: &str, scheme: &str) -> bool {
    let default = if scheme.eq_ignore_ascii_case("https") {
        ":443"
    } else {
        ":80"
    };
    let norm = |s: &str| {
        let s = s.to_ascii_lowercase();
        s.strip_suffix(default).map(str::to_owned).unwrap_or(s)
    };
    norm(a) == norm(b)
}

/// Percent-decoding that refuses a `%` not followed by two hex digits, and a result that
/// is not UTF-8 or holds a NUL.
fn percent_decode_strict(raw: &str) -> Option<String> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            if !hex.iter().all(u8::is_ascii_hexdigit) {
                return None;
            }
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    if out.contains(&0) {
        return None;
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests;
