import type { BoardRole } from '@passerelle/shared';
import type { Principal } from '../auth/auth-service.js';

declare global {
  namespace Express {
    interface Request {
      /** Set by the authentication middleware when the request carries a valid session or token. */
      principal?: Principal;
      /** Set by `requireBoardRole`: the caller's role on the board of `:boardId`. */
      boardRole?: BoardRole;
    }
  }
}

export {};
