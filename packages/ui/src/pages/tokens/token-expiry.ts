/** The lifetimes the Tokens page offers, as `POST /api/tokens` takes them (seconds; null: never expires). */
export const TOKEN_EXPIRY_CHOICES = [
  { key: "30d", label: "30 days", seconds: 30 * 86_400 },
  { key: "90d", label: "90 days", seconds: 90 * 86_400 },
  { key: "365d", label: "1 year", seconds: 365 * 86_400 },
  { key: "never", label: "Never", seconds: null },
] as const;

export type TokenExpiryKey = (typeof TOKEN_EXPIRY_CHOICES)[number]["key"];

/** The lifetime in seconds for a choice (the default, 90 days, for an unknown key). */
export function expirySeconds(key: string): number | null {
  const choice = TOKEN_EXPIRY_CHOICES.find((c) => c.key === key) ?? TOKEN_EXPIRY_CHOICES[1];
  return choice.seconds;
}
