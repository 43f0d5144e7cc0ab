/**
 * The demo's drafted sections: what the school's services would write into the cooperation
 * partnership, the alliance for innovation and the double-degree agreement, drawn from the school's
 * Erasmus policy statement (the French original's meaning: its priorities, partners, green chemistry,
 * PIVERT, the involvement of companies, its mobility figures). Each section is drafted in French and
 * in English, as blocks the editor turns into rich text, within its template's character limit.
 */
import type { DraftBlock, ProposalDraft, SectionDraft } from '@passerelle/shared';

const p = (text: string): DraftBlock => ({ type: 'paragraph', text });
const h = (text: string): DraftBlock => ({ type: 'heading', text });
const ul = (...items: string[]): DraftBlock => ({ type: 'bullets', items });
/** A section drafted as one paragraph in each language. */
const paragraph = (fr: string, en: string): SectionDraft => ({ fr: [p(fr)], en: [p(en)] });

/** KA220-HED: multilateral partnership in green chemistry and process engineering with Porto, Dortmund and Sherbrooke. */
export const COOPERATION_PARTNERSHIP_DRAFT: ProposalDraft = {
  templateId: 'cooperation-partnership-hed',
  sections: {
    context: {
      fr: [
        p('Titre : Parcours européens par compétences en chimie verte et génie des procédés (acronyme GREENPATH).'),
        p('Durée : 36 mois, du 1er septembre 2027 au 31 août 2030. Candidature déposée auprès de l’Agence Erasmus+ France / Éducation Formation par l’ESCOM, coordinatrice, et rédigée en français ; le résumé est fourni aussi en anglais.'),
        p('Le projet prolonge les accords de mobilité de l’école avec ses partenaires européens vers une coopération durable : un référentiel de compétences commun, des modules partagés, une mobilité courte d’études et des parcours de double diplôme de niveau master.'),
      ],
      en: [
        p('Title: European skills-based pathways in green chemistry and process engineering (acronym GREENPATH).'),
        p('Duration: 36 months, from 1 September 2027 to 31 August 2030. Application submitted to Agence Erasmus+ France / Éducation Formation by ESCOM, the coordinator, and written in French; the summary is also provided in English.'),
        p('The project takes the school’s mobility agreements with its European partners further, into lasting cooperation: a shared skills framework, shared modules, short study mobility and master’s-level double-degree pathways.'),
      ],
    },
    'participating-organisations': {
      fr: [
        h('ESCOM (France), coordinatrice'),
        p('École d’ingénieurs en chimie de taille modeste, centrée sur la chimie verte et le génie des procédés. Son service des relations internationales (SRI), créé il y a deux ans, a formalisé une stratégie fondée sur un nombre restreint de partenaires choisis pour leur pertinence. L’école forme aussi 60 apprentis et participe en tant que partenaire académique au projet d’excellence PIVERT, financé par l’État sur 10 ans (Investissements d’avenir). Elle coordonne le projet et conduit le lot sur la reconnaissance et les parcours de double diplôme.'),
        h('Universidade do Porto – Faculdade de Engenharia (Portugal)'),
        p('Partenaire Erasmus historique de l’école pour la mobilité d’études en génie chimique et génie des procédés. Elle apporte son expérience des programmes par compétences et conduit le lot sur le référentiel de compétences.'),
        h('Technische Universität Dortmund (Allemagne)'),
        p('Université technique reconnue en génie des procédés, avec de solides liens industriels. Elle conduit le lot sur la diffusion et l’implication des entreprises.'),
        h('Université de Sherbrooke (Canada)'),
        p('Partenaire d’un pays tiers non associé au Programme, avec lequel l’école prépare un double diplôme de master. Sa participation apporte une valeur ajoutée essentielle : son expérience de l’alternance travail-études et des doubles diplômes avec des écoles d’ingénieurs françaises.'),
      ],
      en: [
        h('ESCOM (France), coordinator'),
        p('A small chemistry engineering school focused on green chemistry and process engineering. Its international relations office (SRI), set up two years ago, formalised a strategy built on a small number of partners chosen for their relevance. The school also trains 60 apprentices and takes part, as an academic partner, in the PIVERT excellence project, funded by the French State over a 10-year period (Investissements d’avenir). It coordinates the project and leads the work package on recognition and double-degree pathways.'),
        h('Universidade do Porto – Faculdade de Engenharia (Portugal)'),
        p('The school’s long-standing Erasmus partner for study mobility in chemical and process engineering. It brings its experience of skills-based programmes and leads the work package on the skills framework.'),
        h('Technische Universität Dortmund (Germany)'),
        p('A technical university known for process engineering, with strong links with industry. It leads the work package on dissemination and the involvement of companies.'),
        h('Université de Sherbrooke (Canada)'),
        p('A partner from a third country not associated to the Programme, with which the school is preparing a master’s double degree. Its participation brings essential added value: its experience of cooperative (work-study) education and of double degrees with French engineering schools.'),
      ],
    },
    relevance: {
      fr: [
        p('Le projet répond à la priorité de l’enseignement supérieur « stimuler des pratiques d’apprentissage et d’enseignement innovantes » et à la priorité horizontale « environnement et lutte contre le changement climatique » : il forme des ingénieurs chimistes aux technologies durables issues de la chimie verte, alternatives économiques et environnementales à l’économie industrielle fondée sur les ressources fossiles.'),
        p('Les besoins : nos étudiants partent surtout en stage et en deuxième cycle ; la mobilité d’études reste faible (6 mobilités par an depuis 2 ans) faute de parcours lisibles et de reconnaissance assurée. Nos partenaires constatent les mêmes freins. Le projet sert directement les priorités de modernisation de notre déclaration de politique Erasmus :'),
        ul(
          'Priorité 1 : renforcer l’approche compétences et rendre nos programmes plus accessibles, lisibles et transparents ;',
          'Priorité 2 : poursuivre l’implication des entreprises dans l’approche « métiers » et intégrer les exigences qualité du Programme ;',
          'Priorité 3 : augmenter la mobilité d’études grâce à une mobilité courte en 3e année, améliorer la reconnaissance et ouvrir la mobilité aux apprentis et aux étudiants de l’ouverture sociale ;',
          'Priorité 4 : développer des technologies durables fondées sur la chimie verte, en lien avec PIVERT.',
        ),
        p('L’innovation tient à l’articulation d’un référentiel de compétences commun, de modules partagés et de la reconnaissance automatique des acquis, qui prépare des doubles diplômes respectant la règle de la CTI (au moins 3 semestres en France).'),
      ],
      en: [
        p('The project addresses the higher education priority “stimulating innovative learning and teaching practices” and the horizontal priority “environment and fight against climate change”: it trains chemical engineers in sustainable technologies based on green chemistry, economic and environmental alternatives to the industrial economy based on fossil resources.'),
        p('The needs: our students go abroad mostly for internships and in the second cycle; study mobility remains low (6 mobilities a year for the last 2 years) for lack of clear pathways and guaranteed recognition. Our partners see the same obstacles. The project directly serves the modernisation priorities of our Erasmus policy statement:'),
        ul(
          'Priority 1: strengthen the skills-based approach and make our programmes more accessible, readable and transparent;',
          'Priority 2: keep companies involved in the careers approach and build in the Programme’s quality requirements;',
          'Priority 3: increase study mobility through short mobility in the 3rd year, improve recognition and open mobility to work-study (apprentice) students and students admitted through the social-openness programme;',
          'Priority 4: develop sustainable technologies based on green chemistry, in connection with PIVERT.',
        ),
        p('The innovation lies in linking a shared skills framework, shared modules and automatic recognition of learning, which prepares double degrees that meet the CTI rule (at least 3 semesters in France).'),
      ],
    },
    'partnership-cooperation': {
      fr: [
        p('Le partenariat réunit quatre établissements complémentaires par leurs spécialités, leur paysage industriel et leur environnement culturel et linguistique, fidèles à notre choix d’un nombre restreint de partenaires privilégiés.'),
        ul(
          'ESCOM : coordination, chimie verte, reconnaissance et doubles diplômes ;',
          'Porto : programmes par compétences et référentiel commun ;',
          'Dortmund : génie des procédés, liens industriels et diffusion ;',
          'Sherbrooke : expérience de l’alternance et des doubles diplômes.',
        ),
        p('Un comité de pilotage réunit un représentant par établissement chaque trimestre, en ligne, et deux fois par an en présentiel ; il décide par consensus. Pour l’ESCOM, le SRI coordonne et suit les accords ; la direction des études, les enseignants des spécialités et la direction de la recherche participent au cadrage, les relations entreprises et stages associent les entreprises partenaires. Les documents du projet sont rédigés à plusieurs, en français et en anglais, dans un espace partagé.'),
      ],
      en: [
        p('The partnership brings together four institutions that complement each other in specialities, industrial landscape and cultural and linguistic environment, in line with our choice of a small number of close partners.'),
        ul(
          'ESCOM: coordination, green chemistry, recognition and double degrees;',
          'Porto: skills-based programmes and the shared framework;',
          'Dortmund: process engineering, links with industry and dissemination;',
          'Sherbrooke: experience of work-study education and double degrees.',
        ),
        p('A steering committee with one representative per institution meets every quarter online and twice a year in person; it decides by consensus. For ESCOM, the SRI coordinates and follows up the agreements; the directorate of studies, the specialty teachers and the directorate of research take part in the framing, and the company-relations and internships service brings in partner companies. The project’s documents are written together, in French and in English, in a shared workspace.'),
      ],
    },
    'project-design': {
      fr: [
        h('Lot 1 – Gestion de projet (ESCOM)'),
        p('Pilotage, suivi des activités et du budget, plan qualité et registre des risques, revus à chaque comité de pilotage.'),
        h('Lot 2 – Référentiel de compétences commun (Porto)'),
        p('Un référentiel des compétences de l’ingénieur chimiste en chimie verte et génie des procédés : scientifiques et techniques, expérimentation en contexte de recherche et d’innovation, entrepreneuriat, compétences humaines, économiques, sociales et interculturelles. Indicateur : référentiel adopté par les quatre établissements.'),
        h('Lot 3 – Modules partagés et mobilité courte (ESCOM et Dortmund)'),
        p('Trois modules communs, dont un programme intensif hybride annuel, ouverts à une mobilité courte d’études en 3e année, y compris pour les apprentis. Indicateur : au moins 30 étudiants par an.'),
        h('Lot 4 – Reconnaissance et parcours de double diplôme (ESCOM)'),
        p('Tables de correspondance des crédits et des notes, contrats d’études types intégrés à la refonte de notre ERP, et deux parcours de double diplôme conformes à la règle de la CTI.'),
        h('Lot 5 – Diffusion et implication des entreprises (Dortmund)'),
        p('Ateliers avec les entreprises partenaires, ressources en libre accès, rencontres avec d’autres établissements.'),
      ],
      en: [
        h('Work package 1 – Project management (ESCOM)'),
        p('Steering, monitoring of activities and budget, a quality plan and a risk register, reviewed at every steering committee.'),
        h('Work package 2 – Shared skills framework (Porto)'),
        p('A framework of the chemical engineer’s skills in green chemistry and process engineering: scientific and technical, experimentation in a research and innovation context, entrepreneurship, human, economic, social and intercultural skills. Indicator: framework adopted by the four institutions.'),
        h('Work package 3 – Shared modules and short mobility (ESCOM and Dortmund)'),
        p('Three shared modules, including a yearly blended intensive programme, open to short study mobility in the 3rd year, apprentices included. Indicator: at least 30 students a year.'),
        h('Work package 4 – Recognition and double-degree pathways (ESCOM)'),
        p('Credit and grade conversion tables, model learning agreements built into the overhaul of our ERP, and two double-degree pathways that meet the CTI rule.'),
        h('Work package 5 – Dissemination and involvement of companies (Dortmund)'),
        p('Workshops with partner companies, open-access resources, meetings with other institutions.'),
      ],
    },
    impact: {
      fr: [
        p('Pour les étudiants : des parcours de mobilité lisibles et reconnus, y compris pour les apprentis et les étudiants de l’ouverture sociale, et des compétences recherchées par une industrie chimique qui doit mieux maîtriser son empreinte. Pour les établissements : un référentiel et des modules communs, des doubles diplômes et une démarche qualité renforcée.'),
        ul(
          'Mobilité d’études de l’ESCOM : au-delà des 6 mobilités par an de ces deux dernières années, au moins 12 par an à la fin du projet ;',
          'Deux accords de double diplôme signés ;',
          'Ressources du projet publiées en libre accès en français et en anglais.',
        ),
        p('La diffusion passe par les entreprises partenaires, le réseau AREPIC / Study in Picardy et PIVERT. Les modules et le référentiel sont intégrés aux maquettes des établissements : ils dureront après le financement.'),
      ],
      en: [
        p('For students: clear and recognised mobility pathways, including for apprentices and students admitted through the social-openness programme, and skills sought by a chemical industry that must better control its footprint. For the institutions: a shared framework and modules, double degrees and a stronger quality approach.'),
        ul(
          'ESCOM’s study mobility: beyond the 6 mobilities a year of the last two years, at least 12 a year by the end of the project;',
          'Two double-degree agreements signed;',
          'The project’s resources published in open access in French and in English.',
        ),
        p('Dissemination goes through the partner companies, the AREPIC / Study in Picardy network and PIVERT. The modules and the framework are built into the institutions’ curricula: they will last after the funding.'),
      ],
    },
    summary: {
      fr: [
        p('Objectifs : développer la mobilité d’études entre quatre établissements en chimie verte et génie des procédés, par un référentiel de compétences commun, des modules partagés et la reconnaissance des acquis.'),
        p('Mise en œuvre : en 36 mois, l’ESCOM et les universités de Porto, de Dortmund et de Sherbrooke construisent le référentiel, ouvrent trois modules communs à une mobilité courte en 3e année et préparent deux doubles diplômes, avec leurs entreprises partenaires.'),
        p('Résultats : davantage d’étudiants mobiles, y compris des apprentis, des parcours reconnus et des ingénieurs formés aux technologies durables.'),
      ],
      en: [
        p('Objectives: develop study mobility among four institutions in green chemistry and process engineering, through a shared skills framework, shared modules and recognition of learning.'),
        p('Implementation: over 36 months, ESCOM and the universities of Porto, Dortmund and Sherbrooke build the framework, open three shared modules to short mobility in the 3rd year and prepare two double degrees, with their partner companies.'),
        p('Results: more mobile students, apprentices included, recognised pathways and engineers trained in sustainable technologies.'),
      ],
    },
    'budget-justification': {
      fr: [
        p('Forfait envisagé : 250 000 €, le projet comptant cinq lots et trois modules à produire. Part de l’ESCOM à confirmer après le cadrage des lots avec les partenaires.'),
        ul('Lot 1 : temps du SRI pour la coordination ;', 'Lots 3 et 4 : temps des enseignants des spécialités et de la direction des études ;', 'Déplacements aux comités de pilotage et au programme intensif.'),
      ],
      en: [
        p('Lump sum considered: EUR 250,000, as the project has five work packages and three modules to produce. ESCOM’s share to be confirmed once the work packages are framed with the partners.'),
        ul('Work package 1: the SRI’s time for coordination;', 'Work packages 3 and 4: time of the specialty teachers and the directorate of studies;', 'Travel to steering committees and the intensive programme.'),
      ],
    },
    'internal-assessment': {
      fr: [
        p('Avis du SRI : projet cohérent avec la stratégie (partenaires existants, chimie verte, doubles diplômes) ; il reprend le programme intensif que l’école n’a pu mettre en œuvre en 2007-2013. Point d’attention : la charge de la direction des études sur le lot 4, en pleine refonte de l’ERP. Recommandation : déposer, sous réserve de l’accord de la direction des études.'),
      ],
      en: [
        p('The SRI’s view: the project fits the strategy (existing partners, green chemistry, double degrees); it takes up the intensive programme the school could not run in 2007-2013. Point to watch: the workload of the directorate of studies on work package 4, in the middle of the ERP overhaul. Recommendation: submit, subject to the directorate of studies’ agreement.'),
      ],
    },
  },
};

