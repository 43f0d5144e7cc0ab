/** What the forms that add someone (an account, an invitation) check and send the same way. */
import { DEPARTMENTS, type Department } from '@passerelle/shared';
import { ApiError } from '#lib/api.js';

/** Enough of an email's shape to tell a typo without asking the server, which checks it fully. */
export function looksLikeEmail(text: string): boolean {
  return /^[^\s@]+@[^\s@]+$/.test(text.trim());
}

/** The departments in the catalog's order, whatever order the boxes were ticked in. */
export function inCatalogOrder(departments: readonly Department[]): Department[] {
  return DEPARTMENTS.filter((department) => departments.includes(department));
}

/**
 * The request's fields the server found invalid (`invalid_request`), or null for any other failure.
 * A detail's path is the body's field, then an index for arrays ("departments.2").
 */
export function invalidFields(error: unknown): string[] | null {
  if (!(error instanceof ApiError) || error.code !== 'invalid_request') return null;
  return (error.details ?? []).map((detail) => detail.path.split('.')[0]);
}
