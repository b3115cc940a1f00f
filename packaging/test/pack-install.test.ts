/**
 * A newcomer's first hour, automated: the four packages are packed as
 * `npm run pack` packs them, checked with publint and Are The Types Wrong
 * (ESM-only profile: the packages ship no CommonJS), and installed into a
 * fresh project outside the repository, where the README's quick start is
 * followed: its tsconfig.json, eslint.config.js and program, run with tsx
 * and as tsc's output, and its first example rejected by tsc and ESLint.
 *
 * Offline but for the npm registry: the tarballs come from this checkout and
 * third-party packages from the npm cache first (`--prefer-offline`), at the
 * versions this workspace has installed.
 */

import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockWith, introExample, repositoryRoot, sectionBlocks } from '../src/readme.js';

const root = fileURLToPath(repositoryRoot);
const PACKAGES = ['@sendsync/marker', '@sendsync/runtime', '@sendsync/eslint-plugin', '@sendsync/bundler-plugin'];
/**
 * The tools the README's install line adds, at the versions this workspace
 * has installed; `@types/node` unpinned gives a user the newest, which the
 * packaging workspace installs as `types-node-latest` (the repository's own
 * code builds against Node 20's types).
 */
const TOOLS = { typescript: 'typescript', '@types/node': 'types-node-latest', 'typescript-eslint': 'typescript-eslint', eslint: 'eslint', tsx: 'tsx' };

interface Outcome {
  readonly code: number;
  readonly output: string;
}

/** Runs a program to its end; resolves with its exit code and its stdout and stderr together. */
function run(file: string, args: readonly string[], cwd: string): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, maxBuffer: 64 * 2 ** 20, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, output: stdout + stderr });
    });
  });
}

/** Like `run`, but throws with the program's output unless it exits 0. */
async function runOk(file: string, args: readonly string[], cwd: string): Promise<string> {
  const { code, output } = await run(file, args, cwd);
  if (code !== 0) throw new Error(`${file} ${args.join(' ')} exited ${code}:\n${output}`);
  return output;
}

/** The version of `name` installed in this workspace. */
function workspaceVersion(name: string): string {
  const require = createRequire(path.join(root, 'packaging', 'package.json'));
  const manifest = JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string };
  return manifest.version;
}

let temp: string;
let tarballs: string[];
let app: string;
const bin = (name: string): string => path.join(app, 'node_modules', '.bin', name);
/** TypeScript 7's `tsc` (the native compiler), installed in this workspace under the npm alias `typescript-7`. */
const tsc7 = path.join(path.dirname(createRequire(path.join(root, 'package.json')).resolve('typescript-7/package.json')), 'bin', 'tsc');

