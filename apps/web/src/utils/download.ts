/** Offers `csv` as a file download without leaving anything in the document. */
export function downloadCsv(filename: string, csv: string, doc: Document = document): void {
  // A byte order mark: spreadsheets then read the file as UTF-8 (accents, emoji).
  const url = URL.createObjectURL(new Blob(['\uFEFF', csv], { type: 'text/csv;charset=utf-8' }));
  const link = doc.createElement('a');
  link.href = url;
  link.download = filename;
  link.rel = 'noopener';
  link.style.display = 'none';
  doc.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
