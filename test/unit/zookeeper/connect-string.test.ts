import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConnectString } from '../../../src/sources/zookeeper/connection.js';

describe('parseConnectString', () => {
  it('reads one server', () => {
    assert.deepEqual(parseConnectString('127.0.0.1:2181'), { ok: true, value: { servers: [{ host: '127.0.0.1', port: 2181 }], chroot: null } });
  });

  it('reads several servers and a chroot, keeping their order', () => {
    assert.deepEqual(parseConnectString('zk1.example:2181,zk-2:2182,10.0.0.3:2183/photon/prod'), {
      ok: true,
      value: {
        servers: [
          { host: 'zk1.example', port: 2181 },
          { host: 'zk-2', port: 2182 },
          { host: '10.0.0.3', port: 2183 },
        ],
        chroot: '/photon/prod',
      },
    });
  });

  it('defaults a missing port to 2181, as ZooKeeper and the client library do', () => {
    const r = parseConnectString('zk1,zk2:2000');
    assert.ok(r.ok);
    assert.deepEqual(r.value.servers, [
      { host: 'zk1', port: 2181 },
      { host: 'zk2', port: 2000 },
    ]);
  });

  it('treats a lone "/" as no chroot', () => {
    const r = parseConnectString('h:1/');
    assert.ok(r.ok);
    assert.equal(r.value.chroot, null);
  });

  const bad: Array<[string, RegExp]> = [
    ['', /empty/],
    [' h:1', /whitespace/],
    ['h:1,', /empty server entry/],
    [',h:1', /empty server entry/],
    ['/chroot', /empty server entry/],
    ['h:', /invalid port ""/],
    ['h:0', /invalid port "0"/],
    ['h:65536', /invalid port "65536"/],
    ['h:12ab', /invalid port "12ab"/],
    ['h:-1', /invalid port "-1"/],
    [':2181', /invalid host ""/],
    ['-h:1', /invalid host "-h"/],
    ['h_ost!:1', /invalid host/],
    ['[::1]:2181', /IPv6/],
    ['::1:2181', /IPv6/],
    ['h:1/a/', /must not end with/],
    ['h:1/a//b', /empty path segment/],
    ['h:1/a/../b', /relative segment/],
    ['h:1/a/./b', /relative segment/],
    ['h:1/a\u0001', /control character/],
  ];
  for (const [input, why] of bad) {
    it(`rejects ${JSON.stringify(input)}`, () => {
      const r = parseConnectString(input);
      assert.equal(r.ok, false);
      assert.match(r.ok ? '' : r.error, why);
    });
  }
});
