import { describe, expect, it } from 'vitest';
import { scanCodecModules, type Resolved } from '../dist/codec-scan.js';

/*
 * The codec scan reads the graph from a build's entries before the bundler
 * does: an HTML entry (Vite's) imports what its module scripts import.
 */

describe('scanCodecModules from an HTML entry', () => {
  const files = new Map([
    [
      '/app/index.html',
      `<!doctype html>
<script src="./classic.js"></script>
<script type="module" src="/src/main.js"></script>
<script type=module>
  import { Rc } from '@sendsync/runtime/rc';
</script>`,
    ],
    ['/app/src/main.js', "import { Mutex } from '@sendsync/runtime/sync';\n"],
    ['/app/classic.js', "import { channel } from '@sendsync/runtime/sync/mpsc';\n"],
  ]);
  const read = (file: string): string => {
    const text = files.get(file);
    if (text === undefined) throw new Error(`no file ${file}`);
    return text;
  };

  it('reads each module script, by its src (resolved as the bundler resolves it) or inline, and not a classic script', async () => {
    const resolved: string[] = [];
    const resolve = (specifier: string): Promise<Resolved> => {
      resolved.push(specifier);
      return Promise.resolve(specifier === '/src/main.js' ? { file: '/app/src/main.js' } : undefined);
    };
    const found = await scanCodecModules(['/app/index.html'], resolve, read);
    expect(resolved).toEqual(['/src/main.js']);
    expect([...(found ?? [])].sort()).toEqual(['@sendsync/runtime/rc', '@sendsync/runtime/sync']);
  });

  it('gives up (every codec module) on a page it cannot read', async () => {
    expect(await scanCodecModules(['/app/missing.html'], () => Promise.resolve(undefined), read)).toBeUndefined();
  });
});
