// node-zookeeper-client's connection class, which its typings do not name (zk-reply-buffer.ts and zk-request-writes.ts replace one method each).
declare module 'node-zookeeper-client/lib/ConnectionManager.js' {
  const ConnectionManager: { prototype: object };
  export default ConnectionManager;
}
