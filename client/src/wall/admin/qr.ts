// QR codes as inline SVG from the `qrcode` package. Its output is markup, so it is parsed as SVG
// with DOMParser and imported as nodes; no string ever goes through innerHTML.
import QRCode from 'qrcode';

/** The options every QR code of shortline uses; tests render the same text with them to compare. */
export const QR_OPTIONS = { type: 'svg', errorCorrectionLevel: 'M', margin: 2 } as const;

export async function qrSvg(text: string): Promise<SVGSVGElement> {
  const markup = await QRCode.toString(text, QR_OPTIONS);
  const doc = new DOMParser().parseFromString(markup, 'image/svg+xml');
  const svg = doc.documentElement;
  if (svg.nodeName !== 'svg' || doc.getElementsByTagName('parsererror').length > 0)
    throw new Error('qrcode produced no SVG');
  const node = document.importNode(svg, true) as unknown as SVGSVGElement;
  node.setAttribute('role', 'img');
  node.setAttribute('aria-label', text);
  node.classList.add('qr');
  return node;
}

/** A QR code in a box that names its text, so tools and tests can check what it encodes. */
export async function qrBox(text: string, className = 'qr-box'): Promise<HTMLElement> {
  const box = document.createElement('div');
  box.className = className;
  box.dataset.qrText = text;
  box.append(await qrSvg(text));
  return box;
}