/** Alliance for innovation: an alliance in chemistry with French and European companies and PIVERT. */
export const ALLIANCE_FOR_INNOVATION_DRAFT: ProposalDraft = {
  templateId: 'alliance-for-innovation',
  sections: {
    relevance: {
      fr: [
        p('L’industrie chimique doit mieux maîtriser son empreinte et celle de ses secteurs d’application. Les technologies durables fondées sur la chimie verte offrent des alternatives économiques et environnementales à l’économie industrielle fondée sur les ressources fossiles ; les entreprises manquent d’ingénieurs formés à ces procédés et à leur passage à l’échelle industrielle.'),
        p('L’ESCOM entretient des partenariats probants avec des entreprises françaises et européennes qui interviennent dans ses enseignements et sa recherche. L’alliance formalise ces relations dans une alliance de la chimie réunissant académiques et industriels, au service des priorités de notre déclaration de politique Erasmus :'),
        ul(
          'Priorité 2 : poursuivre l’implication des entreprises dans l’approche « métiers » (observatoire des métiers, référentiel métier, visites d’entreprises, ateliers de préparation à l’entrée sur le marché du travail) ;',
          'Priorité 4 : développer des partenariats scientifiques et technologiques entre académiques et entreprises dans le cadre du projet d’excellence PIVERT, et des technologies durables fondées sur la chimie verte ;',
          'Priorité 5 : mobiliser les entreprises comme créatrices de valeur et levier d’investissement pour ces projets.',
        ),
      ],
      en: [
        p('The chemical industry must better control its footprint and that of the sectors it supplies. Sustainable technologies based on green chemistry offer economic and environmental alternatives to the industrial economy based on fossil resources; companies lack engineers trained in these processes and in scaling them up to industrial production.'),
        p('ESCOM has proven partnerships with French and European companies that take part in its teaching and research. The alliance formalises these relationships as an alliance in chemistry bringing together academics and industry, serving the priorities of our Erasmus policy statement:'),
        ul(
          'Priority 2: keep companies involved in the careers approach (careers observatory, job framework, company visits, workshops preparing students for the job market);',
          'Priority 4: develop scientific and technological partnerships between academics and companies within the PIVERT excellence project, and sustainable technologies based on green chemistry;',
          'Priority 5: mobilise companies as creators of value and a lever for investment in these projects.',
        ),
      ],
    },
    'design-implementation': {
      fr: [
        p('Établissements et entreprises conçoivent ensemble trois blocs de formation en chimie verte et génie des procédés, ouverts aux étudiants, aux apprentis et aux salariés des entreprises partenaires : procédés biosourcés, éco-conception et analyse du cycle de vie, passage à l’échelle industrielle. Chaque bloc associe un projet proposé par une entreprise et encadré conjointement.'),
        p('Des ateliers d’innovation réunissent étudiants, doctorants et ingénieurs autour de problèmes réels, en lien avec le volet recherche, développement et transfert de PIVERT ; ils développent l’esprit d’entreprise. La gestion du projet suit un plan qualité intégré à la démarche qualité de l’école ; le suivi s’appuie sur des indicateurs revus à chaque comité.'),
      ],
      en: [
        p('Institutions and companies together design three training blocks in green chemistry and process engineering, open to students, apprentices and employees of the partner companies: bio-based processes, eco-design and life-cycle assessment, scaling up to industrial production. Each block includes a project set by a company and supervised jointly.'),
        p('Innovation workshops bring students, PhD students and engineers together on real problems, linked with PIVERT’s research, development and transfer component; they develop an entrepreneurial mindset. Project management follows a quality plan built into the school’s quality approach; monitoring relies on indicators reviewed at every committee.'),
      ],
    },
    partnership: {
      fr: [
        p('Le consortium réunit des établissements d’enseignement supérieur et de formation professionnelle et des entreprises de la chimie, choisis parmi les partenaires durables de l’école :'),
        ul(
          'l’ESCOM, coordinatrice ;',
          'PIVERT, plateforme de recherche et de transfert en chimie du végétal ;',
          'un industriel français de la chimie verte, qui accueille stagiaires et apprentis de l’école ;',
          'un groupe chimique européen, qui intervient dans les enseignements et participe aux concours de l’école.',
        ),
        p('Le consortium sera complété, avec les universités partenaires européennes de l’école et un établissement de formation professionnelle, pour atteindre le nombre de partenaires et de pays fixé par l’appel.'),
        p('Le service des relations avec les entreprises et des stages de l’ESCOM anime la relation avec les entreprises : il connaît leurs besoins par l’apprentissage, les stages, les intervenants et le recrutement. Un comité de pilotage paritaire, académiques et industriels, prend les décisions ; chaque entreprise désigne un référent.'),
      ],
      en: [
        p('The consortium brings together higher education and vocational training providers and chemical companies, chosen among the school’s long-standing partners:'),
        ul(
          'ESCOM, coordinator;',
          'PIVERT, a research and transfer platform for plant-based chemistry;',
          'a French green-chemistry manufacturer, which hosts the school’s interns and apprentices;',
          'a European chemical group, which teaches in the school’s courses and takes part in its competitions.',
        ),
        p('The consortium will be completed, with the school’s European partner universities and a vocational training provider, to reach the number of partners and countries the call sets.'),
        p('ESCOM’s company-relations and internships service leads the relationship with the companies: it knows their needs through apprenticeships, internships, guest speakers and recruitment. A steering committee with equal numbers of academics and industry members takes the decisions; each company names a contact person.'),
      ],
    },
    impact: {
      fr: [
        p('Pour les étudiants et les apprentis : des compétences en technologies durables reconnues par les entreprises et de meilleures chances d’insertion. Pour les entreprises : des ingénieurs formés à leurs procédés et un accès aux résultats de la recherche. Pour l’école : des enseignements renouvelés et une implication accrue des entreprises dans sa vie (apprentissage, intervenants, stages, conférences, concours, recrutement, gouvernance).'),
        p('Les blocs de formation sont publiés en libre accès et intégrés aux formations des partenaires ; les entreprises s’engagent à les proposer à leurs salariés après le projet.'),
      ],
      en: [
        p('For students and apprentices: skills in sustainable technologies recognised by companies and better job prospects. For companies: engineers trained in their processes and access to research results. For the school: renewed teaching and greater involvement of companies in its life (apprenticeships, guest speakers, internships, conferences, competitions, recruitment, governance).'),
        p('The training blocks are published in open access and built into the partners’ programmes; the companies commit to offering them to their employees after the project.'),
      ],
    },
    'work-plan': {
      fr: [
        ul(
          'Lot 1 – Gestion et qualité (ESCOM, SRI) : pendant toute la durée du projet ;',
          'Lot 2 – Analyse des besoins en compétences (relations entreprises et stages de l’ESCOM, avec les entreprises) : 6 premiers mois ;',
          'Lot 3 – Conception et essai des blocs de formation (direction des études, enseignants des spécialités) : mois 4 à 30 ;',
          'Lot 4 – Ateliers d’innovation (direction de la recherche, PIVERT) : mois 7 à 36 ;',
          'Lot 5 – Diffusion et pérennisation (SRI, entreprises) : mois 12 à 36.',
        ),
      ],
      en: [
        ul(
          'Work package 1 – Management and quality (ESCOM, SRI): throughout the project;',
          'Work package 2 – Skills needs analysis (ESCOM’s company-relations and internships service, with the companies): first 6 months;',
          'Work package 3 – Designing and piloting the training blocks (directorate of studies, specialty teachers): months 4 to 30;',
          'Work package 4 – Innovation workshops (directorate of research, PIVERT): months 7 to 36;',
          'Work package 5 – Dissemination and sustainability (SRI, companies): months 12 to 36.',
        ),
      ],
    },
    'budget-justification': paragraph(
      'À établir avec le service des relations avec les entreprises et des stages : temps des enseignants sur le lot 3, ateliers d’innovation, déplacements chez les partenaires industriels. Les entreprises apportent du temps d’ingénieurs, à valoriser comme levier d’investissement (priorité 5).',
      'To be worked out with the company-relations and internships service: teachers’ time on work package 3, innovation workshops, travel to the industrial partners. The companies contribute engineers’ time, to be shown as a lever for investment (priority 5).',
    ),
    'internal-assessment': paragraph(
      'Avis du SRI : à déposer une fois les accords de double diplôme consolidés, comme le prévoit la stratégie. Condition : l’engagement écrit des entreprises et la disponibilité du service des relations avec les entreprises et des stages.',
      'The SRI’s view: to submit once the double-degree agreements are consolidated, as the strategy plans. Condition: the companies’ written commitment and the availability of the company-relations and internships service.',
    ),
  },
};

