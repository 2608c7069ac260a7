// A mail's subject line, apart from the JSX of mail-layout.tsx so that the admin UI's browser bundle (the
// settings page's preview of the welcome mail) makes it with the very function the mails use. A subject is
// one header line: a control character there (a line break) would start another header.

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]+/g;

/** Whether `text` holds a control character, which no subject may carry (the settings refuse them). */
export function hasControlCharacters(text: string): boolean {
  return text.search(CONTROL_CHARACTERS) !== -1;
}

/** `<instance>: <title>`, each run of control characters made one space. */
export function subjectLine(instanceName: string, title: string): string {
  return `${instanceName}: ${title}`.replace(CONTROL_CHARACTERS, " ").trim();
}
