import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { precompress } from './scripts/build/precompress.js';
import { preloadApp } from './scripts/build/preload-app.js';

// Three pages, one build. The server serves dist/client; `npm run dev` proxies the API to it.
export default defineConfig({
  root: 'client',
  publicDir: 'public',
  // preloadApp rewrites index.html before precompress compresses it (writeBundle, then closeBundle).
  plugins: [
    preloadApp({ html: 'index.html', entry: 'client/index.html', target: 'client/src/resident/app.ts' }),
    precompress(),
  ],
  build: {
    outDir: resolve(import.meta.dirname, 'dist/client'),
    emptyOutDir: true,
    target: 'es2020',
    rollupOptions: {
      input: {
        index: resolve(import.meta.dirname, 'client/index.html'),
        staff: resolve(import.meta.dirname, 'client/staff.html'),
        wall: resolve(import.meta.dirname, 'client/wall.html'),
        board: resolve(import.meta.dirname, 'client/board.html'),
      },
    },
  },
  server: {
    port: 5173,
    proxy: {
      '/api': 'http://127.0.0.1:3000',
      '/socket.io': { target: 'http://127.0.0.1:3000', ws: true },
      '/feed': { target: 'ws://127.0.0.1:3000', ws: true },
    },
  },
});
