// Validating a cron expression and measuring its shortest interval, which
// bounds how long one collection may take (its budget). node-cron accepts 5
// fields, or 6 with seconds first ("*/2 * * * * *").
import { createTask, validateDetailed } from 'node-cron';
import { err, ok, type Result } from '../model/result.js';

export interface CronSchedule {
  expression: string;
  /** The shortest gap between two ticks over the next runs: the budget's ceiling. */
  intervalMs: number;
}

const RUNS_SAMPLED = 64;

export function parseCronSchedule(expression: string): Result<CronSchedule, string> {
  const checked = validateDetailed(expression);
  if (!checked.valid) {
    const first = checked.errors[0];
    return err(`"${expression}": ${first?.message ?? 'not a cron expression'} (example: "*/5 * * * *")`);
  }
  const task = createTask(expression, () => undefined);
  try {
    const runs = task.getNextRuns(RUNS_SAMPLED).map((d) => d.getTime());
    let intervalMs = Infinity;
    for (let i = 1; i < runs.length; i++) intervalMs = Math.min(intervalMs, runs[i]! - runs[i - 1]!);
    if (!Number.isFinite(intervalMs) || intervalMs <= 0) return err(`"${expression}" never fires`);
    return ok({ expression, intervalMs });
  } finally {
    void task.destroy();
  }
}
