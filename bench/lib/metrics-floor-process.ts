/**
 * The /metrics floor in a process of its own (forked by bench/panel-metrics.ts): opens the
 * benchmark's SQLite file read-only and runs `metricsFloor` once per message, answering with its
 * result. Messages: `{ type: 'floor' }` → `{ ms, bytes, rows }`; `{ type: 'finish' }` ends it.
 */
import BetterSqlite3 from 'better-sqlite3';
import { metricsFloor } from './metrics-floor.js';

const file = process.argv[2];
if (!file) throw new Error('usage: metrics-floor-process.ts DB_FILE');
const db = new BetterSqlite3(file, { readonly: true });
process.on('message', (m: { type: 'floor' | 'finish' }) => {
  if (m.type === 'finish') {
    db.close();
    process.disconnect();
    return;
  }
  process.send?.(metricsFloor(db, Date.now()));
});
