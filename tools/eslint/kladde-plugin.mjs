/**
 * Kladde's house rules that no published ESLint rule expresses (docs/architecture.md, "Rules the
 * linter keeps"). The import zones themselves are ESLint's own `no-restricted-imports`, set in
 * eslint.config.mjs; these two need to know what a file is, not only what it imports:
 *
 * - `injected-clock`: product code reads the time from an injected clock (`now`, `clock`), so
 *   tests can set it. `new Date()` and `Date.now()` without an argument are allowed only as such a
 *   clock's default (a parameter default, `opts.now ?? new Date()`, `clock = () => new Date()`) in
 *   lib/ (option `allowDefaults`), and anywhere in a client component (a form's default value).
 * - `client-imports-no-server`: a client component ('use client') imports no server module — one
 *   that, through its value imports, reaches `server-only`, a Node built-in or a server-only
 *   package. Type-only imports are erased and do not count.
 */
import { readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

function isClientComponent(program) {
  for (const statement of program.body) {
    if (statement.type !== 'ExpressionStatement' || typeof statement.directive !== 'string') break;
    if (statement.directive === 'use client') return true;
  }
  return false;
}

// ---------------------------------------------------------------- injected-clock

/** `new Date()` / `Date.now()`: a reading of the machine's clock. */
function readsClock(node) {
  if (node.type === 'NewExpression') {
    return (
      node.callee.type === 'Identifier' &&
      node.callee.name === 'Date' &&
      node.arguments.length === 0
    );
  }
  return (
    node.type === 'CallExpression' &&
    node.callee.type === 'MemberExpression' &&
    !node.callee.computed &&
    node.callee.object.type === 'Identifier' &&
    node.callee.object.name === 'Date' &&
    node.callee.property.type === 'Identifier' &&
    node.callee.property.name === 'now'
  );
}

/** The node stands where a default goes: `x = <node>` in a pattern, or `a ?? <node>`. */
function isDefaultSlot(node) {
  const parent = node.parent;
  if (!parent) return false;
  if (parent.type === 'AssignmentPattern') return parent.right === node;
  return parent.type === 'LogicalExpression' && parent.operator === '??' && parent.right === node;
}

/** The expression a reading is part of: `Math.floor(Date.now() / 1000)`, `new Date().getTime()`. */
function enclosingExpression(node) {
  let at = node;
  for (;;) {
    const parent = at.parent;
    const through =
      parent &&
      (parent.type === 'BinaryExpression' ||
        (parent.type === 'MemberExpression' && parent.object === at) ||
        (parent.type === 'CallExpression' &&
          (parent.callee === at || parent.arguments.includes(at))));
    if (!through) return at;
    at = parent;
  }
}

function isClockDefault(reading) {
  const node = enclosingExpression(reading);
  if (isDefaultSlot(node)) return true;
  // clock = () => new Date()   /   options.clock ?? (() => new Date())
  const fn = node.parent;
  return (
    fn?.type === 'ArrowFunctionExpression' &&
    fn.body === node &&
    fn.params.length === 0 &&
    isDefaultSlot(fn)
  );
}

const injectedClock = {
  meta: {
    type: 'problem',
    docs: { description: 'Read the time from an injected clock, not from the machine.' },
    schema: [
      {
        type: 'object',
        properties: { allowDefaults: { type: 'boolean' } },
        additionalProperties: false,
      },
    ],
    messages: {
      ambient:
        "Read the time from the injected clock (a `now` or `clock` parameter); `{{call}}` is allowed only as that parameter's default in lib/ and in client components.",
    },
  },
  create(context) {
    const allowDefaults = context.options[0]?.allowDefaults === true;
    let client = false;
    const check = (node) => {
      if (client || !readsClock(node)) return;
      if (allowDefaults && isClockDefault(node)) return;
      context.report({
        node,
        messageId: 'ambient',
        data: { call: node.type === 'NewExpression' ? 'new Date()' : 'Date.now()' },
      });
    };
    return {
      Program(program) {
        client = isClientComponent(program);
      },
      NewExpression: check,
      CallExpression: check,
    };
  },
};

// ---------------------------------------------------------------- client-imports-no-server

/** Packages only a server may load (beyond Node's built-ins and the `server-only` marker). */
const SERVER_PACKAGES = new Set([
  'server-only',
  'next/headers',
  'next/cache',
  'postgres',
  'drizzle-orm/postgres-js',
  'drizzle-orm/pglite',
  '@electric-sql/pglite',
  '@node-rs/bcrypt',
  'resend',
]);
const NODE_BUILTINS = new Set(builtinModules);

function serverPackage(specifier) {
  if (specifier.startsWith('node:') || NODE_BUILTINS.has(specifier)) return true;
  return SERVER_PACKAGES.has(specifier);
}

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.js', '.mjs', '/index.ts', '/index.tsx'];

/** A repository file for an import, or null for a package (the '@/…' alias is the repository root). */
function resolveLocal(specifier, fromFile) {
  let base;
  if (specifier.startsWith('@/')) base = path.join(root, specifier.slice(2));
  else if (specifier.startsWith('./') || specifier.startsWith('../'))
    base = path.resolve(path.dirname(fromFile), specifier);
  else return null;
  for (const candidate of [base, ...EXTENSIONS.map((e) => base + e)]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // try the next extension
    }
  }
  return null;
}

