import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

// The gateway serves dist/ (gateway/crm_gateway/console.py); in `npm run dev` the API is proxied.
export default defineConfig({
  plugins: [vue()],
  build: {
    // no inline <script> or modulepreload polyfill: the CSP allows scripts from 'self' only
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1200,
  },
  server: { proxy: { '/api': process.env.CRM_API_ORIGIN ?? 'http://127.0.0.1:8000' } },
  test: { environment: 'happy-dom', environmentOptions: { happyDOM: { url: 'http://127.0.0.1/' } }, include: ['src/**/*.test.ts'] },
})
