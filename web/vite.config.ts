import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { defineConfig, type Plugin } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

// Element Plus's CSS per component, with the module that imports the component: a screen's
// `import { ElTable } from 'element-plus'` brings el-table's rules (and those of what it is made
// of: element-plus/es/components/*/style/css) into that screen's CSS chunk. The first paint then
// parses the shell's rules (~1/6 of the 363 KB theme), not every component's.
function elementStyles(): Plugin {
  const components = fileURLToPath(new URL('./node_modules/element-plus/es/components/', import.meta.url))
  return {
    name: 'crm-element-styles',
    // before the SFC compiler: the import is found in the <script> block as written
    enforce: 'pre',
    transform(code, id) {
      // Vitest runs Element Plus from node_modules, where a .css import cannot be loaded
      if (process.env.VITEST || id.includes('node_modules') || id.includes('?') || !/\.(vue|ts)$/.test(id)) return null
      let found = false
      const out = code.replace(/import\s*\{([^}]*)\}\s*from\s*['"]element-plus['"]/g, (statement, names: string) => {
        const styles = names.split(',').map((part) => part.trim().split(/\s+as\s+/)[0]).filter((name) => /^El[A-Z]/.test(name))
          .map((name) => name.slice(2).replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase())
          .filter((dir) => existsSync(`${components}${dir}/style/css.mjs`))
        found ||= styles.length > 0
        return `${statement}\n${styles.map((dir) => `import 'element-plus/es/components/${dir}/style/css'`).join('\n')}\n`
      })
      return found ? { code: out, map: null } : null
    },
  }
}

// The gateway serves dist/ (gateway/crm_gateway/console.py); in `npm run dev` the API is proxied.
export default defineConfig({
  plugins: [vue(), elementStyles()],
  build: {
    // no inline <script> or modulepreload polyfill: the CSP allows scripts from 'self' only
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1200,
  },
  server: { proxy: { '/api': process.env.CRM_API_ORIGIN ?? 'http://127.0.0.1:8000' } },
  test: { environment: 'happy-dom', environmentOptions: { happyDOM: { url: 'http://127.0.0.1/' } }, include: ['src/**/*.test.ts'] },
})
