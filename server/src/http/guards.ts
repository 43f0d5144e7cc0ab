/**
 * Route guards shared by every API router: who must be calling, and with which role on the board
 * named in the path. One definition, so that the JSON API, collaboration and versions routes apply
 * the same rule.
 */
import type { Request, RequestHandler } from 'express';
import { isId, roleAtLeast, type BoardRole } from '@passerelle/shared';
import type { BoardAccess } from '../access/board-access.js';
import type { MemberPrincipal } from '../auth/auth-service.js';
import { ApiError } from './errors.js';

/** Anyone signed in: a member or a guest (guest-aware routes check the board themselves). */
export const requirePrincipal: RequestHandler = (request, _response, next) => {
  next(request.principal ? undefined : new ApiError('unauthorized'));
};

/** A workspace member; guests are refused, whatever the route. */
export const requireMember: RequestHandler = (request, _response, next) => {
  if (!request.principal) next(new ApiError('unauthorized'));
  else next(request.principal.kind === 'member' ? undefined : new ApiError('forbidden'));
};

export const requireAdmin: RequestHandler = (request, _response, next) => {
  if (!request.principal) next(new ApiError('unauthorized'));
  else next(request.principal.kind === 'member' && request.principal.user.isAdmin ? undefined : new ApiError('forbidden'));
};

/** The member behind a request that passed `requireMember`. */
export function memberOf(request: Request): MemberPrincipal['user'] {
  const principal = request.principal;
  if (principal?.kind !== 'member') throw new ApiError('forbidden');
  return principal.user;
}

/**
 * The caller's role on the board of `:boardId`: 401 without a principal, 404 without access (so a
 * board's existence is not revealed), 403 below `minimum`.
 */
export async function boardRoleOf(access: BoardAccess, request: Request, minimum: BoardRole = 'viewer'): Promise<{ boardId: string; role: BoardRole }> {
  const principal = request.principal;
  if (!principal) throw new ApiError('unauthorized');
  const boardId = String(request.params.boardId);
  const role = isId(boardId) ? await access.roleOf(principal, boardId) : null;
  if (role === null) throw new ApiError('not_found');
  if (!roleAtLeast(role, minimum)) throw new ApiError('forbidden');
  return { boardId, role };
}

/** `boardRoleOf` as a middleware; the role is left in `request.boardRole` for the handler. */
export function requireBoardRole(access: BoardAccess, minimum: BoardRole): RequestHandler {
  return async (request, _response, next) => {
    request.boardRole = (await boardRoleOf(access, request, minimum)).role;
    next();
  };
}
