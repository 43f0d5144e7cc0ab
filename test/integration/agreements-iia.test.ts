/**
 * The agreements API on a real server with the demo workspace: the list, each agreement's IIA v7
 * get response validated against the EWP schema by xmllint (offline, through the schema's
 * catalog), and a partner's file compared with ours without anything being written.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKSPACE_DOC, WorkspaceDoc, type AgreementListResponse, type ApiErrorBody, type IiaCompareResponse } from '@passerelle/shared';
import type { PasserelleServer } from '../../server/src/app.js';
import { adminToken, api, connectClient, joinAsGuest, startTestServer, synced, tempDataDir } from '../helpers/test-server.js';

const STANDARD = '/work/shared/standards/ewp-iias-v7';

/** xmllint's verdict on a document against the IIA v7 get-response schema, offline: '' when valid, its messages otherwise. */
function schemaProblems(xml: string, directory: string): string {
  const file = join(directory, `iia-${Math.random().toString(36).slice(2)}.xml`);
  writeFileSync(file, xml);
  try {
    execFileSync('xmllint', ['--noout', '--nonet', '--schema', `${STANDARD}/iias-get-response.xsd`, file], {
      env: { ...process.env, XML_CATALOG_FILES: `${STANDARD}/catalog.xml` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return '';
  } catch (error) {
    return String((error as { stderr?: Buffer }).stderr ?? error);
  }
}

describe('agreements as EWP IIA v7 documents', () => {
  let data: ReturnType<typeof tempDataDir>;
  let server: PasserelleServer;
  let token: string;
  let scratch: string;

  beforeAll(async () => {
    data = tempDataDir();
    scratch = mkdtempSync(join(tmpdir(), 'iia-'));
    server = await startTestServer({ dataDir: data.dir, env: { DEMO_WORKSPACE: 'true' } });
    token = await adminToken(server.url);
  });

  afterAll(async () => {
    await server?.close();
    data?.remove();
    rmSync(scratch, { recursive: true, force: true });
  });

  const compare = (agreementId: string, xml: string, headers: Record<string, string> = {}) =>
    api<IiaCompareResponse & ApiErrorBody>(server.url, `/api/agreements/${agreementId}/iia-compare`, { method: 'POST', token, body: { xml }, headers: { origin: server.url, ...headers } });

  it('lists the workspace’s agreements with partner, type, years and approval state', async () => {
    const { status, body } = await api<AgreementListResponse>(server.url, '/api/agreements', { token });
    expect(status).toBe(200);
    expect(body.agreements.length).toBe(6);
    const porto = body.agreements.find((agreement) => agreement.partner?.name.startsWith('Universidade do Porto'))!;
    expect(porto).toMatchObject({ type: 'inter_institutional_mobility', fromYear: '2021/2022', toYear: '2027/2028', approval: 'approved_by_both', status: 'active' });
  });

  it('exports every demo agreement as an IIA v7 get response valid against the schema, and reads each back with no difference', async () => {
    const { body } = await api<AgreementListResponse>(server.url, '/api/agreements', { token });
    for (const agreement of body.agreements) {
      const response = await fetch(`${server.url}/api/agreements/${agreement.id}/iia.xml`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/xml/);
      const xml = await response.text();
      expect(schemaProblems(xml, scratch), agreement.title).toBe('');
      expect(xml).toContain(`<iia-id>${agreement.id}</iia-id>`);
      expect(xml).toMatch(/<iia-hash>[0-9a-f]{64}<\/iia-hash>/);

      const roundTrip = await compare(agreement.id, xml);
      expect(roundTrip.status, agreement.title).toBe(200);
      expect(roundTrip.body.rows.filter((row) => row.differs), agreement.title).toEqual([]);
      expect(roundTrip.body.theirs).toEqual(roundTrip.body.ours);
    }
  });

  it('writes both directions of a two-way condition, with our SCHAC code first, and the agreement’s in-effect state', async () => {
    const { body } = await api<AgreementListResponse>(server.url, '/api/agreements', { token });
    const porto = body.agreements.find((agreement) => agreement.partner?.name.startsWith('Universidade do Porto'))!;
    const xml = await (await fetch(`${server.url}/api/agreements/${porto.id}/iia.xml`, { headers: { authorization: `Bearer ${token}` } })).text();
    expect(xml.indexOf('<hei-id>escom.fr</hei-id>')).toBeLessThan(xml.indexOf('<hei-id>up.pt</hei-id>'));
    expect(xml).toContain('<in-effect>true</in-effect>');
    expect(xml.match(/<student-studies-mobility-spec>/g)?.length).toBe(3);
    expect(xml.match(/<staff-teacher-mobility-spec>/g)?.length).toBe(2);
    expect(xml).toContain('<total-months-per-year>10</total-months-per-year>');
  });

  it('shows what a partner’s file changes, and writes nothing until someone applies it', async () => {
    const { body } = await api<AgreementListResponse>(server.url, '/api/agreements', { token });
    const dortmund = body.agreements.find((agreement) => agreement.partner?.name.includes('Dortmund'))!;
    const ours = await (await fetch(`${server.url}/api/agreements/${dortmund.id}/iia.xml`, { headers: { authorization: `Bearer ${token}` } })).text();
    const theirs = ours.replace('<mobilities-per-year>2</mobilities-per-year>', '<mobilities-per-year>3</mobilities-per-year>');
    const before = await (await fetch(`${server.url}/api/agreements/${dortmund.id}/iia.xml`, { headers: { authorization: `Bearer ${token}` } })).text();
    const { status, body: compared } = await compare(dortmund.id, theirs);
    expect(status).toBe(200);
    const differing = compared.rows.filter((row) => row.differs);
    expect(differing).toEqual([expect.objectContaining({ section: 'mobility', field: 'mobilitiesPerYear', ours: 2, theirs: 3 })]);
    expect(compared.patch.conditions[0]).toMatchObject({ direction: 'outgoing', kind: 'student_study', mobilitiesPerYear: 3 });

    const workspace = connectClient(server.url, WORKSPACE_DOC, token);
    await synced(workspace.provider);
    expect(new WorkspaceDoc(workspace.doc).agreements.get(dortmund.id)!.conditions[0]!.mobilitiesPerYear).toBe(2);
    workspace.provider.destroy();
    expect(await (await fetch(`${server.url}/api/agreements/${dortmund.id}/iia.xml`, { headers: { authorization: `Bearer ${token}` } })).text()).toBe(before);
  });

  it('refuses a bad file with a message in the person’s language', async () => {
    const { body } = await api<AgreementListResponse>(server.url, '/api/agreements', { token });
    const id = body.agreements[0]!.id;
    const malformed = await compare(id, '<iias-get-response><iia>', { 'accept-language': 'fr' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.details?.[0]?.message).toMatch(/^Le fichier n’est pas un XML bien formé/);
    const other = await compare(id, '<learning-agreement/>', { 'accept-language': 'en' });
    expect(other.body.error.details?.[0]?.message).toBe('The file is not an EWP IIA “get” response (its root element is “learning-agreement”).');
    const doctype = await compare(id, '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><iias-get-response><iia/></iias-get-response>', { 'accept-language': 'en' });
    expect(doctype.status).toBe(400);
    expect(doctype.body.error.details?.[0]?.message).toBe('The file declares a document type, which an EWP agreement never does: it was not read.');
    const badIsced = await compare(id, readFileSync(`${STANDARD}/iias-get-response-example.xml`, 'utf8').replaceAll('<isced-f-code>0314</isced-f-code>', '<isced-f-code>31</isced-f-code>'), { 'accept-language': 'en' });
    expect(badIsced.status).toBe(400);
    expect(badIsced.body.error.details?.[0]?.message).toMatch(/^conditions\.0\.subjectAreas\.0\.iscedF: An ISCED-F code has 4 digits/);
  });

  it('prints an agreement in the EC inter-institutional agreement layout, in French or in English', async () => {
    const { body } = await api<AgreementListResponse>(server.url, '/api/agreements', { token });
    const porto = body.agreements.find((agreement) => agreement.partner?.name.startsWith('Universidade do Porto'))!;
    const pdfText = async (lang: string) => {
      const response = await fetch(`${server.url}/api/agreements/${porto.id}/agreement.pdf?lang=${lang}`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/pdf');
      const result = spawnSync('pdftotext', ['-enc', 'UTF-8', '-layout', '-', '-'], { input: Buffer.from(await response.arrayBuffer()) });
      return result.stdout.toString().replace(/\s+/g, ' ');
    };
    const french = await pdfText('fr');
    for (const expected of ['Accord interinstitutionnel', 'A. Informations sur les établissements', 'B. Nombre de mobilités par année universitaire', 'C. Compétences linguistiques recommandées', 'E. Signatures des établissements', 'P PORTO02', '0711', '10 mois', 'Universidade do Porto', 'ESCOM-E+'.slice(0, 5), '2021-06-15']) {
      expect(french, expected).toContain(expected);
    }
    const english = await pdfText('en');
    for (const expected of ['Inter-institutional agreement', 'B. Mobility numbers per academic year', 'Student mobility', 'Signatures of the institutions']) expect(english, expected).toContain(expected);
    expect(english).not.toContain('Accord interinstitutionnel');
    expect((await api(server.url, `/api/agreements/${porto.id}/agreement.pdf?lang=de`, { token })).status).toBe(400);
  });

  it('is for workspace members: a partner guest and an anonymous caller are refused', async () => {
    const { body } = await api<{ boards: { id: string }[] }>(server.url, '/api/boards', { token });
    const guest = await joinAsGuest({ serverUrl: server.url, as: { token }, boardId: body.boards[0]!.id });
    expect((await api(server.url, '/api/agreements', { cookie: guest.cookie })).status).toBe(403);
    expect((await api(server.url, '/api/agreements')).status).toBe(401);
  });
});
