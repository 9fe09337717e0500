// The report formats a scan can be printed in, named once for the flags and the renderers (no imports: the CLI loads it at start).

export const REPORT_FORMATS = ['table', 'json', 'markdown', 'sarif'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
/** The formats rendered as one document after every server is done; the table is printed server by server. */
export type DocumentFormat = Exclude<ReportFormat, 'table'>;
