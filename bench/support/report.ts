import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchmarkReport, Figure, Target } from '../runner.ts';
import type { Commit, Machine } from './machine.ts';

export interface Results {
  startedAt: string;
  finishedAt: string;
  machine: Machine;
  commit: Commit;
  only: string | null;
  benchmarks: BenchmarkReport[];
}

function formatNumber(value: number): string {
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toPrecision(3);
}

function formatTarget(target: Target | undefined, unit: string): string {
  if (!target) return '';
  return 'max' in target ? `≤ ${formatNumber(target.max)} ${unit}` : `≥ ${formatNumber(target.min)} ${unit}`;
}

function verdict(figure: Figure): string {
  if (figure.value === null) return 'not measured';
  if (figure.ok === undefined) return '';
  return figure.ok ? '✓ met' : '✗ missed';
}

/** One readable table: benchmark, figure, value, target, verdict; then the notes. */
export function formatReports(reports: BenchmarkReport[]): string {
  const rows: string[][] = [['benchmark', 'figure', 'value', 'target', '']];
  for (const report of reports) {
    if (report.notMeasured && report.figures.every((f) => f.value === null)) {
      rows.push([report.title, `not measured: ${report.notMeasured}`, '', '', '']);
      for (const figure of report.figures) rows.push(['', figure.name, '—', formatTarget(figure.target, figure.unit), 'not measured']);
      continue;
    }
    if (report.error) rows.push([report.title, `failed: ${report.error.split('\n')[0]}`, '', '', '✗']);
    report.figures.forEach((figure, index) => {
      rows.push([
        index === 0 && !report.error ? report.title : '',
        figure.name,
        figure.value === null ? '—' : `${figure.atLeast ? '≥ ' : ''}${formatNumber(figure.value)} ${figure.unit}`,
        formatTarget(figure.target, figure.unit),
        verdict(figure),
      ]);
    });
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => [...row[column]!].length)));
  const line = (row: string[]) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
  const out = [line(rows[0]!), widths.map((width) => '─'.repeat(width)).join('  '), ...rows.slice(1).map(line)];

  const notes = reports.flatMap((report) => (report.notes ?? []).map((note) => `  [${report.name}] ${note}`));
  if (notes.length > 0) out.push('', 'Notes:', ...notes);
  return out.join('\n');
}

export function summarize(reports: BenchmarkReport[]): { met: number; missed: number; notMeasured: number; failed: number } {
  const figures = reports.flatMap((report) => report.figures);
  return {
    met: figures.filter((f) => f.ok === true).length,
    missed: figures.filter((f) => f.ok === false).length,
    notMeasured: figures.filter((f) => f.value === null).length,
    failed: reports.filter((report) => report.error).length,
  };
}

/** bench-results/<timestamp>.json (git-ignored), so runs can be compared. */
export function writeResults(dir: string, results: Results): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${results.startedAt.replace(/[:.]/g, '-')}${results.only ? `-${results.only}` : ''}.json`);
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  return file;
}
