import { onMounted, onUnmounted } from 'vue';

/**
 * Runs `tick` every `ms` while the component is mounted and the tab is visible, and once more
 * as soon as the tab becomes visible again. A tick never overlaps the previous one.
 */
export function usePolling(tick: () => Promise<void>, ms: number): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  let stopped = false;

  const schedule = () => {
    clearTimeout(timer);
    if (!stopped && document.visibilityState === 'visible') timer = setTimeout(run, ms);
  };
  const run = async () => {
    if (running || stopped) return;
    running = true;
    try {
      await tick();
    } finally {
      running = false;
      schedule();
    }
  };
  const onVisibility = () => {
    if (document.visibilityState === 'visible') void run();
    else clearTimeout(timer);
  };

  onMounted(() => {
    document.addEventListener('visibilitychange', onVisibility);
    schedule();
  });
  onUnmounted(() => {
    stopped = true;
    clearTimeout(timer);
    document.removeEventListener('visibilitychange', onVisibility);
  });
}
