/**
 * The sync core knows no document kind: the room and its parts take from the shared package only the
 * wire protocol (close codes), the transaction origins and the presence colours, and import nothing
 * of the server's document kinds. Kinds reach the room as hooks (`server/src/sync/hooks.ts`).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const SYNC = new URL('../../server/src/sync/', import.meta.url);
/** The endpoint admits connections by the kinds' access rules and builds rooms from their hooks; everything else in the folder is the core. */
const ENDPOINT = new Set(['sync-server.ts', 'live-connections.ts', 'room-registry.ts']);
const CORE = readdirSync(SYNC).filter((file) => file.endsWith('.ts') && !ENDPOINT.has(file));

/** The names a module exports, read from its source. */
function exportsOf(path: string): Set<string> {
  const source = readFileSync(new URL(path, import.meta.url), 'utf8');
  return new Set([...source.matchAll(/export (?:const|function|class|type|interface) (\w+)/g)].map((match) => match[1]));
}

const ALLOWED = new Set([
  ...exportsOf('../../shared/src/protocol.ts'),
  ...exportsOf('../../shared/src/documents/origins.ts'),
  ...exportsOf('../../shared/src/presence.ts'),
]);

describe('the sync core', () => {
  it('has its modules', () => {
    expect(CORE).toEqual(expect.arrayContaining(['room.ts', 'protocol.ts', 'connection.ts', 'document-log.ts', 'pacer.ts', 'hooks.ts']));
  });

  it.each(CORE)('%s takes from the shared package only the protocol, the origins and presence', (file) => {
    const source = readFileSync(new URL(file, SYNC), 'utf8');
    expect(source).not.toMatch(/shared\/src\/(board|domain|workspace|documents\/(board|internal|workspace))/);
    expect(source).not.toMatch(/from '\.\.\/documents\//);
    for (const [, names] of source.matchAll(/import (?:type )?\{([^}]*)\} from '@passerelle\/shared'/g)) {
      for (const name of names.split(',').map((part) => part.trim().replace(/^type /, '')).filter(Boolean)) {
        expect(ALLOWED, `${file} imports ${name}`).toContain(name);
      }
    }
  });
});
