/**
 * Headless clients for the language servers VS Code runs: TypeScript's
 * `tsserver` (its own stdio protocol) and any LSP server (JSON-RPC 2.0 over
 * stdio: `tsc --lsp --stdio` of TypeScript 7, `vscode-eslint-language-server`).
 *
 * Both speak `Content-Length`-framed JSON on stdout; the client writes framed
 * JSON-RPC to an LSP server, and one JSON object per line to `tsserver`. Every
 * wait is bounded; every server runs in its own process group, so `stop()`
 * ends it and any child it started (TypeScript 7's `tsc` on Node 20 runs the
 * native compiler as a child of a Node wrapper).
 */

import { spawn as spawnProcess, type ChildProcessByStdio } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import type { Readable, Writable } from 'node:stream';

/** Raised when a server does not answer in time; names what was awaited. */
export class ServerTimeoutError extends Error {
  override name = 'ServerTimeoutError';
  constructor(what: string, server: ServerProcess) {
    super(`timed out waiting for ${what}\n--- ${server.label} stderr (tail) ---\n${server.stderrTail()}`);
  }
}

/** Raised when a server exits while requests are pending. */
export class ServerExitedError extends Error {
  override name = 'ServerExitedError';
  constructor(server: ServerProcess, code: number | null, signal: NodeJS.Signals | null) {
    super(`${server.label} exited (code ${code}, signal ${signal})\n${server.stderrTail()}`);
  }
}

/** A file URI, as LSP clients send it. */
export function fileUri(path: string): string {
  return pathToFileURL(path).href;
}

/**
 * Splits a byte stream of `Content-Length: N\r\n\r\n<N bytes of JSON>` frames
 * into parsed messages. `tsserver` counts a trailing newline in N; LSP does not;
 * `JSON.parse` accepts both.
 */
class FrameReader {
  private buffer: Buffer = Buffer.alloc(0);

  constructor(private readonly onMessage: (message: unknown) => void) {}

  push(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const header = this.buffer.subarray(0, headerEnd).toString('ascii');
      const match = /Content-Length: *(\d+)/i.exec(header);
      if (match === null) throw new Error(`bad frame header: ${header}`);
      const start = headerEnd + 4;
      const end = start + Number(match[1]);
      if (this.buffer.length < end) return;
      const body = this.buffer.subarray(start, end).toString('utf8');
      this.buffer = this.buffer.subarray(end);
      this.onMessage(JSON.parse(body));
    }
  }
}

/**
 * Process groups of servers still running. A server has its own group (so
 * that its children can be ended with it), which also means it would outlive
 * a test process that dies abruptly: this process ends them on its way out.
 */
const liveGroups = new Set<number>();
process.once('exit', () => {
  for (const pid of liveGroups) signalGroup(pid, 'SIGKILL');
});

/** A server child process with its own process group, stderr kept for failure reports. */
class ServerProcess {
  readonly child: ChildProcessByStdio<Writable, Readable, Readable>;
  readonly exited: Promise<void>;
  private stderr = '';
  private exitListeners: ((error: Error) => void)[] = [];

  constructor(
    readonly label: string,
    args: readonly string[],
    cwd: string,
    onMessage: (message: unknown) => void,
  ) {
    this.child = spawnProcess(process.execPath, args, {
      cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true, // its own process group: stop() ends its children too
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    const pid = this.child.pid;
    if (pid !== undefined) liveGroups.add(pid);
    const reader = new FrameReader(onMessage);
    this.child.stdout.on('data', (chunk: Buffer) => reader.push(chunk));
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-8000);
    });
    this.child.stdin.on('error', () => {}); // a dead server's closed pipe is reported by 'exit'
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        const error = new ServerExitedError(this, code, signal);
        for (const listener of this.exitListeners) listener(error);
        this.exitListeners = [];
        resolve();
      });
    });
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  onExit(listener: (error: Error) => void): void {
    this.exitListeners.push(listener);
  }

  stderrTail(): string {
    return this.stderr.slice(-2000);
  }

  write(text: string): void {
    this.child.stdin.write(text);
  }

  /** Ends the process group: SIGTERM, then SIGKILL if it lingers past `graceMs`. */
  async kill(graceMs = 2000): Promise<void> {
    const pid = this.child.pid;
    if (this.running) {
      signalGroup(pid, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), graceMs);
      await this.exited;
      clearTimeout(timer);
    }
    signalGroup(pid, 'SIGKILL'); // children that outlived their parent
    if (pid !== undefined) liveGroups.delete(pid);
  }
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is already gone
  }
}

