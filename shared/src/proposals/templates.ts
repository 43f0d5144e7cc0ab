/**
 * The proposal templates the product ships: the Erasmus+ 2021-2027 actions the school's policy
 * statement plans for (under their current names, with the statement's older names as aliases), the
 * school's double-degree agreements and its Erasmus policy statement. Character limits are the
 * programme's (characters including spaces); null where the programme sets none per section.
 */
import type { ActionType } from '../domain/vocabulary.js';
import { parseTemplate, type ProposalTemplate, type TemplateSectionInput } from './template.js';

/** The internal assessment every funded proposal goes through before the school commits to it. */
const internalAssessment: TemplateSectionInput = {
  id: 'internal-assessment',
  title: { fr: 'Évaluation interne', en: 'Internal assessment' },
  guidance: {
    fr: 'L’avis du SRI et des services concernés avant l’engagement de l’école : cohérence avec la stratégie internationale et les priorités de modernisation, charge de travail par service, risques, points à négocier avec les partenaires. Concluez par une recommandation (déposer, reporter, renoncer) à soumettre à la direction. Jamais visible des invités partenaires.',
    en: 'The view of the SRI and the services concerned before the school commits: fit with the international strategy and the modernisation priorities, workload per service, risks, points to negotiate with the partners. End with a recommendation (submit, postpone, drop) for the school’s management. Never shown to partner guests.',
  },
  charLimit: null,
  internal: true,
  defaultOwner: 'sri',
};

/** A budget justification for the school's own reasoning; `guidance` says how the action is funded. */
function budgetJustification(guidance: { fr: string; en: string }): TemplateSectionInput {
  return {
    id: 'budget-justification',
    title: { fr: 'Justification du budget', en: 'Budget justification' },
    guidance: {
      fr: `${guidance.fr} Jamais visible des invités partenaires.`,
      en: `${guidance.en} Never shown to partner guests.`,
    },
    charLimit: null,
    internal: true,
    defaultOwner: 'sri',
  };
}

/** Sections shared with the partners (never internal), all with the same limit: the programme’s for its form, or none. */
function sharedSections(charLimit: number | null, sections: readonly Omit<TemplateSectionInput, 'charLimit' | 'internal'>[]): TemplateSectionInput[] {
  return sections.map((section) => ({ ...section, charLimit, internal: false }));
}

