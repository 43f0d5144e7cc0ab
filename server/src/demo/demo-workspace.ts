/**
 * The demo workspace a first start opens on: the school's Erasmus policy statement (the French
 * original's meaning) turned into partners, agreements, mobility flows and targets, and a board with
 * the three cooperation tracks in order, their proposals, the priorities, a roadmap and actions.
 * Budgets, internal notes and the sign-off discussion go to the board's internal document, which
 * partner guests never load.
 * Written once, on an empty store, in the language chosen by `DEMO_LANGUAGE`.
 */
import * as Y from 'yjs';
import {
  BoardDoc,
  DEMO_BOARD_TITLE,
  InternalDoc,
  MIGRATION_ORIGIN,
  WORKSPACE_DOC,
  WorkspaceDoc,
  internalDocName,
  migrateBoard,
  migrateWorkspace,
  newId,
  readFirstScreen,
  type Locale,
  type ProposalStage,
  type SignOff,
} from '@passerelle/shared';
import type { Logger } from 'pino';
import type { BoardDirectory } from '../store/account-store.js';
import type { DocumentStore } from '../store/document-store.js';
import { demoProposalDocuments } from './demo-proposals.js';

/** A text in both languages, French first. */
type Bilingual = readonly [fr: string, en: string];

/** The fields the partners teach and research in. */
const SPECIALTIES = {
  chemicalEngineering: ['génie chimique', 'chemical engineering'],
  processEngineering: ['génie des procédés', 'process engineering'],
  greenChemistry: ['chimie verte', 'green chemistry'],
  plantChemistry: ['chimie du végétal', 'plant-based chemistry'],
  biotechnology: ['biotechnologies', 'biotechnology'],
  chemistry: ['chimie', 'chemistry'],
} as const satisfies Record<string, Bilingual>;

/** A partner of the demo: its record's fields, with its name (when it is translated), specialties and notes in both languages. */
interface PartnerSeed extends Omit<Parameters<WorkspaceDoc['partners']['create']>[0], 'name' | 'specialties' | 'notes'> {
  name: string | Bilingual;
  specialties: (keyof typeof SPECIALTIES)[];
  notes?: Bilingual;
}

/** The school's partners, in the order they are created. */
const PARTNERS = {
  porto: {
    name: 'Universidade do Porto – Faculdade de Engenharia',
    kind: 'university',
    country: 'PT',
    region: 'eu',
    city: 'Porto',
    specialties: ['chemicalEngineering', 'processEngineering'],
    erasmusCode: 'P  PORTO02',
    schac: 'up.pt',
    notes: ['Partenaire Erasmus historique pour la mobilité d’études.', 'Long-standing Erasmus partner for study mobility.'],
  },
  dortmund: {
    name: 'Technische Universität Dortmund',
    kind: 'university',
    country: 'DE',
    region: 'eu',
    city: 'Dortmund',
    specialties: ['processEngineering', 'biotechnology'],
    erasmusCode: 'D  DORTMUN01',
    schac: 'tu-dortmund.de',
  },
  sherbrooke: {
    name: 'Université de Sherbrooke',
    kind: 'university',
    country: 'CA',
    region: 'north_america',
    city: 'Sherbrooke',
    specialties: ['chemicalEngineering', 'greenChemistry'],
    schac: 'usherbrooke.ca',
    notes: ['Double diplôme de master en préparation.', 'Master’s double degree in preparation.'],
  },
  montreal: { name: 'Polytechnique Montréal', kind: 'university', country: 'CA', region: 'north_america', city: 'Montréal', specialties: ['chemicalEngineering'], schac: 'polymtl.ca' },
  campinas: {
    name: 'Universidade Estadual de Campinas (Unicamp)',
    kind: 'university',
    country: 'BR',
    region: 'latin_america',
    city: 'Campinas',
    specialties: ['greenChemistry', 'plantChemistry'],
    notes: ['Coopération en développement (Amérique latine).', 'Cooperation being developed (Latin America).'],
  },
  bangkok: {
    name: 'Chulalongkorn University',
    kind: 'university',
    country: 'TH',
    region: 'south_east_asia',
    city: 'Bangkok',
    specialties: ['chemistry', 'processEngineering'],
    notes: ['Coopération en développement (Asie du Sud-Est).', 'Cooperation being developed (South-East Asia).'],
  },
  yaounde: {
    name: 'École nationale supérieure polytechnique de Yaoundé',
    kind: 'university',
    country: 'CM',
    region: 'africa',
    city: 'Yaoundé',
    specialties: ['chemicalEngineering'],
    notes: [
      'Renforcement des capacités : appui à la construction de programmes et à la formation d’enseignants-chercheurs, préalable à l’accueil d’étudiants.',
      'Capacity building: support for programme design and teacher-researcher training, before hosting students.',
    ],
  },
  pivert: {
    name: 'PIVERT – Picardie Innovations Végétales, Enseignements et Recherches Technologiques',
    kind: 'research_lab',
    country: 'FR',
    region: 'eu',
    city: 'Compiègne',
    specialties: ['plantChemistry', 'greenChemistry'],
    notes: [
      'Projet d’excellence financé par l’État sur 10 ans (Investissements d’avenir) ; l’école y est partenaire académique.',
      'Excellence project funded by the French State over 10 years (Investissements d’avenir); the school is an academic partner.',
    ],
  },
  companyFr: {
    name: ['Industriel de la chimie verte (entreprise française)', 'Green-chemistry manufacturer (French company)'],
    kind: 'company',
    country: 'FR',
    region: 'eu',
    specialties: ['greenChemistry'],
    notes: ['Partenariat durable : intervenants, stages, apprentissage.', 'Lasting partnership: guest lecturers, internships, apprenticeships.'],
  },
  companyEu: {
    name: ['Groupe chimique européen (entreprise européenne)', 'European chemical group (European company)'],
    kind: 'company',
    country: 'BE',
    region: 'eu',
    specialties: ['processEngineering'],
  },
} as const satisfies Record<string, PartnerSeed>;

