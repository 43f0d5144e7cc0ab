/**
 * The SRI's record schemas (partners, agreements, mobility flows and targets, roadmap and action
 * items, proposal fields, settings) and `RecordCollection`, which stores each record as a Y.Map of
 * fields so that two people editing different fields of one record both keep their change.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  ActionItem,
  Agreement,
  CooperationCondition,
  MobilityFlow,
  MobilityTarget,
  Partner,
  PartnerContact,
  ProposalFields,
  RecordCollection,
  RoadmapItem,
  validate,
  ValidationError,
  WorkspaceDoc,
  WorkspaceSettings,
} from '../../shared/src/index.js';
import { PROPOSAL_FIELD_DEFAULTS } from '../helpers/defaults.js';
import { countUpdates, thrownBy } from '../helpers/observe.js';

/** The ValidationError `run` throws, or fails the test. */
function validationErrorOf(run: () => unknown): ValidationError {
  const error = thrownBy(run);
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

describe('record schema defaults', () => {
  it('gives a partner known only by name empty optional fields', () => {
    expect(Partner.parse({ name: 'KU Leuven' })).toEqual({
      name: 'KU Leuven',
      localName: '',
      kind: 'university',
      country: null,
      region: 'other',
      city: '',
      specialties: [],
      erasmusCode: null,
      pic: null,
      schac: null,
      oid: null,
      contacts: [],
      notes: '',
    });
  });

  it('normalises a partner’s identifiers and refuses a malformed one at its path', () => {
    const partner = Partner.parse({ name: ' Université de Liège ', country: 'be', erasmusCode: 'b  liege01', schac: 'ULiege.BE' });
    expect(partner).toMatchObject({ name: 'Université de Liège', country: 'BE', erasmusCode: 'B  LIEGE01', schac: 'uliege.be' });
    const error = validationErrorOf(() => validate(Partner, { name: 'ULiège', pic: '12345' }));
    expect(error.issues).toEqual([{ path: 'pic', message: 'validation.pic' }]);
  });

  it('defaults a partner contact’s role and email, and refuses a malformed email', () => {
    expect(PartnerContact.parse({ name: 'Dr. Maes' })).toEqual({ name: 'Dr. Maes', role: '', email: '' });
    const error = validationErrorOf(() => validate(Partner, { name: 'KU Leuven', contacts: [{ name: 'Dr. Maes', email: 'maes@' }] }));
    expect(error.issues).toEqual([{ path: 'contacts.0.email', message: 'validation.email' }]);
  });

  it('defaults an agreement to a draft inter-institutional mobility agreement', () => {
    expect(Agreement.parse({ title: 'Erasmus+ KU Leuven' })).toEqual({
      title: 'Erasmus+ KU Leuven',
      type: 'inter_institutional_mobility',
      partnerId: null,
      status: 'draft',
      fromYear: null,
      toYear: null,
      conditions: [],
      doubleDegreePlan: null,
      notes: '',
      ourSide: { iiaId: null, iiaCode: '', ounitId: null, signingPerson: null, signingDate: null, contacts: [] },
      partnerSide: { iiaId: null, iiaCode: '', ounitId: null, signingPerson: null, signingDate: null, contacts: [] },
      approval: 'none',
      terminatedAsAWhole: false,
    });
  });

  it('defaults a cooperation condition to one student study mobility of 5 months a year both ways', () => {
    expect(CooperationCondition.parse({})).toEqual({
      direction: 'both',
      kind: 'student_study',
      ourOunitId: null,
      partnerOunitId: null,
      firstYear: null,
      lastYear: null,
      mobilitiesPerYear: 1,
      totalPerYear: 5,
      subjectAreas: [],
      languageSkills: [],
      eqfLevels: [],
      blended: false,
      otherInfo: '',
    });
  });

  it('accepts an agreement covering one year or several, and refuses a last year before the first at toYear', () => {
    expect(Agreement.safeParse({ title: 'a', fromYear: '2025/2026', toYear: '2025/2026' }).success).toBe(true);
    expect(Agreement.safeParse({ title: 'a', fromYear: '2025/2026', toYear: '2028/2029' }).success).toBe(true);
    expect(Agreement.safeParse({ title: 'a', fromYear: '2025/2026' }).success).toBe(true);
    const error = validationErrorOf(() => validate(Agreement, { title: 'a', fromYear: '2027/2028', toYear: '2025/2026' }));
    expect(error.issues).toEqual([{ path: 'toYear', message: 'validation.yearOrder' }]);
  });

  it('requires the academic year of a mobility flow and defaults the rest to outgoing student study', () => {
    expect(MobilityFlow.parse({ academicYear: '2025/2026' })).toEqual({
      direction: 'outgoing',
      population: 'student',
      purpose: 'study',
      cycle: null,
      studyYear: null,
      academicYear: '2025/2026',
      partnerId: null,
      planned: 0,
      realised: null,
      notes: '',
      department: null,
    });
    expect(validationErrorOf(() => validate(MobilityFlow, {})).issues.map((issue) => issue.path)).toEqual(['academicYear']);
    expect(MobilityFlow.safeParse({ academicYear: '2025/2026', planned: -1 }).success).toBe(false);
    expect(MobilityFlow.safeParse({ academicYear: '2025/2026', population: 'apprentice', planned: 2 }).success).toBe(true);
  });

  it('requires a target’s number and year', () => {
    expect(MobilityTarget.parse({ academicYear: '2026/2027', target: 8 })).toEqual({
      academicYear: '2026/2027',
      direction: 'outgoing',
      population: 'student',
      purpose: 'study',
      target: 8,
      department: null,
    });
    expect(validationErrorOf(() => validate(MobilityTarget, { academicYear: '2026/2027' })).issues.map((issue) => issue.path)).toEqual([
      'target',
    ]);
    expect(MobilityTarget.safeParse({ academicYear: '2026/2027', target: 2.5 }).success).toBe(false);
  });

  it('defaults a roadmap item to the short horizon, and refuses an end before the start at endDate', () => {
    expect(RoadmapItem.parse({ title: 'Intensive programme' })).toEqual({
      title: 'Intensive programme',
      horizon: 'short',
      phase: '',
      startDate: null,
      endDate: null,
      dependsOn: [],
      proposalIds: [],
      policyObjectives: [],
      notes: '',
    });
    expect(RoadmapItem.safeParse({ title: 'a', startDate: '2026-04-01', endDate: '2026-04-01' }).success).toBe(true);
    const error = validationErrorOf(() => validate(RoadmapItem, { title: 'a', startDate: '2026-05-01', endDate: '2026-04-01' }));
    expect(error.issues).toEqual([{ path: 'endDate', message: 'validation.dateOrder' }]);
  });

  it('defaults an action item to a manual, open item without owner', () => {
    expect(ActionItem.parse({ title: 'Send the learning agreement' })).toEqual({
      title: 'Send the learning agreement',
      ownerId: null,
      ownerName: '',
      department: null,
      dueDate: null,
      done: false,
      source: 'manual',
      sourceId: null,
      sourceLabel: '',
      policyObjectives: [],
    });
    expect(ActionItem.safeParse({ title: 'a', department: 'marketing' }).success).toBe(false);
    expect(validationErrorOf(() => validate(ActionItem, { title: 'a', dueDate: '2026-02-30' })).issues).toEqual([
      { path: 'dueDate', message: 'validation.date' },
    ]);
  });

  it('defaults proposal fields to a submitted strategic partnership led by the SRI, and checks date order', () => {
    expect(ProposalFields.parse({})).toEqual(PROPOSAL_FIELD_DEFAULTS);
    expect(ProposalFields.safeParse({ priorities: [1, 3] }).success).toBe(true);
    expect(ProposalFields.safeParse({ priorities: [6] }).success).toBe(false);
    expect(validationErrorOf(() => validate(ProposalFields, { startDate: '2026-09-01', endDate: '2026-06-30' })).issues).toEqual([
      { path: 'endDate', message: 'validation.dateOrder' },
    ]);
  });

  it('defaults the CTI minimum in the settings to 3 semesters, and the boards’ language to French', () => {
    expect(WorkspaceSettings.parse({})).toEqual({ minSemestersInFrance: 3, contentLanguage: 'fr', institutionName: '', institutionSchac: null, institutionErasmusCode: null });
  });

  it('refuses a blank required name with validation.required at its path', () => {
    for (const [schema, field] of [
      [Partner, 'name'],
      [Agreement, 'title'],
      [RoadmapItem, 'title'],
      [ActionItem, 'title'],
    ] as const) {
      expect(validationErrorOf(() => validate(schema, { [field]: '   ' })).issues).toContainEqual({ path: field, message: 'validation.required' });
    }
  });
});

/** A collection of partners in a fresh document. */
function partnerCollection(doc = new Y.Doc()): RecordCollection<typeof Partner> {
  return new RecordCollection(doc.getMap('partners') as Y.Map<Y.Map<unknown>>, Partner);
}

describe('RecordCollection', () => {
  it('creates a record with its defaults and reads it back by id and in the list', () => {
    const partners = partnerCollection();
    const id = partners.create({ name: 'Universidad de Concepción', country: 'cl', region: 'latin_america' });
    const expected = { ...Partner.parse({ name: 'Universidad de Concepción', country: 'CL', region: 'latin_america' }), id };
    expect(partners.get(id)).toEqual(expected);
    expect(partners.list()).toEqual([expected]);
    expect(partners.has(id)).toBe(true);
  });

  it('creates under a given id and stores each field in its own Y.Map entry', () => {
    const partners = partnerCollection();
    expect(partners.create({ name: 'KU Leuven' }, 'partner-leuven')).toBe('partner-leuven');
    const fields = partners.map.get('partner-leuven');
    expect(fields).toBeInstanceOf(Y.Map);
    expect(fields?.get('name')).toBe('KU Leuven');
    expect(fields?.get('kind')).toBe('university');
  });

  it('creates a record in one transaction', () => {
    const doc = new Y.Doc();
    const partners = partnerCollection(doc);
    let transactions = 0;
    doc.on('afterTransaction', () => transactions++);
    partners.create({ name: 'KU Leuven', specialties: ['polymers', 'catalysis'] });
    expect(transactions).toBe(1);
  });

  it('updates a record, keeping the fields the patch does not name', () => {
    const partners = partnerCollection();
    const id = partners.create({ name: 'KU Leuven', city: 'Leuven', specialties: ['polymers'] });
    partners.update(id, { notes: 'Met at EAIE 2025', specialties: ['polymers', 'catalysis'] });
    expect(partners.get(id)).toMatchObject({ name: 'KU Leuven', city: 'Leuven', notes: 'Met at EAIE 2025', specialties: ['polymers', 'catalysis'] });
  });

  it('normalises an updated field as the schema does', () => {
    const partners = partnerCollection();
    const id = partners.create({ name: 'Université Laval' });
    partners.update(id, { erasmusCode: null, schac: 'ULAVAL.CA', country: 'ca' });
    expect(partners.get(id)).toMatchObject({ schac: 'ulaval.ca', country: 'CA' });
  });

  it('writes only the fields that changed', () => {
    const partners = partnerCollection();
    const id = partners.create({ name: 'KU Leuven', city: 'Leuven', specialties: ['polymers'] });
    const fields = partners.map.get(id)!;
    const changed: string[][] = [];
    fields.observe((event) => changed.push([...event.keysChanged].sort()));

    partners.update(id, { name: 'KU Leuven', city: 'Louvain', specialties: ['polymers'] });
    expect(changed).toEqual([['city']]);

    partners.update(id, { name: 'KU Leuven', specialties: ['polymers'] });
    expect(changed).toHaveLength(1);
  });

  it('produces no document update for a patch that changes nothing', () => {
    const doc = new Y.Doc();
    const partners = partnerCollection(doc);
    const id = partners.create({ name: 'KU Leuven', contacts: [{ name: 'Dr. Maes', email: 'maes@kuleuven.be' }] });
    const updates = countUpdates(doc);
    partners.update(id, { name: ' KU Leuven ', contacts: [{ name: 'Dr. Maes', email: 'maes@kuleuven.be' }] });
    expect(updates()).toBe(0);
  });

  it('keeps both changes when two replicas edit different fields of one partner concurrently', () => {
    const [alice, bob] = [new Y.Doc(), new Y.Doc()];
    const id = partnerCollection(alice).create({ name: 'KU Leuven', city: 'Leuven' });
    Y.applyUpdate(bob, Y.encodeStateAsUpdate(alice));

    partnerCollection(alice).update(id, { pic: '999884244' });
    partnerCollection(bob).update(id, { notes: 'Double degree under discussion', city: 'Louvain' });
    Y.applyUpdate(bob, Y.encodeStateAsUpdate(alice, Y.encodeStateVector(bob)));
    Y.applyUpdate(alice, Y.encodeStateAsUpdate(bob, Y.encodeStateVector(alice)));

    for (const doc of [alice, bob]) {
      expect(partnerCollection(doc).get(id)).toMatchObject({
        name: 'KU Leuven',
        pic: '999884244',
        notes: 'Double degree under discussion',
        city: 'Louvain',
      });
    }
    expect(alice.toJSON()).toEqual(bob.toJSON());
  });

  it('refuses invalid input with a ValidationError naming each faulty field, and writes nothing', () => {
    const doc = new Y.Doc();
    const partners = partnerCollection(doc);
    const updates = countUpdates(doc);
    const error = validationErrorOf(() => partners.create({ name: '', pic: 'abc', erasmusCode: 'AMIENS07' }));
    expect(error.issues).toEqual([
      { path: 'name', message: 'validation.required' },
      { path: 'erasmusCode', message: 'validation.erasmusCode' },
      { path: 'pic', message: 'validation.pic' },
    ]);
    expect(error.name).toBe('ValidationError');
    expect(error.message).toContain('pic: validation.pic');
    expect(partners.list()).toEqual([]);
    expect(updates()).toBe(0);
  });

  it('refuses an invalid update and leaves the stored record unchanged', () => {
    const doc = new Y.Doc();
    const roadmap = new RecordCollection(doc.getMap('roadmap') as Y.Map<Y.Map<unknown>>, RoadmapItem);
    const id = roadmap.create({ title: 'Summer school', startDate: '2026-06-01', endDate: '2026-06-30' });
    const before = roadmap.get(id);
    const updates = countUpdates(doc);

    const error = validationErrorOf(() => roadmap.update(id, { title: 'Summer school 2026', endDate: '2026-05-01' }));
    expect(error.issues).toEqual([{ path: 'endDate', message: 'validation.dateOrder' }]);
    expect(roadmap.get(id)).toEqual(before);
    expect(updates()).toBe(0);
  });

  it('refuses to update a record that does not exist with validation.notFound', () => {
    const partners = partnerCollection();
    expect(validationErrorOf(() => partners.update('no-such-partner', { city: 'Lyon' })).issues).toEqual([
      { path: '', message: 'validation.notFound' },
    ]);
    expect(partners.has('no-such-partner')).toBe(false);
  });

  it('deletes a record', () => {
    const partners = partnerCollection();
    const kept = partners.create({ name: 'KU Leuven' });
    const deleted = partners.create({ name: 'Ghost University' });
    partners.delete(deleted);
    expect(partners.get(deleted)).toBeUndefined();
    expect(partners.has(deleted)).toBe(false);
    expect(partners.list().map((partner) => partner.id)).toEqual([kept]);
  });

  it('leaves out of list() and get() a stored record that no longer parses, and keeps the others', () => {
    const partners = partnerCollection();
    const good = partners.create({ name: 'KU Leuven' });
    const damaged = partners.create({ name: 'Universidad de Chile' });
    // As a newer client (or damaged storage) might have written it.
    partners.map.get(damaged)!.set('kind', 'spaceport');
    partners.map.set('not-a-map', 'garbage' as unknown as Y.Map<unknown>);

    expect(partners.list().map((partner) => partner.id)).toEqual([good]);
    expect(partners.get(damaged)).toBeUndefined();
    expect(partners.get('not-a-map')).toBeUndefined();
    // Still there, so the record is not lost when a newer client reads it.
    expect(partners.has(damaged)).toBe(true);
  });

  it('reads a record written before a field existed, with that field’s default', () => {
    const partners = partnerCollection();
    const old = new Y.Map<unknown>();
    old.set('name', 'Politecnico di Milano');
    partners.map.set('old-partner', old);
    expect(partners.get('old-partner')).toMatchObject({ name: 'Politecnico di Milano', kind: 'university', contacts: [], id: 'old-partner' });
  });
});

describe('WorkspaceDoc collections', () => {
  it('keeps partners, agreements, mobilities and targets apart, and finds the agreements of a partner', () => {
    const workspace = new WorkspaceDoc(new Y.Doc());
    const leuven = workspace.partners.create({ name: 'KU Leuven' });
    const liege = workspace.partners.create({ name: 'ULiège' });
    const mobility = workspace.agreements.create({ title: 'Erasmus+ KU Leuven', partnerId: leuven });
    workspace.agreements.create({ title: 'Erasmus+ ULiège', partnerId: liege });
    workspace.mobilities.create({ academicYear: '2025/2026', partnerId: leuven, planned: 2 });
    workspace.targets.create({ academicYear: '2026/2027', target: 8 });

    expect(workspace.partners.list()).toHaveLength(2);
    expect(workspace.agreementsOf(leuven).map((agreement) => agreement.id)).toEqual([mobility]);
    expect(workspace.mobilities.list()).toHaveLength(1);
    expect(workspace.targets.list()[0]).toMatchObject({ target: 8 });
  });

  it('reads settings with defaults when unset or damaged', () => {
    const workspace = new WorkspaceDoc(new Y.Doc());
    const institution = { institutionName: '', institutionSchac: null, institutionErasmusCode: null };
    expect(workspace.settings).toEqual({ minSemestersInFrance: 3, contentLanguage: 'fr', ...institution });
    workspace.settingsMap.set('minSemestersInFrance', 'three');
    expect(workspace.settings).toEqual({ minSemestersInFrance: 3, contentLanguage: 'fr', ...institution });
    workspace.updateSettings({ minSemestersInFrance: 4, contentLanguage: 'en' });
    expect(workspace.settings).toEqual({ minSemestersInFrance: 4, contentLanguage: 'en', ...institution });
    // A language this version does not know falls back alone, keeping the other settings.
    workspace.settingsMap.set('contentLanguage', 'pt');
    expect(workspace.settings).toEqual({ minSemestersInFrance: 4, contentLanguage: 'fr', ...institution });
  });

  it('keeps our institution’s EWP identifiers in the settings, normalised, and refuses a malformed SCHAC code', () => {
    const workspace = new WorkspaceDoc(new Y.Doc());
    workspace.updateSettings({ institutionName: 'ESCOM', institutionSchac: 'ESCOM.fr', institutionErasmusCode: 'f  compieg12' });
    expect(workspace.settings).toMatchObject({ institutionName: 'ESCOM', institutionSchac: 'escom.fr', institutionErasmusCode: 'F  COMPIEG12' });
    expect(validationErrorOf(() => workspace.updateSettings({ institutionSchac: 'not a domain' })).issues).toEqual([{ path: 'institutionSchac', message: 'validation.schac' }]);
    expect(workspace.settings.institutionSchac).toBe('escom.fr');
  });
});
