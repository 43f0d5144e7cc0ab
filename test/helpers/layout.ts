/**
 * Layout checks run in the page, on what a person sees: sideways scrolling, boxes that overlap, and
 * text cut off without a way to read it whole. Each check returns the problems it found (empty when
 * the page is right), described so that a failing assertion says where to look.
 */
import type { Page } from 'playwright-core';

export interface LayoutProblem {
  kind: 'sideways-scroll' | 'overlap' | 'cut-text' | 'off-screen' | 'covered';
  detail: string;
}

/**
 * Visible elements matching `selector` that something else is drawn over, or that cannot be used
 * (inert, as everything outside an open modal dialog is): the point at the middle of each must hit
 * the element itself, and the element must not be inert.
 */
export async function covered(page: Page, selector: string): Promise<LayoutProblem[]> {
  const found = await page.evaluate((selector) => {
    const describe = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.getAttribute('data-testid') ? `[data-testid=${el.getAttribute('data-testid')}]` : ''} “${(el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40)}”`;
    const problems: string[] = [];
    for (const el of document.querySelectorAll(selector)) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
      if (!hit || !el.contains(hit)) problems.push(`${describe(el)} is under ${hit ? describe(hit) : 'nothing'}`);
      else if (el.closest('[inert]') || (document.querySelector('dialog:modal') && !el.closest('dialog:modal'))) {
        problems.push(`${describe(el)} is outside the open modal dialog, so it cannot be used`);
      }
    }
    return problems;
  }, selector);
  return found.map((detail) => ({ kind: 'covered' as const, detail }));
}

/** The page scrolls sideways when its content is wider than the viewport. */
export async function sidewaysScroll(page: Page): Promise<LayoutProblem[]> {
  const widths = await page.evaluate(() => ({
    viewport: document.documentElement.clientWidth,
    content: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
  }));
  return widths.content > widths.viewport + 1
    ? [{ kind: 'sideways-scroll', detail: `page is ${widths.content}px wide in a ${widths.viewport}px viewport` }]
    : [];
}

/**
 * Visible elements matching `selector` whose boxes, as far as they are seen (cut by the boxes that
 * clip or scroll them), intersect by more than `tolerance` px in both directions. Elements nested in
 * one another are not compared.
 */
export async function overlaps(page: Page, selector: string, tolerance = 1): Promise<LayoutProblem[]> {
  const found = await page.evaluate(
    ({ selector, tolerance }) => {
      const describe = (el: Element) =>
        `${el.tagName.toLowerCase()}${el.getAttribute('data-testid') ? `[data-testid=${el.getAttribute('data-testid')}]` : ''} “${(el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40)}”`;
      // What is seen of an element: its box cut by every ancestor that clips or scrolls its content.
      const seenBox = (el: Element) => {
        let { left, top, right, bottom } = el.getBoundingClientRect();
        for (let box = el.parentElement; box; box = box.parentElement) {
          const style = getComputedStyle(box);
          if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
          const clip = box.getBoundingClientRect();
          if (style.overflowX !== 'visible') [left, right] = [Math.max(left, clip.left), Math.min(right, clip.right)];
          if (style.overflowY !== 'visible') [top, bottom] = [Math.max(top, clip.top), Math.min(bottom, clip.bottom)];
        }
        return { left, top, right, bottom, width: right - left, height: bottom - top };
      };
      // Not drawn: no box, hidden, scrolled out of its box, or inside something not rendered (a closed <details>, a hidden menu).
      const boxes = new Map<Element, ReturnType<typeof seenBox>>();
      const elements = [...document.querySelectorAll(selector)].filter((el) => {
        const box = seenBox(el);
        boxes.set(el, box);
        const style = getComputedStyle(el);
        return box.width > 0 && box.height > 0 && style.visibility !== 'hidden' && style.display !== 'none' && el.checkVisibility({ visibilityProperty: true });
      });
      const problems: string[] = [];
      for (let i = 0; i < elements.length; i++) {
        for (let j = i + 1; j < elements.length; j++) {
          const a = elements[i];
          const b = elements[j];
          if (a.contains(b) || b.contains(a)) continue;
          const ra = boxes.get(a)!;
          const rb = boxes.get(b)!;
          const dx = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
          const dy = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
          if (dx > tolerance && dy > tolerance) problems.push(`${describe(a)} overlaps ${describe(b)} by ${Math.round(dx)}×${Math.round(dy)}px`);
        }
      }
      return problems;
    },
    { selector, tolerance },
  );
  return found.map((detail) => ({ kind: 'overlap' as const, detail }));
}

/**
 * Visible elements matching `selector` whose text is cut (wider or taller than their box, or
 * clamped) while no `title`, `aria-label` or `aria-description` on the element or a parent within
 * three levels gives the whole text. Text hidden on purpose for screen readers (a 1×1 px box) and
 * text not drawn (a closed menu) are not cut.
 */
export async function cutText(page: Page, selector: string): Promise<LayoutProblem[]> {
  const found = await page.evaluate((selector) => {
    const problems: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>(selector)) {
      const box = el.getBoundingClientRect();
      if (box.width <= 1 || box.height <= 1 || !el.checkVisibility({ visibilityProperty: true })) continue;
      const cut = el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1;
      if (!cut) continue;
      const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ');
      let holder: HTMLElement | null = el;
      let readable = false;
      for (let depth = 0; holder && depth < 4; depth++, holder = holder.parentElement) {
        const whole = holder.getAttribute('title') ?? holder.getAttribute('aria-label') ?? holder.getAttribute('aria-description');
        if (whole && whole.replace(/\s+/g, ' ').includes(text)) {
          readable = true;
          break;
        }
      }
      if (!readable) problems.push(`“${text.slice(0, 60)}” is cut (${el.scrollWidth}×${el.scrollHeight} in ${el.clientWidth}×${el.clientHeight}) with no title giving it whole`);
    }
    return problems;
  }, selector);
  return found.map((detail) => ({ kind: 'cut-text' as const, detail }));
}

/**
 * Visible elements matching `selector` that stick out of the viewport to the left or right. An
 * element inside a box that scrolls sideways on purpose (a focusable region with a label, such as a
 * wide table's frame, a named toolbar, or a named navigation such as a row of tabs) is reached by
 * scrolling that box, and is not counted.
 */
export async function offScreen(page: Page, selector: string): Promise<LayoutProblem[]> {
  const found = await page.evaluate((selector) => {
    const width = document.documentElement.clientWidth;
    const problems: string[] = [];
    const inScrollRegion = (el: HTMLElement) => {
      for (let box = el.parentElement; box; box = box.parentElement) {
        const overflowX = getComputedStyle(box).overflowX;
        if (overflowX !== 'auto' && overflowX !== 'scroll') continue;
        const named = Boolean(box.getAttribute('aria-label') || box.getAttribute('aria-labelledby'));
        // A toolbar's own buttons (a named navigation's links) take the focus, and scroll it into view.
        return named && ((box.getAttribute('role') === 'region' && box.tabIndex >= 0) || box.getAttribute('role') === 'toolbar' || box.tagName === 'NAV');
      }
      return false;
    };
    for (const el of document.querySelectorAll<HTMLElement>(selector)) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || !el.checkVisibility({ visibilityProperty: true }) || inScrollRegion(el)) continue;
      if (box.left < -1 || box.right > width + 1) {
        problems.push(`“${(el.textContent ?? '').trim().slice(0, 40)}” spans ${Math.round(box.left)}…${Math.round(box.right)}px in a ${width}px viewport`);
      }
    }
    return problems;
  }, selector);
  return found.map((detail) => ({ kind: 'off-screen' as const, detail }));
}

/**
 * Boxes matching `selector` (an app shell's scrolling content area, say) that scroll sideways: the
 * page's own sideways scroll when the document itself does not scroll.
 */
export async function boxScrollsSideways(page: Page, selector: string): Promise<LayoutProblem[]> {
  const found = await page.evaluate((selector) =>
    [...document.querySelectorAll<HTMLElement>(selector)]
      .filter((el) => el.scrollWidth > el.clientWidth + 1)
      .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} is ${el.scrollWidth}px wide in a ${el.clientWidth}px box`),
  selector);
  return found.map((detail) => ({ kind: 'sideways-scroll' as const, detail }));
}