const IMPORT_FROM = /^\s*(?:import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]/gm;
const SIDE_EFFECT = /^\s*import\s*['"]([^'"]+)['"]/gm;

/** The value imports of a module's source (type-only imports and specifier lists are erased). */
function valueImports(source) {
  const out = [];
  for (const m of source.matchAll(IMPORT_FROM)) {
    if (m[1]) continue;
    const clause = m[2].trim();
    const braces = clause.match(/^\{([\s\S]*)\}$/);
    if (braces) {
      const names = braces[1]
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      if (names.length > 0 && names.every((n) => n.startsWith('type '))) continue;
    }
    out.push(m[3]);
  }
  for (const m of source.matchAll(SIDE_EFFECT)) out.push(m[1]);
  return out;
}

const verdicts = new Map(); // file → { mtimeMs, chain }

/** The chain of value imports from `file` to a server-only thing, or null if there is none. */
function serverChain(file, visiting = new Set()) {
  let mtimeMs;
  try {
    mtimeMs = statSync(file).mtimeMs;
  } catch {
    return null;
  }
  const known = verdicts.get(file);
  if (known && known.mtimeMs === mtimeMs) return known.chain;
  if (visiting.has(file)) return null; // a cycle: judged where it started
  visiting.add(file);
  let chain = null;
  for (const specifier of valueImports(readFileSync(file, 'utf8'))) {
    if (serverPackage(specifier)) {
      chain = [specifier];
      break;
    }
    const target = resolveLocal(specifier, file);
    if (!target) continue;
    const below = serverChain(target, visiting);
    if (below) {
      chain = [path.relative(root, target), ...below];
      break;
    }
  }
  visiting.delete(file);
  verdicts.set(file, { mtimeMs, chain });
  return chain;
}

const clientImportsNoServer = {
  meta: {
    type: 'problem',
    docs: { description: 'A client component imports no server module.' },
    schema: [],
    messages: {
      server:
        'A client component must not import a server module: {{chain}}. Import only its types (`import type`), or move what the browser needs into a module of its own.',
    },
  },
  create(context) {
    let client = false;
    const check = (node) => {
      if (!client || !node.source || node.importKind === 'type' || node.exportKind === 'type')
        return;
      if (
        node.specifiers?.length > 0 &&
        node.specifiers.every((s) => s.importKind === 'type' || s.exportKind === 'type')
      )
        return;
      const specifier = node.source.value;
      let chain = null;
      if (serverPackage(specifier)) chain = [specifier];
      else {
        const target = resolveLocal(specifier, context.filename);
        const below = target ? serverChain(target) : null;
        if (below) chain = [path.relative(root, target), ...below];
      }
      if (chain) context.report({ node, messageId: 'server', data: { chain: chain.join(' → ') } });
    };
    return {
      Program(program) {
        client = isClientComponent(program);
      },
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
    };
  },
};

const kladde = {
  meta: { name: 'kladde' },
  rules: { 'injected-clock': injectedClock, 'client-imports-no-server': clientImportsNoServer },
};

export default kladde;
