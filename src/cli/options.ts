/** Option helpers used while the command tree is built: kept apart so building it loads nothing heavy. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
