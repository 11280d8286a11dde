// End to end: the clock in the real window (issue #13). The first unlock asks once whether to
// check the clock, and "No, thanks" is kept; a time server the test starts on 127.0.0.1,
// three minutes ahead, brings the banner ("3 min behind — codes may be refused"), and
// "Correct codes" makes the code shown the one an independent TOTP gives at the true time,
// with the offset said plainly above the list; with no server there, no banner, no hang and
// one line in the log at most; an offset typed in Settings → Clock, an account's own offset
// from the edit dialog, and the offset found from a code typed from another device.
// Vaults are prepared with ringlet-cli (the clock settings too: `ringlet-cli clock`).

import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { once } from 'node:events';

import { test, tempVault, openApp, withScreenshotOnFailure, NEGATIVE_WAIT_MS } from './webdriver.mjs';
import { totp } from './totp.mjs';

const PASSWORD = 'a clock you can trust';
const SECRET = 'JBSWY3DPEHPK3PXP';
const THREE_MINUTES_MS = 180_000;


/** The true time's code, the true time being this computer's clock plus `offsetMs`. */
const trueCode = (offsetMs) => totp(SECRET, (Date.now() + offsetMs) / 1000);

/** An NTP timestamp (RFC 5905: seconds since 1900 mod 2^32, then a binary fraction). */
function ntpTimestamp(unixMs) {
  const buffer = Buffer.alloc(8);
  buffer.writeUInt32BE((Math.floor(unixMs / 1000) + 2_208_988_800) % 2 ** 32, 0);
  buffer.writeUInt32BE(Math.floor(((unixMs % 1000) / 1000) * 2 ** 32), 4);
  return buffer;
}

/** A time server on 127.0.0.1 answering SNTP requests with this clock plus `offsetMs`. */
async function startTimeServer(t, offsetMs) {
  const socket = dgram.createSocket('udp4');
  let requests = 0;
  socket.on('message', (request, from) => {
    if (request.length < 48 || (request[0] & 0b111) !== 3) return;
    requests += 1;
    const answer = Buffer.alloc(48);
    answer[0] = (4 << 3) | 4; // version 4, mode 4 (server)
    answer[1] = 2; // stratum 2
    answer.write('TEST', 12, 'ascii');
    request.copy(answer, 24, 40, 48); // origin = the request's transmit timestamp
    const now = ntpTimestamp(Date.now() + offsetMs);
    for (const at of [16, 32, 40]) now.copy(answer, at);
    socket.send(answer, from.port, from.address);
  });
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  t.after(() => socket.close());
  return { name: `127.0.0.1:${socket.address().port}`, requests: () => requests };
}

/** A port on 127.0.0.1 where nothing listens (just freed). */
async function closedPort() {
  const socket = dgram.createSocket('udp4');
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  const { port } = socket.address();
  socket.close();
  return port;
}

/** A vault with GitHub, the clock set up by `clock` (ringlet-cli clock arguments). */
function prepare(name, ...clock) {
  const { dir, vault, cli, setSettings } = tempVault(PASSWORD, name);
  cli('init');
  cli('add', `otpauth://totp/GitHub:alice?secret=${SECRET}&issuer=GitHub`);
  setSettings({ autoLockSeconds: null });
  for (const args of clock) cli('clock', ...args);
  return { dir, vault, cli };
}

async function unlock(session) {
  await (await session.waitFor('#unlock-password', { timeout: 30_000 })).type(PASSWORD);
  await session.click('#unlock-submit');
  await session.waitFor('#account-list li.account', { timeout: 30_000 });
}

const shownText = (session, css) => session.execute(`const el = document.querySelector(${JSON.stringify(css)});
  return el && !el.hidden && el.offsetParent !== null ? el.textContent.trim() : null;`);

/** The code the row shows, read between two computations of the expected one (again when a
 *  period ended in between). */
async function shownAndExpected(session, offsetMs) {
  for (;;) {
    const before = trueCode(offsetMs);
    const shown = await session.execute("return document.querySelector('#account-list li.account .code').textContent.replace(/\\s/g, '');");
    if (before === trueCode(offsetMs)) return { shown, expected: before };
  }
}

/** Waits until the row shows the true time's code for `offsetMs` (the list refreshes after a change). */
async function waitForCodeAt(session, offsetMs, what) {
  await session.waitUntil(async () => {
    const { shown, expected } = await shownAndExpected(session, offsetMs);
    return shown === expected;
  }, { what });
}

