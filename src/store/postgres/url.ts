// Telling a PostgreSQL URL from a history file path, and naming its server
// without the password (pure: the CLI checks --db with it without loading pg).

/** postgres:// or postgresql:// (what libpq and the pg driver accept). */
export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//i.test(db);
}

/** "postgres://user@host:port/db": the URL as a message may show it, password left out. */
export function serverName(url: string): string {
  try {
    const u = new URL(url);
    const user = u.username ? `${decodeURIComponent(u.username)}@` : '';
    return `postgres://${user}${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return 'the PostgreSQL server (its URL does not parse)';
  }
}
