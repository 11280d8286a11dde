// A small W3C WebDriver client over fetch, enough to drive Ringlet through tauri-driver,
// and the harness that starts tauri-driver. No npm dependency: Node's fetch and child_process.

import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as nodeTest } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The longest one end-to-end test may take: the slowest (locking.test.mjs's idle lock,
 *  which waits out a 30 s auto-lock) takes 35 s on the 2-core CI machine busy with builds. A test past it fails and its app is stopped,
 *  so one hung WebKitWebDriver costs minutes, not the run (which has a limit too:
 *  E2E_PHASE_LIMIT in src-tauri/scripts/dev). */
export const E2E_TEST_TIMEOUT = 5 * 60_000;

/** `node:test`'s `test` with the time limit above (Node 18 has no --test-timeout). */
export function test(name, fn) {
  return nodeTest(name, { timeout: E2E_TEST_TIMEOUT }, fn);
}

/** How long a check that something does NOT happen (no dialog, no wipe, no unlock) keeps
 *  looking. What these checks guard against comes within about a second when it comes
 *  (a confirmation dialog, a clipboard wipe at its due time, a page update), on a loaded
 *  2-core machine; 5 s gives a wrong behaviour time to show, so the check can fail. */
export const NEGATIVE_WAIT_MS = 5000;

/** The app binary under test: built by the dev script with the shipped configuration. */
export function appBinary() {
  return process.env.RINGLET_APP ?? path.join(projectRoot, 'target', 'debug', 'ringlet');
}

/** ringlet-cli, to prepare vaults for tests faster than through the window. */
export function cliBinary() {
  return process.env.RINGLET_CLI ?? path.join(projectRoot, 'target', 'debug', 'ringlet-cli');
}

/** Skips test `t`, which cannot run here, and records it with `reason`: one line
 *  (`FILE: TEST<tab>REASON`) appended to the file $RINGLET_NOT_RUN_FILE names, which
 *  `src-tauri/scripts/dev test` lists at its end (the runner's own "skipped" is easily
 *  missed in a long run). */
export function notRun(t, reason) {
  const file = path.relative(projectRoot, process.argv[1] ?? 'tests/e2e');
  if (process.env.RINGLET_NOT_RUN_FILE) {
    appendFileSync(process.env.RINGLET_NOT_RUN_FILE, `${file}: ${t.name}\t${reason.replace(/\s+/g, ' ')}\n`);
  }
  t.skip(reason);
}

/** A temporary folder holding a password file and the path of a vault (not made yet), with
 *  `cli(...args)` running ringlet-cli on them: tests prepare vaults faster this way than
 *  through the window. */
export function tempVault(password, name) {
  const dir = mkdtempSync(path.join(os.tmpdir(), `ringlet-e2e-${name}-`));
  const vault = path.join(dir, 'vault');
  const passwordFile = path.join(dir, 'password');
  writeFileSync(passwordFile, `${password}\n`);
  const cli = (...args) => execFileSync(cliBinary(), ['--vault', vault, '--password-file', passwordFile, ...args]);
  /** Settings as the app keeps them (sealed under the vault's key, so a file written by
   *  hand is not used): `{autoLockSeconds: null, clipboardClearSeconds: 5}`, null = never. */
  const setSettings = (settings) => cli('settings', 'set',
    ...Object.entries(settings).map(([name, value]) => `${name}=${value === null ? 'never' : value}`));
  return { dir, vault, passwordFile, cli, setSettings };
}

/** Keeps a picture of the window when a step fails, for the person reading the CI log. */
export async function withScreenshotOnFailure(session, name, steps) {
  try {
    await steps();
  } catch (error) {
    const file = path.join(os.tmpdir(), `ringlet-e2e-${name}-${Date.now()}.png`);
    try {
      writeFileSync(file, await session.screenshot());
      console.error(`screenshot of the failure: ${file}`);
    } catch {
      // the window may be gone; the error below says why
    }
    throw error;
  }
}

/** The X clipboard's text, read while the app that owns it runs (on X11 the owner serves
 *  it); '' when it holds none. */
