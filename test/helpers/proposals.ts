/**
 * Proposals for tests, made through a running server as its own edits: a proposal card on a board,
 * and text written into a section of a proposal's document.
 */
import { BoardDoc, ProposalDoc, writeRichText, type ActionType, type ProposalFields, type RichBlock } from '@passerelle/shared';
import type { PasserelleServer } from '../../server/src/app.js';
import { madeBeforeEach } from './hook-value.js';
import { tokenWithBoardPerTest, type ServerPerTest } from './per-test.js';

/** Who the server's edits in tests are attributed to. */
export const TEST_ACTOR = { id: 'admin', name: 'Admin' };

/** Adds a card to the board's first column (made if there is none): a proposal with `fields`, or a note when `fields` is null. */
export function addCard(
  server: PasserelleServer,
  boardId: string,
  title: string,
  fields: (Partial<Omit<ProposalFields, 'stage'>> & { actionType: ActionType }) | null = { actionType: 'strategic_partnership' },
): Promise<string> {
  return server.sync.editDocument(
    boardId,
    (doc) => {
      const board = new BoardDoc(doc);
      const cardId = board.addCard(board.listColumns()[0]?.id ?? board.addColumn('Projets'), { title, createdBy: TEST_ACTOR.id });
      if (fields) {
        board.convertToProposal(cardId);
        board.updateProposal(cardId, fields);
      }
      return cardId;
    },
    TEST_ACTOR,
  );
}

/** Writes rich text into the section at `index` of a proposal document (created from its template on load); resolves with the section's id and every section's titles. */
export function writeSection(
  server: PasserelleServer,
  documentName: string,
  index: number,
  texts: { fr?: RichBlock[]; en?: RichBlock[] },
): Promise<{ sectionId: string; titles: { fr: string; en: string }[] }> {
  return server.sync.editDocument(
    documentName,
    (doc) => {
      const proposal = new ProposalDoc(doc);
      const sectionId = proposal.list()[index]!.id;
      if (texts.fr) writeRichText(proposal.text(sectionId, 'fr')!, texts.fr);
      if (texts.en) writeRichText(proposal.text(sectionId, 'en')!, texts.en);
      return { sectionId, titles: proposal.list().map((section) => section.title) };
    },
    TEST_ACTOR,
  );
}

/** What `proposalPerTest` makes before each test: the administrator's API token, a board, and a proposal card on it. */
export interface ProposalPerTest {
  readonly token: string;
  readonly boardId: string;
  readonly cardId: string;
}

/**
 * Registers, in the enclosing `describe` and after `serverPerTest`, the administrator's token, a
 * board and a proposal card titled `title` with `fields` (given before each test, so that they may
 * name what an earlier hook made) before each test.
 */
export function proposalPerTest(ctx: ServerPerTest, title: string, fields: () => Promise<Partial<Omit<ProposalFields, 'stage'>>> = async () => ({})): ProposalPerTest {
  const board = tokenWithBoardPerTest(() => ctx.server.url, 'Partenariat Porto');
  const card = madeBeforeEach('proposal card', async () => addCard(ctx.server, board.boardId, title, { actionType: 'strategic_partnership', ...(await fields()) }));
  return {
    get token() {
      return board.token;
    },
    get boardId() {
      return board.boardId;
    },
    get cardId() {
      return card();
    },
  };
}
