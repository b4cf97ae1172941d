import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // PGlite ships WASM and data files that must be loaded from node_modules at runtime.
  serverExternalPackages: ['@electric-sql/pglite'],
  // Playwright and curl reach the dev server as 127.0.0.1.
  allowedDevOrigins: ['127.0.0.1'],
  poweredByHeader: false,
};

export default nextConfig;
