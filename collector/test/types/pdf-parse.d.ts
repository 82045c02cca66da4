// pdf-parse 1.1.1 ships no types; the tests load its library file directly (see export.test.ts).
declare module 'pdf-parse/lib/pdf-parse.js' {
  export default function pdfParse(data: Buffer): Promise<{ text: string; numpages: number }>;
}
