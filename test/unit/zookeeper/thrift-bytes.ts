// Hand-assembled Thrift binary-protocol bytes for decoder tests: the
// encodings the generated writer would never produce (wrong types, bad sizes).
export const TYPE = { STOP: 0, BOOL: 2, BYTE: 3, DOUBLE: 4, I16: 6, I32: 8, I64: 10, STRING: 11, STRUCT: 12, MAP: 13, SET: 14, LIST: 15 } as const;

export function i32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}

export function str(s: string): Buffer {
  const body = Buffer.from(s, 'utf8');
  return Buffer.concat([i32(body.length), body]);
}

export function field(type: number, id: number, body: Buffer): Buffer {
  const head = Buffer.alloc(3);
  head.writeInt8(type, 0);
  head.writeInt16BE(id, 1);
  return Buffer.concat([head, body]);
}

export function listHeader(elementType: number, size: number): Buffer {
  return Buffer.concat([Buffer.from([elementType]), i32(size)]);
}

export function struct(...fields: Buffer[]): Buffer {
  return Buffer.concat([...fields, Buffer.from([TYPE.STOP])]);
}

/** A ServerAddress's fields (host, port) as a struct body. */
export function serverAddress(host: string, port: number): Buffer {
  return struct(field(TYPE.STRING, 1, str(host)), field(TYPE.I32, 2, i32(port)));
}
