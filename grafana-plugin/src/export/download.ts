/** Hands a file to the browser's download manager. */
export type Download = (filename: string, content: Blob) => void;

export const browserDownload: Download = (filename, content) => {
  const url = URL.createObjectURL(content);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Revoke after the click has been handled, or some browsers cancel the download.
  setTimeout(() => URL.revokeObjectURL(url), 0);
};