beforeAll(async () => {
  temp = mkdtempSync(path.join(os.tmpdir(), 'sendsync-pack-'));
  if (!path.relative(root, temp).startsWith('..')) throw new Error(`the temporary folder ${temp} is inside the repository`);
  const packed = await runOk('npm', ['pack', '--json', '--pack-destination', temp, ...PACKAGES.flatMap((name) => ['-w', name])], root);
  const json = packed.slice(packed.indexOf('['), packed.lastIndexOf(']') + 1);
  tarballs = (JSON.parse(json) as { filename: string }[]).map((entry) => path.join(temp, entry.filename));

  app = path.join(temp, 'my-app');
  mkdirSync(app);
  const [marker, runtime, plugin] = tarballs as [string, string, string];
  const manifest = {
    name: 'my-app',
    private: true,
    type: 'module',
    dependencies: { '@sendsync/marker': `file:${marker}`, '@sendsync/runtime': `file:${runtime}` },
    devDependencies: {
      '@sendsync/eslint-plugin': `file:${plugin}`,
      ...Object.fromEntries(Object.entries(TOOLS).map(([name, installed]) => [name, workspaceVersion(installed)])),
    },
  };
  writeFileSync(path.join(app, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
  await runOk('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], app);

  const quickStart = sectionBlocks('Quick start in your project');
  // The README's tsconfig.json, with the outDir it says to add for running tsc's output.
  const tsconfig = JSON.parse(blockWith(quickStart, 'json', '"compilerOptions"')) as { compilerOptions: Record<string, unknown> };
  tsconfig.compilerOptions['outDir'] = 'dist';
  writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2) + '\n');
  writeFileSync(path.join(app, 'eslint.config.js'), blockWith(quickStart, 'js', '@sendsync/eslint-plugin'));
  writeFileSync(path.join(app, 'main.ts'), blockWith(quickStart, 'ts', 'scope('));
});

afterAll(() => {
  if (temp !== undefined) rmSync(temp, { recursive: true, force: true });
});

describe('the tarballs', () => {
  it('are the four packages', () => {
    expect(tarballs.map((file) => path.basename(file)).sort()).toEqual([
      'sendsync-bundler-plugin-0.1.0.tgz',
      'sendsync-eslint-plugin-0.1.0.tgz',
      'sendsync-marker-0.1.0.tgz',
      'sendsync-runtime-0.1.0.tgz',
    ]);
  });

  it('pass publint, warnings included', async () => {
    for (const tarball of tarballs) await runOk(path.join(root, 'node_modules', '.bin', 'publint'), ['run', '--strict', tarball], root);
  });

  it("pass Are The Types Wrong under the ESM-only profile (node16 from ESM, bundler)", async () => {
    for (const tarball of tarballs) await runOk(path.join(root, 'node_modules', '.bin', 'attw'), [tarball, '--profile', 'esm-only', '--format', 'table-flipped'], root);
  });

  it('hold LICENSE and README.md, and every relative link in their Markdown points inside the tarball', async () => {
    for (const tarball of tarballs) {
      const unpacked = path.join(temp, 'unpacked', path.basename(tarball, '.tgz'));
      mkdirSync(unpacked, { recursive: true });
      await runOk('tar', ['-xzf', tarball, '-C', unpacked], root);
      const packageDir = path.join(unpacked, 'package');
      expect(existsSync(path.join(packageDir, 'LICENSE')), `${tarball} has a LICENSE`).toBe(true);
      expect(existsSync(path.join(packageDir, 'README.md')), `${tarball} has a README.md`).toBe(true);
      const markdown = readdirSync(packageDir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.md'));
      for (const file of markdown) {
        const text = readFileSync(path.join(packageDir, file), 'utf8');
        for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
          const local = (target ?? '').split('#')[0] ?? '';
          if (local === '' || /^[a-z][a-z0-9+.-]*:/i.test(local)) continue;
          const resolved = path.resolve(path.dirname(path.join(packageDir, file)), local);
          expect(existsSync(resolved) && !path.relative(packageDir, resolved).startsWith('..'), `${path.basename(tarball)}: ${file} links ${target}`).toBe(true);
        }
      }
    }
  });
});

describe("the README's quick start, in a fresh project", () => {
  it('type-checks clean under TypeScript 6 and 7, and lints clean', async () => {
    expect(await run(bin('tsc'), ['--noEmit'], app)).toEqual({ code: 0, output: '' });
    expect(await run(tsc7, ['--noEmit'], app)).toEqual({ code: 0, output: '' });
    expect(await run(bin('eslint'), ['.'], app)).toEqual({ code: 0, output: '' });
  });

  it('runs with tsx', async () => {
    expect(await runOk(bin('tsx'), ['main.ts'], app)).toBe('length: 3\n');
  });

  it("runs as tsc's output", async () => {
    await runOk(bin('tsc'), [], app);
    expect(await runOk(process.execPath, ['dist/main.js'], app)).toBe('length: 3\n');
  });

  it('adds at most 50,000 instantiations to a program that checks its libraries (no skipLibCheck), importing the runtime', async () => {
    const dir = path.join(app, 'import-cost');
    mkdirSync(dir);
    const programs = {
      plain: 'const handle = { join: () => 1 };\nhandle.join();\nexport {};\n',
      imported: "import { spawn } from '@sendsync/runtime';\nspawn(() => 1).join();\n",
    };
    const instantiations: Record<string, number> = {};
    for (const [name, source] of Object.entries(programs)) {
      writeFileSync(path.join(dir, `${name}.ts`), source);
      writeFileSync(path.join(dir, `tsconfig.${name}.json`), JSON.stringify({ extends: '../tsconfig.json', compilerOptions: { noEmit: true }, files: [`${name}.ts`] }));
      const output = await runOk(bin('tsc'), ['-p', `tsconfig.${name}.json`, '--extendedDiagnostics'], dir);
      instantiations[name] = Number(/^Instantiations:\s+(\d+)/m.exec(output)?.[1]);
    }
    expect(instantiations['plain']).toBeGreaterThan(0);
    expect((instantiations['imported'] ?? Number.NaN) - (instantiations['plain'] ?? Number.NaN)).toBeLessThanOrEqual(50_000);
  });

  it("stops in the thread at a breakpoint set in the closure's lines and at its debugger statement, as README's Debugging threads says", async () => {
    // A debugger's part, over Node's inspector protocol: set a breakpoint by
    // the file's URL in every worker as it starts, and note where each pauses.
    const program = [
      "import { Session } from 'node:inspector';",
      "import { move, spawn } from '@sendsync/runtime';",
      '',
      'const session = new Session();',
      'session.connect();',
      'const post = (method, params = {}) => new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));',
      'let id = 0;',
      "const toWorker = (sessionId, method, params = {}) => post('NodeWorker.sendMessageToWorker', { sessionId, message: JSON.stringify({ id: ++id, method, params }) });",
      // Every worker waits for its debugger at start (the runtime's own included): a debugger lets each run before it disconnects.
      'const attached = [];',
      "session.on('NodeWorker.attachedToWorker', ({ params: { sessionId } }) => {",
      "  attached.push(toWorker(sessionId, 'Debugger.enable')",
      "    .then(() => toWorker(sessionId, 'Debugger.setBreakpointByUrl', { urlRegex: 'debug\\\\.mjs$', lineNumber: BREAKPOINT - 1 }))",
      "    .then(() => toWorker(sessionId, 'Runtime.runIfWaitingForDebugger')));",
      '});',
      'const pauses = [];',
      "session.on('NodeWorker.receivedMessageFromWorker', ({ params: { sessionId, message } }) => {",
      '  const { method, params } = JSON.parse(message);',
      "  if (method !== 'Debugger.paused') return;",
      "  if (params.reason !== 'Break on start') pauses.push({ line: params.callFrames[0].location.lineNumber + 1, breakpoint: params.hitBreakpoints.length > 0 });",
      "  void toWorker(sessionId, 'Debugger.resume');",
      '});',
      "await post('NodeWorker.enable', { waitForDebuggerOnStart: true });",
      '',
      'const answer = await spawn(move(20), (n) => {',
      '  const doubled = n * 2; // the breakpoint',
      '  debugger;',
      '  return doubled + 2;',
      '}).joinAsync();',
      'await Promise.all(attached);',
      'session.disconnect();',
      'console.log(JSON.stringify({ answer, pauses }));',
    ];
    const lineOf = (text: string): number => program.findIndex((line) => line.includes(text)) + 1;
    writeFileSync(path.join(app, 'debug.mjs'), program.join('\n').replace('BREAKPOINT', String(lineOf('// the breakpoint'))) + '\n');
    expect(JSON.parse(await runOk(process.execPath, ['debug.mjs'], app))).toEqual({
      answer: 42,
      pauses: [
        { line: lineOf('// the breakpoint'), breakpoint: true },
        { line: lineOf('debugger;'), breakpoint: false },
      ],
    });
  });

  it('in a "type": "commonjs" project, with eslint.config.mjs and .mts sources as the README says, checks, lints and runs', async () => {
    const dir = path.join(temp, 'my-commonjs-app');
    mkdirSync(dir);
    symlinkSync(path.join(app, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'my-commonjs-app', private: true, type: 'commonjs' }) + '\n');
    const quickStart = sectionBlocks('Quick start in your project');
    writeFileSync(path.join(dir, 'tsconfig.json'), blockWith(quickStart, 'json', '"compilerOptions"'));
    writeFileSync(path.join(dir, 'eslint.config.mjs'), blockWith(quickStart, 'js', '@sendsync/eslint-plugin'));
    writeFileSync(path.join(dir, 'main.mts'), blockWith(quickStart, 'ts', 'scope('));
    expect(await runOk(bin('tsx'), ['main.mts'], dir)).toBe('length: 3\n');
    writeFileSync(path.join(dir, 'bad.mts'), introExample());
    expect((await run(bin('tsc'), ['--noEmit'], dir)).output).toMatch(/^bad\.mts\(5,12\): error TS2345: .*cannot be sent between threads safely \(at captures\[0\]\)/);
    const eslint = await run(bin('eslint'), ['--format', 'json', '.'], dir);
    const findings = (JSON.parse(eslint.output) as { filePath: string; messages: { ruleId: string; line: number }[] }[])
      .flatMap((result) => result.messages.map((message) => `${path.basename(result.filePath)}:${message.line} ${message.ruleId}`));
    expect(findings).toEqual(['bad.mts:5 sendsync/no-non-send-capture']);
  });

  // Last: it adds the mistake to the project, so the project no longer checks clean.
  it("rejects the README's first example with E0277's words, in tsc 6 and 7 and in ESLint, and nothing else", async () => {
    writeFileSync(path.join(app, 'bad.ts'), introExample());
    // With errors and --noEmit, TypeScript 6 exits 2 and TypeScript 7 exits 1.
    for (const [tsc, code] of [[bin('tsc'), 2], [tsc7, 1]] as const) {
      const checked = await run(tsc, ['--noEmit'], app);
      expect(checked.code, tsc).toBe(code);
      expect(checked.output.trim().split('\n'), tsc).toEqual([
        "bad.ts(5,12): error TS2345: Argument of type 'Rc<number[]>' is not assignable to parameter of type '\"`Rc<number[]>` cannot be sent between threads safely (at captures[0])\"'.",
      ]);
    }
    const eslint = await run(bin('eslint'), ['--format', 'json', '.'], app);
    expect(eslint.code).toBe(1);
    const findings = (JSON.parse(eslint.output) as { filePath: string; messages: { ruleId: string; line: number; message: string }[] }[])
      .flatMap((result) => result.messages.map((message) => `${path.basename(result.filePath)}:${message.line} ${message.ruleId}: ${message.message}`));
    expect(findings).toEqual([
      'bad.ts:5 sendsync/no-non-send-capture: `Rc<number[]>` cannot be sent between threads safely (at numbers): the trait `Send` is not implemented for `Rc<number[]>`; required because `numbers` is moved into the closure passed to `spawn`',
    ]);
  });
});
