import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // PGlite ships WASM and data files that must be loaded from node_modules at runtime;
  // @node-rs/bcrypt loads its native binary from node_modules (docs/security.md).
  serverExternalPackages: ['@electric-sql/pglite', '@node-rs/bcrypt'],
  // Playwright and curl reach the dev server as 127.0.0.1.
  allowedDevOrigins: ['127.0.0.1'],
  poweredByHeader: false,
};

export default nextConfig;
