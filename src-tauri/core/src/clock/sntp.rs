//! Asking a time server how far this computer's clock is off: SNTP (RFC 4330, the client
//! side of NTPv4, whose packet is RFC 5905 §7.3) over UDP.
//!
//! What is sent: one 48-byte request, version 4, mode 3 (client), every field zero except
//! the transmit timestamp, which is 8 random bytes, as chrony sends it: it tells the server
//! nothing about this clock, and the answer must return it as its origin timestamp, so an
//! answer forged by someone who did not see the request is refused. From the four times
//! (T1 sent and T4 received on this clock, T2 received and T3 sent on the server's), RFC 5905
//! §8: offset = ((T2 − T1) + (T3 − T4)) / 2, round trip = (T4 − T1) − (T3 − T2).
//!
//! An answer is refused when it is not a server's (mode 4), says its clock is not
//! synchronised (leap indicator 3, or stratum above 15), is a kiss-o'-death (stratum 0:
//! `RATE`, `DENY`, …), has no transmit time, or does not return our request's timestamp.
//! An answer that is not our request's is skipped, and the wait goes on.
//!
//! Every wait is bounded by the one `limit` given: the name is resolved on a thread that is
//! left behind at the limit (it ends when the resolver gives up), and each address (at most
//! [`MAX_ADDRESSES`]) gets an equal share of the time left. No name resolution is needed
//! for an address given as such (`127.0.0.1:1234`, `[::1]:123`).

use std::fmt;
use std::io::ErrorKind;
use std::net::{IpAddr, Ipv6Addr, SocketAddr, ToSocketAddrs, UdpSocket};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// NTP's port.
pub const NTP_PORT: u16 = 123;
/// The length of an NTP packet with no extension.
const PACKET_LEN: usize = 48;
/// A pool name resolves to a few addresses; trying more would only stretch the wait.
pub const MAX_ADDRESSES: usize = 4;
/// Longest server name: a DNS name's length, with room for `:port`.
const MAX_SERVER_LEN: usize = 260;
/// Seconds from NTP's epoch (1900) to Unix's (1970).
const NTP_TO_UNIX_SECONDS: i64 = 2_208_988_800;
/// An answer whose round trip took longer than this says little about the time.
const MAX_ROUND_TRIP_MS: i64 = 10_000;

/// What a time server said about this computer's clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Measurement {
    /// What this clock lacks, in milliseconds: positive when it is behind.
    pub offset_ms: i64,
    /// The request's round trip, the server's own time taken out.
    pub round_trip_ms: i64,
    /// When the answer came, on this computer's clock (Unix milliseconds).
    pub at_ms: u64,
    /// The address that answered.
    pub address: SocketAddr,
}

impl Measurement {
    /// The offset in whole seconds (half a second rounds away from zero).
    pub fn offset_seconds(&self) -> i64 {
        round_ms(self.offset_ms)
    }
}

/// Milliseconds to the nearest whole second, halves away from zero.
pub(crate) fn round_ms(ms: i64) -> i64 {
    let seconds = ms / 1000;
    let rest = ms % 1000;
    if rest >= 500 {
        seconds + 1
    } else if rest <= -500 {
        seconds - 1
    } else {
        seconds
    }
}

/// Why a time server's answer could not be had or used. Each is a sentence a person can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SntpError {
    #[error("{0:?} is not a time server's name: give a host name or an address, with :PORT when it is not {NTP_PORT}.")]
    BadServer(String),
    #[error("The time server {server} could not be found ({reason}). Is this computer offline?")]
    NotFound { server: String, reason: String },
    #[error("The time server {server} did not answer within {seconds} s.")]
    NoAnswer { server: String, seconds: u64 },
    #[error("The time server {server} could not be reached ({reason}).")]
    Unreachable { server: String, reason: String },
    #[error("The time server {server} sent an answer Ringlet cannot use: {why}.")]
    Unusable { server: String, why: String },
    #[error("The time server {server} asked not to be asked now ({code}).")]
    KissOfDeath { server: String, code: String },
    #[error("The time server {server} says its own clock is not synchronised.")]
    Unsynchronised { server: String },
}

