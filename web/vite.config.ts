import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

/** The panel the dev server (`npx vite web`) forwards `/api` to. */
const panel = process.env.WGFLEET_PANEL_URL ?? 'http://127.0.0.1:10086';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [vue()],
  // vue-i18n's build flags: the Composition API only, no devtools in production.
  define: {
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    // One chunk per page would be premature: the whole UI is small.
    chunkSizeWarningLimit: 400,
  },
  server: { proxy: { '/api': { target: panel, changeOrigin: false } } },
});
