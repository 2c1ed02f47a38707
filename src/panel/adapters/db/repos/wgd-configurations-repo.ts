import type { ConfigurationEditStore } from '../../../app/wgdashboard/configuration-edits.js';
import { conflict } from '../../../app/errors.js';
import type { DatabaseHandle } from '../open-database.js';

/** Renames and interface columns of configurations (WGDashboard's configuration edits). */
export function createWgdConfigurationsRepo(handle: DatabaseHandle): ConfigurationEditStore {
  const db = handle.db;
  return {
    async rename(id, name) {
      try {
        await db
          .updateTable('configurations')
          .set({ name, updated_at: new Date() })
          .where('id', '=', id)
          .execute();
      } catch (e) {
        if (handle.dialect.constraintViolation(e) === 'unique')
          throw conflict('Configuration name already exist', name, 'NewConfigurationName');
        throw e;
      }
    },
    async setInterface(id, c) {
      await db
        .updateTable('configurations')
        .set({
          ...(c.address !== undefined && { address: c.address }),
          ...(c.listenPort !== undefined && { listen_port: c.listenPort }),
          ...(c.mtu !== undefined && { mtu: c.mtu }),
          updated_at: new Date(),
        })
        .where('id', '=', id)
        .execute();
    },
  };
}
