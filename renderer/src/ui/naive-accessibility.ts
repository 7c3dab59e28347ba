/**
 * Corrections to what Naive UI renders, for assistive technology, where Naive offers no prop:
 *
 * - Its card header (every NCard, and every NModal with preset="card") puts role="heading" on two
 *   nested divs and gives neither an aria-level, which ARIA requires: screen readers announce a
 *   guessed level, twice, and the close button sits inside the heading. The outer div becomes a plain
 *   container and the title a level-2 heading (cards are the sections under a page's h1).
 * - A virtual-scroll data table scrolls in a div that takes no focus, and its rows hold nothing
 *   focusable (the audit log): a keyboard could not scroll it. It joins the tab order.
 */
const CARD_HEADER = '.n-card-header[role="heading"]';
const CARD_TITLE = '.n-card-header__main[role="heading"]:not([aria-level])';
const CARD_LEVEL = '2';
const VIRTUAL_TABLE_SCROLLER = '.n-data-table .v-vl:not([tabindex])';

function correct(root: ParentNode): void {
  for (const header of root.querySelectorAll(CARD_HEADER)) header.setAttribute('role', 'none');
  for (const title of root.querySelectorAll(CARD_TITLE)) title.setAttribute('aria-level', CARD_LEVEL);
  for (const scroller of root.querySelectorAll(VIRTUAL_TABLE_SCROLLER)) scroller.setAttribute('tabindex', '0');
}

/** Corrects what is under `root` now and whatever Vue renders there later. */
export function correctNaiveAccessibility(root: HTMLElement): void {
  correct(root);
  new MutationObserver((records) => {
    // From the parent: the added node may itself be a header or its title. Once per parent, since
    // a list re-rendering adds many siblings at a time.
    const parents = new Set<ParentNode>();
    for (const record of records) {
      if (record.addedNodes.length > 0 && record.target instanceof Element) parents.add(record.target);
    }
    for (const parent of parents) correct(parent);
  }).observe(root, { childList: true, subtree: true });
}
