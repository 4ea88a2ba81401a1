// Short one-line forms of stored values for terminal output (pure).
import { formatEndpoint, type Endpoint } from '../model/ids.js';

function isEndpoint(v: object): v is Endpoint {
  return 'host' in v && 'port' in v && Object.keys(v).length === 2;
}

export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return '(none)';
  if (typeof v !== 'object') return String(v);
  if (Array.isArray(v)) return v.length ? v.map(formatValue).join(',') : '[]';
  if (isEndpoint(v)) return formatEndpoint(v);
  const o = v as Record<string, unknown>;
  // service members, datastores, networks: their id and what matters most
  if ('name' in o && 'address' in o) return `${String(o.name)}@${formatValue(o.address)}`;
  if ('id' in o) return String(o.id);
  return Object.entries(o)
    .map(([k, x]) => `${k} ${formatValue(x)}`)
    .join(', ');
}
