/** English messages of links to cards, proposals, partners and agreements; dates; first start. Keys are shared with `links.fr.ts`. */
export const enLinks = {
  'links.copy': 'Copy link',
  'links.copy.title': 'Copy a link that opens this, to paste in an e-mail',
  'links.copied': 'Link copied: paste it in an e-mail or a message.',
  'links.copyFailed': 'Copy this link by hand: {url}',
  'links.card.notFound': 'This link leads to a card that is not on this board: it may have been deleted, or the link is incomplete.',
  'links.partner.notFound': 'This link leads to a partner that is not in the workspace: it may have been deleted, or the link is incomplete.',
  'links.agreement.notFound': 'This link leads to an agreement that is not in the workspace: it may have been deleted, or the link is incomplete.',
  'links.notFound.hint': 'The link may be mistyped or incomplete, or what it leads to was deleted.',
  'links.dismiss': 'Close this message',

  'welcome.title': 'Welcome to Passerelle',
  'welcome.intro': 'This workspace starts with a demo built from the school’s Erasmus policy statement. Look around, change it, or delete it when you are ready:',
  'welcome.boards': 'Boards',
  'welcome.boards.text': 'the board “{board}” holds the three cooperation tracks in order, their proposals with sign-offs, a roadmap and actions.',
  'welcome.partners': 'Partners',
  'welcome.partners.text': 'universities, a research lab and companies across the world regions, with their agreements and quotas.',
  'welcome.mobility': 'Mobility',
  'welcome.mobility.text': 'study, internship and staff mobility of the last two years, planned figures and targets for the next ones.',
  'welcome.dismiss': 'Got it',

  'date.input.label': '{label} ({pattern})',
  'date.input.invalid': 'Enter a date as {pattern}.',
  'date.input.calendar': 'Pick a date on a calendar',
  'date.pattern.day': 'dd',
  'date.pattern.month': 'mm',
  'date.pattern.year': 'yyyy',
} as const;
