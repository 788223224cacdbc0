// The page's one DOM helper.

/** The element `selector` finds in `root`; throws when there is none (the page and its code disagree). */
export const $ = <T extends Element = HTMLElement>(selector: string, root: ParentNode = document): T => {
  const element = root.querySelector<T>(selector);
  if (!element) throw new Error(`page: no element ${selector}`);
  return element;
};
