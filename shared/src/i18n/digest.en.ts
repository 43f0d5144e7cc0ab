/** English messages of digest. Keys are shared with `digest.fr.ts`. */
export const enDigest = {
  'sso.refused.account_linked': 'The Passerelle account with this e-mail address belongs to another identity at your provider. Ask an administrator.',
  'invite.mailLanguage': 'Language of the e-mail',
  'invite.mailLanguage.fr': 'Français',
  'invite.mailLanguage.en': 'English',
  'mailPrefs.digest': 'In the daily digest',
  'mailPrefs.kind.reminder': 'Before a due date of mine',
  'unsubscribe.kind.reminder': 'before your due dates',
  'unsubscribe.kind.digest': 'of the daily digest',
  'mail.unsubscribe.reminder': 'Stop reminders of my due dates',
  'mail.unsubscribe.digest': 'Stop the daily digest',

  'mail.reminder.subject': 'Reminder: “{title}” is due on {date}',
  'mail.reminder.roadmapSubject': 'Reminder: “{title}” ends on {date}',
  'mail.reminder.action': 'The action item “{title}” in the board {board} is due on {date}.',
  'mail.reminder.roadmap': 'The roadmap item “{title}” in the board {board} ends on {date}.',
  'mail.reminder.section': 'The section “{title}” of the proposal “{proposal}”, in the board {board}, is due on {date}.',

  'mail.digest.subject': 'Your Passerelle digest of {date}',
  'mail.digest.greeting': 'Hello {name},',
  'mail.digest.intro': 'Here is what asked for your attention since your last digest.',
  'mail.digest.section.mention': 'Mentions',
  'mail.digest.section.assignment': 'Action items assigned to you',
  'mail.digest.section.sign_off_request': 'Sign-offs asked of your department',
  'mail.digest.section.reminder': 'Coming due',
  'mail.digest.more': 'And {count} more in Passerelle.',
  'mail.digest.open': 'Open Passerelle',
} as const;
