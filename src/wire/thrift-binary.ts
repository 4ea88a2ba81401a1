// Thrift binary-protocol (de)serialization of single structs, the encoding of
// every ZooKeeper value Photon writes. thrift 0.24 has no TSerializer, so the
// bytes go through a TBufferedTransport whose flush we capture.
import thrift from 'thrift';

// The generated .d.ts files do not declare read/write, though every generated
// struct class has them; these helpers take any generated struct.
interface ThriftStruct {
  write(output: thrift.TProtocol): void;
  read(input: thrift.TProtocol): void;
}

export type StructClass<T extends object> = new () => T;

export function encodeBinary(value: object): Buffer {
  let out: Buffer | undefined;
  const transport = new thrift.TBufferedTransport(undefined, (buf?: Buffer) => {
    out = out && buf ? Buffer.concat([out, buf]) : (buf ?? out);
  });
  (value as ThriftStruct).write(new thrift.TBinaryProtocol(transport));
  transport.flush();
  return out ?? Buffer.alloc(0);
}

/** Raw decode; throws whatever the runtime throws. Callers wrap it (see decode.ts). */
export function decodeBinaryUnchecked<T extends object>(cls: StructClass<T>, bytes: Buffer): T {
  const value = new cls();
  let done = false;
  const receive = thrift.TBufferedTransport.receiver((transport) => {
    (value as unknown as ThriftStruct).read(new thrift.TBinaryProtocol(transport));
    done = true;
  }, 0);
  receive(bytes);
  if (!done) throw new Error('value ended before the struct did');
  return value;
}