test('clock: asked once at the first unlock; "No, thanks" is kept and touches no network', async (t) => {
  const { dir, vault, cli } = prepare('clock-ask');
  const { session } = await openApp(t, { RINGLET_VAULT: vault }, dir);
  await withScreenshotOnFailure(session, 'clock-ask', async () => {
    await unlock(session);
    await session.waitFor('#clock-ask');
    assert.equal(await shownText(session, '#clock-ask-title'), 'Check this computer’s clock?');
    assert.match(await shownText(session, '#clock-ask-text'), /pool\.ntp\.org/);
    await session.click('#clock-ask-no');
    await session.waitUntil(async () => (await shownText(session, '#clock-ask')) === null, { what: 'the question gone' });
    assert.equal(await shownText(session, '#clock-warning'), null);
    // Kept: after a lock the question does not come back.
    await session.click('#lock-button');
    await unlock(session);
    await session.holds(async () => (await shownText(session, '#clock-ask')) === null,
      { ms: 2000, what: 'no question after the answer' });
    await session.click('#lock-button');
    await session.waitFor('#unlock-password');
    assert.match(cli('clock').toString(), /^Clock check: off \(ringlet-cli clock auto on turns it on\)$/m);
  });
});

test('clock: a server three minutes ahead brings the banner; corrected codes are the true time’s', async (t) => {
  const server = await startTimeServer(t, THREE_MINUTES_MS);
  const { dir, vault } = prepare('clock-banner', ['server', server.name], ['auto', 'on']);
  const { session } = await openApp(t, { RINGLET_VAULT: vault }, dir);
  await withScreenshotOnFailure(session, 'clock-banner', async () => {
    await unlock(session);
    // Checked at the unlock: the banner says it, and what to do.
    await session.waitFor('#clock-warning', { timeout: 20_000 });
    assert.equal(await shownText(session, '#clock-warning-text'),
      "Your computer's clock is 3 min behind — codes may be refused.");
    assert.match(await shownText(session, '#clock-warning'), /automatic date and time/);
    assert.equal(await shownText(session, '#clock-correct'), 'Correct codes by 3 min');
    assert.equal(await shownText(session, '#clock-ask'), null, 'already answered (by the CLI)');
    // Until corrected, the codes are this clock's.
    let { shown, expected } = await shownAndExpected(session, 0);
    assert.equal(shown, expected);

    await session.click('#clock-correct');
    await session.waitUntil(async () => (await shownText(session, '#clock-warning')) === null, { what: 'the banner gone' });
    assert.equal(await shownText(session, '#clock-offset-text'),
      "Codes use this computer's clock +3 min (from the time server, until the clock is right).");
    await waitForCodeAt(session, THREE_MINUTES_MS, 'the true time’s code');
    ({ shown, expected } = await shownAndExpected(session, THREE_MINUTES_MS));
    assert.equal(shown, expected, 'the corrected code is the true time’s');
    // The countdown is the true period's: its seconds left are the true time's.
    const left = await session.execute("return Number(document.querySelector('#account-list li.account .ring-seconds').textContent);");
    const trueLeft = 30 - (Math.floor((Date.now() + THREE_MINUTES_MS) / 1000) % 30);
    assert.ok(Math.abs(left - trueLeft) <= 1 || Math.abs(left - trueLeft) >= 29, `${left} s left, true ${trueLeft}`);
    assert.ok(server.requests() >= 1);

    // Kept past a lock, and still the true time's code.
    await session.click('#lock-button');
    await unlock(session);
    await session.waitFor('#clock-offset');
    await waitForCodeAt(session, THREE_MINUTES_MS, 'the true time’s code after a lock');
  });
});

