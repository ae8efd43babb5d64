// Entry of the QR-reading bundle (templates/theme/js/vendor/jsqr.min.js). The verify page
// imports it only when a visitor chooses a picture (or turns on the camera) to read a
// certificate's QR code.
import jsQR from 'jsqr';

/**
 * The text of the QR code in an ImageData (RGBA pixels), or null. Both light-on-dark and
 * dark-on-light codes are tried, for photos of screens as well as of paper.
 */
export function readQr(image) {
  const code = jsQR(image.data, image.width, image.height, {inversionAttempts: 'attemptBoth'});
  return code === null ? null : code.data;
}
