import { get, type YEntry, type YMap, type YNode, type YScalar } from "../../model/yaml-node.js";

/**
 * Depth-first visits without the per-level array copies of the generator walkers in model/yaml-node.ts:
 * a large home has hundreds of thousands of values, and these run in several checks. `path` is a shared
 * stack, valid only during the call: copy it (`[...path]`) to keep it.
 */
export function visitScalars(node: YNode | undefined, visit: (path: readonly string[], scalar: YScalar) => void): void {
  const path: string[] = [];
  const walk = (current: YNode): void => {
    if (current.kind === "scalar") {
      visit(path, current);
    } else if (current.kind === "seq") {
      for (let i = 0; i < current.items.length; i++) {
        path.push(String(i));
        walk(current.items[i] as YNode);
        path.pop();
      }
    } else {
      for (const entry of current.entries) {
        path.push(entry.key);
        walk(entry.value);
        path.pop();
      }
    }
  };
  if (node !== undefined) walk(node);
}

/** Every map entry with the keys above it and the map that holds it (same sharing rule for `path`). */
export function visitEntries(
  node: YNode | undefined,
  visit: (path: readonly string[], entry: YEntry, parent: YMap) => void,
): void {
  const path: string[] = [];
  const walk = (current: YNode): void => {
    if (current.kind === "seq") {
      for (let i = 0; i < current.items.length; i++) {
        path.push(String(i));
        walk(current.items[i] as YNode);
        path.pop();
      }
    } else if (current.kind === "map") {
      for (const entry of current.entries) {
        visit(path, entry, current);
        path.push(entry.key);
        walk(entry.value);
        path.pop();
      }
    }
  };
  if (node !== undefined) walk(node);
}

/** The innermost map key of a path, skipping sequence indexes: the key a scalar in a list sits under. */
export function nearestKey(path: readonly string[]): string {
  for (let i = path.length - 1; i >= 0; i--) {
    const key = path[i] as string;
    if (!/^\d+$/.test(key)) return key;
  }
  return "";
}

/** The node at a path of map keys and sequence indexes (as `visitScalars` gives them). */
export function nodeAt(root: YNode | undefined, path: readonly string[]): YNode | undefined {
  let node = root;
  for (const key of path) {
    if (node?.kind === "seq") node = /^\d+$/.test(key) ? node.items[Number(key)] : undefined;
    else if (node?.kind === "map") node = get(node, key);
    else return undefined;
  }
  return node;
}
