// RPCs between simulated processes, the way Photon's services talk:
// TFramedTransport + TCompactProtocol, multiplexed service name.
//
// A ThriftChannel is one connection carrying calls one after another; any
// connection error or timeout breaks it for good (a late reply could otherwise
// be taken for the next call's). callService is a channel used once: most
// simulated calls are rare, and 5,000 agents each holding a connection would
// cost file descriptors for nothing.
import thrift from 'thrift';
import type { Endpoint } from '../model/ids.js';
import { err, ok, type Result } from '../model/result.js';
import { withDeadline } from '../util/with-deadline.js';

type ClientClass<C> = new (output: thrift.TTransport, pClass: new (trans: thrift.TTransport) => thrift.TProtocol) => C;

export class ThriftChannel<C> {
  private readonly connection: thrift.Connection;
  private readonly client: C;
  private readonly where: string;
  private failure: string | null = null;
  private onFailure: ((why: string) => void) | null = null;

  constructor(
    endpoint: Endpoint,
    service: string,
    clientClass: ClientClass<C>,
    private readonly timeoutMs: number,
  ) {
    this.where = `${service}@${endpoint.host}:${endpoint.port}`;
    this.connection = thrift.createConnection(endpoint.host, endpoint.port, {
      transport: thrift.TFramedTransport,
      protocol: thrift.TCompactProtocol,
      connect_timeout: timeoutMs,
    });
    this.client = new thrift.Multiplexer().createClient(service, clientClass, this.connection);
    this.connection.on('error', (e: Error) => this.fail(e.message));
    this.connection.on('close', () => this.fail('connection closed'));
  }

  /** Null while the channel can carry calls; why it cannot otherwise. */
  get broken(): string | null {
    return this.failure;
  }

  /** One call; never two at a time on one channel. */
  async call<R>(run: (client: C) => Promise<R>): Promise<Result<R, string>> {
    if (this.failure) return err(`${this.where}: ${this.failure}`);
    const outcome = await withDeadline<Result<R, string>>(
      this.timeoutMs,
      (settle) => {
        this.onFailure = (why) => settle(err(`${this.where}: ${why}`));
        run(this.client).then(
          (value) => settle(ok(value)),
          (e: unknown) => settle(err(`${this.where}: ${e instanceof Error ? e.message : String(e)}`)),
        );
      },
      () => err(`${this.where}: no reply within ${this.timeoutMs} ms`),
    );
    this.onFailure = null;
    if (!outcome.ok) this.fail(outcome.error);
    return outcome;
  }

  close(): void {
    this.fail('closed');
    this.connection.destroy();
  }

  private fail(why: string): void {
    if (this.failure) return;
    this.failure = why;
    this.onFailure?.(why);
  }
}

export async function callService<C, R>(
  endpoint: Endpoint,
  service: string,
  clientClass: ClientClass<C>,
  run: (client: C) => Promise<R>,
  timeoutMs: number,
): Promise<Result<R, string>> {
  const channel = new ThriftChannel(endpoint, service, clientClass, timeoutMs);
  const outcome = await channel.call(run);
  channel.close();
  return outcome;
}
