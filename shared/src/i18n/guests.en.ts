/** English messages of partner guests' own settings and meeting outputs. Keys are shared with `guests.fr.ts`. */
export const enGuests = {
  'guests.settings.contentLanguage.title': 'Language of the boards',
  'guests.settings.contentLanguage.label': 'Boards are written in',
  'guests.settings.contentLanguage.hint':
    'What Passerelle writes onto a board itself, such as a meeting’s “Decisions” column and “Meeting of …”, is in this language, whatever language each person reads the interface in.',
} as const;
