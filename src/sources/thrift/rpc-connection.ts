// One client connection to a Photon Thrift endpoint: TFramedTransport +
// TCompactProtocol + TMultiplexedProtocol, as every Photon service speaks.
//
// The framing is ours, over a plain net.Socket; the runtime only encodes and
// decodes (TCompactProtocol and the generated Clients). The runtime's own
// Connection buffers frames of any size, has no call timeout and lets a throw
// in its data handler escape as an 'error' event; here every failure — refused,
// silent, garbage, truncated, oversized — settles the pending calls with a
// SourceError and destroys the socket.
import net from 'node:net';
import thrift from 'thrift';
import type { Endpoint } from '../../model/ids.js';
import { err, ok, type Result } from '../../model/result.js';
import { sourceError, type SourceError } from '../../model/source-error.js';
import type { ConnectionScope } from '../connection-scope.js';
import { DEFAULT_MAX_FRAME_BYTES, FrameReader } from './frame-reader.js';
import { ReplyProtocol } from './reply-protocol.js';
import { callRejection, describe, socketError } from './rpc-error.js';

export interface RpcTimeouts {
  connectTimeoutMs: number;
  /** Deadline of each call, from send to reply. */
  callTimeoutMs: number;
  /** The collection's connections, which ending it closes (connection-scope.ts). */
  scope?: ConnectionScope;
}

export interface RpcOptions extends RpcTimeouts {
  /** Largest reply frame accepted; larger headers fail the call with 'protocol'. */
  maxFrameBytes?: number;
}

type ProtocolClass = new (transport: thrift.TTransport) => thrift.TProtocol;

/** A multiplexed service name and the generated Client class that speaks it. */
export interface ThriftService<C> {
  name: string;
  Client: new (output: thrift.TTransport, protocol: ProtocolClass) => C;
}

// What the generated clients expose beyond their typings.
interface GeneratedClient {
  new_seqid(): number;
  [recv: `recv_${string}`]: ((input: thrift.TProtocol, mtype: number, seqid: number) => void) | undefined;
}

interface SentCall {
  service: string;
  method: string;
}

const { MessageType } = thrift.Thrift;

export function openRpcConnection(
  endpoint: Endpoint,
  options: RpcOptions,
): Promise<Result<RpcConnection, SourceError>> {
  return connectSocket(endpoint, options.connectTimeoutMs, options.scope).then((r) =>
    r.ok ? ok(new RpcConnection(r.value, `${endpoint.host}:${endpoint.port}`, options)) : r,
  );
}

/**
 * Why `endpoint` cannot be connected to, or null when it can be tried. Checked
 * before connecting: net.connect throws on a bad port (leaving a socket handle
 * behind) and takes an empty host for localhost.
 */
export function usableAddressError(endpoint: Endpoint): SourceError | null {
  if (endpoint.host !== '' && Number.isInteger(endpoint.port) && endpoint.port >= 1 && endpoint.port <= 65535) return null;
  return sourceError('unreachable', `connect ${endpoint.host}:${endpoint.port}: not a usable address`);
}

/**
 * A bare TCP connection to `endpoint`, or why not (refused, reset, timed out,
 * not a usable address): what an RpcConnection is built around.
 */
export function connectSocket(endpoint: Endpoint, connectTimeoutMs: number, scope?: ConnectionScope): Promise<Result<net.Socket, SourceError>> {
  const where = `${endpoint.host}:${endpoint.port}`;
  const unusable = usableAddressError(endpoint) ?? scope?.ended;
  if (unusable) return Promise.resolve(err(unusable));
  return new Promise((resolve) => {
    let socket: net.Socket;
    try {
      socket = net.connect({ host: endpoint.host, port: endpoint.port });
    } catch (e) {
      resolve(err(socketError(e, `connect ${where}`)));
      return;
    }
    const finish = (r: Result<net.Socket, SourceError>): void => {
      clearTimeout(timer);
      socket.off('error', onError).off('close', onClose);
      scope?.release(socket);
      if (!r.ok) socket.on('error', () => undefined).destroy(); // a late 'error' is not unhandled
      resolve(r);
    };
    const timer = setTimeout(() => finish(err(sourceError('timeout', `connect ${where}: no connection within ${connectTimeoutMs} ms`))), connectTimeoutMs);
    const onError = (e: Error) => finish(err(socketError(e, `connect ${where}`)));
    // Only the scope ends a connecting socket without an error (destroy() emits 'close' alone).
    const onClose = () => finish(err(scope?.ended ?? sourceError('unreachable', `connect ${where}: closed before connecting`)));
    socket.on('error', onError).on('close', onClose);
    socket.once('connect', () => finish(ok(socket)));
    scope?.hold(socket);
  });
}

export class RpcConnection {
  private readonly frames: FrameReader;
  private readonly clients = new Map<string, GeneratedClient>();
  private readonly sent = new Map<number, SentCall>();
  private readonly waiters = new Set<(failure: SourceError) => void>();
  private failure: SourceError | null = null;
  private lastSeqid = 0;

  constructor(
    private readonly socket: net.Socket,
    readonly where: string,
    private readonly options: RpcOptions,
  ) {
    this.frames = new FrameReader(options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (e: Error) => this.fail(this.streamEnded(socketError(e, where), describe(e))));
    socket.on('close', () =>
      this.fail(options.scope?.ended ?? this.streamEnded(sourceError('unreachable', `${where}: connection closed by peer before the reply`), 'closed')),
    );
    options.scope?.hold(socket);
  }

