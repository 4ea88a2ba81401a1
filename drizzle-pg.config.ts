// drizzle-kit for the PostgreSQL history (src/store/postgres/schema.ts):
// `npx drizzle-kit generate --config drizzle-pg.config.ts`. The SQLite one is drizzle.config.ts.
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/store/postgres/schema.ts',
  out: './migrations-pg',
});
