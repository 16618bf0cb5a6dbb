import { defineConfig } from 'vitest/config'
import react from '@vitejs/plugin-react'

const server = 'http://127.0.0.1:8080'

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
  server: { proxy: { '/api': server, '/healthz': server, '/readyz': server } },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./src/test-setup.ts'],
    // Form tests type into many fields; on a busy two-core machine that
    // takes longer than the 5 s default without anything being wrong.
    testTimeout: 20000,
  },
})
