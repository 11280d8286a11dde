// Pure countdown maths for the TOTP/Steam rings.

export const URGENT_MS = 5000;
export const DEFAULT_PERIOD_S = 30;

/** Milliseconds left before `expiresAt` (never negative). */
export function remainingMs(expiresAt, now) {
  if (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt)) return 0;
  return Math.max(0, expiresAt - now);
}

/**
 * Fraction of the period still left, 1 = a fresh code, 0 = expired.
 * @param {number|null} expiresAt unix ms
 * @param {number|null} period seconds
 * @param {number} now unix ms
 */
export function ringFraction(expiresAt, period, now) {
  const p = (typeof period === 'number' && period > 0 ? period : DEFAULT_PERIOD_S) * 1000;
  const f = remainingMs(expiresAt, now) / p;
  return Math.min(1, Math.max(0, f));
}

/** True in the last five seconds of a code's life (and once it has expired). */
export function isUrgent(expiresAt, now) {
  if (typeof expiresAt !== 'number') return false;
  return expiresAt - now <= URGENT_MS;
}

/** stroke-dashoffset that shows `fraction` of a circle with circumference `c`. */
export function dashOffset(fraction, circumference) {
  const f = Math.min(1, Math.max(0, fraction));
  return circumference * (1 - f);
}

/** Whole seconds left, rounded up, for the accessible label. */
export function secondsLeft(expiresAt, now) {
  return Math.ceil(remainingMs(expiresAt, now) / 1000);
}
