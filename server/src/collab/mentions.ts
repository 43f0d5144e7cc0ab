/**
 * @mentions in comments, on cards and in proposal text alike: who a comment may name, and the
 * notification each named person gets.
 */
import type { CommentMention } from '@passerelle/shared';
import type { BoardAccess } from '../access/board-access.js';
import type { Principal } from '../auth/auth-service.js';
import type { BoardDirectory, PeopleStore, UserRecord } from '../store/account-store.js';
import { memberPrincipal } from './board-change-listener.js';
import type { Notify } from './notifier.js';

/** A comment's excerpt in a notification: enough to recognise it, short enough for a dropdown. */
const EXCERPT_LENGTH = 200;

/** The first characters of a comment, on one line. */
export function excerptOf(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > EXCERPT_LENGTH ? `${line.slice(0, EXCERPT_LENGTH - 1)}…` : line;
}

/**
 * The people a comment names who exist and are active. Guests never see the school's people, so
 * they mention no one: their text stays plain.
 */
export async function mentionedPeople(people: Pick<PeopleStore, 'findUserById'>, author: Principal, ids: readonly string[]): Promise<UserRecord[]> {
  if (author.kind !== 'member') return [];
  const users = await Promise.all([...new Set(ids)].map((id) => people.findUserById(id)));
  return users.filter((user): user is UserRecord => user !== undefined && user.deactivatedAt === null);
}

/** The mentions a comment stores: each named person's id and name. */
export const mentionsOf = (users: readonly UserRecord[]): CommentMention[] => users.map((user) => ({ id: user.id, name: user.name }));

/** Notifies each mentioned person who may see the board (the author excepted) that a comment on `subject` names them. */
export async function notifyMentioned(
  parts: { access: BoardAccess; directory: Pick<BoardDirectory, 'getBoard'>; notify: Notify },
  mention: { author: Principal; boardId: string; cardId: string; subject: string; text: string; mentioned: readonly UserRecord[] },
): Promise<void> {
  const { author, boardId, cardId, subject, text, mentioned } = mention;
  if (mentioned.length === 0) return;
  const board = await parts.directory.getBoard(boardId);
  for (const user of mentioned) {
    if (user.id === author.id) continue;
    if ((await parts.access.roleOf(memberPrincipal(user), boardId)) === null) continue;
    await parts.notify(user.id, {
      kind: 'mention',
      boardId,
      boardTitle: board?.title ?? '',
      cardId,
      subject,
      actorId: author.id,
      actorName: author.name,
      excerpt: excerptOf(text),
    });
  }
}
