// Text into HTML and into Markdown table cells (pure). Every string a report
// prints comes from the history (host ids, error messages a peer sent), so
// every one goes through these.

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** One line, no table breaks, no Markdown or HTML markup taking effect. */
export function escapeMarkdownCell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/[\\|*_`[\]<>]/g, (c) => `\\${c}`);
}
