import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

/** The panel the dev server (`npx vite web`) forwards `/api` to. */
const panel = process.env.WGFLEET_PANEL_URL ?? 'http://127.0.0.1:10086';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [vue()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    // One chunk per page would be premature: the whole UI is small.
    chunkSizeWarningLimit: 400,
  },
  server: { proxy: { '/api': { target: panel, changeOrigin: false } } },
});