/** Erasmus+ Key Action 2: cooperation partnership in higher education (formerly strategic partnership). */
const cooperationPartnership = parseTemplate({
  id: 'cooperation-partnership-hed',
  programme: 'erasmus_plus_2021_2027',
  actionCode: 'KA220-HED',
  name: { fr: 'Partenariat de coopération dans l’enseignement supérieur', en: 'Cooperation partnership in higher education' },
  aliases: [
    { fr: 'Partenariat stratégique', en: 'Strategic partnership' },
    { fr: 'Partenariat stratégique multilatéral', en: 'Multilateral strategic partnership' },
    { fr: 'KA203 – Partenariat stratégique pour l’enseignement supérieur', en: 'KA203 – Strategic partnership for higher education' },
  ],
  actionType: 'strategic_partnership',
  sections: [
    ...sharedSections(5000, [
      {
        id: 'context',
        title: { fr: 'Contexte', en: 'Context' },
        guidance: {
          fr: 'Titre, acronyme, dates et durée du projet (de 12 à 36 mois), agence nationale qui évalue la candidature (pour la France, l’Agence Erasmus+ France / Éducation Formation) et langue de rédaction. Le titre doit dire en quelques mots ce que le projet change : les évaluateurs le lisent avant tout le reste.',
          en: 'Title, acronym, dates and duration of the project (12 to 36 months), the National Agency that assesses the application (in France, Agence Erasmus+ France / Éducation Formation) and the language it is written in. The title should say in a few words what the project changes: evaluators read it before anything else.',
        },
        defaultOwner: 'sri',
      },
      {
        id: 'participating-organisations',
        title: { fr: 'Organisations participantes', en: 'Participating organisations' },
        guidance: {
          fr: 'Au moins trois organisations de trois pays différents (États membres de l’UE ou pays tiers associés au Programme). Pour chacune : son activité, son expérience dans le domaine du projet, les personnes clés et ce qu’elle apporte. Les évaluateurs vérifient que chaque partenaire a un rôle réel et les compétences qu’il exige ; pour l’ESCOM, mettez en avant la chimie verte, le génie des procédés et la participation à PIVERT.',
          en: 'At least three organisations from three different countries (EU Member States or third countries associated to the Programme). For each: what it does, its experience in the project’s field, its key people and what it brings. Evaluators check that every partner has a real role and the skills for it; for ESCOM, put forward green chemistry, process engineering and the school’s part in PIVERT.',
        },
        defaultOwner: 'sri',
      },
      {
        id: 'relevance',
        title: { fr: 'Pertinence du projet et priorités', en: 'Relevance of the project and priorities' },
        guidance: {
          fr: 'Choisissez au moins une priorité européenne (une priorité horizontale comme l’inclusion, le numérique ou l’environnement, ou une priorité propre à l’enseignement supérieur) et jusqu’à trois thèmes, puis montrez par une analyse des besoins comment le projet y répond. Reliez-le aux cinq priorités de modernisation de notre déclaration de politique Erasmus (compétences et programmes ; publics diversifiés et qualité ; mobilité et reconnaissance ; recherche et technologies durables ; entreprises créatrices de valeur). Critère noté sur 30 points : innovation, complémentarité avec d’autres initiatives et valeur ajoutée européenne.',
          en: 'Choose at least one European priority (a horizontal priority such as inclusion, digital or the environment, or a priority specific to higher education) and up to three topics, then show through a needs analysis how the project answers them. Link it to the five modernisation priorities of our Erasmus policy statement (skills and programmes; diverse audiences and quality; mobility and recognition; research and sustainable technologies; companies as creators of value). Scored out of 30 points: innovation, complementarity with other initiatives and European added value.',
        },
        defaultOwner: 'sri',
      },
      {
        id: 'partnership-cooperation',
        title: { fr: 'Partenariat et modalités de coopération', en: 'Partnership and cooperation arrangements' },
        guidance: {
          fr: 'Pourquoi ces partenaires, ce qu’ils apportent les uns aux autres et comment les tâches sont réparties. Décrivez la coordination et la communication (réunions, outils, prise de décision) et la place des organisations qui participent pour la première fois au Programme. Critère noté sur 20 points : les évaluateurs attendent un partenariat équilibré où chacun contribue.',
          en: 'Why these partners, what they bring each other and how tasks are shared. Describe coordination and communication (meetings, tools, decision-making) and the role of organisations taking part in the Programme for the first time. Scored out of 20 points: evaluators expect a balanced partnership to which every member contributes.',
        },
        defaultOwner: 'sri',
      },
      {
        id: 'project-design',
        title: { fr: 'Conception et mise en œuvre du projet (lots de travail)', en: 'Project design and implementation (work packages)' },
        guidance: {
          fr: 'Le lot 1 (gestion de projet) couvre le suivi, la qualité, les risques et la gestion du budget ; chaque autre lot de travail précise ses objectifs, ses résultats attendus et leurs indicateurs, ses activités, le partenaire responsable et sa part du forfait. Il est recommandé de ne pas dépasser cinq lots, gestion comprise. Critère noté sur 20 points : cohérence entre objectifs, activités et budget, calendrier réaliste, méthodes de suivi et d’évaluation.',
          en: 'Work package 1 (project management) covers monitoring, quality, risks and budget management; every other work package gives its objectives, expected results and their indicators, activities, lead partner and share of the lump sum. No more than five work packages, management included, is recommended. Scored out of 20 points: consistency between objectives, activities and budget, a realistic schedule, monitoring and evaluation methods.',
        },
        defaultOwner: 'studies',
      },
      {
        id: 'impact',
        title: { fr: 'Impact', en: 'Impact' },
        guidance: {
          fr: 'Comment les résultats seront utilisés par les partenaires et au-delà, comment ils seront diffusés (à qui, par quels canaux, en libre accès) et comment ils dureront après la fin du financement. Donnez des indicateurs mesurables pour les étudiants, les personnels et les établissements. Critère noté sur 30 points : avec la pertinence, c’est celui qui pèse le plus.',
          en: 'How the partners and others will use the results, how they will be shared (with whom, through which channels, in open access) and how they will last once funding ends. Give measurable indicators for students, staff and institutions. Scored out of 30 points: with relevance, the criterion that weighs most.',
        },
        defaultOwner: 'sri',
      },
      {
        id: 'summary',
        title: { fr: 'Résumé du projet', en: 'Project summary' },
        guidance: {
          fr: 'Objectifs, mise en œuvre et résultats attendus, en langage clair pour un lecteur qui ne connaît pas le projet. Le résumé est publié sur la plateforme des résultats de projets Erasmus+ si le projet est retenu ; une version anglaise est demandée lorsque la candidature est rédigée dans une autre langue. Rédigez-le en dernier.',
          en: 'Objectives, implementation and expected results, in plain language for a reader who does not know the project. The summary is published on the Erasmus+ Project Results Platform if the project is selected; an English version is required when the application is written in another language. Write it last.',
        },
        defaultOwner: 'sri',
      },
    ]),
    budgetJustification({
      fr: 'Le partenariat de coopération est financé par un forfait (120 000, 250 000 ou 400 000 €) réparti entre les lots de travail. Justifiez ici, pour l’école, le forfait choisi et la part de l’ESCOM : temps des personnels par service, missions, événements, productions.',
      en: 'A cooperation partnership is funded by a lump sum (EUR 120,000, 250,000 or 400,000) shared among the work packages. Justify here, for the school, the lump sum chosen and ESCOM’s share: staff time per service, travel, events, deliverables.',
    }),
    internalAssessment,
  ],
});

