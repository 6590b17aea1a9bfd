/**
 * GitHub Actions workflow commands (`::warning file=…,line=…,title=…::message`), which the runner turns
 * into annotations on the named file and line. Escaping follows @actions/core: the message may not hold
 * raw `%`, CR or LF; property values additionally may not hold `:` or `,`.
 */
export type AnnotationLevel = 'error' | 'warning' | 'notice';

export interface Annotation {
  level: AnnotationLevel;
  message: string;
  title?: string;
  file?: string;
  line?: number;
  column?: number;
}

export function formatAnnotation(annotation: Annotation): string {
  const properties = [
    annotation.file !== undefined ? `file=${escapeProperty(annotation.file)}` : undefined,
    annotation.line !== undefined ? `line=${annotation.line}` : undefined,
    annotation.column !== undefined ? `col=${annotation.column}` : undefined,
    annotation.title !== undefined ? `title=${escapeProperty(annotation.title)}` : undefined,
  ].filter((p) => p !== undefined);
  const head = properties.length > 0 ? `::${annotation.level} ${properties.join(',')}` : `::${annotation.level}`;
  return `${head}::${escapeData(annotation.message)}`;
}

export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
