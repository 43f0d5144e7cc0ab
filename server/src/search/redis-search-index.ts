import { createHash } from 'node:crypto';
import { defineScript, type CommandParser } from 'redis';
import { parseProposalDocName } from '@passerelle/shared';
import { StoreConnection, storeKeyBase, type RedisStoreOptions } from '../store/redis-connection.js';
import type { IndexEntry } from './extract.js';
import type { IndexedHit, SearchIndex, SearchScope } from './search-index.js';
import { excerptOf, matchRanges, wordsOf } from './text.js';

/**
 * The search index in Redis, shared by every process (stock redis-server, no module): an inverted
 * index kept by Lua scripts, so that two processes indexing at once never leave it half-written.
 * Keys, under `<prefix>{search}:` (one hash tag: the scripts' keys share a slot):
 * - `entries`: hash `<doc>|<entryKey>` → the entry as JSON (what it is, its title and text);
 * - `doc:<doc>`: hash entry key → the entry's distinct folded words (JSON), to take it out again;
 * - `digests:<doc>`: hash entry key → digest of the entry, so an unchanged entry is not sent again;
 * - `word:<word>`: set of the entry ids holding the word;
 * - `words`: sorted set of every word (score 0), read by lexical range for prefixes;
 * - `board:<boardId>`: set of the board's indexed documents, to forget them with the board;
 * - `built`: the version the index was built from every stored document at; `rebuild`: who builds it now.
 * Ranking is bm25's formula over these postings, computed here: a title word weighs `TITLE_WEIGHT`.
 */
const REPLACE = defineScript({
  NUMBER_OF_KEYS: 0,
  SCRIPT: `
    local base, doc, boardId = ARGV[1], ARGV[2], ARGV[3]
    local docKey, digests, entries, words = base .. 'doc:' .. doc, base .. 'digests:' .. doc, base .. 'entries', base .. 'words'
    local function drop(key)
      local id = doc .. '|' .. key
      local held = redis.call('HGET', docKey, key)
      if held then
        for _, word in ipairs(cjson.decode(held)) do
          local set = base .. 'word:' .. word
          redis.call('SREM', set, id)
          if redis.call('SCARD', set) == 0 then redis.call('ZREM', words, word) end
        end
      end
      redis.call('HDEL', docKey, key)
      redis.call('HDEL', digests, key)
      redis.call('HDEL', entries, id)
    end
    local keepCount = tonumber(ARGV[4])
    local keep = {}
    for i = 5, 4 + keepCount do keep[ARGV[i]] = true end
    for _, key in ipairs(redis.call('HKEYS', docKey)) do
      if not keep[key] then drop(key) end
    end
    local i = 5 + keepCount
    while i <= #ARGV do
      local key, digest, entry, held = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
      if redis.call('HGET', digests, key) ~= digest then
        drop(key)
        local id = doc .. '|' .. key
        redis.call('HSET', entries, id, entry)
        redis.call('HSET', docKey, key, held)
        redis.call('HSET', digests, key, digest)
        for _, word in ipairs(cjson.decode(held)) do
          redis.call('SADD', base .. 'word:' .. word, id)
          redis.call('ZADD', words, 0, word)
        end
      end
      i = i + 4
    end
    if boardId ~= '' then
      if redis.call('HLEN', docKey) > 0 then redis.call('SADD', base .. 'board:' .. boardId, doc)
      else redis.call('SREM', base .. 'board:' .. boardId, doc) end
    end
    return 1`,
  parseCommand(parser: CommandParser, args: string[]) {
    parser.push(...args);
  },
  transformReply: undefined as unknown as () => number,
});

