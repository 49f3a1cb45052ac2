/** `2026-03-02T09:15:00.000Z` → "2026-03-02 09:15 UTC": how the console and the alerts write a moment. */
export const utcText = (iso: string): string => `${iso.slice(0, 16).replace('T', ' ')} UTC`;
