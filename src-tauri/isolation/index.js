// Tauri's isolation pattern: every IPC message from the window passes through this sandboxed
// frame before Tauri encrypts it for the backend; the backend takes only messages this frame
// encrypted. It checks the message's shape and size, not which command: the capability
// file (src-tauri/capabilities/main.json) is the one list of allowed commands.
// A message that fails is sent on renamed to a command that does not exist, so the page's
// call fails with an error instead of waiting forever.

const MAX_PAYLOAD_CHARS = 256 * 1024; // a pasted link is at most 8 KiB
const COMMAND = /^(?:[a-z][a-z0-9_]{0,63}|plugin:[a-z-]{1,40}\|[a-z_]{1,40})$/;
const REJECTED = 'ringlet_isolation_rejected';

function isPlainData(value, depth = 0) {
  if (depth > 8) return false;
  if (value === null) return true;
  switch (typeof value) {
    case 'string': case 'number': case 'boolean': return true;
    case 'object':
      if (Array.isArray(value)) return value.every((v) => isPlainData(v, depth + 1));
      if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return false;
      return Object.values(value).every((v) => isPlainData(v, depth + 1));
    default: return false;
  }
}

function acceptable(message) {
  if (!message || typeof message.cmd !== 'string' || !COMMAND.test(message.cmd)) return false;
  const payload = message.payload === undefined ? {} : message.payload;
  if (!isPlainData(payload)) return false;
  try {
    return JSON.stringify(payload).length <= MAX_PAYLOAD_CHARS;
  } catch {
    return false;
  }
}

window.__TAURI_ISOLATION_HOOK__ = (message) => {
  if (acceptable(message)) return message;
  return { ...message, cmd: REJECTED, payload: {} };
};