/** The executive agency's part B (alliances, capacity building): the headings its calls share and its limit, in pages for the whole. */
const PART_B = {
  pages: {
    fr: 'La partie B de la candidature est limitée en nombre de pages pour l’ensemble (voir l’appel de l’année), pas section par section.',
    en: 'Part B of the application is limited in pages as a whole (see the year’s call), not section by section.',
  },
  relevance: { fr: 'Pertinence', en: 'Relevance' },
  design: { fr: 'Qualité de la conception et de la mise en œuvre', en: 'Quality of the project design and implementation' },
  partnership: { fr: 'Qualité du partenariat et des modalités de coopération', en: 'Quality of the partnership and cooperation arrangements' },
};

/** Part B's work plan; `advice` adds what this action's plan must show. */
function partBWorkPlan(advice: { fr: string; en: string }): Omit<TemplateSectionInput, 'charLimit' | 'internal'> {
  return {
    id: 'work-plan',
    title: { fr: 'Plan de travail, lots, activités, ressources et calendrier', en: 'Work plan, work packages, activities, resources and timing' },
    guidance: {
      fr: `Les lots de travail avec leurs objectifs, leurs activités, le partenaire responsable, les livrables et les jalons, dans un calendrier. ${advice.fr}`,
      en: `The work packages with their objectives, activities, lead partner, deliverables and milestones, on a timeline. ${advice.en}`,
    },
    defaultOwner: 'sri',
  };
}

/**
 * Erasmus+ partnerships for innovation, Lot 1 (formerly knowledge alliance): higher education,
 * vocational training and companies together. The company-relations and internships service must
 * be involved (the policy statement says so), so it owns at least one section.
 */