  get isOpen(): boolean {
    return this.failure === null;
  }

  /**
   * Runs `invoke` with the service's generated client and waits for its reply,
   * at most callTimeoutMs. A timeout or a broken stream closes the connection:
   * replies on it can no longer be trusted to line up with calls.
   */
  call<C, T>(
    service: ThriftService<C>,
    method: string,
    invoke: (client: C) => Promise<T>,
  ): Promise<Result<T, SourceError>> {
    if (this.failure) return Promise.resolve(err(this.failure));
    const client = this.clientFor(service);
    return new Promise((resolve) => {
      let settled = false;
      const settle = (r: Result<T, SourceError>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.waiters.delete(onFailure);
        resolve(r);
      };
      const onFailure = (failure: SourceError) => settle(err(failure));
      const timer = setTimeout(() => {
        const timeout = sourceError(
          'timeout',
          `${this.where}: ${service.name}.${method} got no reply within ${this.options.callTimeoutMs} ms`,
        );
        settle(err(timeout));
        this.fail(timeout);
      }, this.options.callTimeoutMs);
      this.waiters.add(onFailure);
      invokeSafely(() => invoke(client as C)).then(
        (value) => settle(ok(value)),
        (e: unknown) => settle(err(callRejection(e, `${this.where}: ${service.name}.${method}`))),
      );
    });
  }

  /** Destroys the socket; calls still waiting fail. Idempotent. */
  close(): void {
    this.fail(sourceError('unreachable', `${this.where}: connection closed by the caller`));
  }

  private clientFor<C>(service: ThriftService<C>): GeneratedClient {
    const existing = this.clients.get(service.name);
    if (existing) return existing;
    const transport = new thrift.TFramedTransport(undefined, (frame?: Buffer) => this.send(frame));
    const client = new service.Client(transport, this.multiplexedProtocol(service.name)) as unknown as GeneratedClient;
    // One seqid space per connection, so replies route back whichever service sent the call.
    client.new_seqid = () => ++this.lastSeqid;
    this.clients.set(service.name, client);
    return client;
  }

  // TMultiplexedProtocol: a call's name is prefixed `Service:`; replies come back unprefixed.
  private multiplexedProtocol(serviceName: string): ProtocolClass {
    const sent = this.sent;
    return class MultiplexedCompactProtocol extends thrift.TCompactProtocol {
      override writeMessageBegin(name: string, type: thrift.Thrift.MessageType, seqid: number): void {
        if (type !== MessageType.CALL && type !== MessageType.ONEWAY) {
          super.writeMessageBegin(name, type, seqid);
          return;
        }
        sent.set(seqid, { service: serviceName, method: name });
        super.writeMessageBegin(`${serviceName}:${name}`, type, seqid);
      }
    };
  }

  private send(frame: Buffer | undefined): void {
    // Thrown into the generated client's send_*, which rejects the call's promise.
    if (this.failure) throw new Error(this.failure.message);
    if (frame) this.socket.write(frame);
  }

  private onData(chunk: Buffer): void {
    if (this.failure) return;
    const frames = this.frames.push(chunk);
    if (!frames.ok) {
      this.fail(sourceError('protocol', `${this.where}: ${frames.error}`));
      return;
    }
    for (const frame of frames.value) {
      const failure = this.deliver(frame);
      if (failure) {
        this.fail(failure);
        return;
      }
    }
  }

  // Decodes one reply frame and hands it to the client that sent the call.
  // Anything the runtime throws while decoding is a protocol failure.
  private deliver(frame: Buffer): SourceError | null {
    try {
      const input = new ReplyProtocol(new thrift.TFramedTransport(frame));
      const header = input.readMessageBegin();
      const call = this.sent.get(header.rseqid);
      if (!call) return this.protocolError(`reply with unknown seqid ${header.rseqid} (${header.fname})`);
      if (header.fname !== call.method) return this.protocolError(`reply for ${header.fname} to a ${call.method} call`);
      if (header.mtype !== MessageType.REPLY && header.mtype !== MessageType.EXCEPTION) {
        return this.protocolError(`message type ${header.mtype} where a reply was expected`);
      }
      this.sent.delete(header.rseqid);
      const client = this.clients.get(call.service);
      const recv = client?.[`recv_${call.method}`];
      if (!client || !recv) return this.protocolError(`no decoder for ${call.service}.${call.method}`);
      recv.call(client, input, header.mtype, header.rseqid);
      return null;
    } catch (e) {
      return this.protocolError(`undecodable reply: ${describe(e)}`);
    }
  }

  private protocolError(message: string): SourceError {
    return sourceError('protocol', `${this.where}: ${message}`);
  }

  // A stream that stops inside a frame is a protocol failure, whatever ended it.
  private streamEnded(failure: SourceError, reason: string): SourceError {
    const pending = this.frames.pendingBytes;
    if (pending === 0) return failure;
    return this.protocolError(`stream ended inside a frame (${pending} bytes buffered; ${reason})`);
  }

  private fail(failure: SourceError): void {
    if (this.failure) return;
    this.failure = failure;
    this.socket.destroy();
    this.options.scope?.release(this.socket);
    for (const waiter of [...this.waiters]) waiter(failure);
    this.waiters.clear();
    this.sent.clear();
  }
}

// The generated clients can throw synchronously (e.g. a write to a failed
// connection) as well as reject; both become a rejection here.
function invokeSafely<T>(invoke: () => Promise<T>): Promise<T> {
  try {
    return Promise.resolve(invoke());
  } catch (e) {
    return Promise.reject(e);
  }
}
