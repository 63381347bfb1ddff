// The one definition of valid text, for every store and every entry point (submit() and the HTTP schemas).
// Why these rules: PostgreSQL refuses U+0000 in `text` while SQLite stores it, so without one rule the two
// stores disagree and one bad row can fail a whole group commit. The rules, per field kind:
//   text (candidate text, source): any Unicode scalar value except controls. Tab, LF and CR are allowed
//     (CR: text pasted from Windows arrives as CRLF, and both stores keep it byte for byte). Every other C0
//     control (U+0000-U+001F), DEL (U+007F) and the C1 controls (U+0080-U+009F) are refused: they are never
//     part of a fact, and NUL is refused by PostgreSQL. Lone surrogates are refused: they have no UTF-8 form,
//     so a store would silently write U+FFFD instead of what was sent.
//   ids (userId, id, eventId, memoryId): the same, and no tab, LF or CR either.
// Length limits count UTF-16 code units (JavaScript's `length`), so a limit of 2000 is at most 6000 UTF-8 bytes.

export const TEXT_MAX = 2000;
export const USER_ID_MAX = 128;
export const ID_MAX = 128;
export const SOURCE_MAX = 256;
/** The most UTF-8 bytes TEXT_MAX code units can take (3 bytes per BMP unit; a pair of units is 4 bytes). */
export const TEXT_MAX_BYTES = TEXT_MAX * 3;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const TEXT_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const ID_CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

export const TEXT_PROBLEMS = {
  control: 'must not contain control characters (tab, newline and carriage return are allowed)',
  surrogate: 'must be valid Unicode (no lone surrogates)',
  idControl: 'must contain printable characters only',
} as const;

/** Why `s` is not valid text for a store, or undefined when it is. */
export function textProblem(s: string): string | undefined {
  if (TEXT_CONTROL.test(s)) return TEXT_PROBLEMS.control;
  if (LONE_SURROGATE.test(s)) return TEXT_PROBLEMS.surrogate;
  return undefined;
}

/** Why `s` is not a valid id, or undefined when it is (length is checked by the caller). */
export function idProblem(s: string): string | undefined {
  if (ID_CONTROL.test(s)) return TEXT_PROBLEMS.idControl;
  if (LONE_SURROGATE.test(s)) return TEXT_PROBLEMS.surrogate;
  return undefined;
}

const NOT_STORABLE = new RegExp(`${TEXT_CONTROL.source}|${LONE_SURROGATE.source}`, 'g');

/** Text the engine writes itself (error messages, which may quote a candidate) made valid: refused characters become U+FFFD. */
export function storableText(s: string): string {
  return s.replace(NOT_STORABLE, '\ufffd');
}
