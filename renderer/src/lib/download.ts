/** Saves text as a file through the browser's download (no file system access from the renderer). */
export function downloadText(fileName: string, text: string, type = 'application/x-pem-file'): void {
  saveBlob(fileName, new Blob([text], { type }));
}

/** Saves bytes (e.g. a DER public key) as a file. */
export function downloadBytes(fileName: string, bytes: Uint8Array, type = 'application/octet-stream'): void {
  saveBlob(fileName, new Blob([bytes as Uint8Array<ArrayBuffer>], { type }));
}

/** Saves a PEM document; PEM files end with a newline. */
export function downloadPem(fileName: string, pem: string): void {
  downloadText(fileName, pem.endsWith('\n') ? pem : `${pem}\n`);
}

function saveBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}