/// A time server as the person gave it: a host name or an address, and a port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    pub host: String,
    pub port: u16,
}

impl Server {
    /// `host`, `host:port`, `1.2.3.4`, `1.2.3.4:port`, `::1`, `[::1]` or `[::1]:port`.
    pub fn parse(text: &str) -> Result<Server, SntpError> {
        let bad = || SntpError::BadServer(text.chars().take(80).collect());
        let text = text.trim();
        if text.is_empty() || text.len() > MAX_SERVER_LEN {
            return Err(bad());
        }
        let port_of = |port: &str| match port.parse::<u16>() {
            Ok(port) if port != 0 => Ok(port),
            _ => Err(bad()),
        };
        let (host, port) = if let Some(rest) = text.strip_prefix('[') {
            let (host, after) = rest.split_once(']').ok_or_else(bad)?;
            host.parse::<Ipv6Addr>().map_err(|_| bad())?;
            match after {
                "" => (host, NTP_PORT),
                _ => (host, port_of(after.strip_prefix(':').ok_or_else(bad)?)?),
            }
        } else if text.parse::<Ipv6Addr>().is_ok() {
            (text, NTP_PORT)
        } else {
            match text.split_once(':') {
                Some((host, port)) => (host, port_of(port)?),
                None => (text, NTP_PORT),
            }
        };
        if host.parse::<IpAddr>().is_err() && !is_host_name(host) {
            return Err(bad());
        }
        Ok(Server {
            host: host.to_owned(),
            port,
        })
    }
}

impl fmt::Display for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bracketed = self.host.contains(':');
        match (bracketed, self.port) {
            (false, NTP_PORT) => write!(f, "{}", self.host),
            (true, NTP_PORT) => write!(f, "[{}]", self.host),
            (false, port) => write!(f, "{}:{port}", self.host),
            (true, port) => write!(f, "[{}]:{port}", self.host),
        }
    }
}

