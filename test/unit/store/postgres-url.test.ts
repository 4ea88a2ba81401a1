// Telling a PostgreSQL URL from a history file, and naming its server without the password.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isPostgresUrl, serverName } from '../../../src/store/postgres/url.js';

test('postgres:// and postgresql:// are PostgreSQL; paths, even odd ones, are SQLite files', () => {
  for (const url of ['postgres://u@h/db', 'postgresql://h:5432/db', 'POSTGRES://h/db']) assert.ok(isPostgresUrl(url), url);
  for (const path of ['/var/lib/treesnap.db', 'postgres.db', './postgres://x', ':memory:', 'postgres:/h/db']) assert.ok(!isPostgresUrl(path), path);
});

test('the server named without its password', () => {
  assert.equal(serverName('postgres://treesnap:s3cret@db.example:5432/history'), 'postgres://treesnap@db.example:5432/history');
  assert.equal(serverName('postgresql://db.example/history?sslmode=require'), 'postgres://db.example/history');
  assert.equal(serverName('postgres://team%40ops:pw@db/h'), 'postgres://team@ops@db/h');
  assert.equal(serverName('postgres://[broken'), 'the PostgreSQL server (its URL does not parse)');
});