/** The master's double degree with Université de Sherbrooke. */
export const DOUBLE_DEGREE_DRAFT: ProposalDraft = {
  templateId: 'double-degree-agreement',
  sections: {
    'programme-structure': {
      fr: [
        p('Le parcours couvre le cycle ingénieur de l’ESCOM et la maîtrise de l’Université de Sherbrooke. Les étudiants de l’ESCOM suivent les semestres 5 à 7 en France, puis deux sessions à Sherbrooke, et reviennent en France pour le stage de fin d’études : 4 semestres en France, au-delà du minimum de 3 fixé par la CTI.'),
        ul('Semestres 5, 6 et 7 : ESCOM ;', 'Semestres 8 et 9 : Université de Sherbrooke (cours et projet de recherche) ;', 'Semestre 10 : stage de fin d’études, encadré par l’ESCOM.'),
      ],
      en: [
        p('The pathway covers ESCOM’s engineering cycle and the master’s degree of Université de Sherbrooke. ESCOM students take semesters 5 to 7 in France, then two terms in Sherbrooke, and return to France for the final internship: 4 semesters in France, above the minimum of 3 set by the CTI.'),
        ul('Semesters 5, 6 and 7: ESCOM;', 'Semesters 8 and 9: Université de Sherbrooke (courses and research project);', 'Semester 10: final internship, supervised by ESCOM.'),
      ],
    },
    'admission-selection': paragraph(
      'Sont éligibles les étudiants de 4e année de l’ESCOM, y compris les apprentis avec l’accord de leur entreprise. Un jury commun retient les candidats sur dossier et entretien ; jusqu’à 4 places par an dans chaque sens. Le service des admissions instruit les candidatures entrantes.',
      'ESCOM’s 4th-year students are eligible, apprentices included with their company’s agreement. A joint panel selects candidates on their record and an interview; up to 4 places a year each way. The admissions service reviews incoming applications.',
    ),
    recognition: paragraph(
      'Un contrat d’études signé avant le départ fixe les cours suivis à Sherbrooke et les crédits ECTS reconnus par l’ESCOM ; une table de conversion des notes est annexée à l’accord.',
      'A learning agreement signed before departure sets the courses taken in Sherbrooke and the ECTS credits ESCOM recognises; a grade conversion table is annexed to the agreement.',
    ),
    fees: paragraph(
      'Les étudiants paient leurs frais de scolarité dans leur établissement d’origine seulement. Les frais de vie, l’assurance et le visa restent à leur charge ; le SRI les oriente vers les aides à la mobilité.',
      'Students pay tuition fees at their home institution only. Living costs, insurance and the visa remain their own; the SRI points them to mobility grants.',
    ),
    diploma: paragraph(
      'Les étudiants qui remplissent les conditions des deux établissements reçoivent le diplôme d’ingénieur de l’ESCOM, accrédité par la CTI, et la maîtrise de l’Université de Sherbrooke.',
      'Students who meet both institutions’ requirements receive ESCOM’s engineering degree, accredited by the CTI, and the master’s degree of Université de Sherbrooke.',
    ),
    language: paragraph(
      'Les enseignements sont dispensés en français dans les deux établissements. Le niveau B2 en anglais, exigé par la CTI pour le diplôme d’ingénieur, reste une condition de diplomation.',
      'Teaching is in French at both institutions. A B2 level in English, which the CTI requires for the engineering degree, remains a condition for graduating.',
    ),
    governance: paragraph(
      'Un coordinateur par établissement ; un comité de suivi annuel. Accord conclu pour 5 ans, renouvelable. À l’ESCOM, le SRI assure le suivi de l’accord.',
      'One coordinator per institution; a yearly steering committee. Agreement signed for 5 years, renewable. At ESCOM, the SRI follows up the agreement.',
    ),
    'internal-assessment': paragraph(
      'Avis du SRI : accord prioritaire, premier double diplôme de l’école. Vérifier l’équilibre des flux avant la signature.',
      'The SRI’s view: a priority agreement, the school’s first double degree. Check that flows balance before signing.',
    ),
  },
};

/** The demo's drafts, one per template that has one. */
export const PROPOSAL_DRAFTS: readonly ProposalDraft[] = [COOPERATION_PARTNERSHIP_DRAFT, ALLIANCE_FOR_INNOVATION_DRAFT, DOUBLE_DEGREE_DRAFT];

/** The demo's draft for a template, if it has one. */
export function draftFor(templateId: string): ProposalDraft | undefined {
  return PROPOSAL_DRAFTS.find((draft) => draft.templateId === templateId);
}