const allianceForInnovation = parseTemplate({
  id: 'alliance-for-innovation',
  programme: 'erasmus_plus_2021_2027',
  actionCode: 'ERASMUS-EDU-PI-ALL-INNO-EDU-ENTERP',
  name: {
    fr: 'Alliance pour l’innovation (volet 1 : alliances pour l’éducation et les entreprises)',
    en: 'Alliance for innovation (Lot 1: Alliances for Education and Enterprises)',
  },
  aliases: [
    { fr: 'Alliance de la connaissance', en: 'Knowledge alliance' },
    { fr: 'Alliance sectorielle avec des entreprises', en: 'Sector-specific alliance with companies' },
  ],
  actionType: 'knowledge_alliance',
  requiredOwners: ['company_relations'],
  sections: [
    ...sharedSections(null, [
      {
        id: 'relevance',
        title: PART_B.relevance,
        guidance: {
          fr: `Le contexte et les objectifs généraux, l’analyse des besoins du secteur (ici la chimie verte et le génie des procédés) et les objectifs précis qui en découlent. Les évaluateurs cherchent le caractère innovant, la valeur ajoutée européenne et le lien avec les priorités de l’Union (transition écologique, innovation, esprit d’entreprise) ; reliez-les aux priorités 2, 4 et 5 de notre déclaration de politique Erasmus. ${PART_B.pages.fr}`,
          en: `The background and general objectives, the needs analysis of the sector (here green chemistry and process engineering) and the specific objectives that follow from it. Evaluators look for innovation, European added value and the link with the Union’s priorities (green transition, innovation, entrepreneurship); link them to priorities 2, 4 and 5 of our Erasmus policy statement. ${PART_B.pages.en}`,
        },
        defaultOwner: 'sri',
      },
      {
        id: 'design-implementation',
        title: PART_B.design,
        guidance: {
          fr: 'Le concept et la méthode : comment établissements et entreprises conçoivent ensemble de nouvelles formations, des approches pédagogiques et des compétences d’entrepreneuriat. Décrivez la gestion du projet, l’assurance qualité, le suivi et l’évaluation, les équipes et leurs compétences, le rapport coût-efficacité et la gestion des risques. Les évaluateurs veulent voir des entreprises qui participent à la conception, pas seulement aux stages.',
          en: 'The concept and method: how institutions and companies design new courses, teaching approaches and entrepreneurial skills together. Describe project management, quality assurance, monitoring and evaluation, the teams and their skills, cost-effectiveness and risk management. Evaluators want to see companies taking part in the design, not only in internships.',
        },
        defaultOwner: 'studies',
      },
      {
        id: 'partnership',
        title: PART_B.partnership,
        guidance: {
          fr: 'La composition du consortium et le rôle de chacun, la prise de décision et la coordination. L’appel impose un minimum de partenaires de plein droit et de pays, avec des acteurs du marché du travail et des établissements d’enseignement et de formation (vérifiez les chiffres de l’appel de l’année). Le service des relations avec les entreprises et des stages, qui connaît les entreprises partenaires de l’école (apprentissage, stages, intervenants), rédige cette section.',
          en: 'The make-up of the consortium and each member’s role, decision-making and coordination. The call sets a minimum number of full partners and countries, with labour-market actors and education and training providers (check the figures in the year’s call). The company-relations and internships service, which knows the school’s partner companies (apprenticeships, internships, guest speakers), writes this section.',
        },
        defaultOwner: 'company_relations',
      },
      {
        id: 'impact',
        title: { fr: 'Impact', en: 'Impact' },
        guidance: {
          fr: 'L’impact attendu et son ambition pour les étudiants, les entreprises et le secteur ; la communication, la diffusion et la visibilité du financement de l’Union ; la durabilité des résultats après le projet. Les évaluateurs attendent des indicateurs chiffrés et un plan d’exploitation des résultats par les entreprises.',
          en: 'The expected impact and its ambition for students, companies and the sector; communication, dissemination and visibility of the Union’s funding; how results will last after the project. Evaluators expect quantified indicators and a plan for companies to take up the results.',
        },
        defaultOwner: 'sri',
      },
      partBWorkPlan({
        fr: 'Chaque livrable doit être vérifiable ; les ressources (mois-personnes, sous-traitance) doivent correspondre aux activités.',
        en: 'Every deliverable must be verifiable; resources (person-months, subcontracting) must match the activities.',
      }),
    ]),
    budgetJustification({
      fr: 'L’alliance est financée par une subvention forfaitaire calculée sur le budget détaillé de la candidature. Justifiez ici, pour l’école, la part de l’ESCOM par lot de travail : temps des enseignants et des services, déplacements, événements avec les entreprises.',
      en: 'The alliance is funded by a lump-sum grant worked out from the application’s detailed budget. Justify here, for the school, ESCOM’s share per work package: teachers’ and services’ time, travel, events with the companies.',
    }),
    internalAssessment,
  ],
});

