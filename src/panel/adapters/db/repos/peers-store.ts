import { sql, type Kysely } from 'kysely';
import type { PeerConfiguration, PeerStore, PeerTotals } from '../../../app/peers/ports.js';
import type { Database } from '../schema/database.js';
import { cachedPeerTotals } from './peer-totals-cache.js';
import { conflict } from '../../../app/errors.js';
import type { DatabaseHandle } from '../open-database.js';
import { openPeerRows } from '../secrets/secret-bindings.js';
import { toBigInt, toSafeNumber } from '../values.js';
import { matchesSearch, peerListing } from './peers-listing.js';
import { allowedIps, peerWriter } from './peers-writer.js';
import { createEventJournal, type EventJournal } from './notifications/event-journal.js';

/** `PeerStore` over the peers, configurations and nodes tables; events through the journal. */
export function createPeerStore(
  handle: DatabaseHandle,
  journal: EventJournal = createEventJournal(),
): PeerStore {
  const db = handle.db;
  const secrets = handle.secrets;
  const listing = peerListing(db);
  const totals = cachedPeerTotals(
    () => handle.dialect.changeToken(db),
    (id, since) => readTotals(db, id, since),
  );
  return {
    async findConfiguration(name) {
      const r = await db
        .selectFrom('configurations as c')
        .innerJoin('nodes as n', 'n.id', 'c.node_id')
        .select([
          'c.id',
          'c.name',
          'c.interface_name',
          'c.address',
          'c.listen_port',
          'c.public_key',
          'c.enabled',
          'c.mtu',
          'c.dns',
          'c.endpoint_allowed_ip',
          'c.keepalive',
          'n.id as node_id',
          'n.name as node_name',
          'n.url as node_url',
          'n.public_host as node_public_host',
          'n.status as node_status',
        ])
        .where('c.name', '=', name)
        .executeTakeFirst();
      if (!r) return null;
      const configuration: PeerConfiguration = {
        id: r.id,
        name: r.name,
        interfaceName: r.interface_name,
        address: r.address,
        listenPort: r.listen_port,
        publicKey: r.public_key,
        enabled: r.enabled,
        mtu: r.mtu,
        dns: r.dns,
        endpointAllowedIp: r.endpoint_allowed_ip,
        keepalive: r.keepalive,
        node: {
          id: r.node_id,
          name: r.node_name,
          url: r.node_url,
          publicHost: r.node_public_host,
          status: r.node_status,
        },
      };
      return configuration;
    },

    ...listing,

    totals,

    async countMatching(configurationId, { search, subscriberId }) {
      let query = db
        .selectFrom('peers')
        .select((eb) => ['status', eb.fn.countAll().as('count')])
        .where('configuration_id', '=', configurationId);
      if (search) query = query.where(matchesSearch(search));
      if (subscriberId != null) query = query.where('subscriber_id', '=', subscriberId);
      const rows = await query.groupBy('status').execute();
      const out = { active: 0, restricted: 0 };
      for (const r of rows) out[r.status] = toSafeNumber(r.count, 'count');
      return out;
    },

    allowedIps: (configurationId) => allowedIps(db, configurationId),

    async peerByKey(configurationId, publicKey) {
      const r = await db
        .selectFrom('peers')
        .selectAll()
        .where('configuration_id', '=', configurationId)
        .where('public_key', '=', publicKey)
        .executeTakeFirst();
      return r ? (openPeerRows(secrets, [r])[0] ?? null) : null;
    },

    // The keys are opened only here and in peerByKey (and the writer's locked reads): listings
    // read whether a key is there (`is not null`), never the key, so they decrypt nothing.
    allPeers: async (configurationId) =>
      openPeerRows(
        secrets,
        await db
          .selectFrom('peers')
          .selectAll()
          .where('configuration_id', '=', configurationId)
          .orderBy('id')
          .execute(),
      ),

    async transaction(work) {
      try {
        const result = await db
          .transaction()
          .execute((trx) => work(peerWriter(trx, secrets, journal)));
        journal.committed();
        return result;
      } catch (err) {
        // The configuration lock keeps writers apart; a unique violation means another writer
        // took the key or address first anyway (a race the checks could not see).
        if (handle.dialect.constraintViolation(err) === 'unique')
          throw conflict('a peer with this key or address was added at the same time; try again');
        throw err;
      }
    },
  };
}

/** Counts and usage sums of a configuration's peers by status: one scan of all of them. */
async function readTotals(
  db: Kysely<Database>,
  configurationId: number,
  connectedSince: Date,
): Promise<PeerTotals> {
  const rows = await db
    .selectFrom('peers')
    .select((eb) => [
      'status',
      eb.fn.countAll().as('count'),
      eb.fn.sum('period_rx').as('rx'),
      eb.fn.sum('period_tx').as('tx'),
      sql<unknown>`sum(case when latest_handshake_at >= ${connectedSince} then 1 else 0 end)`.as(
        'connected',
      ),
    ])
    .where('configuration_id', '=', configurationId)
    .groupBy('status')
    .execute();
  let active = 0;
  let restricted = 0;
  let periodRx = 0n;
  let periodTx = 0n;
  let connected = 0;
  for (const r of rows) {
    const n = toSafeNumber(r.count, 'count');
    if (r.status === 'active') active = n;
    else restricted = n;
    periodRx += toBigInt(r.rx ?? 0, 'sum(period_rx)');
    periodTx += toBigInt(r.tx ?? 0, 'sum(period_tx)');
    connected += toSafeNumber(r.connected ?? 0, 'connected');
  }
  return { active, restricted, periodRx, periodTx, connected };
}
