// What a person pastes into "enrollment token" is often the whole link from the mail, with spaces
// around it: take the token out of it. Tokens are 32 letters and digits (WIRE.md); anything that is
// not shaped like one is left for the Core to refuse, except text with no token-like part at all.

const TOKEN_CHARACTERS = /^[A-Za-z0-9]+$/;

/** The token in `input` (a bare token, or a URL with `?token=`), trimmed; undefined when there is none. */
export function tokenFromInput(input: string): string | undefined {
  const text = input.trim();
  if (!text) return undefined;
  if (TOKEN_CHARACTERS.test(text)) return text;
  const fromUrl = /[?&]token=([A-Za-z0-9]+)/.exec(text)?.[1];
  return fromUrl;
}
