//! The clock check against a real time server on 127.0.0.1 (`common::sntp_server`, written
//! apart from the client): a known offset is measured; a silent server, a closed port, a
//! kiss-o'-death, a forged answer and a name that resolves nowhere are each said in words,
//! within the time limit given, never a hang.

mod common;

use std::net::UdpSocket;
use std::time::{Duration, Instant};

use common::sntp_server::{Behaviour, SntpServer};
use ringlet_core::clock::sntp::{query, SntpError};

const LIMIT: Duration = Duration::from_secs(2);
/// What a loaded 2-core machine may add to a bounded wait.
const SLACK: Duration = Duration::from_millis(1500);

#[test]
fn a_server_three_minutes_ahead_measures_a_clock_three_minutes_behind() {
    let server = SntpServer::start(Behaviour::Offset(180_000));
    let measured = query(&server.name(), LIMIT).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(measured.offset_seconds(), 180, "{measured:?}");
    assert!((measured.offset_ms - 180_000).abs() < 100, "{measured:?}");
    assert!(measured.round_trip_ms < 1000, "{measured:?}");
    assert_eq!(measured.address, server.address);
    assert_eq!(server.requests(), 1, "one request, not a burst");

    let ahead = SntpServer::start(Behaviour::Offset(-45_300));
    let measured = query(&ahead.name(), LIMIT).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(measured.offset_seconds(), -45);
}

#[test]
fn a_silent_server_is_given_up_at_the_limit() {
    let server = SntpServer::start(Behaviour::Silent);
    let started = Instant::now();
    let error = query(&server.name(), LIMIT).err();
    let took = started.elapsed();
    assert!(
        matches!(error, Some(SntpError::NoAnswer { .. })),
        "{error:?}"
    );
    assert!(
        took >= LIMIT - Duration::from_millis(100) && took < LIMIT + SLACK,
        "{took:?}"
    );
    assert_eq!(server.requests(), 1);
    let said = error.map(|e| e.to_string()).unwrap_or_default();
    assert_eq!(
        said,
        format!(
            "The time server {} did not answer within 2 s.",
            server.name()
        )
    );
}

#[test]
fn a_closed_port_is_said_at_once() {
    // A port just freed: nothing listens there, and the system says so.
    let port = UdpSocket::bind("127.0.0.1:0")
        .and_then(|socket| socket.local_addr())
        .map(|address| address.port())
        .unwrap_or_else(|e| panic!("{e}"));
    let started = Instant::now();
    let error = query(&format!("127.0.0.1:{port}"), LIMIT).err();
    assert!(
        matches!(error, Some(SntpError::Unreachable { .. })),
        "{error:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_kiss_of_death_is_refused_with_its_code() {
    let server = SntpServer::start(Behaviour::Kiss);
    let error = query(&server.name(), LIMIT).err();
    assert_eq!(
        error,
        Some(SntpError::KissOfDeath {
            server: server.name(),
            code: "RATE".into()
        })
    );
}

/// An answer that does not carry the request's random timestamp back is not ours: it is
/// skipped, and with no true answer the check ends as unanswered.
#[test]
fn a_forged_answer_is_not_taken() {
    let server = SntpServer::start(Behaviour::Forged);
    let error = query(&server.name(), LIMIT).err();
    assert!(
        matches!(error, Some(SntpError::NoAnswer { .. })),
        "{error:?}"
    );
}

#[test]
fn a_name_that_resolves_nowhere_is_said_within_the_limit() {
    let started = Instant::now();
    // `.invalid` never resolves (RFC 6761); offline, the resolver may take its time.
    let error = query("ringlet-clock-test.invalid", LIMIT).err();
    assert!(
        matches!(error, Some(SntpError::NotFound { .. })),
        "{error:?}"
    );
    assert!(started.elapsed() < LIMIT + SLACK, "{:?}", started.elapsed());
    assert!(matches!(
        query("not a server", LIMIT),
        Err(SntpError::BadServer(_))
    ));
}
