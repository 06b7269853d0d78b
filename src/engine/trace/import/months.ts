/**
 * Month names as `strftime("%b")` prints them in the locales logs come from: journalctl's short
 * output and `dmesg -T` format their times with strftime in the user's locale, so a German journal
 * says `Dez`, a French one `déc.`, a Japanese one `12月`. Keys are the first three letters, lower
 * case, without the dot; an abbreviation shared by two locales has one month.
 */
const NAMES: Record<string, number> = {};
const LOCALES = [
  'jan feb mar apr may jun jul aug sep oct nov dec', // en
  'jan feb mär apr mai jun jul aug sep okt nov dez', // de
  'jan fév mar avr mai jui jui aoû sep oct nov déc', // fr ("juin", "juil." both start "jui": June wins)
  'ene feb mar abr may jun jul ago sep oct nov dic', // es
  'gen feb mar apr mag giu lug ago set ott nov dic', // it
  'jan fev mar abr mai jun jul ago set out nov dez', // pt
  'jan feb mrt apr mei jun jul aug sep okt nov dec', // nl
  'sty lut mar kwi maj cze lip sie wrz paź lis gru', // pl
  'янв фев мар апр май июн июл авг сен окт ноя дек', // ru
];
for (const locale of LOCALES) locale.split(' ').forEach((name, i) => (NAMES[name] ??= i));

/** Month 0–11 of a `%b` name in any of the locales above, or of a CJK `12月`/`12월`; 0 when unknown. */
export function monthIndex(name: string): number {
  const cjk = /^(\d{1,2})[月월]$/.exec(name);
  if (cjk) return Math.min(11, Math.max(0, +cjk[1] - 1));
  return NAMES[name.replace(/\.$/, '').slice(0, 3).toLowerCase()] ?? 0;
}

/** A `%b` month token: letters of any script (with a trailing dot), or a number and 月/월. */
export const MONTH = String.raw`(?:\p{L}[\p{L}.]{1,5}|\d{1,2}[月월])`;
