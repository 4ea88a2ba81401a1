// Decoding one Thrift binary-protocol struct from a ZooKeeper value without
// ever throwing: whatever the runtime throws becomes a 'decode' error value.
//
// Trailing bytes are rejected. The Java and Python writers serialize exactly
// one struct per znode (TSerializer / TSerialization), so bytes after the
// struct's stop byte mean the value is not what we think it is. Leniency here
// would be dangerous: Roles has only optional fields, so any value that starts
// with a zero byte would otherwise "decode" as an empty Roles and be skipped
// without a trace.
//
// The bytes are first walked without a schema (skip, which follows the types
// the bytes declare) to prove the whole value is well-formed, then read with
// the generated schema code. Each walk must end exactly at the last byte: the
// generated readers ignore a container's declared element type, so a list
// whose element type disagrees with the schema makes the two walks part ways,
// and the schema walk fails or stops short.
import thrift from 'thrift';
import { err, ok, type Result } from '../../model/result.js';
import { BufferSource, GuardedBinaryProtocol } from './guarded-binary-protocol.js';

export interface DecodeError {
  kind: 'decode';
  message: string;
}

export function decodeError(message: string): DecodeError {
  return { kind: 'decode', message };
}

/** Generated struct classes have read(); their .d.ts does not declare it. */
interface Readable {
  read(input: thrift.TProtocol): void;
}

/** `name` is the IDL struct name, for messages (generated classes are anonymous). */
export function decodeStruct<T extends object>(cls: new () => T, name: string, bytes: Buffer): Result<T, DecodeError> {
  if (bytes.length === 0) return err(decodeError(`empty value is not a ${name}`));
  const wellFormed = walk(bytes, (p) => p.skip(thrift.Thrift.Type.STRUCT));
  if (!wellFormed.ok) return err(decodeError(`not a ${name}: ${wellFormed.error}`));
  const value = new cls();
  const typed = walk(bytes, (p) => (value as unknown as Readable).read(p));
  if (!typed.ok) return err(decodeError(`not a ${name}: ${typed.error}`));
  return ok(value);
}

/** Runs `read` over the bytes; fails unless it ends exactly at the last byte. */
function walk(bytes: Buffer, read: (p: GuardedBinaryProtocol) => void): Result<void, string> {
  const source = new BufferSource(bytes);
  try {
    read(new GuardedBinaryProtocol(source));
  } catch (e) {
    return err(describe(e));
  }
  const left = source.remaining();
  if (left > 0) return err(`${left} trailing byte(s) after the struct (value is ${bytes.length} bytes)`);
  return ok(undefined);
}

function describe(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  return String(e);
}
