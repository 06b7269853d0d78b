import * as vscode from 'vscode';
import type { Problem, Severity, Span } from '../engine/scenario/model';

/** Engine spans are 1-based lines and columns; VS Code's are 0-based. */
export function toRange(span: Span): vscode.Range {
  return new vscode.Range(span.line - 1, span.column - 1, span.endLine - 1, span.endColumn - 1);
}

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** The source every Memmap Lab diagnostic carries (quick fixes only act on these). */
export const DIAGNOSTIC_SOURCE = 'memmap-lab';

/** A problem as the Problems panel shows it: same code and words as `memmap-lab check`. */
export function toDiagnostic(uri: vscode.Uri, p: Problem): vscode.Diagnostic {
  const d = new vscode.Diagnostic(toRange(p.span), p.message, SEVERITY[p.severity]);
  d.code = p.code;
  d.source = DIAGNOSTIC_SOURCE;
  if (p.related?.length)
    d.relatedInformation = p.related.map(
      (r) =>
        new vscode.DiagnosticRelatedInformation(
          new vscode.Location(uri, toRange(r.span)),
          r.message,
        ),
    );
  return d;
}
