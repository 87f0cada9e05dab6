import vue from '@vitejs/plugin-vue';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/** Marker of the zod stand-in; scripts/build.ts fails the build if it survives tree-shaking. */
export const ZOD_STUB_MARKER = 'contact-sync: zod schemas are not part of the browser bundle';
const ZOD_STUB_ID = '\0contact-sync:zod-stub';

/**
 * The rules package declares zod schemas at module level (for the API and the
 * worker) next to the pure functions the form uses. In the browser build we
 * mark those schema expressions pure and the rules modules side-effect free,
 * and give the rules package a zod stand-in: the schemas are tree-shaken away
 * and zod (≈ 25 kB gzipped) stays out. Should a schema ever survive, the
 * stand-in's marker is in the output and scripts/build.ts fails.
 */
function browserRules(): Plugin {
  const isRulesSource = (id: string | undefined) => id !== undefined && /[/\\]packages[/\\]rules[/\\]src[/\\]/.test(id);
  return {
    name: 'contact-sync:browser-rules',
    enforce: 'pre',
    apply: 'build',
    resolveId(source, importer) {
      return source === 'zod' && isRulesSource(importer) ? ZOD_STUB_ID : null;
    },
    load(id) {
      if (id !== ZOD_STUB_ID) return null;
      const code = `const fail = () => { throw new Error(${JSON.stringify(ZOD_STUB_MARKER)}); };\nexport const z = /* @__PURE__ */ new Proxy({}, { get: fail });\n`;
      return { code, moduleSideEffects: false };
    },
    transform(code, id) {
      if (!isRulesSource(id)) return null;
      return {
        code: code.replace(/(?<![\w.$])(z(?:\s*\.\s*\w+)+\s*\()/g, '/* @__PURE__ */ $1'),
        map: null,
        moduleSideEffects: false,
      };
    },
  };
}

/**
 * Two outputs, built one after the other by scripts/build.ts:
 *  - `--mode module`: dist/module/contact-sync.js, the ES module exporting `mount` (Vue bundled in);
 *  - `--mode iframe` (default): dist/iframe/iframe.html and its assets.
 * The dev server (scripts/serve.ts) serves both from source.
 */
export default defineConfig(({ mode }) => ({
  root,
  plugins: [vue(), browserRules()],
  // Both entries up front, so the dev server never re-optimizes (and reloads) on a first visit; papaparse too,
  // which only the CSV export imports (dynamically): found on the first export, it reloaded the page.
  optimizeDeps: { entries: ['iframe.html', 'src/mount.ts'], include: ['papaparse'] },
  define: {
    ...(mode === 'module' ? { 'process.env.NODE_ENV': JSON.stringify('production') } : {}),
    __VUE_OPTIONS_API__: 'false',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    __VUE_I18N_FULL_INSTALL__: 'false',
    __VUE_I18N_LEGACY_API__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
    __INTLIFY_DROP_MESSAGE_COMPILER__: 'false',
  },
  build:
    mode === 'module'
      ? {
          outDir: 'dist/module',
          emptyOutDir: true,
          target: 'es2022',
          // Library mode neither minifies ES output nor replaces NODE_ENV: this bundle is for browsers as is.
          minify: true,
          lib: { entry: 'src/mount.ts', formats: ['es' as const], fileName: () => 'contact-sync.js' },
          // The CSV export's chunk (papaparse) loads on export only. What it shares with the app stays in
          // the entry, which may then export more than `mount` (else a third chunk splits the app in two).
          rolldownOptions: { preserveEntrySignatures: 'allow-extension' as const },
        }
      : {
          outDir: 'dist/iframe',
          emptyOutDir: true,
          target: 'es2022',
          rolldownOptions: {
            input: { iframe: fileURLToPath(new URL('iframe.html', import.meta.url)) },
          },
        },
}));
