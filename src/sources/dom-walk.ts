import type { AnyNode, Element } from "domhandler";

// Plain walks over the parsed tree for the searches made once per story. A cheerio selector
// string is compiled on every call (about 0.1 ms each), which a page of thousands of stories
// would pay thousands of times over.

export function isElement(node: AnyNode | null | undefined): node is Element {
  return node?.type === "tag" || node?.type === "script" || node?.type === "style";
}

export function hasTag(node: AnyNode | null | undefined, names: ReadonlySet<string>): boolean {
  return isElement(node) && names.has(node.tagName.toLowerCase());
}

/** The first element below `root` (depth first, in document order) that passes `test`. */
export function firstDescendant(root: AnyNode, test: (el: Element) => boolean): Element | null {
  const stack: AnyNode[] = isElement(root) ? [...root.children].reverse() : [];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!isElement(node)) continue;
    if (test(node)) return node;
    for (let i = node.children.length - 1; i >= 0; i--) {
      const child = node.children[i];
      if (child) stack.push(child);
    }
  }
  return null;
}

/** The nearest ancestor of `node` (not itself) that passes `test`. */
export function closestAncestor(node: AnyNode, test: (el: Element) => boolean): Element | null {
  for (let p = node.parent; p; p = p.parent) if (isElement(p) && test(p)) return p;
  return null;
}
