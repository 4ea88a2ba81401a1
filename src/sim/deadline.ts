// Settling a callback-style operation within a deadline. node-zookeeper-client
// has no per-request timeout and a thrift client call whose connection dies
// never calls back, so every such call in the simulator goes through here.
// A late answer after the deadline is ignored.
export function settleWithin<T>(ms: number, run: (settle: (value: T) => void) => void, onTimeout: () => T): Promise<T> {
  return new Promise<T>((resolve) => {
    let settled = false;
    const settle = (value: T): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(value);
    };
    const timer = setTimeout(() => settle(onTimeout()), ms);
    run(settle);
  });
}
