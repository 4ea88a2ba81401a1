// SIGINT and SIGTERM ask the daemon to stop; it decides how (finish or abandon
// the running collection). Returns a function that removes the handlers.
export type StopSignal = 'SIGINT' | 'SIGTERM';

export function onStopSignals(handler: (signal: StopSignal) => void): () => void {
  const signals: StopSignal[] = ['SIGINT', 'SIGTERM'];
  const listeners = signals.map((s) => [s, () => handler(s)] as const);
  for (const [s, l] of listeners) process.on(s, l);
  return () => {
    for (const [s, l] of listeners) process.off(s, l);
  };
}