/** Forgets every entry of a board's documents: args: key base, board id. */
const REMOVE_BOARD = defineScript({
  NUMBER_OF_KEYS: 0,
  SCRIPT: `
    local base, boardId = ARGV[1], ARGV[2]
    local boardKey = base .. 'board:' .. boardId
    for _, doc in ipairs(redis.call('SMEMBERS', boardKey)) do
      local docKey = base .. 'doc:' .. doc
      for _, key in ipairs(redis.call('HKEYS', docKey)) do
        local id = doc .. '|' .. key
        for _, word in ipairs(cjson.decode(redis.call('HGET', docKey, key))) do
          local set = base .. 'word:' .. word
          redis.call('SREM', set, id)
          if redis.call('SCARD', set) == 0 then redis.call('ZREM', base .. 'words', word) end
        end
        redis.call('HDEL', base .. 'entries', id)
      end
      redis.call('DEL', docKey, base .. 'digests:' .. doc)
    end
    redis.call('DEL', boardKey)
    return 1`,
  parseCommand(parser: CommandParser, base: string, boardId: string) {
    parser.push(base, boardId);
  },
  transformReply: undefined as unknown as () => number,
});

const SCRIPTS = { REPLACE, REMOVE_BOARD };

/** Words a query word may stand for as a prefix, at most: "d" alone would otherwise read every word. */
const MAX_EXPANSIONS = 200;
const TITLE_WEIGHT = 5;
/** bm25's constants, as SQLite's FTS5 uses them. */
const K1 = 1.2;
const B = 0.75;
/** The text length (in words) bm25 compares each text with: about a card's description. */
const AVERAGE_WORDS = 40;
/** How long one process holds the right to rebuild the index before another may take it over. */
const REBUILD_CLAIM_SECONDS = 600;

type StoredEntry = IndexEntry & { doc: string };

const digestOf = (entry: IndexEntry) =>
  createHash('sha1').update(JSON.stringify([entry.boardId, entry.cardId, entry.itemId, entry.kind, entry.audience, entry.title, entry.body])).digest('base64');

/** Who may see what a document holds, from its name: the same rule as `SearchScope` and the sqlite index's query. */
function visibleIn(doc: string, scope: SearchScope): boolean {
  if (doc === 'workspace') return scope.workspace;
  const boardId = doc.split('/')[0];
  const internal = doc.endsWith('/internal') || (parseProposalDocName(doc)?.internal ?? false);
  return internal ? scope.internalBoards.has(boardId) : scope.sharedBoards.has(boardId);
}

const intersect = (a: ReadonlySet<string>, b: ReadonlySet<string>) => new Set([...a].filter((id) => b.has(id)));

/** How many words of `text` start with `word`, and how many words it has. */
function countMatches(text: string, word: string): { matches: number; length: number } {
  let matches = 0;
  let length = 0;
  for (const found of wordsOf(text)) {
    length++;
    if (found.word.startsWith(word)) matches++;
  }
  return { matches, length };
}

/** The `SearchIndex` for several processes on one Redis. */
export class RedisSearchIndex implements SearchIndex {
  readonly #redis: StoreConnection<typeof SCRIPTS>;
  readonly #base: string;

  constructor(options: RedisStoreOptions) {
    this.#base = storeKeyBase(options, 'search');
    this.#redis = new StoreConnection(options, SCRIPTS);
  }

  /** Opens the index and resolves once Redis answered. */
  static async connect(options: RedisStoreOptions): Promise<RedisSearchIndex> {
    const index = new RedisSearchIndex(options);
    return index.#redis.ready(index);
  }

