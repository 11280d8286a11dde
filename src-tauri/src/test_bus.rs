//! Tests only: a private D-Bus session bus, so that listeners and services are tested on a
//! real bus without touching the desktop's.

use std::process::{Child, Command, Stdio};

use dbus::blocking::Connection;

/// A private session bus (`dbus-daemon --session`), ended when dropped.
pub struct PrivateBus {
    daemon: Child,
    address: String,
}

impl PrivateBus {
    pub fn start() -> Option<PrivateBus> {
        use std::io::BufRead;
        let mut daemon = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let mut address = String::new();
        std::io::BufReader::new(daemon.stdout.take()?)
            .read_line(&mut address)
            .ok()?;
        Some(PrivateBus {
            daemon,
            address: address.trim().to_owned(),
        })
    }

    pub fn connect(&self) -> Connection {
        let mut channel =
            dbus::channel::Channel::open_private(&self.address).unwrap_or_else(|e| panic!("{e}"));
        channel.register().unwrap_or_else(|e| panic!("{e}"));
        Connection::from(channel)
    }
}

impl Drop for PrivateBus {
    fn drop(&mut self) {
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
    }
}
