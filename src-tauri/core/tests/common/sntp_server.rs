#![allow(dead_code)]
//! A time server for the tests, on 127.0.0.1: it answers SNTP requests (RFC 4330) with this
//! computer's clock moved by a known offset, or misbehaves as asked. Written from the RFC
//! apart from Ringlet's client (`clock::sntp`), so a mistake there is not repeated here.

use std::net::{SocketAddr, UdpSocket};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How the server answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Behaviour {
    /// With the time `offset_ms` ahead of this computer's clock (a clock that far behind).
    Offset(i64),
    /// Never: the request is read and dropped.
    Silent,
    /// A kiss-o'-death, `RATE`.
    Kiss,
    /// An answer whose origin timestamp is not the request's (a forgery), then none.
    Forged,
}

pub struct SntpServer {
    pub address: SocketAddr,
    requests: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl SntpServer {
    pub fn start(behaviour: Behaviour) -> SntpServer {
        let socket = UdpSocket::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("bind: {e}"));
        socket
            .set_read_timeout(Some(Duration::from_millis(50)))
            .unwrap_or_else(|e| panic!("{e}"));
        let address = socket.local_addr().unwrap_or_else(|e| panic!("{e}"));
        let requests = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (requests, stop) = (requests.clone(), stop.clone());
            std::thread::spawn(move || serve(&socket, behaviour, &requests, &stop))
        };
        SntpServer {
            address,
            requests,
            stop,
            thread: Some(thread),
        }
    }

    /// `127.0.0.1:PORT`, as Ringlet's settings name a server.
    pub fn name(&self) -> String {
        self.address.to_string()
    }

    /// Requests received so far.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

impl Drop for SntpServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn serve(socket: &UdpSocket, behaviour: Behaviour, requests: &AtomicUsize, stop: &AtomicBool) {
    let mut buffer = [0u8; 512];
    while !stop.load(Ordering::SeqCst) {
        let Ok((length, from)) = socket.recv_from(&mut buffer) else {
            continue;
        };
        // A client request: 48 bytes or more, mode 3.
        if length < 48 || buffer[0] & 0b111 != 3 {
            continue;
        }
        requests.fetch_add(1, Ordering::SeqCst);
        let mut answer = [0u8; 48];
        // Leap indicator 0, version 4, mode 4 (server); stratum 2; precision 2^-20 s.
        answer[0] = (4 << 3) | 4;
        answer[1] = 2;
        answer[3] = (-20i8) as u8;
        answer[12..16].copy_from_slice(b"TEST");
        // The origin timestamp is the request's transmit timestamp.
        answer[24..32].copy_from_slice(&buffer[40..48]);
        let offset = match behaviour {
            Behaviour::Silent => continue,
            Behaviour::Offset(offset) => offset,
            Behaviour::Kiss => {
                answer[0] = (3 << 6) | (4 << 3) | 4;
                answer[1] = 0;
                answer[12..16].copy_from_slice(b"RATE");
                0
            }
            Behaviour::Forged => {
                answer[24] ^= 0xff;
                0
            }
        };
        let now = ntp_now(offset);
        answer[16..24].copy_from_slice(&now.to_be_bytes());
        answer[32..40].copy_from_slice(&now.to_be_bytes());
        answer[40..48].copy_from_slice(&now.to_be_bytes());
        let _ = socket.send_to(&answer, from);
    }
}

/// This computer's clock moved by `offset_ms`, as an NTP timestamp: seconds since
/// 1900-01-01 in the high 32 bits (modulo 2^32, which is how 2036 wraps), a binary fraction
/// in the low 32.
fn ntp_now(offset_ms: i64) -> u64 {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_else(|e| panic!("{e}"));
    let nanos = i128::try_from(now.as_nanos()).unwrap_or(0) + i128::from(offset_ms) * 1_000_000;
    let seconds = nanos.div_euclid(1_000_000_000) + 2_208_988_800;
    let fraction = (nanos.rem_euclid(1_000_000_000) << 32) / 1_000_000_000;
    ((seconds as u64 & 0xffff_ffff) << 32) | (fraction as u64)
}
