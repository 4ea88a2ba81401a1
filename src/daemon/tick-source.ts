// Where ticks come from: node-cron in the daemon, a hand-driven source in
// tests. A tick carries the slot it was scheduled for.
import { createTask, type Logger as CronLogger, type ScheduledTask } from 'node-cron';
import type { Logger } from './logger.js';

export interface TickHandlers {
  tick(scheduledAt: Date): void;
  /** The event loop was blocked past a slot: node-cron did not run it. */
  missed(scheduledAt: Date): void;
}

export interface TickSource {
  start(handlers: TickHandlers): void;
  stop(): Promise<void>;
}

function cronLogger(log: Logger): CronLogger {
  const text = (m: string | Error) => (m instanceof Error ? m.message : m);
  return {
    info: (m) => log.debug(`node-cron: ${m}`),
    warn: (m) => log.debug(`node-cron: ${m}`),
    error: (m, e) => log.error(`node-cron: ${text(m)}`, { error: e?.message }),
    debug: (m) => log.debug(`node-cron: ${text(m)}`),
  };
}

/**
 * node-cron ticks. The handler returns at once (the collection runs on its
 * own): overlap is the tick loop's decision, logged there, not node-cron's.
 */
export function cronTicks(expression: string, log: Logger): TickSource {
  let task: ScheduledTask | null = null;
  return {
    start(handlers) {
      task = createTask(expression, (ctx) => handlers.tick(ctx.date), { name: 'treesnap-collect', logger: cronLogger(log) });
      task.on('execution:missed', (ctx) => handlers.missed(ctx.date));
      void task.start();
    },
    async stop() {
      const t = task;
      task = null;
      if (t) await t.destroy();
    },
  };
}
