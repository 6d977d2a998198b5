/** "1 epoch", "3 epochs", "1 class", "2 classes": a count with its noun in the right number. */
export function plural(n: number, singular: string, pluralForm = /(s|x|sh|tch|rch)$/.test(singular) ? `${singular}es` : `${singular}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? singular : pluralForm}`;
}
