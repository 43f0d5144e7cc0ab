/**
 * Comments on a proposal's text. The server writes them into the proposal document, so every open
 * editor receives them by sync; these calls only ask. Same client as `api.ts`: every failure is an `ApiError`.
 */
import type { CommentMention, CreateProposalCommentRequest, ReplyToProposalCommentRequest } from '@passerelle/shared';
import { request } from './api.js';

const segment = encodeURIComponent;
const commentsPath = (boardId: string, cardId: string) => `/api/boards/${segment(boardId)}/proposals/${segment(cardId)}/comments`;
const commentPath = (boardId: string, cardId: string, commentId: string) => `${commentsPath(boardId, cardId)}/${segment(commentId)}`;

/** What posting a comment or a reply returns: its id and the people its mentions notified. */
export interface PostedProposalComment {
  id: string;
  mentions: CommentMention[];
}

/** The API's endpoints for comments on proposal text, one function each. */
export const proposalCommentsApi = {
  /** Comments on a range of one section's text in one language; mentions are member ids. */
  add: (boardId: string, cardId: string, body: CreateProposalCommentRequest) =>
    request<PostedProposalComment>('POST', commentsPath(boardId, cardId), body),
  reply: (boardId: string, cardId: string, commentId: string, body: ReplyToProposalCommentRequest) =>
    request<PostedProposalComment>('POST', `${commentPath(boardId, cardId, commentId)}/replies`, body),
  /** Marks a comment resolved (its author, or anyone who may edit the board). */
  resolve: (boardId: string, cardId: string, commentId: string) => request<void>('POST', `${commentPath(boardId, cardId, commentId)}/resolve`, {}),
  reopen: (boardId: string, cardId: string, commentId: string) => request<void>('POST', `${commentPath(boardId, cardId, commentId)}/reopen`, {}),
  /** Deletes a comment with its replies (its author, or the board's owners). */
  remove: (boardId: string, cardId: string, commentId: string) => request<void>('DELETE', commentPath(boardId, cardId, commentId)),
};
