// Builds the self-service web application into web/dist: external, content-hashed files only,
// because the server's CSP allows no inline script or style.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
const projectRoot = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    // Nothing inlined into index.html: the module-preload polyfill would be an inline script.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
    target: 'es2022',
    // One small application: a single bundle is fine (four languages included).
    chunkSizeWarningLimit: 800,
  },
  server: {
    // The web app shares the domain core's identifier rules (src/core/party.ts).
    fs: { allow: [projectRoot] },
    proxy: {
      '/api': 'http://localhost:3000',
      '/auth': 'http://localhost:3000',
      '/idp': 'http://localhost:3000',
    },
  },
});
