import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';

// Run as `vite build --config web/vite.config.ts` from apps/reader; everything here is
// relative to this folder, so the working directory does not matter.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  resolve: {
    // Workspace packages (@gatehouse/client) resolve to their TypeScript sources.
    conditions: ['source', ...defaultClientConditions],
  },
  build: {
    // The server serves dist/web (see src/main.ts); it sits outside this root.
    outDir: '../dist/web',
    emptyOutDir: true,
    sourcemap: false,
    // The CSP allows no inline script: keep index.html to one external module.
    modulePreload: { polyfill: false },
  },
});
