import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateWgKeyPair } from '../../src/shared/keys.js';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { FakeAgent } from './support/fleet-fake-agent.js';
import { usePanel } from './support/panel-under-test.js';

// The poller plans its cycles with setTimeout: faked here (and only the timer functions), so
// the test moves time by hand and counts polls, with no wall-clock threshold. Polls themselves
// do real I/O (the agent over TLS, the database), awaited on the real clock.
const realSetTimeout = globalThis.setTimeout;
const pause = (ms: number) => new Promise((resolve) => realSetTimeout(resolve, ms));

describe.each(DIALECTS_UNDER_TEST)('the poll interval as a setting on $name', (dialect) => {
  const get = usePanel(dialect); // started by the test, once the timers are fake
  let agent: FakeAgent;

  beforeAll(async () => {
    agent = await FakeAgent.start();
    agent.wg.addInterface('wg0', generateWgKeyPair().privateKey, 51820);
    const res = await get().panel.app.inject({
      method: 'POST',
      url: '/api/addNode',
      headers: get().headers,
      payload: { name: 'n1', join: agent.join },
    });
    expect(res.statusCode, res.body).toBe(200);
  });
  afterAll(async () => {
    vi.useRealTimers();
    await agent?.destroy();
  });

  /** Successful polls of n1 so far, from /metrics. */
  const polls = async () => {
    const res = await get().panel.app.inject({ url: '/metrics', headers: get().headers });
    const m = /wgfleet_panel_node_polls_total\{node="n1",result="success"\} (\d+)/.exec(res.body);
    return Number(m?.[1] ?? 0);
  };
  /**
   * Waits until `count` polls are counted (at most 10 s of real time), then a little longer: a
   * poll started in error would be counted too, and the count would not match.
   */
  const polled = async (count: number) => {
    for (let i = 0; i < 400 && (await polls()) < count; i++) await pause(25);
    await pause(50);
    expect(await polls()).toBe(count);
  };
  /** Moves the fake clock one second on; `count` polls are expected after it. */
  const second = async (count: number) => {
    vi.advanceTimersByTime(1000);
    await polled(count);
  };

  it('polls at the saved interval at once, without a restart', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    try {
      get().panel.start();
      await polled(1); // the first cycle runs at once
      // The start flag's interval (1 s): one poll a second.
      for (let n = 2; n <= 4; n++) await second(n);
      const res = await get().panel.app.inject({
        method: 'POST',
        url: '/api/updatePanelSettings',
        headers: get().headers,
        payload: { poll_interval_seconds: 3 },
      });
      expect(res.statusCode, res.body).toBe(200);
      // Planned again at once: the next cycle comes 3 s after the last one began, and so on.
      for (let s = 1; s <= 9; s++) await second(4 + Math.floor(s / 3));
      await get().panel.stop();
    } finally {
      vi.useRealTimers();
    }
  });
});