/** Resolves `promise`, or rejects with a `ServerTimeoutError` after `ms`. */
function within<Value>(promise: Promise<Value>, ms: number, what: string, server: ServerProcess): Promise<Value> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ServerTimeoutError(what, server)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

interface Waiter {
  matches(message: Record<string, unknown>): boolean;
  resolve(message: Record<string, unknown>): void;
}

/** Keeps every message received, and lets a test wait for the first (past or future) one that matches. */
class Inbox {
  readonly log: Record<string, unknown>[] = [];
  private waiters: Waiter[] = [];

  deliver(message: Record<string, unknown>): void {
    this.log.push(message);
    this.waiters = this.waiters.filter((waiter) => {
      if (!waiter.matches(message)) return true;
      waiter.resolve(message);
      return false;
    });
  }

  /** The first message from index `since` on that matches. */
  next(matches: (message: Record<string, unknown>) => boolean, since: number): Promise<Record<string, unknown>> {
    const seen = this.log.slice(since).find(matches);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ matches, resolve }));
  }
}

// ---------------------------------------------------------------------------
// LSP

/** A JSON-RPC error answered by an LSP server. */
export class LspResponseError extends Error {
  override name = 'LspResponseError';
  constructor(
    method: string,
    readonly code: number,
    detail: string,
  ) {
    super(`${method} failed (${code}): ${detail}`);
  }
}

/** An LSP position: zero-based line and UTF-16 character. */
export interface Position {
  line: number;
  character: number;
}

/** An LSP range. */
export interface Range {
  start: Position;
  end: Position;
}

/** The parts of an LSP `Diagnostic` the tests read. */
export interface LspDiagnostic {
  range: Range;
  message: string;
  severity?: number;
  code?: number | string;
  source?: string;
  data?: unknown;
}

/** An LSP text edit. */
export interface TextEdit {
  range: Range;
  newText: string;
}

/** Applies LSP text edits (non-overlapping, as LSP requires) to `text`, as an editor does. */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const lineStarts = [0];
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lineStarts.push(at + 1);
  const offset = (position: Position): number => (lineStarts[position.line] ?? text.length) + position.character;
  const ordered = edits
    .map((edit) => ({ start: offset(edit.range.start), end: offset(edit.range.end), newText: edit.newText }))
    .sort((a, b) => b.start - a.start);
  let result = text;
  for (const edit of ordered) result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  return result;
}

/** Answers a request the server sends to the client (`workspace/configuration`, ...). */
export type RequestHandler = (params: unknown) => unknown;

/** Options for `LspClient.start`. */
export interface LspStartOptions {
  /** A name for failure messages. */
  label: string;
  /** Node arguments: the server script and its flags. */
  args: readonly string[];
  /** The workspace folder: the server's cwd and root. */
  root: string;
  /** `initializationOptions` of the `initialize` request. */
  initializationOptions?: unknown;
  /** Answers to server-to-client requests, by method; unknown methods get `null`. */
  handlers?: Record<string, RequestHandler>;
  /** Bound on each request, in ms. */
  timeoutMs?: number;
}

/**
 * An LSP client over a server's stdio, with the capabilities VS Code
 * announces for diagnostics and code actions. It answers `workspace/configuration`,
 * `client/registerCapability`, `window/workDoneProgress/create` and any method
 * given in `handlers`; it keeps every notification for `waitFor`.
 */
export class LspClient {
  readonly notifications = new Inbox();
  private readonly server: ServerProcess;
  private readonly pending = new Map<number, Pending & { method: string }>();
  private readonly handlers: Record<string, RequestHandler>;
  private readonly timeoutMs: number;
  private nextId = 1;
  /** Methods of requests the server sent to us, in order (for assertions and debugging). */
  readonly serverRequests: string[] = [];

  private constructor(private readonly options: LspStartOptions) {
    this.handlers = options.handlers ?? {};
    this.timeoutMs = options.timeoutMs ?? 45_000;
    this.server = new ServerProcess(options.label, options.args, options.root, (message) =>
      this.receive(message as Record<string, unknown>),
    );
    this.server.onExit((error) => {
      for (const pending of this.pending.values()) pending.reject(error);
      this.pending.clear();
    });
  }