/** Erasmus+ capacity building in higher education, with institutions of third countries not associated to the Programme. */
const capacityBuilding = parseTemplate({
  id: 'capacity-building-hed',
  programme: 'erasmus_plus_2021_2027',
  actionCode: 'ERASMUS-EDU-CBHE',
  name: { fr: 'Renforcement des capacités dans le domaine de l’enseignement supérieur', en: 'Capacity building in the field of higher education' },
  aliases: [
    { fr: 'Renforcement des capacités (action clé 2)', en: 'Capacity building (Key Action 2)' },
    { fr: 'Projet de « capacity building »', en: 'Capacity-building project' },
    { fr: 'CBHE', en: 'CBHE' },
  ],
  actionType: 'capacity_building',
  sections: [
    ...sharedSections(null, [
      {
        id: 'relevance',
        title: PART_B.relevance,
        guidance: {
          fr: `Les besoins des établissements partenaires des pays tiers et la manière dont le projet y répond, en cohérence avec les priorités de leur région et de leur pays. Précisez le volet de l’appel choisi et pourquoi. Les évaluateurs vérifient que le projet renforce les établissements partenaires eux-mêmes : pour le Cameroun, l’appui à la construction de programmes et la formation d’enseignants-chercheurs, avant l’accueil d’étudiants en France. ${PART_B.pages.fr}`,
          en: `The needs of the partner institutions in third countries and how the project answers them, consistently with their region’s and country’s priorities. Say which strand of the call you apply to and why. Evaluators check that the project strengthens the partner institutions themselves: for Cameroon, support for building programmes and training teacher-researchers, before students are welcomed in France. ${PART_B.pages.en}`,
        },
        defaultOwner: 'sri',
      },
      {
        id: 'design-implementation',
        title: PART_B.design,
        guidance: {
          fr: 'La méthode : conception ou refonte de programmes, formation des enseignants, missions d’enseignement, équipement éventuel, assurance qualité et suivi. Les activités se déroulent pour l’essentiel dans les pays partenaires ; montrez qu’objectifs, activités et budget se tiennent et que les risques sont prévus.',
          en: 'The method: designing or reforming programmes, training teachers, teaching assignments, any equipment, quality assurance and monitoring. Activities mostly take place in the partner countries; show that objectives, activities and budget hold together and that risks are planned for.',
        },
        defaultOwner: 'studies',
      },
      {
        id: 'partnership',
        title: PART_B.partnership,
        guidance: {
          fr: 'Les établissements européens et ceux des pays partenaires, leur rôle et leur complémentarité ; la coordination, la prise de décision et la communication. L’appel fixe un nombre minimal d’établissements par pays (vérifiez l’appel de l’année). Les évaluateurs attendent des établissements partenaires qui décident, pas seulement qui reçoivent.',
          en: 'The European institutions and those of the partner countries, their roles and how they complement each other; coordination, decision-making and communication. The call sets a minimum number of institutions per country (check the year’s call). Evaluators expect partner institutions that take decisions, not only receive.',
        },
        defaultOwner: 'sri',
      },
      {
        id: 'sustainability',
        title: { fr: 'Durabilité et impact', en: 'Sustainability and impact' },
        guidance: {
          fr: 'Ce qui restera aux établissements partenaires après le projet (programmes accrédités, enseignants formés, services créés), comment les résultats seront diffusés et transférés à d’autres pays, éventuellement en Afrique du Nord comme l’envisage notre déclaration de politique Erasmus. Donnez des indicateurs mesurables.',
          en: 'What the partner institutions will keep after the project (accredited programmes, trained teachers, new services), how the results will be shared and transferred to other countries, possibly in North Africa as our Erasmus policy statement foresees. Give measurable indicators.',
        },
        defaultOwner: 'sri',
      },
      partBWorkPlan({
        fr: 'Prévoyez les missions des enseignants des spécialités et les périodes de formation des enseignants partenaires.',
        en: 'Plan the specialty teachers’ assignments and the training periods of the partner teachers.',
      }),
    ]),
    budgetJustification({
      fr: 'Le projet est financé par une subvention forfaitaire calculée sur le budget détaillé de la candidature. Justifiez ici, pour l’école, la part de l’ESCOM : missions d’enseignement, accueil d’enseignants partenaires, temps des services.',
      en: 'The project is funded by a lump-sum grant worked out from the application’s detailed budget. Justify here, for the school, ESCOM’s share: teaching assignments, hosting partner teachers, services’ time.',
    }),
    internalAssessment,
  ],
});

/**
 * A double-degree agreement the school signs with a partner: no funding programme, no character
 * limits. The CTI rule (at least 3 semesters in France by default) is checked on the proposal's plan.
 */
