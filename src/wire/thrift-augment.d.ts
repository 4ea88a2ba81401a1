// @types/thrift 0.10 lacks the multiplexed server API that the thrift 0.24
// runtime ships (lib/nodejs/lib/thrift/server.js, multiplexed_processor.js).
import type { Server } from 'node:net';
import 'thrift';

declare module 'thrift' {
  interface MultiplexedProcessor {
    registerProcessor(serviceName: string, processor: { process(input: TProtocol, output: TProtocol): void }): void;
  }

  interface MultiplexServerOptions {
    transport?: TTransportConstructor;
    protocol?: TProtocolConstructor;
    /** Largest accepted request frame in bytes (framed transport only). */
    maxLength?: number;
  }

  function createMultiplexServer(processor: MultiplexedProcessor, options?: MultiplexServerOptions): Server;
}
