// A small bitmap font: 5x8 glyphs (capitals and digits 7 rows high, one row below the baseline
// for descenders) for printable ASCII 32..126 plus the middle dot '·'. Drawn by canvas.ts.

/** Glyph columns and rows; each glyph advances the pen by ADVANCE pixels (one blank column). */
export const GLYPH_WIDTH = 5;
export const GLYPH_HEIGHT = 8;
export const ADVANCE = 6;
/** Baseline-to-baseline distance of stacked lines of text. */
export const LINE_HEIGHT = 9;

// One glyph per string: 8 rows top to bottom, 2 hex digits per row, bit 4 the leftmost column.
// In order: ASCII 32..126, then '·'.
const GLYPHS = [
  '0000000000000000', '0404040404000400', '0a0a0a0000000000', '0a0a1f0a1f0a0a00', '040f140e051e0400', '1819020408130300', '0c12140815120d00', '0404080000000000', // space ! " # $ % & '
  '0204080808040200', '0804020202040800', '0004150e15040000', '0004041f04040000', '00000000000c0408', '0000001f00000000', '00000000000c0c00', '0001020408100000', // ( ) * + , - . /
  '0e11131519110e00', '040c040404040e00', '0e11010204081f00', '1f02040201110e00', '02060a121f020200', '1f101e0101110e00', '0608101e11110e00', '1f01020408080800', // 0 1 2 3 4 5 6 7
  '0e11110e11110e00', '0e11110f01020c00', '000c0c000c0c0000', '000c0c000c040800', '0204081008040200', '00001f001f000000', '0804020102040800', '0e11010204000400', // 8 9 : ; < = > ?
  '0e11010d15150e00', '0e11111f11111100', '1e11111e11111e00', '0e11101010110e00', '1c12111111121c00', '1f10101e10101f00', '1f10101e10101000', '0e11101711110f00', // @ A B C D E F G
  '1111111f11111100', '0e04040404040e00', '0702020202120c00', '1112141814121100', '1010101010101f00', '111b151511111100', '1111191513111100', '0e11111111110e00', // H I J K L M N O
  '1e11111e10101000', '0e11111115120d00', '1e11111e14121100', '0f10100e01011e00', '1f04040404040400', '1111111111110e00', '11111111110a0400', '1111111515150a00', // P Q R S T U V W
  '11110a040a111100', '11110a0404040400', '1f01020408101f00', '0e08080808080e00', '0010080402010000', '0e02020202020e00', '040a110000000000', '0000000000001f00', // X Y Z [ \ ] ^ _
  '0804020000000000', '00000e010f110f00', '1010161911111e00', '00000e1010110e00', '01010d1311110f00', '00000e111f100e00', '0609081c08080800', '00000f11110f010e', // ` a b c d e f g
  '1010161911111100', '04000c0404040e00', '020006020202120c', '1010121418141200', '0c04040404040e00', '00001a1515111100', '0000161911111100', '00000e1111110e00', // h i j k l m n o
  '00001e11111e1010', '00000f11110f0101', '0000161910101000', '00000f100e011e00', '08081c0808090600', '0000111111130d00', '00001111110a0400', '0000111115150a00', // p q r s t u v w
  '0000110a040a1100', '00001111110f010e', '00001f0204081f00', '0204040804040200', '0404040404040400', '0804040204040800', '0000081502000000', '0000000c0c000000', // x y z { | } ~ ·
];
const EXTRA_CHARS = '·';

/** Drawn for any character the font lacks. */
const FALLBACK = '?';

function glyphIndex(char: string): number {
  const code = char.codePointAt(0) ?? 0;
  if (code >= 32 && code <= 126) return code - 32;
  const extra = EXTRA_CHARS.indexOf(char);
  return extra >= 0 ? 95 + extra : glyphIndex(FALLBACK);
}

/** The glyph of one character as GLYPH_HEIGHT row masks, bit GLYPH_WIDTH - 1 the leftmost column. */
export function glyphRows(char: string): number[] {
  const hex = GLYPHS[glyphIndex(char)];
  return Array.from({ length: GLYPH_HEIGHT }, (_, row) => parseInt(hex.slice(2 * row, 2 * row + 2), 16));
}

/** Width in pixels of a line of text drawn at an integer scale: characters × ADVANCE × scale. */
export function textWidth(text: string, scale = 1): number {
  return [...text].length * ADVANCE * scale;
}