const doubleDegree = parseTemplate({
  id: 'double-degree-agreement',
  programme: 'bilateral_agreement',
  actionCode: null,
  name: { fr: 'Accord de double diplôme', en: 'Double-degree agreement' },
  aliases: [
    { fr: 'Double diplôme de niveau master', en: 'Master’s-level double degree' },
    { fr: 'Convention de double diplôme', en: 'Double-degree convention' },
  ],
  actionType: 'double_degree',
  sections: [
    ...sharedSections(null, [
      {
        id: 'programme-structure',
        title: { fr: 'Structure du parcours', en: 'Programme structure' },
        guidance: {
          fr: 'Le parcours semestre par semestre : où chaque semestre se déroule, les crédits ECTS, les cours et le stage. La Commission des titres d’ingénieur (CTI) impose aux élèves ingénieurs au moins 3 semestres en France (minimum réglable par espace de travail, vérifié sur le plan de la proposition), en plus des exigences du pays partenaire ; le parcours doit respecter les deux.',
          en: 'The programme semester by semester: where each semester takes place, ECTS credits, courses and the internship. The Commission des titres d’ingénieur (CTI) requires engineering students to spend at least 3 semesters in France (a minimum each workspace can set, checked on the proposal’s plan), on top of the partner country’s own requirements; the programme must meet both.',
        },
        defaultOwner: 'studies',
      },
      {
        id: 'admission-selection',
        title: { fr: 'Admission et sélection', en: 'Admission and selection' },
        guidance: {
          fr: 'Qui peut candidater, à quel moment du cursus, sur quels critères et avec quel jury commun ; le nombre de places dans chaque sens. Précisez qui instruit les dossiers de part et d’autre.',
          en: 'Who may apply, at what point of their studies, on which criteria and with which joint panel; the number of places each way. Say who reviews applications on each side.',
        },
        defaultOwner: 'admissions',
      },
      {
        id: 'recognition',
        title: { fr: 'Reconnaissance des études', en: 'Recognition of studies' },
        guidance: {
          fr: 'Comment les semestres effectués chez le partenaire sont reconnus : contrat d’études, crédits ECTS, table de conversion des notes, rattrapages. La reconnaissance doit être acquise avant le départ.',
          en: 'How the semesters spent at the partner are recognised: learning agreement, ECTS credits, grade conversion table, resits. Recognition must be agreed before departure.',
        },
        defaultOwner: 'studies',
      },
      {
        id: 'fees',
        title: { fr: 'Frais de scolarité', en: 'Tuition fees' },
        guidance: {
          fr: 'Où les étudiants acquittent leurs frais de scolarité et d’inscription (en général dans leur seul établissement d’origine) ; les frais annexes, les bourses et l’assurance. Indiquez si l’équilibre des flux conditionne l’exonération.',
          en: 'Where students pay their tuition and registration fees (usually at their home institution only); other costs, grants and insurance. Say whether the fee waiver depends on balanced flows.',
        },
        defaultOwner: 'sri',
      },
      {
        id: 'diploma',
        title: { fr: 'Diplômes délivrés', en: 'Degrees awarded' },
        guidance: {
          fr: 'Les deux diplômes délivrés et leurs conditions : le diplôme d’ingénieur de l’ESCOM, accrédité par la CTI, et celui du partenaire ; le supplément au diplôme ; ce qui se passe si un étudiant ne remplit les conditions que d’un côté.',
          en: 'The two degrees awarded and their conditions: ESCOM’s engineering degree, accredited by the CTI, and the partner’s; the diploma supplement; what happens when a student meets the conditions on one side only.',
        },
        defaultOwner: 'studies',
      },
      {
        id: 'language',
        title: { fr: 'Langues', en: 'Languages' },
        guidance: {
          fr: 'Les langues d’enseignement de part et d’autre, le niveau exigé à l’entrée (niveaux du CECRL) et l’accompagnement linguistique. Rappelez que la CTI exige un niveau B2 en anglais pour le diplôme d’ingénieur.',
          en: 'The languages of instruction on each side, the level required on entry (CEFR levels) and language support. Recall that the CTI requires a B2 level in English for the engineering degree.',
        },
        defaultOwner: 'studies',
      },
      {
        id: 'governance',
        title: { fr: 'Gouvernance et suivi', en: 'Governance and follow-up' },
        guidance: {
          fr: 'Les coordinateurs de chaque établissement, le comité de suivi et son rythme, la durée de l’accord, son renouvellement et sa résiliation. À l’ESCOM, le SRI assure le suivi des accords.',
          en: 'Each institution’s coordinators, the steering committee and how often it meets, the agreement’s duration, renewal and termination. At ESCOM, the SRI follows up the agreements.',
        },
        defaultOwner: 'sri',
      },
    ]),
    internalAssessment,
  ],
});