  /** Starts the server and completes the `initialize` / `initialized` handshake. */
  static async start(options: LspStartOptions): Promise<LspClient> {
    const client = new LspClient(options);
    try {
      await client.initialize(options);
    } catch (error) {
      await client.stop(); // nothing else holds the server yet: do not leave it running
      throw error;
    }
    return client;
  }

  private async initialize(options: LspStartOptions): Promise<void> {
    const rootUri = fileUri(options.root);
    await this.request('initialize', {
      processId: process.pid,
      clientInfo: { name: 'sendsync-editor-tests', version: '0.1.0' },
      rootUri,
      rootPath: options.root,
      workspaceFolders: [{ uri: rootUri, name: 'fixture' }],
      initializationOptions: options.initializationOptions,
      capabilities: {
        workspace: {
          configuration: true,
          workspaceFolders: true,
          didChangeConfiguration: { dynamicRegistration: true },
          workspaceEdit: { documentChanges: true },
          applyEdit: true,
        },
        textDocument: {
          synchronization: { dynamicRegistration: true, didSave: true },
          publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, dataSupport: true },
          diagnostic: { dynamicRegistration: true, relatedDocumentSupport: false },
          codeAction: {
            dynamicRegistration: true,
            isPreferredSupport: true,
            dataSupport: true,
            resolveSupport: { properties: ['edit'] },
            codeActionLiteralSupport: {
              codeActionKind: {
                valueSet: ['', 'quickfix', 'refactor', 'source', 'source.fixAll', 'source.fixAll.eslint'],
              },
            },
          },
        },
        window: { workDoneProgress: true },
      },
    });
    this.notify('initialized', {});
  }

  /** The server's stderr, for failure messages. */
  stderrTail(): string {
    return this.server.stderrTail();
  }

  /** Sends a request and resolves with its result (bounded by the client's timeout). */
  request<Result = unknown>(method: string, params: unknown): Promise<Result> {
    const id = this.nextId++;
    const answer = new Promise<unknown>((resolve, reject) => {
      if (!this.server.running) {
        reject(new Error(`${this.options.label} is not running`));
        return;
      }
      this.pending.set(id, { resolve, reject, method });
      this.send({ jsonrpc: '2.0', id, method, params });
    });
    return within(answer, this.timeoutMs, `${method} response`, this.server).finally(() =>
      this.pending.delete(id),
    ) as Promise<Result>;
  }

  /** Sends a notification. */
  notify(method: string, params: unknown): void {
    this.send({ jsonrpc: '2.0', method, params });
  }

  /** Opens a document, as the editor does when a tab is shown. */
  didOpen(uri: string, languageId: string, version: number, text: string): void {
    this.notify('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  /** Replaces the whole text of an open document (a full-sync edit). */
  didChange(uri: string, version: number, text: string): void {
    this.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  /** Closes a document. */
  didClose(uri: string): void {
    this.notify('textDocument/didClose', { textDocument: { uri } });
  }

  /** The index of the next notification to arrive: pass it to `waitFor` to ignore older ones. */
  mark(): number {
    return this.notifications.log.length;
  }

  /** Waits (bounded) for the first notification, from `since` on, of `method` whose params satisfy `matches`. */
  waitFor<Params>(
    method: string,
    matches: (params: Params) => boolean,
    since = 0,
    timeoutMs = this.timeoutMs,
  ): Promise<Params> {
    const found = this.notifications.next(
      (message) => message['method'] === method && matches(message['params'] as Params),
      since,
    );
    return within(found, timeoutMs, method, this.server).then((message) => message['params'] as Params);
  }

  /**
   * Waits for the diagnostics of `uri` pushed by `textDocument/publishDiagnostics`
   * for document `version` (or any version when the server sends none) that satisfy `accept`.
   */
  async publishedDiagnostics(
    uri: string,
    since: number,
    accept: (diagnostics: LspDiagnostic[]) => boolean = () => true,
  ): Promise<LspDiagnostic[]> {
    const params = await this.waitFor<{ uri: string; diagnostics: LspDiagnostic[] }>(
      'textDocument/publishDiagnostics',
      (candidate) => candidate.uri === uri && accept(candidate.diagnostics),
      since,
    );
    return params.diagnostics;
  }

  /** Pulls diagnostics for a document (`textDocument/diagnostic`, LSP 3.17). */
  async pullDiagnostics(uri: string): Promise<LspDiagnostic[]> {
    const report = await this.request<{ kind: string; items?: LspDiagnostic[] }>('textDocument/diagnostic', {
      textDocument: { uri },
    });
    if (report.kind !== 'full') throw new Error(`expected a full diagnostic report, got ${report.kind}`);
    return report.items ?? [];
  }

  /** `shutdown`, `exit`, then ends the process group whatever happened. */
  async stop(): Promise<void> {
    try {
      if (this.server.running) {
        await within(this.request('shutdown', null), 5000, 'shutdown', this.server);
        this.notify('exit', null);
        await within(this.server.exited, 3000, 'exit', this.server);
      }
    } catch {
      // fall through to the kill: stop() must always end the server
    } finally {
      await this.server.kill();
    }
  }

  private send(message: unknown): void {
    const body = JSON.stringify(message);
    this.server.write(`Content-Length: ${Buffer.byteLength(body, 'utf8')}\r\n\r\n${body}`);
  }

  private receive(message: Record<string, unknown>): void {
    const id = message['id'];
    const method = message['method'];
    if (typeof method === 'string' && id !== undefined) {
      this.answer(id, method, message['params']);
    } else if (typeof method === 'string') {
      this.notifications.deliver(message);
    } else if (typeof id === 'number') {
      const pending = this.pending.get(id);
      if (pending === undefined) return;
      const error = message['error'] as { code: number; message: string } | undefined;
      if (error !== undefined) pending.reject(new LspResponseError(pending.method, error.code, error.message));
      else pending.resolve(message['result']);
    }
  }

  /** Answers a server-to-client request. */
  private answer(id: unknown, method: string, params: unknown): void {
    this.serverRequests.push(method);
    const handler = this.handlers[method];
    let result: unknown = null;
    if (handler !== undefined) {
      result = handler(params);
    } else if (method === 'workspace/configuration') {
      result = ((params as { items: unknown[] }).items ?? []).map(() => null);
    }
    this.send({ jsonrpc: '2.0', id, result: result ?? null });
  }
}

// ---------------------------------------------------------------------------
// tsserver

/** A `tsserver` protocol location: one-based line and offset. */
export interface TsLocation {
  line: number;
  offset: number;
}

/** The parts of a `tsserver` diagnostic the tests read. */
export interface TsDiagnostic {
  start: TsLocation;
  end: TsLocation;
  text: string;
  code: number;
  category: string;
}

/** Raised when `tsserver` answers a request with `success: false`. */
export class TsServerResponseError extends Error {
  override name = 'TsServerResponseError';
  constructor(command: string, detail: string) {
    super(`${command} failed: ${detail}`);
  }
}

/** Options for `TsServerClient.start`. */
export interface TsServerStartOptions {
  /** The path of `typescript/lib/tsserver.js`. */
  tsserver: string;
  /** The project folder: the server's cwd. */
  root: string;
  /** Bound on each request, in ms. */
  timeoutMs?: number;
}

/**
 * A client of `tsserver`'s own protocol, as VS Code's TypeScript extension
 * speaks it: one JSON request per line on stdin; framed responses and events on
 * stdout. Automatic type acquisition is off, so no typings installer starts.
 */
export class TsServerClient {
  readonly events = new Inbox();
  private readonly server: ServerProcess;
  private readonly pending = new Map<number, Pending & { command: string }>();
  private readonly timeoutMs: number;
  private seq = 1;

  private constructor(options: TsServerStartOptions) {
    this.timeoutMs = options.timeoutMs ?? 45_000;
    this.server = new ServerProcess(
      'tsserver',
      [options.tsserver, '--disableAutomaticTypingAcquisition', '--locale', 'en'],
      options.root,
      (message) => this.receive(message as Record<string, unknown>),
    );
    this.server.onExit((error) => {
      for (const pending of this.pending.values()) pending.reject(error);
      this.pending.clear();
    });
  }

  /** Starts `tsserver` and configures it as VS Code does for a workspace. */
  static async start(options: TsServerStartOptions): Promise<TsServerClient> {
    const client = new TsServerClient(options);
    try {
      await client.request('configure', {
        hostInfo: 'sendsync-editor-tests',
        preferences: { includeCompletionsForModuleExports: true },
      });
    } catch (error) {
      await client.stop(); // nothing else holds the server yet: do not leave it running
      throw error;
    }
    return client;
  }

  /** The server's stderr, for failure messages. */
  stderrTail(): string {
    return this.server.stderrTail();
  }

  /** Sends a request and resolves with its `body` (bounded by the client's timeout). */
  request<Body = unknown>(command: string, args: unknown): Promise<Body> {
    const seq = this.seq++;
    const answer = new Promise<unknown>((resolve, reject) => {
      if (!this.server.running) {
        reject(new Error('tsserver is not running'));
        return;
      }
      this.pending.set(seq, { resolve, reject, command });
      this.server.write(`${JSON.stringify({ seq, type: 'request', command, arguments: args })}\n`);
    });
    return within(answer, this.timeoutMs, `${command} response`, this.server).finally(() =>
      this.pending.delete(seq),
    ) as Promise<Body>;
  }

  /** Opens a file with the given text (what the editor shows, which may differ from disk). */
  open(file: string, fileContent: string, projectRootPath: string): Promise<unknown> {
    return this.request('open', { file, fileContent, projectRootPath, scriptKindName: 'TS' });
  }

  /** Replaces the whole text of an open file, as an editor's edit does. */
  replaceText(file: string, oldText: string, newText: string): Promise<unknown> {
    const end = endLocation(oldText);
    return this.request('updateOpen', {
      changedFiles: [{ fileName: file, textChanges: [{ start: { line: 1, offset: 1 }, end, newText }] }],
    });
  }

  /** The semantic (type-checking) diagnostics of an open file, asked for synchronously. */
  semanticDiagnostics(file: string): Promise<TsDiagnostic[]> {
    return this.request<TsDiagnostic[]>('semanticDiagnosticsSync', { file, includeLinePosition: false });
  }

  /**
   * The semantic diagnostics of an open file the way VS Code gets them: a
   * `geterr` request, then the `semanticDiag` event the server pushes for the
   * file (before its `requestCompleted`).
   */
  async geterrSemantic(file: string): Promise<TsDiagnostic[]> {
    const seq = this.seq++;
    const since = this.events.log.length;
    this.server.write(`${JSON.stringify({ seq, type: 'request', command: 'geterr', arguments: { files: [file], delay: 0 } })}\n`);
    const event = await within(
      this.events.next((message) => {
        const body = message['body'] as { file?: string; request_seq?: number } | undefined;
        return (
          (message['event'] === 'semanticDiag' && body?.file === file) ||
          (message['event'] === 'requestCompleted' && body?.request_seq === seq)
        );
      }, since),
      this.timeoutMs,
      'semanticDiag event',
      this.server,
    );
    if (event['event'] !== 'semanticDiag') throw new Error(`geterr completed without a semanticDiag event for ${file}`);
    return (event['body'] as { diagnostics: TsDiagnostic[] }).diagnostics;
  }

  /** Ends the server: `exit`, then the process group whatever happened. */
  async stop(): Promise<void> {
    try {
      if (this.server.running) {
        this.server.write(`${JSON.stringify({ seq: this.seq++, type: 'request', command: 'exit' })}\n`);
        await within(this.server.exited, 3000, 'exit', this.server);
      }
    } catch {
      // fall through to the kill
    } finally {
      await this.server.kill();
    }
  }

  private receive(message: Record<string, unknown>): void {
    if (message['type'] === 'event') {
      this.events.deliver(message);
      return;
    }
    if (message['type'] !== 'response') return;
    const seq = message['request_seq'];
    if (typeof seq !== 'number') return;
    const pending = this.pending.get(seq);
    if (pending === undefined) return;
    if (message['success'] === true) pending.resolve(message['body']);
    else pending.reject(new TsServerResponseError(pending.command, String(message['message'])));
  }
}

/** The one-based location just past the end of `text`. */
function endLocation(text: string): TsLocation {
  const lines = text.split('\n');
  return { line: lines.length, offset: (lines.at(-1) ?? '').length + 1 };
}
