// `treesnap doctor`'s results as data, and their rendering: one line per
// check with its verdict, what was found or why it failed, and its time. Pure.

export type Verdict = 'pass' | 'fail' | 'skip';

export interface CheckResult {
  /** What was checked, e.g. "zookeeper reachable". */
  check: string;
  verdict: Verdict;
  /** What was found (pass), why not (fail), or what it waits on (skip). */
  detail: string;
  durationMs: number;
}

export interface DoctorReport {
  ok: boolean;
  checks: CheckResult[];
}

export function doctorReport(checks: CheckResult[]): DoctorReport {
  return { ok: checks.every((c) => c.verdict !== 'fail'), checks };
}

function ms(durationMs: number): string {
  return durationMs < 1000 ? `${Math.round(durationMs)} ms` : `${(durationMs / 1000).toFixed(1)} s`;
}

/** "PASS  zookeeper reachable      127.0.0.1:2181 (4 ms)", names padded to one column; then a summary line. */
export function renderDoctorText(report: DoctorReport): string {
  const width = Math.max(0, ...report.checks.map((c) => c.check.length));
  const lines = report.checks.map((c) => `${c.verdict.toUpperCase().padEnd(4)}  ${c.check.padEnd(width)}  ${c.detail} (${ms(c.durationMs)})`);
  const failed = report.checks.filter((c) => c.verdict === 'fail').length;
  lines.push(failed === 0 ? 'all checks passed' : `${failed} of ${report.checks.length} checks failed`);
  return lines.join('\n');
}
