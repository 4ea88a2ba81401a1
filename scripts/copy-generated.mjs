// tsc does not copy the generated CommonJS Thrift code; the build does.
import { cpSync } from 'node:fs';
cpSync('src/generated', 'dist/generated', { recursive: true, filter: (p) => !p.endsWith('.d.ts') });
