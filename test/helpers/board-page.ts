/** A board's page as a person finds things on it: its columns and cards by their titles. */
import type { Locator, Page } from 'playwright-core';

/** The column titled `title`. */
export function column(page: Page, title: string): Locator {
  return page.getByTestId('column').filter({ has: page.getByTestId('column-title').getByText(title, { exact: true }) });
}

/** The card titled `title`, wherever it stands. */
export function card(page: Page, title: string): Locator {
  return page.getByTestId('card').filter({ has: page.getByTestId('card-title').getByText(title, { exact: true }) });
}

/** Every card's title on the page, in the page's order. */
export function cardTitles(page: Page): Promise<string[]> {
  return page.getByTestId('card-title').allTextContents();
}

/** Adds a card titled `title` to the column titled `columnTitle`, as a person types it. */
export async function addCard(page: Page, columnTitle: string, title: string): Promise<void> {
  const input = column(page, columnTitle).getByTestId('add-card-input');
  await input.fill(title);
  await input.press('Enter');
}
