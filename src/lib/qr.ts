import { encode } from 'uqr';

/**
 * The modules of a QR code for `text`, row by row (`true` is dark), with the four-module quiet
 * zone the standard asks for around it; a view draws them (as SVG). Error correction M: an
 * otpauth:// URI fits in a small code that phone cameras read from a screen at once.
 */
export function qrModules(text: string): boolean[][] {
  return encode(text, { ecc: 'M', border: 4 }).data;
}
