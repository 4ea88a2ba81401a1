// A report model to text in the chosen format (pure).
import type { ReportModel } from './report-model.js';
import { renderHtml } from './render-html.js';
import { renderMarkdown } from './render-markdown.js';
import { reportDocument, type DocumentOptions } from './report-sections.js';

export const REPORT_FORMATS = ['html', 'md'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function renderReport(model: ReportModel, format: ReportFormat, options: DocumentOptions = {}): string {
  const doc = reportDocument(model, options);
  return format === 'md' ? renderMarkdown(doc) : renderHtml(doc, model.series);
}