/// Letters, digits and hyphens in dot-separated labels of 1 to 63 (a trailing dot allowed).
fn is_host_name(host: &str) -> bool {
    let host = host.strip_suffix('.').unwrap_or(host);
    !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

/// Asks `server` (as [`Server::parse`] reads it) how far this computer's clock is off,
/// taking at most about `limit` in all.
pub fn query(server: &str, limit: Duration) -> Result<Measurement, SntpError> {
    let server = Server::parse(server)?;
    let deadline = Instant::now() + limit;
    let name = server.to_string();
    let addresses = resolve(&server, limit)?;
    let addresses = &addresses[..addresses.len().min(MAX_ADDRESSES)];
    let mut last = None;
    for (tried, address) in addresses.iter().enumerate() {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        let share = left / u32::try_from(addresses.len() - tried).unwrap_or(1);
        match ask(*address, share, &name) {
            Ok(measurement) => return Ok(measurement),
            Err(error) => last = Some(error),
        }
    }
    Err(last.unwrap_or(SntpError::NoAnswer {
        server: name,
        seconds: limit.as_secs().max(1),
    }))
}

/// The server's addresses: at once for an address, else from the resolver on a thread
/// given up at `limit`.
fn resolve(server: &Server, limit: Duration) -> Result<Vec<SocketAddr>, SntpError> {
    if let Ok(ip) = server.host.parse::<IpAddr>() {
        return Ok(vec![SocketAddr::new(ip, server.port)]);
    }
    let name = server.to_string();
    let not_found = |reason: String| SntpError::NotFound {
        server: name.clone(),
        reason,
    };
    let (sender, receiver) = mpsc::channel();
    let target = (server.host.clone(), server.port);
    std::thread::Builder::new()
        .name("ringlet-sntp-resolve".into())
        .spawn(move || {
            let found = target
                .to_socket_addrs()
                .map(|addresses| addresses.collect::<Vec<_>>());
            // The receiver may have given up: nobody to tell.
            let _ = sender.send(found);
        })
        .map_err(|error| not_found(error.to_string()))?;
    match receiver.recv_timeout(limit) {
        Ok(Ok(addresses)) if !addresses.is_empty() => Ok(addresses),
        Ok(Ok(_)) => Err(not_found("the name has no address".into())),
        Ok(Err(error)) => Err(not_found(error.to_string())),
        Err(_) => Err(not_found(format!(
            "no answer from the name service within {} s",
            limit.as_secs().max(1)
        ))),
    }
}

/// One request to `address`, waiting at most `wait` for its answer.
fn ask(address: SocketAddr, wait: Duration, name: &str) -> Result<Measurement, SntpError> {
    let unreachable = |error: std::io::Error| SntpError::Unreachable {
        server: name.to_owned(),
        reason: error.to_string(),
    };
    let local: SocketAddr = if address.is_ipv4() {
        (std::net::Ipv4Addr::UNSPECIFIED, 0).into()
    } else {
        (Ipv6Addr::UNSPECIFIED, 0).into()
    };
    let socket = UdpSocket::bind(local).map_err(unreachable)?;
    // Connected: the system delivers only what comes from that address.
    socket.connect(address).map_err(unreachable)?;
    let mut nonce = [0u8; 8];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut nonce).map_err(|_| {
        SntpError::Unreachable {
            server: name.to_owned(),
            reason: "no random numbers".into(),
        }
    })?;
    let request = request(nonce);
    let deadline = Instant::now() + wait;
    let sent_ms = crate::otp::now_ms();
    socket.send(&request).map_err(unreachable)?;
    let mut buffer = [0u8; 512];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(no_answer(name, wait));
        }
        socket.set_read_timeout(Some(left)).map_err(unreachable)?;
        let length = match socket.recv(&mut buffer) {
            Ok(length) => length,
            Err(error) if matches!(error.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return Err(no_answer(name, wait))
            }
            Err(error) if error.kind() == ErrorKind::ConnectionRefused => {
                return Err(SntpError::Unreachable {
                    server: name.to_owned(),
                    reason: "nothing answers on that port".into(),
                })
            }
            Err(error) if error.kind() == ErrorKind::Interrupted => continue,
            Err(error) => return Err(unreachable(error)),
        };
        let received_ms = crate::otp::now_ms();
        match read_answer(&buffer[..length], nonce) {
            Ok(answer) => {
                return measure(&answer, sent_ms, received_ms, address).map_err(|why| {
                    SntpError::Unusable {
                        server: name.to_owned(),
                        why: why.into(),
                    }
                })
            }
            // Not an answer to this request (late, stray or forged): wait on.
            Err(Refusal::NotOurs) => continue,
            Err(refusal) => return Err(refusal.into_error(name)),
        }
    }
}

fn no_answer(name: &str, wait: Duration) -> SntpError {
    SntpError::NoAnswer {
        server: name.to_owned(),
        seconds: wait.as_secs_f64().ceil() as u64,
    }
}

/// A client request whose transmit timestamp is `nonce`.
pub(crate) fn request(nonce: [u8; 8]) -> [u8; PACKET_LEN] {
    let mut packet = [0u8; PACKET_LEN];
    // Leap indicator 0, version 4, mode 3 (client).
    packet[0] = (4 << 3) | 3;
    packet[40..48].copy_from_slice(&nonce);
    packet
}

/// The parts of a server's answer that are used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Answer {
    /// The server's clock when the request arrived (T2), and when it answered (T3).
    pub received: u64,
    pub transmitted: u64,
}

/// Why an answer is not used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// Not an answer to our request: another may still come.
    NotOurs,
    Unusable(&'static str),
    KissOfDeath(String),
    Unsynchronised,
}

