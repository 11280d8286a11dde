import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  verifiedText, unverifiedText, secondFolderText, secondFolderProblemText, bannerFor,
} from '../js/backupStatusModel.js';

const NOW = 1_800_000_000_000;
const secs = (msAgo) => (NOW - msAgo) / 1000;

test('the last verified backup says how long ago and how many accounts', () => {
  assert.equal(
    verifiedText({ lastVerified: { time: secs(3 * 60_000), accounts: 42 } }, NOW),
    'Last verified backup: 3 minutes ago, 42 accounts',
  );
  assert.equal(
    verifiedText({ lastVerified: { time: secs(5_000), accounts: 1 } }, NOW),
    'Last verified backup: just now, 1 account',
  );
  assert.match(verifiedText({ lastVerified: null }, NOW), /No verified backup yet/);
});

test('the banner: an unverified backup, then an unreachable folder, then the reminder', () => {
  const unverified = { time: secs(60_000), why: 'it failed its checksum' };
  const problem = { since: secs(2 * 3600_000), why: '/media/stick is not reachable.' };
  const all = {
    unverified, secondFolder: '/media/stick', secondFolderProblem: problem, reminderDue: true,
  };
  assert.equal(bannerFor(all, NOW).kind, 'warning');
  assert.match(bannerFor(all, NOW).text, /did not verify: it failed its checksum/);
  const folder = { ...all, unverified: null };
  assert.match(bannerFor(folder, NOW).text, /not reaching your second folder\. No copy since 2 hours ago/);
  const reminder = { ...folder, secondFolder: null, secondFolderProblem: null };
  assert.equal(bannerFor(reminder, NOW).kind, 'reminder');
  assert.equal(bannerFor({ ...reminder, reminderDue: false }, NOW), null);
  assert.equal(bannerFor(null, NOW), null);
  assert.equal(unverifiedText({}, NOW), '');
  assert.equal(secondFolderProblemText({}, NOW), '');
});

test('the second folder is described with its last verified copy', () => {
  assert.match(secondFolderText({ secondFolder: null }, NOW), /only on this computer/);
  assert.equal(
    secondFolderText({ secondFolder: '/s', secondFolderVerified: { time: secs(120_000) } }, NOW),
    'Every backup is also copied here; the last copy was verified 2 minutes ago.',
  );
});