  async replaceDocument(docName: string, entries: readonly IndexEntry[]): Promise<void> {
    await this.#redis.connected;
    const client = this.#redis.client;
    const known = await client.hGetAll(`${this.#base}digests:${docName}`);
    const boardId = docName === 'workspace' ? '' : docName.split('/')[0];
    const args = [this.#base, docName, boardId, String(entries.length), ...entries.map((entry) => entry.key)];
    for (const entry of entries) {
      const digest = digestOf(entry);
      if (known[entry.key] === digest) continue;
      const words = new Set<string>();
      for (const found of wordsOf(`${entry.title}\n${entry.body}`)) if (found.word) words.add(found.word);
      const stored: StoredEntry = { ...entry, doc: docName };
      args.push(entry.key, digest, JSON.stringify(stored), JSON.stringify([...words]));
    }
    await client.REPLACE(args);
  }

  async removeBoard(boardId: string): Promise<void> {
    await this.#redis.connected;
    await this.#redis.client.REMOVE_BOARD(this.#base, boardId);
  }

  async search(words: readonly string[], scope: SearchScope, limit: number): Promise<IndexedHit[]> {
    if (words.length === 0) return [];
    await this.#redis.connected;
    const client = this.#redis.client;
    // Each query word: the entries holding a word that starts with it.
    let candidates: Set<string> | undefined;
    const documentFrequency = new Map<string, number>();
    for (const word of words) {
      const expansions = (await client.sendCommand([
        'ZRANGE', `${this.#base}words`, `[${word}`, Buffer.concat([Buffer.from(`[${word}`), Buffer.from([0xff])]), 'BYLEX', 'LIMIT', '0', String(MAX_EXPANSIONS),
      ])) as string[];
      const holding = new Set<string>(expansions.length === 0 ? [] : await client.sUnion(expansions.map((expansion) => `${this.#base}word:${expansion}`)));
      documentFrequency.set(word, holding.size);
      candidates = candidates === undefined ? holding : intersect(candidates, holding);
      if (candidates.size === 0) return [];
    }
    // Who may see an entry is read from its document's name, before anything is fetched.
    const ids = [...(candidates ?? [])].filter((id) => visibleIn(id.slice(0, id.indexOf('|')), scope));
    if (ids.length === 0) return [];
    const total = Math.max(1, await client.hLen(`${this.#base}entries`));
    const stored = await client.hmGet(`${this.#base}entries`, ids);
    const scored: { entry: StoredEntry; score: number }[] = [];
    for (const json of stored) {
      if (!json) continue;
      const entry = JSON.parse(json) as StoredEntry;
      let score = 0;
      for (const word of words) {
        const idf = Math.log(1 + (total - (documentFrequency.get(word) ?? 0) + 0.5) / ((documentFrequency.get(word) ?? 0) + 0.5));
        const title = countMatches(entry.title, word);
        const body = countMatches(entry.body, word);
        const weigh = ({ matches, length }: { matches: number; length: number }) => (matches * (K1 + 1)) / (matches + K1 * (1 - B + (B * length) / AVERAGE_WORDS));
        score += idf * (TITLE_WEIGHT * weigh(title) + weigh(body));
      }
      scored.push({ entry, score });
    }
    scored.sort((a, b) => b.score - a.score);
    // An entry of a card is shown under the card's title, and not at all once the card is gone.
    const hits: IndexedHit[] = [];
    for (let start = 0; start < scored.length && hits.length < limit; start += limit) {
      const page = scored.slice(start, start + limit);
      const cardIds = page.map(({ entry }) => (entry.cardId === null ? null : `${entry.boardId}|card:${entry.cardId}`));
      const wanted = cardIds.filter((id): id is string => id !== null);
      const cards = wanted.length === 0 ? [] : await client.hmGet(`${this.#base}entries`, wanted);
      const cardTitles = new Map(wanted.map((id, index) => [id, cards[index] ? (JSON.parse(cards[index]) as StoredEntry).title : null]));
      page.forEach(({ entry }, index) => {
        const cardId = cardIds[index];
        const cardTitle = cardId === null ? null : (cardTitles.get(cardId) ?? null);
        if (cardId !== null && cardTitle === null) return;
        if (hits.length >= limit) return;
        const bodyMarks = matchRanges(entry.body, words);
        const { title, body, doc: _doc, ...rest } = entry;
        hits.push({ entry: rest, title: { text: title, marks: matchRanges(title, words) }, excerpt: excerptOf(body, bodyMarks), cardTitle });
      });
    }
    return hits;
  }

  async isBuilt(version: number): Promise<boolean> {
    await this.#redis.connected;
    return (await this.#redis.client.get(`${this.#base}built`)) === String(version);
  }

  async markBuilt(version: number): Promise<void> {
    await this.#redis.connected;
    await this.#redis.client.set(`${this.#base}built`, String(version));
  }

  async claimRebuild(): Promise<boolean> {
    await this.#redis.connected;
    const claimed = await this.#redis.client.set(`${this.#base}rebuild`, '1', { condition: 'NX', expiration: { type: 'EX', value: REBUILD_CLAIM_SECONDS } });
    return claimed === 'OK';
  }

  /** Resolves when Redis answers now (readiness). */
  ping(): Promise<void> {
    return this.#redis.ping();
  }

  async close(): Promise<void> {
    await this.#redis.close();
  }
}