impl Refusal {
    fn into_error(self, name: &str) -> SntpError {
        let server = name.to_owned();
        match self {
            Refusal::NotOurs => SntpError::Unusable {
                server,
                why: "it does not answer Ringlet's request".into(),
            },
            Refusal::Unusable(why) => SntpError::Unusable {
                server,
                why: why.into(),
            },
            Refusal::KissOfDeath(code) => SntpError::KissOfDeath { server, code },
            Refusal::Unsynchronised => SntpError::Unsynchronised { server },
        }
    }
}

/// Reads a server's answer to the request that carried `nonce`.
pub(crate) fn read_answer(packet: &[u8], nonce: [u8; 8]) -> Result<Answer, Refusal> {
    if packet.len() < PACKET_LEN {
        return Err(Refusal::NotOurs);
    }
    let word = |at: usize| {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(&packet[at..at + 8]);
        u64::from_be_bytes(bytes)
    };
    let leap = packet[0] >> 6;
    let version = (packet[0] >> 3) & 0b111;
    let mode = packet[0] & 0b111;
    let stratum = packet[1];
    if mode != 4 || !(1..=4).contains(&version) || packet[24..32] != nonce {
        return Err(Refusal::NotOurs);
    }
    if stratum == 0 {
        // A kiss-o'-death: its reference id is four ASCII letters saying why.
        let code: String = packet[12..16]
            .iter()
            .map(|&b| {
                if b.is_ascii_alphanumeric() {
                    b as char
                } else {
                    '?'
                }
            })
            .collect();
        return Err(Refusal::KissOfDeath(code));
    }
    if leap == 3 || stratum > 15 {
        return Err(Refusal::Unsynchronised);
    }
    let (received, transmitted) = (word(32), word(40));
    if transmitted == 0 || received == 0 {
        return Err(Refusal::Unusable("it carries no time"));
    }
    Ok(Answer {
        received,
        transmitted,
    })
}

/// The offset and round trip of `answer` to a request sent at `sent_ms` and answered at
/// `received_ms` on this clock.
pub(crate) fn measure(
    answer: &Answer,
    sent_ms: u64,
    received_ms: u64,
    address: SocketAddr,
) -> Result<Measurement, &'static str> {
    let t1 = i128::from(sent_ms) * 1_000_000;
    let t4 = i128::from(received_ms) * 1_000_000;
    let t2 = unix_nanos(answer.received);
    let t3 = unix_nanos(answer.transmitted);
    if t3 < t2 {
        return Err("its clock went backwards while it answered");
    }
    let offset = ((t2 - t1) + (t3 - t4)) / 2;
    let round_trip = (t4 - t1) - (t3 - t2);
    let ms = |nanos: i128| i64::try_from(nanos / 1_000_000).unwrap_or(i64::MAX);
    if ms(round_trip) > MAX_ROUND_TRIP_MS {
        return Err("the answer took too long to be trusted");
    }
    Ok(Measurement {
        offset_ms: ms(offset),
        round_trip_ms: ms(round_trip.max(0)),
        at_ms: received_ms,
        address,
    })
}

/// An NTP timestamp (seconds since 1900 in the high 32 bits, a fraction in the low 32) as
/// Unix nanoseconds. RFC 4330 §3: seconds with the high bit set are 1968–2036; clear, they
/// are of the next era (2036–2104).
pub(crate) fn unix_nanos(timestamp: u64) -> i128 {
    let seconds = timestamp >> 32;
    let fraction = timestamp & 0xffff_ffff;
    let era = if seconds & 0x8000_0000 != 0 {
        0
    } else {
        1i64 << 32
    };
    // `seconds` fits 32 bits, so the sum does not overflow.
    let unix = i64::try_from(seconds).unwrap_or(0) + era - NTP_TO_UNIX_SECONDS;
    i128::from(unix) * 1_000_000_000 + ((i128::from(fraction) * 1_000_000_000) >> 32)
}

