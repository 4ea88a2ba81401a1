// node-zookeeper-client's connection class, which its typings do not name (zk-reply-buffer.ts replaces two of its methods, zk-request-writes.ts one).
declare module 'node-zookeeper-client/lib/ConnectionManager.js' {
  const ConnectionManager: { prototype: object };
  export default ConnectionManager;
}
