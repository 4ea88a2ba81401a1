import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileErrorText, fileErrorWhy } from '../../../src/util/file-error.js';

const errno = (code: string) => Object.assign(new Error(`${code}: raw`), { code });

test('a missing directory on write, a missing file on read, in words', () => {
  assert.equal(fileErrorText('write', '/no/such/dir/r.html', errno('ENOENT')), 'cannot write /no/such/dir/r.html: the directory does not exist');
  assert.equal(fileErrorText('read', '/etc/nope.json', errno('ENOENT')), 'cannot read /etc/nope.json: no such file');
  assert.equal(fileErrorWhy('create', errno('ENOENT')), 'the directory does not exist');
});

test('other known codes are words; unknown codes and plain errors pass through', () => {
  assert.equal(fileErrorWhy('write', errno('EACCES')), 'permission denied');
  assert.equal(fileErrorWhy('write', errno('EISDIR')), 'it is a directory; name a file');
  assert.equal(fileErrorWhy('write', errno('ENOSPC')), 'no space left on the device');
  assert.equal(fileErrorWhy('write', errno('EWEIRD')), 'EWEIRD');
  assert.equal(fileErrorWhy('read', new Error('boom')), 'boom');
});
