/** The IIA v7 hash rules, checked against the EWP specification's test vector (`hash/README.md`). */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { iiaHash, iiaTextToHash } from '../../server/src/agreements/iia-hash.js';
import { childNamed, readXml } from '../../server/src/agreements/xml-tree.js';

const STANDARD = '/work/shared/standards/ewp-iias-v7';
const readme = readFileSync(`${STANDARD}/hash/README.md`, 'utf8');
/** The `text-to-hash` the README gives for its v7 example (the last one it shows). */
const expectedText = [...readme.matchAll(/<text-to-hash>(.*?)<\/text-to-hash>/g)].at(-1)![1]!;

const iiaOf = (file: string) => {
  const root = readXml(readFileSync(file, 'utf8'));
  return { root, iia: childNamed(root, 'iia')! };
};

describe('iia-hash (EWP IIA v7)', () => {
  it('builds the specification’s text-to-hash for its v7 example, and its SHA-256 is the example’s iia-hash', () => {
    const { root, iia } = iiaOf(`${STANDARD}/hash/get-response-v7.xml`);
    expect(iiaTextToHash(iia, root)).toBe(expectedText);
    expect(iiaHash(iia, root)).toBe(childNamed(iia, 'iia-hash')!.text);
    expect(iiaHash(iia, root)).toBe('87b33170d7a6c6d894215641f39e7b7de36501265479e5ab3922f32d5b225033');
  });

  it('leaves out contacts, elements marked not-yet-defined and the years inside, and puts the years at the end of each mobility', () => {
    const text = iiaTextToHash(iiaOf(`${STANDARD}/hash/get-response-v7.xml`).iia);
    expect(text).not.toContain('XYZ');
    expect(text).not.toContain('mobilities-per-year=2__student');
    expect(text).toContain('student-studies-mobility-spec.subject-area.isced-f-code=031_');
    expect(text.indexOf('receiving-first-academic-year-id=2014/2015')).toBeGreaterThan(text.indexOf('eqf-level=8'));
  });

  it('starts with the termination flag when the agreement is terminated as a whole, changing the hash', () => {
    const source = readFileSync(`${STANDARD}/hash/get-response-v7.xml`, 'utf8');
    const terminated = readXml(source.replace('<cooperation-conditions>', '<cooperation-conditions terminated-as-a-whole="true">'));
    const text = iiaTextToHash(childNamed(terminated, 'iia')!, terminated);
    expect(text).toBe(`_@terminated-as-a-whole@_${expectedText}`);
    expect(iiaHash(childNamed(terminated, 'iia')!, terminated)).toBe(createHash('sha256').update(text).digest('hex'));
  });
});
