// Entry of the QR-writing bundle (templates/theme/js/vendor/qrcode.min.js). The verify page
// imports it only when a visitor prints a certificate, to draw the QR code of its short
// verification link (the same link and error correction as site_builder/credentials/sharing.py).
import qrcode from 'qrcode-generator';

// Error correction M (15 % of the code can be damaged) suits print; L only when M cannot fit.
const LEVELS = ['M', 'L'];

/**
 * The QR code of `text` (ASCII, as a link is) as rows of booleans (true: dark module), at the
 * strongest error correction that fits; null when it fits no QR code at all.
 */
export function qrModules(text) {
  for (const level of LEVELS) {
    const code = qrcode(0, level);
    code.addData(text, 'Byte');
    try {
      code.make();
    } catch (error) {
      // The library throws a string for data larger than version 40 holds.
      if (String(error).includes('overflow')) continue;
      throw error;
    }
    const size = code.getModuleCount();
    return Array.from({length: size}, (_, row) =>
      Array.from({length: size}, (_, column) => code.isDark(row, column)),
    );
  }
  return null;
}
