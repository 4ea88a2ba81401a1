// The value of a Result, or the test fails with its error.
import type { Result } from '../../src/model/result.js';

export async function must<T>(r: Result<T, string> | Promise<Result<T, string>>): Promise<T> {
  const got = await r;
  if (!got.ok) throw new Error(got.error);
  return got.value;
}
