/**
 * A small, namespace-free view of an XML document (local names, attributes, children, text), read
 * with fast-xml-parser and written with xmlbuilder2. What the IIA hash rules and the IIA reader
 * walk; a document type declaration is refused, so no entity is ever expanded.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';

/** An element: its local name, its attributes by local name, its element children and its own text. */
export interface XmlNode {
  name: string;
  /** The namespace URI, for writing; unknown (null) for a node read from a file. */
  namespace?: string | null;
  attributes: Record<string, string>;
  children: XmlNode[];
  /** The concatenated text directly inside the element. */
  text: string;
}

/** Why a file could not be read as XML. */
export class XmlReadError extends Error {
  constructor(
    readonly reason: 'malformed' | 'doctype' | 'empty',
    readonly line?: number,
  ) {
    super(`XML ${reason}${line ? ` at line ${line}` : ''}`);
    this.name = 'XmlReadError';
  }
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  removeNSPrefix: true,
  // The hash rules use each value exactly as written.
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  attributeNamePrefix: '',
  processEntities: true,
  htmlEntities: false,
});

type Parsed = Record<string, unknown>;

function toNode(entry: Parsed): XmlNode | null {
  const name = Object.keys(entry).find((key) => key !== ':@');
  if (!name || name.startsWith('?') || name === '#text' || name === '#comment') return null;
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries((entry[':@'] as Record<string, unknown> | undefined) ?? {})) {
    if (key !== 'xmlns' && !key.startsWith('xmlns:')) attributes[key] = String(value);
  }
  const children: XmlNode[] = [];
  let text = '';
  for (const child of (entry[name] as Parsed[] | undefined) ?? []) {
    if ('#text' in child) text += String(child['#text']);
    else {
      const node = toNode(child);
      if (node) children.push(node);
    }
  }
  return { name, attributes, children, text };
}

/** Reads an XML document into its root element. Throws `XmlReadError`. */
export function readXml(source: string): XmlNode {
  if (source.trim() === '') throw new XmlReadError('empty');
  if (/<!DOCTYPE/i.test(source)) throw new XmlReadError('doctype');
  const valid = XMLValidator.validate(source);
  if (valid !== true) throw new XmlReadError('malformed', valid.err.line);
  const root = (parser.parse(source) as Parsed[]).map(toNode).find((node) => node !== null);
  if (!root) throw new XmlReadError('empty');
  return root;
}

/** The element children of `node` named `name`. */
export const childrenNamed = (node: XmlNode, name: string): XmlNode[] => node.children.filter((child) => child.name === name);
/** The first element child of `node` named `name`. */
export const childNamed = (node: XmlNode, name: string): XmlNode | undefined => node.children.find((child) => child.name === name);

/** An element to write: `name` in `namespace`, with attributes, text or children. */
export function element(namespace: string, name: string, content: string | number | boolean | XmlNode[] = [], attributes: Record<string, string> = {}): XmlNode {
  return Array.isArray(content) ? { name, namespace, attributes, children: content, text: '' } : { name, namespace, attributes, children: [], text: String(content) };
}

function writeInto(parent: XMLBuilder, node: XmlNode, prefixes: Map<string, string>): void {
  const prefix = node.namespace ? prefixes.get(node.namespace) : undefined;
  const qualified = prefix ? `${prefix}:${node.name}` : node.name;
  const written = parent.ele(node.namespace ?? null, qualified, node.attributes);
  if (node.text) written.txt(node.text);
  for (const child of node.children) writeInto(written, child, prefixes);
}

/**
 * Writes `root` as an XML document: its namespace is the default one, the others get the given
 * prefixes (declared on the root).
 */
export function writeXml(root: XmlNode, prefixes: Record<string, string>): string {
  const byNamespace = new Map(Object.entries(prefixes).map(([prefix, uri]) => [uri, prefix]));
  const declarations = Object.fromEntries(Object.entries(prefixes).map(([prefix, uri]) => [`xmlns:${prefix}`, uri]));
  const document = create({ version: '1.0', encoding: 'UTF-8' });
  const top = document.ele(root.namespace ?? null, root.name, { ...declarations, ...root.attributes });
  for (const child of root.children) writeInto(top, child, byNamespace);
  return document.end({ prettyPrint: true });
}
