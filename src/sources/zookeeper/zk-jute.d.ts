// node-zookeeper-client's jute module, which its typings do not name (jute-classes.ts puts the record classes of zk-lean-replies.ts and zk-lean-requests.ts in place of its own).
declare module 'node-zookeeper-client/lib/jute/index.js' {
  const jute: {
    protocol: Record<string, new (...args: unknown[]) => object>;
    Request: new (header: object, payload: object | null) => { toBuffer(): Buffer };
    OP_CODES: Record<string, number>;
  };
  export default jute;
}