/// `cfg(fuzzing)` only (cargo-fuzz passes it; no app, CLI, test or release build has it):
/// a time server's answer read and measured as [`query`] does, for the `sntp_answer` target.
#[cfg(fuzzing)]
pub mod fuzzing {
    /// The transmit timestamp of the request the fuzzed answers answer.
    pub const NONCE: [u8; 8] = [0x5a; 8];

    /// `packet` read as the answer to a request sent at `sent_ms`, received at `received_ms`.
    pub fn answer(packet: &[u8], sent_ms: u64, received_ms: u64) -> Option<super::Measurement> {
        let answer = super::read_answer(packet, NONCE).ok()?;
        let address = (std::net::Ipv4Addr::LOCALHOST, super::NTP_PORT).into();
        super::measure(&answer, sent_ms, received_ms, address).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NONCE: [u8; 8] = [9, 8, 7, 6, 5, 4, 3, 2];

    /// An NTP timestamp of Unix time `unix_ms`, written here independently of `unix_nanos`.
    fn ntp(unix_ms: u64) -> u64 {
        let seconds = (unix_ms / 1000 + 2_208_988_800) & 0xffff_ffff;
        let fraction = ((unix_ms % 1000) << 32) / 1000;
        (seconds << 32) | fraction
    }

    fn answer(stratum: u8, leap: u8, received: u64, transmitted: u64) -> Vec<u8> {
        let mut packet = vec![0u8; 48];
        packet[0] = (leap << 6) | (4 << 3) | 4;
        packet[1] = stratum;
        packet[24..32].copy_from_slice(&NONCE);
        packet[32..40].copy_from_slice(&received.to_be_bytes());
        packet[40..48].copy_from_slice(&transmitted.to_be_bytes());
        packet
    }

    fn here() -> SocketAddr {
        (std::net::Ipv4Addr::LOCALHOST, NTP_PORT).into()
    }

    #[test]
    fn the_request_is_version_4_client_mode_with_only_the_nonce() {
        let packet = request(NONCE);
        assert_eq!(packet[0], 0x23);
        assert!(packet[1..40].iter().all(|&b| b == 0));
        assert_eq!(packet[40..48], NONCE);
    }

    #[test]
    fn a_clock_two_minutes_behind_measures_plus_two_minutes() {
        // Sent at t, answered 40 ms later; the server is 133.25 s ahead of this clock and
        // took 2 ms to answer.
        let t = 1_765_000_000_000u64;
        let packet = answer(2, 0, ntp(t + 20 + 133_250), ntp(t + 22 + 133_250));
        let read = read_answer(&packet, NONCE).unwrap();
        let measured = measure(&read, t, t + 42, here()).unwrap();
        assert!(
            (measured.offset_ms - 133_250).abs() <= 1,
            "{}",
            measured.offset_ms
        );
        assert!((measured.round_trip_ms - 40).abs() <= 1);
        assert_eq!(measured.offset_seconds(), 133);
        assert_eq!(measured.at_ms, t + 42);
    }

    #[test]
    fn timestamps_after_2036_are_read_in_the_next_era() {
        // 2040-01-01T00:00:00Z, when NTP's 32-bit seconds have wrapped.
        let unix_2040 = 2_208_988_800u64;
        assert_eq!(
            unix_nanos(ntp(unix_2040 * 1000)),
            i128::from(unix_2040) * 1_000_000_000
        );
        let unix_2026 = 1_780_000_000u64;
        assert_eq!(
            unix_nanos(ntp(unix_2026 * 1000 + 500)),
            i128::from(unix_2026) * 1_000_000_000 + 500_000_000
        );
    }

    #[test]
    fn answers_that_are_not_ours_are_skipped() {
        let t = ntp(1_765_000_000_000);
        let mut forged = answer(2, 0, t, t);
        forged[24] ^= 1;
        assert_eq!(read_answer(&forged, NONCE), Err(Refusal::NotOurs));
        let mut client = answer(2, 0, t, t);
        client[0] = 0x23;
        assert_eq!(read_answer(&client, NONCE), Err(Refusal::NotOurs));
        assert_eq!(read_answer(&[0x24; 47], NONCE), Err(Refusal::NotOurs));
        let mut version_zero = answer(2, 0, t, t);
        version_zero[0] = 4;
        assert_eq!(read_answer(&version_zero, NONCE), Err(Refusal::NotOurs));
    }

    #[test]
    fn kiss_of_death_unsynchronised_and_empty_answers_are_refused() {
        let t = ntp(1_765_000_000_000);
        let mut kiss = answer(0, 0, t, t);
        kiss[12..16].copy_from_slice(b"RATE");
        assert_eq!(
            read_answer(&kiss, NONCE),
            Err(Refusal::KissOfDeath("RATE".into()))
        );
        assert_eq!(
            read_answer(&answer(2, 3, t, t), NONCE),
            Err(Refusal::Unsynchronised)
        );
        assert_eq!(
            read_answer(&answer(16, 0, t, t), NONCE),
            Err(Refusal::Unsynchronised)
        );
        assert!(matches!(
            read_answer(&answer(2, 0, t, 0), NONCE),
            Err(Refusal::Unusable(_))
        ));
        let error = Refusal::KissOfDeath("DENY".into()).into_error("pool.ntp.org");
        assert_eq!(
            error.to_string(),
            "The time server pool.ntp.org asked not to be asked now (DENY)."
        );
    }

    #[test]
    fn a_server_whose_clock_runs_backwards_or_a_slow_answer_is_refused() {
        let t = 1_765_000_000_000u64;
        let backwards = read_answer(&answer(2, 0, ntp(t + 10), ntp(t + 5)), NONCE).unwrap();
        assert!(measure(&backwards, t, t + 20, here()).is_err());
        let slow = read_answer(&answer(2, 0, ntp(t), ntp(t)), NONCE).unwrap();
        assert!(measure(&slow, t, t + 20_001, here()).is_err());
    }

    #[test]
    fn server_names_hosts_addresses_and_ports() {
        let parsed = |text: &str| Server::parse(text).map(|s| (s.host, s.port));
        assert_eq!(parsed("pool.ntp.org"), Ok(("pool.ntp.org".into(), 123)));
        assert_eq!(
            parsed(" time.example.org:1230 "),
            Ok(("time.example.org".into(), 1230))
        );
        assert_eq!(parsed("127.0.0.1:40123"), Ok(("127.0.0.1".into(), 40123)));
        assert_eq!(parsed("::1"), Ok(("::1".into(), 123)));
        assert_eq!(parsed("[::1]:999"), Ok(("::1".into(), 999)));
        assert_eq!(parsed("[2001:db8::1]"), Ok(("2001:db8::1".into(), 123)));
        for bad in [
            "",
            " ",
            "pool.ntp.org:0",
            "pool.ntp.org:70000",
            "pool.ntp.org:",
            "host name",
            "-bad.example",
            "a..b",
            "[::1",
            "[nothost]:1",
            "http://pool.ntp.org",
            "pool.ntp.org/x",
            "ex\u{e4}mple.org",
        ] {
            assert!(
                matches!(Server::parse(bad), Err(SntpError::BadServer(_))),
                "{bad:?}"
            );
        }
        assert!(Server::parse(&"a".repeat(300)).is_err());
        let shown = |text: &str| {
            Server::parse(text)
                .map(|s| s.to_string())
                .unwrap_or_default()
        };
        assert_eq!(shown("pool.ntp.org:123"), "pool.ntp.org");
        assert_eq!(shown("[::1]:999"), "[::1]:999");
        assert_eq!(shown("::1"), "[::1]");
    }

    #[test]
    fn rounding_to_seconds_takes_halves_away_from_zero() {
        assert_eq!(round_ms(1499), 1);
        assert_eq!(round_ms(1500), 2);
        assert_eq!(round_ms(-1500), -2);
        assert_eq!(round_ms(-499), 0);
        assert_eq!(round_ms(180_004), 180);
    }
}