export interface DemoOptions {
  directory: BoardDirectory;
  documents: DocumentStore;
  /** The administrator, who owns the demo board and gives the SRI's sign-offs. */
  owner: { id: string; name: string };
  language: Locale;
  logger: Logger;
}

/** Writes the demo workspace unless the store already holds boards or workspace data. Returns whether it did. */
export async function seedDemoWorkspace(options: DemoOptions): Promise<boolean> {
  const { directory, documents, owner, language } = options;
  if ((await directory.listBoards()).length > 0) return false;
  if ((await documents.load(WORKSPACE_DOC)).lastSeq > 0) return false;
  const l = (fr: string, en: string) => (language === 'fr' ? fr : en);

  // The workspace: partners, agreements, mobility.
  const workspaceDoc = new Y.Doc();
  migrateWorkspace(workspaceDoc, MIGRATION_ORIGIN);
  const ws = new WorkspaceDoc(workspaceDoc);
  // Our institution as the EWP network knows it: the SCHAC code is the `hei-id` of every agreement exported.
  ws.updateSettings({ institutionName: 'ESCOM', institutionSchac: 'escom.fr' });
  const chemicalEngineering = l('Génie chimique et des procédés', 'Chemical and process engineering');
  const text = (value: string | Bilingual) => (typeof value === 'string' ? value : l(value[0], value[1]));
  const { porto, dortmund, sherbrooke, montreal, yaounde, pivert, companyFr, companyEu } = Object.fromEntries(
    Object.entries(PARTNERS).map(([key, { name, specialties, notes, ...fields }]: [string, PartnerSeed]) => [
      key,
      ws.partners.create({ ...fields, name: text(name), specialties: specialties.map((specialty) => text(SPECIALTIES[specialty])), notes: notes && text(notes) }),
    ]),
  ) as Record<keyof typeof PARTNERS, string>;

  const portoAgreement = ws.agreements.create({
    title: l('Accord Erasmus+ avec l’Universidade do Porto', 'Erasmus+ agreement with Universidade do Porto'),
    type: 'inter_institutional_mobility',
    partnerId: porto,
    status: 'active',
    ourSide: {
      iiaCode: 'ESCOM-E+-2021-PT-01',
      signingPerson: { name: l('La directrice générale de l’ESCOM', 'ESCOM’s director general') },
      signingDate: '2021-06-15',
      contacts: [{ name: l('Service des relations internationales', 'International relations office'), role: l('Coordination Erasmus', 'Erasmus coordination') }],
    },
    partnerSide: { iiaId: 'fe-up-2021-0147', iiaCode: 'FEUP/E+/2021/147', signingDate: '2021-06-28' },
    approval: 'approved_by_both',
    fromYear: '2021/2022',
    toYear: '2027/2028',
    conditions: [
      // Each figure is per direction and per academic year, as in an Erasmus+ inter-institutional agreement.
      { direction: 'both', kind: 'student_study', mobilitiesPerYear: 2, totalPerYear: 10, subjectAreas: [{ iscedF: '0711', clarification: chemicalEngineering }], languageSkills: [{ language: 'en', cefr: 'B2' }], eqfLevels: [7] },
      // The short study mobility in the 3rd year (first cycle), from 2026/2027.
      { direction: 'outgoing', kind: 'student_study', firstYear: '2026/2027', mobilitiesPerYear: 2, totalPerYear: 4, subjectAreas: [{ iscedF: '0711', clarification: chemicalEngineering }], languageSkills: [{ language: 'en', cefr: 'B1' }], eqfLevels: [6] },
      { direction: 'both', kind: 'staff_teaching', mobilitiesPerYear: 1, totalPerYear: 5, subjectAreas: [{ iscedF: '0711', clarification: chemicalEngineering }], languageSkills: [{ language: 'en', cefr: 'B2' }] },
    ],
  });
  const dortmundAgreement = ws.agreements.create({
    title: l('Accord Erasmus+ avec la Technische Universität Dortmund', 'Erasmus+ agreement with Technische Universität Dortmund'),
    type: 'inter_institutional_mobility',
    partnerId: dortmund,
    status: 'active',
    ourSide: { iiaCode: 'ESCOM-E+-2022-DE-01' },
    approval: 'approved_by_us',
    fromYear: '2022/2023',
    toYear: '2028/2029',
    conditions: [
      { direction: 'both', kind: 'student_study', mobilitiesPerYear: 2, totalPerYear: 10, subjectAreas: [{ iscedF: '0711', clarification: chemicalEngineering }], languageSkills: [{ language: 'en', cefr: 'B2' }], eqfLevels: [7] },
      { direction: 'outgoing', kind: 'student_study', firstYear: '2026/2027', mobilitiesPerYear: 2, totalPerYear: 4, subjectAreas: [{ iscedF: '0711', clarification: chemicalEngineering }], languageSkills: [{ language: 'en', cefr: 'B1' }], eqfLevels: [6] },
    ],
  });
  const sherbrookeAgreement = ws.agreements.create({
    title: l('Double diplôme de master avec l’Université de Sherbrooke', 'Master’s double degree with Université de Sherbrooke'),
    type: 'double_degree',
    partnerId: sherbrooke,
    status: 'negotiation',
    fromYear: '2026/2027',
    toYear: '2030/2031',
    conditions: [{ direction: 'both', kind: 'student_study', mobilitiesPerYear: 3, totalPerYear: 36, subjectAreas: [{ iscedF: '0711', clarification: chemicalEngineering }], languageSkills: [{ language: 'fr', cefr: 'B2' }], eqfLevels: [7] }],
    // S5 to S10: three semesters in France before leaving, the final one back in France.
    doubleDegreePlan: { semesters: ['france', 'france', 'france', 'partner', 'partner', 'france'] },
  });
  ws.agreements.create({
    title: l('Double diplôme avec Polytechnique Montréal (projet)', 'Double degree with Polytechnique Montréal (draft)'),
    type: 'double_degree',
    partnerId: montreal,
    status: 'draft',
    fromYear: '2027/2028',
    toYear: '2031/2032',
    notes: l('Le parcours proposé par le partenaire ne laisse que 2 semestres en France : à revoir avec la direction des études.', 'The partner’s proposed plan leaves only 2 semesters in France: to be reworked with the studies directorate.'),
    doubleDegreePlan: { semesters: ['france', 'france', 'partner', 'partner', 'partner', 'partner'] },
  });
  ws.agreements.create({
    title: l('Coopération avec l’École polytechnique de Yaoundé', 'Cooperation with the Yaoundé polytechnic school'),
    type: 'cooperation',
    partnerId: yaounde,
    status: 'negotiation',
    fromYear: '2026/2027',
    toYear: '2028/2029',
    conditions: [{ direction: 'outgoing', kind: 'staff_teaching', mobilitiesPerYear: 2, totalPerYear: 20, subjectAreas: [{ iscedF: '0711', clarification: chemicalEngineering }], languageSkills: [{ language: 'fr', cefr: 'C1' }] }],
  });
  ws.agreements.create({
    title: l('Accord de coopération PIVERT', 'PIVERT cooperation agreement'),
    type: 'company_alliance',
    partnerId: pivert,
    status: 'active',
    fromYear: '2022/2023',
    toYear: '2031/2032',
  });

  // The seed: study mobility has been at 6 a year for the last 2 years (a baseline to raise), mostly
  // outgoing and in the second cycle; student mobility is mostly internships; 60 apprentices have no
  // mobility yet; staff and teacher mobility is very recent; a few PhD students come in exchange
  // through the doctoral school, outside the Erasmus agreements. Every flow with a partner stays
  // within the quotas of that partner's agreement, and the study flows add up to the figures the
  // texts state: 6 a year (4 outgoing, 1 incoming student, 1 PhD student), and in 2026/2027 exactly
  // the targets set for that year.
  const flow = (fields: Parameters<typeof ws.mobilities.create>[0]) => ws.mobilities.create(fields);
  const phdNote = l('Accueil par l’école doctorale, hors accords Erasmus.', 'Hosted through the doctoral school, outside the Erasmus agreements.');
  for (const academicYear of ['2024/2025', '2025/2026']) {
    for (const partnerId of [porto, dortmund]) flow({ direction: 'outgoing', population: 'student', purpose: 'study', cycle: 'second', academicYear, planned: 2, realised: 2, partnerId });
    flow({ direction: 'incoming', population: 'student', purpose: 'study', cycle: 'second', academicYear, planned: 1, realised: 1, partnerId: porto });
    flow({ direction: 'incoming', population: 'phd_student', purpose: 'study', cycle: 'doctorate', academicYear, planned: 1, realised: 1, notes: phdNote });
    flow({ direction: 'outgoing', population: 'student', purpose: 'internship', cycle: 'second', academicYear, planned: 30, realised: academicYear === '2024/2025' ? 28 : 31 });
    flow({ direction: 'outgoing', population: 'apprentice', purpose: 'internship', cycle: 'second', academicYear, planned: 0, realised: 0, notes: l('60 apprentis, aucune mobilité encore.', '60 apprentices, no mobility yet.') });
    flow({ direction: 'outgoing', population: 'teacher_researcher', purpose: 'teaching', academicYear, planned: 1, realised: academicYear === '2024/2025' ? 0 : 1, partnerId: porto });
  }
  const nextYear = '2026/2027';
  const shortScheme = l('Nouveau dispositif de mobilité courte en 3e année.', 'New short-term mobility scheme in the 3rd year.');
  for (const partnerId of [porto, dortmund]) {
    flow({ direction: 'outgoing', population: 'student', purpose: 'study', cycle: 'first', studyYear: 3, academicYear: nextYear, planned: 2, partnerId, notes: shortScheme });
    flow({ direction: 'outgoing', population: 'student', purpose: 'study', cycle: 'second', academicYear: nextYear, planned: 2, partnerId });
    flow({ direction: 'incoming', population: 'student', purpose: 'study', cycle: 'second', academicYear: nextYear, planned: 1, partnerId });
  }
  flow({ direction: 'incoming', population: 'phd_student', purpose: 'study', cycle: 'doctorate', academicYear: nextYear, planned: 1, notes: phdNote });
  flow({ direction: 'outgoing', population: 'apprentice', purpose: 'internship', cycle: 'second', academicYear: nextYear, planned: 4, notes: l('Premiers départs d’apprentis, chez les entreprises partenaires.', 'First apprentice departures, with partner companies.') });
  // Internships go on as every year (they have no target: the policy raises study mobility).
  flow({ direction: 'outgoing', population: 'student', purpose: 'internship', cycle: 'second', academicYear: nextYear, planned: 30 });
  // Study mobility grows from 6 a year to 11 in 2026/2027 (8 outgoing) and 16 in 2027/2028 (12 outgoing).
  for (const [academicYear, outgoing, incoming, apprentices] of [
    ['2026/2027', 8, 2, 4],
    ['2027/2028', 12, 3, 8],
  ] as const) {
    ws.targets.create({ academicYear, direction: 'outgoing', population: 'student', purpose: 'study', target: outgoing });
    ws.targets.create({ academicYear, direction: 'incoming', population: 'student', purpose: 'study', target: incoming });
    ws.targets.create({ academicYear, direction: 'incoming', population: 'phd_student', purpose: 'study', target: 1 });
    ws.targets.create({ academicYear, direction: 'outgoing', population: 'apprentice', purpose: 'internship', target: apprentices });
  }
  await documents.append(WORKSPACE_DOC, Y.encodeStateAsUpdate(workspaceDoc));

  // The strategy board: the three cooperation tracks in the policy statement's order.
  const boardDoc = new Y.Doc();
  const internalDoc = new Y.Doc();
  migrateBoard(boardDoc, { internal: internalDoc });
  const board = new BoardDoc(boardDoc);
  const internal = new InternalDoc(internalDoc);
  const at = new Date().toISOString();
  const sign = (cardId: string, gate: ProposalStage, department: SignOff['department'], userName: string) =>
    board.signOff(cardId, { gate, department, userId: owner.id, userName, at });
  const stage = (cardId: string, target: ProposalStage) => board.setProposalStage(cardId, target);

  const mobility = board.addColumn(l('Mobilité (priorité actuelle)', 'Mobility (current priority)'));
  const track1 = board.addColumn(l('1) Vers des partenariats stratégiques', '1) Towards strategic partnerships'));
  const track2 = board.addColumn(l('2) Vers des alliances de la connaissance', '2) Towards knowledge alliances'));
  const track3 = board.addColumn(l('3) Vers de la coopération internationale', '3) Towards international cooperation'));

  const shortMobility = board.addProposal(mobility, {
    title: l('Mobilité courte d’études en 3e année', 'Short study mobility in the 3rd year'),
    createdBy: owner.id,
    fields: { actionType: 'mobility_agreement', leadDepartment: 'sri', contributors: ['studies'], priorities: [3], policyObjectives: ['3.1'], region: 'eu', selectsStudents: true, partnerIds: [porto, dortmund], agreementIds: [portoAgreement, dortmundAgreement] },
    sections: {
      objectives: l('Augmenter la mobilité à des fins d’études (6 mobilités par an depuis 2 ans) grâce à un nouveau dispositif de mobilité à court terme en 3e année.', 'Increase study mobility (6 a year for the past 2 years) with a new short-term mobility scheme in the 3rd year.'),
    },
  });
  board.addChecklistItem(shortMobility, l('Identifier les partenaires d’accueil', 'Identify host partners'));
  board.addChecklistItem(shortMobility, l('Définir la reconnaissance des crédits', 'Define credit recognition'));
  const apprentices = board.addProposal(mobility, {
    title: l('Mobilité des apprentis et des étudiants de l’ouverture sociale', 'Mobility for apprentices and social-openness students'),
    createdBy: owner.id,
    fields: { actionType: 'mobility_agreement', leadDepartment: 'sri', contributors: ['company_relations', 'admissions'], priorities: [3], policyObjectives: ['3.3'], selectsStudents: true },
    sections: {
      objectives: l('Offrir les mêmes opportunités de mobilité aux 60 étudiants sous statut apprenti et aux étudiants accueillis dans le programme d’ouverture sociale.', 'Offer the same mobility opportunities to the 60 apprentice (work-study) students and to students admitted through the social-openness programme.'),
    },
  });

  const strategic = board.addProposal(track1, {
    title: l('Partenariats stratégiques multilatéraux en chimie verte et génie des procédés', 'Multilateral strategic partnerships in green chemistry and process engineering'),
    createdBy: owner.id,
    fields: { actionType: 'strategic_partnership', leadDepartment: 'sri', contributors: ['studies', 'specialty_teachers', 'research'], priorities: [1, 3], policyObjectives: ['1.1', '1.2'], region: 'eu', partnerIds: [porto, dortmund, sherbrooke], startDate: '2027-09-01', endDate: '2030-08-31' },
    sections: {
      objectives: l('Établir des partenariats stratégiques multilatéraux cohérents avec nos domaines de formation et de recherche, notamment dans le cadre de doubles diplômes.', 'Establish multilateral strategic partnerships consistent with our teaching and research fields, notably through double degrees.'),
      activities: l('Reprendre le projet de programme intensif Erasmus non réalisé en 2007-2013 ; faire évoluer les accords de mobilité vers des accords de coopération.', 'Revive the Erasmus intensive programme project not carried out in 2007-2013; turn mobility agreements into cooperation agreements.'),
    },
  });
  stage(strategic, 'sri_review');
  sign(strategic, 'sri_review', 'sri', owner.name);
  stage(strategic, 'departmental_framing');

  const sherbrookeDd = board.addProposal(track1, {
    title: l('Double diplôme de master avec l’Université de Sherbrooke', 'Master’s double degree with Université de Sherbrooke'),
    createdBy: owner.id,
    fields: { actionType: 'double_degree', leadDepartment: 'studies', contributors: ['sri', 'specialty_teachers'], priorities: [1, 3], policyObjectives: ['1.2', '3.1'], region: 'north_america', partnerIds: [sherbrooke], agreementIds: [sherbrookeAgreement], startDate: '2026-09-01' },
    sections: {
      objectives: l('Rendre la mobilité d’études plus attractive en 2e cycle, dans le respect de la CTI (au moins 3 semestres en France).', 'Make second-cycle study mobility more attractive, within the CTI rule (at least 3 semesters in France).'),
    },
  });

  const alliance = board.addProposal(track2, {
    title: l('Alliance de la connaissance en chimie avec des entreprises françaises et européennes', 'Knowledge alliance in chemistry with French and European companies'),
    createdBy: owner.id,
    fields: { actionType: 'knowledge_alliance', leadDepartment: 'sri', contributors: ['company_relations', 'research'], priorities: [2, 4, 5], policyObjectives: ['1.4', '2.2', '4.1', '4.3', '4.4', '5.1'], region: 'eu', partnerIds: [companyFr, companyEu, pivert] },
    sections: {
      objectives: l('Faire évoluer nos partenariats probants avec des entreprises en une alliance de la connaissance impliquant académiques et industriels.', 'Turn our proven partnerships with companies into a knowledge alliance of academics and industry.'),
      impact: l('Des technologies durables fondées sur la chimie verte, alternatives à l’économie industrielle fondée sur les ressources fossiles.', 'Sustainable green-chemistry technologies as alternatives to the fossil-resource-based industrial economy.'),
    },
  });
  stage(alliance, 'sri_review');

  const capacity = board.addProposal(track3, {
    title: l('Renforcement des capacités avec le Cameroun', 'Capacity building with Cameroon'),
    createdBy: owner.id,
    fields: { actionType: 'capacity_building', leadDepartment: 'sri', contributors: ['studies', 'specialty_teachers', 'admissions'], priorities: [1, 4], region: 'africa', partnerIds: [yaounde], selectsStudents: true },
    sections: {
      objectives: l('Appuyer la construction de programmes et la formation d’enseignants-chercheurs, préalable à l’accueil d’étudiants dans notre formation d’ingénieur.', 'Support programme design and teacher-researcher training, before hosting students in our engineering programme.'),
      impact: l('À long terme, transférer les résultats à d’autres pays, éventuellement en Afrique du Nord.', 'In the long term, transfer the results to other countries, possibly in North Africa.'),
    },
  });
  board.addComment(capacity, {
    authorId: owner.id,
    authorName: owner.name,
    text: l('Projet amorcé à la demande du partenaire : à étendre ensuite à l’Amérique latine ou à l’Asie.', 'Started at the partner’s request: to be extended later to Latin America or Asia.'),
  });

  // The policy statement's order: mobility first and mobility agreements turned into cooperation
  // agreements; "once these are in place", strategic partnerships and the alliance with companies;
  // capacity building as the third phase. Each item starts after those it waits for end.
  const items = board.roadmap;
  const r1 = items.create({ title: l('Développer la mobilité entrante et sortante (étudiants, enseignants-chercheurs, personnels)', 'Develop incoming and outgoing mobility (students, teacher-researchers, staff)'), horizon: 'short', phase: l('Consolidation', 'Consolidation'), startDate: '2026-09-01', endDate: '2027-08-31', proposalIds: [shortMobility, apprentices], policyObjectives: ['4.2'] });
  const r2 = items.create({ title: l('Faire évoluer les accords de mobilité en accords de coopération avec doubles diplômes', 'Turn mobility agreements into cooperation agreements with double degrees'), horizon: 'short', phase: l('Consolidation', 'Consolidation'), startDate: '2026-09-01', endDate: '2027-08-31', proposalIds: [sherbrookeDd] });
  const r3 = items.create({ title: l('Partenariats stratégiques', 'Strategic partnerships'), horizon: 'medium', phase: l('Programme', 'Programme'), startDate: '2027-09-01', endDate: '2030-08-31', dependsOn: [r1, r2], proposalIds: [strategic] });
  const r4 = items.create({ title: l('Alliance de la connaissance en chimie', 'Knowledge alliance in chemistry'), horizon: 'medium', phase: l('Programme', 'Programme'), startDate: '2027-09-01', endDate: '2030-08-31', dependsOn: [r2], proposalIds: [alliance] });
  items.create({ title: l('Coopération internationale : renforcement des capacités (Afrique, Amérique latine, Asie)', 'International cooperation: capacity building (Africa, Latin America, Asia)'), horizon: 'long', phase: l('Extension', 'Extension'), startDate: '2030-09-01', endDate: '2033-08-31', dependsOn: [r3, r4], proposalIds: [capacity] });

  board.actions.create({ title: l('Préparer la réunion de cadrage avec l’Université de Sherbrooke', 'Prepare the framing meeting with Université de Sherbrooke'), ownerId: owner.id, ownerName: owner.name, department: 'sri', dueDate: '2026-12-15', source: 'proposal', sourceId: sherbrookeDd, sourceLabel: l('Double diplôme Sherbrooke', 'Sherbrooke double degree') });
  board.actions.create({ title: l('Recenser les entreprises partenaires pour l’alliance de la connaissance', 'List partner companies for the knowledge alliance'), ownerName: '', department: 'company_relations', dueDate: '2027-01-31', source: 'proposal', sourceId: alliance, sourceLabel: l('Alliance de la connaissance', 'Knowledge alliance') });
  board.actions.create({ title: l('Intégrer les principes du Programme dans la refonte de l’ERP', 'Build the Programme’s principles into the ERP overhaul'), ownerName: '', department: 'studies', dueDate: '2027-06-30', source: 'roadmap', sourceId: r1, sourceLabel: l('Mobilité', 'Mobility'), policyObjectives: ['3.2'] });

  // What the school keeps to itself: budgets, internal notes and the sign-off discussion.
  const budget = (cardId: string, euros: number) => internal.updateProposal(cardId, { budgetEstimate: euros });
  const notes = (text: Y.Text, content: string) => text.insert(0, content);
  const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
  const discuss = (cardId: string, text: string, days: number) =>
    internal.addDiscussionEntry(cardId, { authorId: owner.id, authorName: owner.name, text, at: daysAgo(days) });

  notes(
    internal.notes,
    l(
      'Enveloppe propre du SRI pour 2026-2027 : 60 000 € (hors subventions Erasmus+).\nPriorité de l’année : la mobilité d’études (6 par an depuis 2 ans), puis les doubles diplômes.\nLes budgets ci-dessous sont des estimations pour la durée de chaque projet, cofinancements compris ; ils ne sont pas partagés avec les partenaires.',
      'The SRI’s own envelope for 2026-2027: €60,000 (Erasmus+ grants not included).\nThis year’s priority: study mobility (6 a year for the past 2 years), then double degrees.\nThe budgets below are estimates over each project’s duration, co-funding included; they are not shared with partners.',
    ),
  );
  budget(shortMobility, 36_000);
  notes(
    internal.proposalNotesText(shortMobility),
    l('4 départs en mobilité courte prévus en 2026-2027 (2 à Porto, 2 à Dortmund), 12 sur la durée du projet : bourses Erasmus+ (environ 3 000 € par étudiant) complétées par l’aide régionale.', '4 short-mobility departures planned in 2026-2027 (2 to Porto, 2 to Dortmund), 12 over the project’s duration: Erasmus+ grants (about €3,000 per student) topped up by the regional grant.'),
  );
  budget(strategic, 250_000);
  notes(
    internal.proposalNotesText(strategic),
    l(
      'Viser un partenariat de coopération Erasmus+ au forfait de 250 000 € ; Porto coordonnerait. Part de l’école : environ 70 000 € (programme intensif, missions d’enseignants).',
      'Aim for an Erasmus+ cooperation partnership at the €250,000 lump sum; Porto would coordinate. The school’s share: about €70,000 (intensive programme, teacher missions).',
    ),
  );
  discuss(
    strategic,
    l('Direction de la recherche : pouvez-vous confirmer le temps de chercheur disponible en 2027-2028 avant votre visa de cadrage ?', 'Research directorate: can you confirm the researcher time available in 2027-2028 before your framing sign-off?'),
    6,
  );
  budget(sherbrookeDd, 24_000);
  notes(
    internal.proposalNotesText(sherbrookeDd),
    l('Sherbrooke demande 2 semestres chez eux : compatible avec la règle de la CTI (3 semestres en France). Frais de scolarité : exonération réciproque à négocier.', 'Sherbrooke asks for 2 semesters there: compatible with the CTI rule (3 semesters in France). Tuition: a reciprocal waiver to negotiate.'),
  );
  discuss(
    sherbrookeDd,
    l('Direction des études : le parcours S5-S10 proposé convient-il pour la reconnaissance des crédits ? Le budget couvre 2 missions de cadrage et des bourses complémentaires.', 'Studies directorate: does the proposed S5-S10 plan work for credit recognition? The budget covers 2 framing missions and top-up grants.'),
    4,
  );
  budget(alliance, 450_000);
  notes(
    internal.proposalNotesText(alliance),
    l('Sur 3 ans, dont environ 40 % apportés en nature par les entreprises (intervenants, équipements). Ne pas évoquer les montants avec les entreprises avant le visa du service des relations entreprises.', 'Over 3 years, about 40% of it in kind from the companies (lecturers, equipment). Do not discuss amounts with the companies before the company-relations sign-off.'),
  );
  discuss(
    alliance,
    l('Service des relations entreprises et des stages : quelles entreprises accepteraient d’entrer dans le consortium ? À voir avant l’examen du SRI.', 'Company relations & internships: which companies would join the consortium? To settle before the SRI review.'),
    2,
  );
  budget(capacity, 180_000);
  notes(
    internal.proposalNotesText(capacity),
    l(
      'Financement visé : Erasmus+ renforcement des capacités de l’enseignement supérieur. Postes : missions d’enseignants-chercheurs à Yaoundé (2 × 10 jours par an), formation de formateurs, ingénierie de programme.',
      'Funding sought: Erasmus+ capacity building in higher education. Items: teacher-researcher missions to Yaoundé (2 × 10 days a year), training of trainers, programme design.',
    ),
  );
  discuss(
    capacity,
    l('Admissions : l’accueil d’étudiants camerounais n’est prévu qu’après la phase de formation des enseignants ; rien à budgéter de votre côté avant 2028.', 'Admissions: hosting Cameroonian students only comes after the teacher-training phase; nothing to budget on your side before 2028.'),
    1,
  );

  const boardId = newId();
  const now = new Date().toISOString();
  // The internal document first: a board is never stored before the budgets it no longer holds.
  await documents.append(internalDocName(boardId), Y.encodeStateAsUpdate(internalDoc));
  const boardSeq = await documents.append(boardId, Y.encodeStateAsUpdate(boardDoc));
  // Its first screen, as the board's kind stores it at each compaction: the board's page carries it
  // from the very first visit.
  await documents.putSummary(boardId, JSON.stringify(readFirstScreen(boardDoc)), boardSeq);
  // The proposals' drafted texts, before the board is listed: nobody opens them half-written.
  for (const proposal of board.listProposals()) {
    for (const { name, update } of demoProposalDocuments(boardId, proposal.id, proposal.actionType, owner.name)) await documents.append(name, update);
  }
  await directory.createBoard({ id: boardId, title: DEMO_BOARD_TITLE[language], createdBy: owner.id, createdAt: now, updatedAt: now });
  options.logger.info({ boardId, language }, 'demo workspace created');
  return true;
}
