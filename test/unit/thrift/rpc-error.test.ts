import assert from 'node:assert/strict';
import { test } from 'node:test';
import thrift from 'thrift';
import { callRejection, socketError } from '../../../src/sources/thrift/rpc-error.js';

const withCode = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code });

test('socket errors: refused, reset, DNS are unreachable; ETIMEDOUT is timeout', () => {
  for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EHOSTUNREACH', 'EPIPE']) {
    assert.equal(socketError(withCode(code), 'x').kind, 'unreachable', code);
  }
  assert.equal(socketError(withCode('ETIMEDOUT'), 'x').kind, 'timeout');
});

test('a server-side handler failure (TApplicationException UNKNOWN) is system_error', () => {
  const e = new thrift.Thrift.TApplicationException(thrift.Thrift.TApplicationExceptionType.UNKNOWN, 'boom');
  const r = callRejection(e, 'Chairman.get_schedulers');
  assert.equal(r.kind, 'system_error');
  assert.match(r.message, /server raised boom/);
});

test('protocol-level application exceptions and a missing result are protocol', () => {
  const e = new thrift.Thrift.TApplicationException(thrift.Thrift.TApplicationExceptionType.WRONG_METHOD_NAME, 'no');
  assert.equal(callRejection(e, 'm').kind, 'protocol');
  assert.equal(callRejection('get_schedulers failed: unknown result', 'm').kind, 'protocol');
});