test('clock: no server there means no banner, no hang and no error spam', async (t) => {
  const port = await closedPort();
  const { dir, vault } = prepare('clock-offline', ['server', `127.0.0.1:${port}`], ['auto', 'on']);
  const { driver, session } = await openApp(t, { RINGLET_VAULT: vault }, dir);
  await withScreenshotOnFailure(session, 'clock-offline', async () => {
    await unlock(session);
    await session.holds(async () => (await shownText(session, '#clock-warning')) === null
      && (await shownText(session, '#clock-bar')) === null
      && (await session.execute("return document.querySelector('.toast.error, .toast[data-kind=\"error\"]') === null;")),
    { ms: NEGATIVE_WAIT_MS, what: 'no banner, no error' });
    const { shown, expected } = await shownAndExpected(session, 0);
    assert.equal(shown, expected, 'the list works on');
    // Settings → Clock says why, within the check's time limit, when asked again.
    await session.click('#settings-button');
    await session.waitFor('#clock-check-now');
    await session.execute("document.querySelector('#settings-clock').scrollIntoView({ block: 'center' });");
    const started = Date.now();
    await session.click('#clock-check-now');
    await session.waitUntil(async () => /could not be reached/.test(await shownText(session, '#clock-last') || ''),
      { timeout: 10_000, what: 'the check said in Settings → Clock' });
    assert.ok(Date.now() - started < 8000, `answered in ${Date.now() - started} ms`);
    assert.equal(await shownText(session, '#clock-error'), null, 'no error: a fact');
    const failures = driver.output().split('\n').filter((line) => line.includes('the clock check failed'));
    assert.ok(failures.length <= 1, `logged once at most:\n${failures.join('\n')}`);
  });
});

test('clock: an offset typed in Settings, an account’s own offset, and one found from a code', async (t) => {
  const { dir, vault } = prepare('clock-offsets', ['auto', 'off']);
  const { session } = await openApp(t, { RINGLET_VAULT: vault }, dir);
  await withScreenshotOnFailure(session, 'clock-offsets', async () => {
    await unlock(session);
    assert.equal(await shownText(session, '#clock-bar'), null, 'nothing to say');

    // By hand: this clock is 90 s ahead.
    await session.click('#settings-button');
    await session.waitFor('#clock-offset-amount');
    await session.execute("document.querySelector('#clock-offset-form').scrollIntoView({ block: 'center' });");
    await (await session.find('#clock-offset-amount')).type('1:30');
    await session.execute("const s = document.querySelector('#clock-offset-direction'); s.value = 'ahead'; s.dispatchEvent(new Event('change'));");
    await session.click('#clock-offset-submit');
    await session.waitUntil(async () => (await shownText(session, '#clock-offset-now')) === "Codes use this computer's clock -1 min 30 s (set by hand).",
      { what: 'the offset in Settings' });
    await session.click('#settings-close');
    assert.equal(await shownText(session, '#clock-offset-text'), "Codes use this computer's clock -1 min 30 s (set by hand).");
    await waitForCodeAt(session, -90_000, 'the code 90 s back');

    // The account's own offset, from the edit dialog: +20 s on top.
    await session.click('#account-list li.account .edit');
    await session.waitFor('#edit-issuer');
    await session.click('#edit-advanced summary');
    await (await session.waitFor('#edit-time-offset')).type('20');
    await session.click('#edit-submit');
    await session.waitUntil(async () => (await shownText(session, '#account-list li.account .time-offset')) === 'clock +20 s',
      { what: 'the row’s own offset' });
    await waitForCodeAt(session, -70_000, 'the code 70 s back');

    // From the phone: the code it shows now, two minutes ahead of this clock.
    await session.click('#settings-button');
    await session.waitFor('#clock-calibrate-code');
    await session.execute("document.querySelector('#clock-calibrate-form').scrollIntoView({ block: 'center' });");
    await (await session.find('#clock-calibrate-code')).type(trueCode(120_000));
    await session.click('#clock-calibrate-submit');
    await session.waitFor('#clock-calibrate-use');
    assert.match(await shownText(session, '#clock-calibrate-result'), /^That code says this computer's clock is \d+ min( \d+ s)? behind \(to within 15 s\)\.$/);
    await session.click('#clock-calibrate-use');
    await session.waitUntil(async () => /\(found from a code\)\.$/.test(await shownText(session, '#clock-offset-now') || ''),
      { what: 'the offset found from the code' });
    assert.equal(await session.execute("return document.querySelector('#clock-calibrate-code').value;"), '', 'the code typed is gone');
    await session.click('#settings-close');
    const line = await shownText(session, '#clock-offset-text');
    const [, minutes, seconds] = line.match(/clock \+(\d+) min(?: (\d+) s)? \(found from a code\)/) || [];
    const found = Number(minutes) * 60 + Number(seconds || 0);
    assert.ok(Math.abs(found - 120) <= 15, `${line}`);
  });
});
