/** English messages of proposal documents and their exports. Keys are shared with `proposal.fr.ts`. */
export const enProposal = {
  'proposal.export.partners': 'Partners',
  'proposal.export.action': 'Action',
  'proposal.export.template': 'Template',
  'proposal.export.stage': 'Stage',
  'proposal.export.date': 'Date',
  'proposal.export.language': 'Language',
  'proposal.export.internal': 'Internal section: not for partners',
  'proposal.export.empty': 'Not written yet.',
  'proposal.export.characters': '{count} characters',
  'proposal.export.charactersOfLimit': '{count} of {limit} characters',
  'proposal.export.overLimit': 'over the limit by {over}',
  'proposal.export.page': 'Page {page}',
  'proposal.export.noPartner': 'None yet',
  'proposal.export.badFormat': 'Choose the export format: docx (Word) or pdf.',
  'proposal.export.badLanguage': 'Choose the export language: fr or en.',
  'proposal.comment.badAnchor': 'The comment must point at words of the section’s text in that language.',
} as const;
