/**
 * Why a thread cannot have a closure's names: the message of the `TypeError`
 * that refuses them, told by the spawner (closure-site.ts) or, where the
 * spawner cannot read the spawning module (a browser), by the thread that
 * reads it (closure.ts), in the same words.
 */

/**
 * The refusal of `names`, which the closure uses but are neither imported,
 * nor globals, nor the runtime's: the spawning module's own (declared at the
 * top of `source`, its text, when known), or locals around the closure.
 */
export function namesRefusal(names: readonly string[], moduleUrl: string | undefined, source: string | undefined): TypeError {
  const name = names[0];
  const file = moduleUrl?.startsWith('file:') === true ? baseName(moduleUrl) : (moduleUrl ?? 'the spawning module');
  const where =
    source !== undefined && declaredAtTopLevel(source, name)
      ? `declared in ${file} itself`
      : `declared around the closure (in ${file} or a function enclosing it)`;
  const list = names.map((each) => `\`${each}\``).join(', ');
  return new TypeError(
    `spawn: the closure uses ${list}, ${where}, which a thread cannot see: move ${names.length > 1 ? 'them' : 'it'} to ` +
      'its own module and import it there, or move(...) it in if it is Send data',
  );
}

/** Whether `source` declares `name` at its top level (a line that starts with the declaration). */
function declaredAtTopLevel(source: string, name: string): boolean {
  const escaped = name.replace(/\$/g, '\\$');
  return new RegExp(
    `^(?:export\\s+(?:default\\s+)?)?(?:declare\\s+)?(?:async\\s+)?(?:function\\s*\\*?|class|const|let|var|enum|namespace)\\s+${escaped}(?![\\w$])`,
    'm',
  ).test(source);
}

/** The last part of a URL's path: the file's name. */
function baseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.split('/').pop()!);
}
