/** English messages of board and page layout: menus, labels for cut titles, small screens. Keys are shared with `layout.fr.ts`. */
export const enLayout = {
} as const;
