/**
 * A person's initials for their avatar, from the letters of their name's words only: "Ana Silva
 * (FEUP)" gives "AS", not "A(". The first and last words that start with a letter count, so a
 * bracketed organisation, a dash or a number never stands in for a name; a name of one such word
 * gives its first two letters, and a name without any letter a question mark.
 */
export function initialsOf(name: string): string {
  // Bracketed parts (an organisation, a role) are not part of the name.
  const withoutAsides = name.replace(/\([^)]*\)|\[[^\]]*\]/g, ' ');
  const words = withoutAsides
    .split(/\s+/)
    .map((word) => word.replace(/[^\p{L}]/gu, ''))
    .filter((word) => word.length > 0);
  if (words.length === 0) return '?';
  if (words.length === 1) return [...words[0]].slice(0, 2).join('').toLocaleUpperCase();
  return ([...words[0]][0] + [...words[words.length - 1]][0]).toLocaleUpperCase();
}