/**
 * The school's Erasmus policy statement, part of its Erasmus Charter for Higher Education, in the
 * structure of the school's own statement: strategy, cooperation projects, impact on modernisation.
 * It serves every kind of proposal, so it has no action type.
 */
const policyStatement = parseTemplate({
  id: 'erasmus-policy-statement',
  programme: 'erasmus_plus_2021_2027',
  actionCode: 'ECHE',
  name: { fr: 'Déclaration en matière de politique Erasmus', en: 'Erasmus Policy Statement' },
  aliases: [
    { fr: 'Déclaration de politique Erasmus (EPS)', en: 'EPS' },
    { fr: 'Charte Erasmus pour l’enseignement supérieur (ECHE)', en: 'Erasmus Charter for Higher Education (ECHE)' },
  ],
  actionType: null,
  sections: [
    ...sharedSections(5000, [
      {
        id: 'international-strategy',
        title: { fr: 'Notre stratégie internationale', en: 'Our international strategy' },
        guidance: {
          fr: 'La stratégie internationale de l’établissement : comment les partenaires sont choisis, dans quelles régions du monde, pour quels publics (étudiants, apprentis, doctorants, enseignants-chercheurs, personnels) et avec quels objectifs de mobilité et de coopération. Les évaluateurs de la charte vérifient la cohérence entre la stratégie, la taille de l’établissement et les moyens annoncés.',
          en: 'The institution’s international strategy: how partners are chosen, in which world regions, for which people (students, apprentices, PhD students, teacher-researchers, staff) and with which mobility and cooperation objectives. The charter’s evaluators check that the strategy, the institution’s size and the means it announces are consistent.',
        },
        defaultOwner: 'sri',
      },
      {
        id: 'cooperation-projects',
        title: {
          fr: 'Organisation et mise en œuvre de projets de coopération européenne et internationale dans l’enseignement et la formation',
          en: 'Organisation and implementation of European and international cooperation projects in education and training',
        },
        guidance: {
          fr: 'Les projets de coopération envisagés dans le cadre du Programme et la manière dont l’établissement les organise : qui les étudie en amont (le SRI), quels services les cadrent, qui suit les accords et qui met en œuvre les actions. Montrez un circuit clair, du dépôt à la mise en œuvre.',
          en: 'The cooperation projects planned under the Programme and how the institution organises them: who reviews them first (the SRI), which services frame them, who follows up the agreements and who implements the actions. Show a clear path from submission to implementation.',
        },
        defaultOwner: 'sri',
      },
      {
        id: 'modernisation-impact',
        title: {
          fr: 'Impact escompté de notre participation au Programme sur la modernisation de notre établissement',
          en: 'Expected impact of our participation in the Programme on the modernisation of our institution',
        },
        guidance: {
          fr: 'Les objectifs de modernisation et d’internationalisation que la participation au Programme doit servir, rangés par priorité, avec des cibles mesurables (par exemple le nombre de mobilités d’études par an). Les évaluateurs attendent des engagements concrets et suivis.',
          en: 'The modernisation and internationalisation objectives that taking part in the Programme must serve, grouped by priority, with measurable targets (for example the number of study mobilities per year). Evaluators expect concrete commitments that are followed up.',
        },
        defaultOwner: 'sri',
      },
    ]),
  ],
});

/** The templates in the order the product offers them. */
export const PROPOSAL_TEMPLATES: readonly ProposalTemplate[] = [cooperationPartnership, allianceForInnovation, capacityBuilding, doubleDegree, policyStatement];

/** A shipped template by id. */
export function findTemplate(id: string): ProposalTemplate | undefined {
  return PROPOSAL_TEMPLATES.find((template) => template.id === id);
}

/** The template a proposal of this kind is written in, if the product ships one. */
export function templateForActionType(actionType: ActionType): ProposalTemplate | undefined {
  return PROPOSAL_TEMPLATES.find((template) => template.actionType === actionType);
}