export function clipboardText() {
  try {
    return execFileSync('xclip', ['-o', '-selection', 'clipboard'], {
      encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch {
    return '';
  }
}

/** Ids of the X windows whose title contains `title`, or none; with `visible`, only those
 *  on screen (GTK hides some dialogs instead of destroying them). */
export function windowsTitled(title, { visible = false } = {}) {
  try {
    return execFileSync('xdotool', ['search', ...(visible ? ['--onlyvisible'] : []), '--name', title], { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] })
      .split('\n').filter(Boolean);
  } catch {
    return []; // xdotool exits 1 when nothing matches
  }
}

/** Waits until one window titled `title` is on screen and ready for keys; returns its id. */
export async function waitForWindow(session, title, timeout = 15_000) {
  const id = await session.waitUntil(() => {
    try {
      const ids = execFileSync('xdotool', ['search', '--onlyvisible', '--name', title], {
        encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'],
      }).split('\n').filter(Boolean);
      return ids.length === 1 ? ids[0] : null;
    } catch {
      return null; // xdotool exits 1 when nothing matches
    }
  }, { timeout, what: `the window "${title}"` });
  // Mapped is not yet listening: GTK connects its key handling just after.
  await sleep(500);
  return id;
}

/** Presses `key` (xdotool's names: `Escape`, `ctrl+l`) in the X window `id`: focused first
 *  (Xvfb runs no window manager), then the key through XTEST, as a keyboard would. */
export function pressIn(id, key) {
  execFileSync('xdotool', ['windowfocus', '--sync', id], { timeout: 5000 });
  execFileSync('xdotool', ['key', key], { timeout: 5000 });
}

/** Types `text` into the X window `id`, focused first. */
export function typeIn(id, text) {
  execFileSync('xdotool', ['windowfocus', '--sync', id], { timeout: 5000 });
  execFileSync('xdotool', ['type', '--delay', '20', text], { timeout: 30_000 });
}

/** Types `file` into the GTK file dialog titled `title` (opened by Rust) and presses Return
 *  until the dialog takes it and leaves the screen. */
export async function chooseFile(session, title, file) {
  const dialog = await waitForWindow(session, title);
  pressIn(dialog, 'ctrl+l');
  // The location field opening is not visible from outside GTK: a moment for it (a path
  // typed before it opens still lands there, as GTK opens it on a typed "/").
  await sleep(500);
  // A save dialog's name field holds a proposed name with its stem selected: all of it goes.
  pressIn(dialog, 'ctrl+a');
  typeIn(dialog, file);
  // GTK completes the path as it is typed, and a Return may go to the completion: Return
  // until the dialog takes the path and leaves the screen (GTK hides it, so it may still
  // exist, and may go between the look and the key press).
  const shown = () => windowsTitled(title, { visible: true }).length > 0;
  for (let tries = 1; shown(); tries++) {
    if (tries > 5) throw new Error(`the file dialog "${title}" did not take the typed path`);
    try {
      pressIn(dialog, 'Return');
    } catch (error) {
      if (shown()) throw error;
    }
    await session.waitUntil(() => !shown(), { timeout: 3000, what: 'the dialog to close' }).catch(() => {});
  }
}

async function freePort() {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

/** Starts tauri-driver with `env` and a session of the app; when the test `t` ends, both
 *  end and `dir` (when given) is removed. */
export async function openApp(t, env, dir) {
  const driver = await startDriver(env);
  const session = await Session.start(driver).catch(async (error) => {
    await driver.stop();
    throw error;
  });
  t.after(async () => {
    await session.end().catch(() => {});
    await driver.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return { driver, session };
}

// The process groups of the tauri-drivers this process started and has not stopped. When
// the run's time limit stops this process (SIGTERM), they go too: each holds a
// WebKitWebDriver and an app that would outlive the run.
const runningDrivers = new Set();
function killDrivers() {
  for (const pid of runningDrivers) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  runningDrivers.clear();
}
process.once('exit', killDrivers);
for (const [signal, number] of [['SIGTERM', 15], ['SIGINT', 2]]) {
  process.once(signal, () => {
    killDrivers();
    process.exit(128 + number);
  });
}

/** Starts tauri-driver with `env` (the app inherits it) and waits until it answers.
 *  Everything it and the app print is echoed and kept in `output()`, so a test can check
 *  what reached the logs. */
export async function startDriver(env) {
  const port = await freePort();
  const nativePort = await freePort();
  // Its own process group: stopping it must also end WebKitWebDriver and any app it
  // started, even one whose session failed to close (an orphaned app would keep the
  // test's pipes open and the run from ever finishing).
  const child = spawn('tauri-driver', ['--port', String(port), '--native-port', String(nativePort)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  runningDrivers.add(child.pid);
  const logs = [];
  for (const [stream, echo] of [[child.stdout, process.stdout], [child.stderr, process.stderr]]) {
    stream.on('data', (chunk) => {
      logs.push(chunk);
      echo.write(chunk);
    });
  }
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`tauri-driver exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${base}/status`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('tauri-driver did not start within 20 s');
    await sleep(100);
  }
  return {
    base,
    output: () => Buffer.concat(logs).toString('utf8'),
    async stop() {
      const group = (signal) => {
        try {
          process.kill(-child.pid, signal);
        } catch {
          // the group is already gone
        }
      };
      const exited = child.exitCode === null ? once(child, 'exit') : Promise.resolve();
      group('SIGTERM');
      await Promise.race([exited, sleep(3000)]);
      group('SIGKILL');
      await exited;
      runningDrivers.delete(child.pid);
      child.stdout.destroy();
      child.stderr.destroy();
    },
  };
}

/** The longest one WebDriver request may take. Starting the app, the slowest, takes seconds;
 *  a request the page cannot answer (a native dialog holding up the webview) otherwise
 *  waits forever. */
const REQUEST_TIMEOUT_MS = 120_000;

async function call(base, method, route, body) {
  const response = await fetch(`${base}${route}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const payload = await response.json().catch(() => ({}));
  if (!response.ok) {
    const detail = payload?.value?.message ?? JSON.stringify(payload);
    const error = new Error(`${method} ${route}: ${detail}`);
    error.webdriver = payload?.value?.error;
    throw error;
  }
  return payload.value;
}

export class Session {
  static async start(driver, application = appBinary()) {
    const value = await call(driver.base, 'POST', '/session', {
      capabilities: { alwaysMatch: { 'tauri:options': { application } } },
    });
    return new Session(driver.base, value.sessionId);
  }

  constructor(base, id) {
    this.base = base;
    this.id = id;
  }

  request(method, route, body) {
    return call(this.base, method, `/session/${this.id}${route}`, body);
  }

  async end() {
    await this.request('DELETE', '');
  }

  async find(css) {
    const value = await this.request('POST', '/element', { using: 'css selector', value: css });
    return new Element(this, value[ELEMENT]);
  }

  async findAll(css) {
    const values = await this.request('POST', '/elements', { using: 'css selector', value: css });
    return values.map((value) => new Element(this, value[ELEMENT]));
  }

  /** Waits until `css` matches a displayed element. */
  async waitFor(css, { timeout = 15_000 } = {}) {
    return this.waitUntil(async () => {
      const [element] = await this.findAll(css);
      return element && (await element.displayed()) ? element : null;
    }, { timeout, what: css });
  }

  /** Checks that `probe` stays truthy for `ms` (default NEGATIVE_WAIT_MS), polling; fails
   *  at the first falsy answer. For checks that something does not happen. */
  async holds(probe, { ms = NEGATIVE_WAIT_MS, what = 'condition' } = {}) {
    const until = Date.now() + ms;
    for (;;) {
      // A probe that cannot get an answer (the page held up by a dialog) fails too.
      let timer;
      const late = new Promise((resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer about ${what} in ${NEGATIVE_WAIT_MS} ms`)), NEGATIVE_WAIT_MS);
      });
      let answer;
      try {
        answer = await Promise.race([probe(), late]);
      } finally {
        clearTimeout(timer);
      }
      if (!answer) throw new Error(`${what} stopped holding within ${ms} ms`);
      if (Date.now() >= until) return;
      await sleep(100);
    }
  }

  /** Polls `probe` until it returns a truthy value. */
  async waitUntil(probe, { timeout = 15_000, what = 'condition' } = {}) {
    const deadline = Date.now() + timeout;
    let last;
    for (;;) {
      try {
        const value = await probe();
        if (value) return value;
      } catch (error) {
        last = error;
      }
      if (Date.now() > deadline) {
        throw new Error(`timed out after ${timeout} ms waiting for ${what}${last ? `: ${last.message}` : ''}`);
      }
      await sleep(100);
    }
  }

  /** Clicks `css` once it can be clicked: a dialog closing or a toast passing may briefly
   *  cover it, which WebDriver reports as an intercepted click. WebDriver clicks where the
   *  element is when asked, so a dialog still sliding in (0.14 s) would take the click
   *  somewhere else, silently (seen once: Settings' button clicked, nothing happened):
   *  first wait until no animation with an end is running. */
  async click(css, { timeout = 10_000 } = {}) {
    await this.waitUntil(async () => {
      const moving = await this.execute(`return typeof document.getAnimations === 'function'
        && document.getAnimations().some((a) => a.playState === 'running'
          && a.effect && a.effect.getComputedTiming().endTime !== Infinity);`);
      if (moving) return false;
      await (await this.find(css)).click();
      return true;
    }, { timeout, what: `a click on ${css}` });
  }

  execute(script, args = []) {
    return this.request('POST', '/execute/sync', { script, args });
  }

  /** A PNG of the window's content, as a Buffer. */
  async screenshot() {
    return Buffer.from(await this.request('GET', '/screenshot'), 'base64');
  }
}

export class Element {
  constructor(session, id) {
    this.session = session;
    this.id = id;
  }

  request(method, route, body) {
    return this.session.request(method, `/element/${this.id}${route}`, body);
  }

  click() {
    return this.request('POST', '/click', {});
  }

  type(text) {
    return this.request('POST', '/value', { text });
  }

  clear() {
    return this.request('POST', '/clear', {});
  }

  /** The rendered text. WebKitWebDriver's own Get Element Text answers "" for some visible
   *  elements (seen with spans inside flex rows), so ask the page for innerText instead. */
  text() {
    return this.session.execute('return arguments[0].innerText;', [{ [ELEMENT]: this.id }]);
  }

  attribute(name) {
    return this.request('GET', `/attribute/${encodeURIComponent(name)}`);
  }

  displayed() {
    return this.request('GET', '/displayed');
  }

  async find(css) {
    const value = await this.request('POST', '/element', { using: 'css selector', value: css });
    return new Element(this.session, value[ELEMENT]);
  }
}