/**
 * Boxes matching `selector` that scroll sideways where a keyboard or screen reader cannot tell: each
 * must be a region with a label and a tab stop (a wide table's frame), a named toolbar, or a named
 * navigation (a row of tabs) whose links take the focus.
 */
export async function unlabelledScrollBoxes(page: Page, selector: string): Promise<LayoutProblem[]> {
  const found = await page.evaluate((selector) =>
    [...document.querySelectorAll<HTMLElement>(selector)]
      .filter((el) => el.scrollWidth > el.clientWidth + 1 && ['auto', 'scroll'].includes(getComputedStyle(el).overflowX))
      .filter((el) => {
        const named = Boolean(el.getAttribute('aria-label') || el.getAttribute('aria-labelledby'));
        return !(named && ((el.getAttribute('role') === 'region' && el.tabIndex >= 0) || el.getAttribute('role') === 'toolbar' || el.tagName === 'NAV'));
      })
      .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} scrolls sideways without being a focusable region with a label`),
  selector);
  return found.map((detail) => ({ kind: 'sideways-scroll' as const, detail }));
}

/** Every layout problem of the page: sideways scroll, plus overlaps and cut text among `selectors`. */
export async function layoutProblems(
  page: Page,
  selectors: { overlap?: string[]; text?: string[]; onScreen?: string[] },
): Promise<LayoutProblem[]> {
  const problems = await sidewaysScroll(page);
  for (const selector of selectors.overlap ?? []) problems.push(...(await overlaps(page, selector)));
  for (const selector of selectors.text ?? []) problems.push(...(await cutText(page, selector)));
  for (const selector of selectors.onScreen ?? []) problems.push(...(await offScreen(page, selector)));
  return problems;
}

/** The three widths every main view is checked at: a phone, a tablet and a desktop. */
export const VIEWPORTS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'tablet', width: 768, height: 1024 },
  { name: 'desktop', width: 1440, height: 900 },
] as const;
