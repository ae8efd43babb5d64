// Reading a certificate's QR code on the page: from a chosen picture (a photo or a scan of a
// printed certificate, or a PDF page saved as an image), or from the camera where the browser
// allows it. This module (imported on first use) and the decoder, jsQR (vendor/jsqr.min.js,
// built by js-bundle/), are loaded only when needed; pixels never leave the browser.

const MAX_SIDE = 2000; // larger photos are scaled down first: faster, and still readable

let decoder = null;

function readQrFrom(image) {
  decoder ??= import('../vendor/jsqr.min.js');
  return decoder.then(({readQr}) => readQr(image));
}

/** Pixels of a drawable (an ImageBitmap or a video frame), scaled to at most MAX_SIDE. */
function pixels(source, width, height) {
  const scale = Math.min(1, MAX_SIDE / Math.max(width, height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  const context = canvas.getContext('2d', {willReadFrequently: true});
  context.drawImage(source, 0, 0, canvas.width, canvas.height);
  return context.getImageData(0, 0, canvas.width, canvas.height);
}

/** The text of the QR code in a picture file, or null (none found, or not a picture). */
export async function qrFromFile(file) {
  let bitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return null;
  }
  try {
    return await readQrFrom(pixels(bitmap, bitmap.width, bitmap.height));
  } finally {
    bitmap.close();
  }
}

/**
 * Read QR codes from the camera into `video` until `found(text)` returns true or `stop()` is
 * called. Resolves with the stop function once the camera is on; rejects if it is refused.
 */
export async function scanCamera(video, found) {
  const stream = await navigator.mediaDevices.getUserMedia({
    video: {facingMode: 'environment'},
    audio: false,
  });
  let running = true;
  const stop = () => {
    running = false;
    stream.getTracks().forEach((track) => track.stop());
    video.srcObject = null;
  };
  video.srcObject = stream;
  await video.play();
  const tick = async () => {
    if (!running) return;
    if (video.videoWidth) {
      const text = await readQrFrom(pixels(video, video.videoWidth, video.videoHeight));
      if (text !== null && found(text)) {
        stop();
        return;
      }
    }
    setTimeout(tick, 250);
  };
  tick();
  return stop;
}
