import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { UsageStore, UsageUnitOfWork } from './ports.js';
import { PolicyRunner } from './policy-runner.js';
import type { UsagePeerRow } from './usage-row.js';
import { usagePeerRow } from './testing/usage-peer-row.js';
import type { PanelSettings, PanelSettingsService } from '../settings/panel-settings.js';

const NOW = new Date('2026-11-27T12:00:00Z');

const peer = (id: number, periodRx: bigint): UsagePeerRow =>
  usagePeerRow(id, {
    traffic_limit: 1000n,
    traffic_warn_threshold: 100,
    period_rx: periodRx,
    period_tx: 0n,
    period_started_at: NOW,
  });

/** A port method this test never calls: fails loudly if it is called after all. */
const notUsed = (name: string) => async (): Promise<never> => {
  throw new Error(`${name} is not used by this test`);
};

describe('PolicyRunner.tick', () => {
  it('reads the candidates page by page, and acts on the due ones of every page', async () => {
    // 4,500 peers under their limit but two, one on the first page and one on the last.
    const all = Array.from({ length: 4500 }, (_, i) =>
      peer(i + 1, i + 1 === 7 || i + 1 === 4321 ? 1000n : 0n),
    );
    const pages: number[] = [];
    const read: number[][] = [];
    const store: UsageStore = {
      async policyCandidates(afterId, limit) {
        const page = all.filter((r) => r.id > afterId).slice(0, limit);
        pages.push(page.length);
        return page;
      },
      nextExpiry: async () => null,
      forgetCuts: notUsed('forgetCuts'),
      subscriberCandidates: async () => [],
      subscribersWithUsage: async () => [],
      transaction: (work) =>
        work({
          peersByIds: async (ids: readonly number[]) => {
            read.push([...ids]);
            return all.filter((r) => ids.includes(r.id));
          },
          applyPolicy: async () => undefined,
          insertEvents: async () => undefined,
          countersInstance: notUsed('countersInstance'),
          setCountersInstance: notUsed('setCountersInstance'),
          ledgerRows: notUsed('ledgerRows'),
          addUsage: notUsed('addUsage'),
          addSamples: notUsed('addSamples'),
          updatePeers: notUsed('updatePeers'),
          peersByKeys: notUsed('peersByKeys'),
          recordedCuts: notUsed('recordedCuts'),
          rememberCuts: notUsed('rememberCuts'),
          addCutUsage: notUsed('addCutUsage'),
          subscribersForPolicy: async () => [],
          applySubscriberPolicy: async () => undefined,
          insertSubscriberEvents: async () => undefined,
          peerIdsOfSubscribers: async () => [],
          updateSubscribers: notUsed('updateSubscribers'),
        } satisfies UsageUnitOfWork),
    };
    const settings = { timezone: 'UTC', expiry_warning_days: 3 } as PanelSettings;
    const runner = new PolicyRunner({
      store,
      settings: {
        refresh: async () => settings,
        get: async () => settings,
      } as never as PanelSettingsService,
      converge: { converge: async () => undefined },
      logger: pino({ level: 'silent' }),
      now: () => NOW,
      convergeWaitMs: 0,
    });
    const pass = await runner.tick();
    expect(pages).toEqual([2000, 2000, 500]);
    expect(read).toEqual([[7, 4321]]);
    expect(pass.changes.map((c) => [c.id, c.status])).toEqual([
      [7, 'restricted'],
      [4321, 'restricted'],
    ]);
  });
});
