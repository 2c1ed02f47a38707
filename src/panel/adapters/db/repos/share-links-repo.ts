import type { ShareLinkOfPeer, ShareLinkStore } from '../../../app/share-links/ports.js';
import type { DatabaseHandle } from '../open-database.js';
import { toSafeNumber } from '../values.js';

/** peer_share_links (WGDashboard 4.3's share links). Share ids are secrets: never logged. */
export function createShareLinksRepo(handle: DatabaseHandle): ShareLinkStore {
  const db = handle.db;
  const withPeer = () =>
    db
      .selectFrom('peer_share_links as l')
      .innerJoin('peers as p', 'p.id', 'l.peer_id')
      .innerJoin('configurations as c', 'c.id', 'p.configuration_id')
      .select([
        'l.share_id',
        'l.peer_id',
        'l.expire_date',
        'l.shared_date',
        'p.public_key',
        'c.name as configuration',
      ]);
  type Row = {
    share_id: string;
    peer_id: number;
    expire_date: Date | null;
    shared_date: Date;
    public_key: string;
    configuration: string;
  };
  const of = (r: Row): ShareLinkOfPeer => ({
    shareId: r.share_id,
    peerId: toSafeNumber(r.peer_id),
    expireDate: r.expire_date,
    sharedDate: r.shared_date,
    publicKey: r.public_key,
    configuration: r.configuration,
  });
  return {
    createUnlessActive(link, now) {
      return db.transaction().execute(async (trx) => {
        await trx
          .selectFrom('peers')
          .select('id')
          .where('id', '=', link.peerId)
          .forUpdate()
          .execute();
        const active = await trx
          .selectFrom('peer_share_links')
          .selectAll()
          .where('peer_id', '=', link.peerId)
          .where((w) => w.or([w('expire_date', 'is', null), w('expire_date', '>', now)]))
          .orderBy('shared_date')
          .executeTakeFirst();
        if (active)
          return {
            created: false,
            link: {
              shareId: active.share_id,
              peerId: toSafeNumber(active.peer_id),
              expireDate: active.expire_date,
              sharedDate: active.shared_date,
            },
          };
        await trx
          .insertInto('peer_share_links')
          .values({
            share_id: link.shareId,
            peer_id: link.peerId,
            expire_date: link.expireDate,
            shared_date: link.sharedDate,
          })
          .execute();
        return { created: true, link };
      });
    },
    async byId(shareId) {
      const r = await withPeer().where('l.share_id', '=', shareId).executeTakeFirst();
      return r ? of(r) : null;
    },
    async setExpireDate(shareId, expireDate) {
      await db
        .updateTable('peer_share_links')
        .set({ expire_date: expireDate })
        .where('share_id', '=', shareId)
        .execute();
    },
    async activeOfConfiguration(configurationId, now) {
      const rows = await withPeer()
        .where('p.configuration_id', '=', configurationId)
        .where((w) => w.or([w('l.expire_date', 'is', null), w('l.expire_date', '>', now)]))
        .orderBy('l.shared_date')
        .execute();
      const byKey = new Map<string, ShareLinkOfPeer[]>();
      for (const r of rows) {
        const list = byKey.get(r.public_key) ?? [];
        list.push(of(r));
        byKey.set(r.public_key, list);
      }
      return byKey;
    },
  };
}
